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
