/** The formats a document or a space can be exported to (the `format` query parameter). */
export const EXPORT_FORMAT_IDS = ['pdf', 'docx', 'odt', 'md', 'html'] as const;
export type ExportFormat = (typeof EXPORT_FORMAT_IDS)[number];

export const EXPORT_FORMATS: Record<ExportFormat, { extension: string; contentType: string }> = {
  pdf: { extension: 'pdf', contentType: 'application/pdf' },
  docx: { extension: 'docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  odt: { extension: 'odt', contentType: 'application/vnd.oasis.opendocument.text' },
  md: { extension: 'md', contentType: 'text/markdown; charset=utf-8' },
  html: { extension: 'html', contentType: 'text/html; charset=utf-8' },
};

/**
 * `Content-Disposition: attachment` with the file's name as RFC 6266 wants it: an ASCII fallback in
 * `filename` (accents dropped, anything else replaced) and the exact UTF-8 name in `filename*`
 * (RFC 8187 percent-encoding), so that « Compte rendu (été).pdf » arrives as typed.
 */
export function contentDisposition(filename: string): string {
  const ascii = filename
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\%;]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
