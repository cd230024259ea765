/**
 * `Content-Disposition` for every download Entente serves (files, document exports, certificates,
 * CSV and JSON exports): one builder, so that a name an agent typed — a file's, a team's — can
 * never break the header or arrive on disk as something else.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/gu;
/** Bidirectional overrides and isolates: `invoice\u202Efdp.exe` would show as `invoiceexe.pdf`. */
export const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/**
 * RFC 6266: the disposition, an ASCII fallback `filename` that no browser or operating system
 * misreads (no quotes, backslashes, control characters, `%`, reserved Windows device names,
 * leading dots or trailing dots and spaces), and the real name in `filename*=UTF-8''…` (RFC 8187
 * percent-encoding, so `\r\n` and quotes cannot break the header).
 */
export function contentDisposition(disposition: 'inline' | 'attachment', name: string): string {
  const safe = downloadName(name);
  return `${disposition}; filename="${asciiFallback(safe)}"; filename*=UTF-8''${encodeRfc8187(safe)}`;
}

/** The name as saved on the agent's computer: same characters, minus what a file system refuses or misreads. */
export function downloadName(name: string): string {
  let safe = name.normalize('NFC').replace(BIDI_CONTROLS, '').replace(CONTROL_CHARACTERS, '_').replace(/[/\\:*?"<>|]/g, '_');
  safe = safe.replace(/[. ]+$/u, '').replace(/^\.+/u, '_');
  if (WINDOWS_RESERVED.test(safe)) safe = `_${safe}`;
  return safe === '' ? 'fichier' : safe;
}

function asciiFallback(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\%;]/g, '_');
  return ascii.trim() === '' ? 'fichier' : ascii;
}

function encodeRfc8187(value: string): string {
  // attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
  return [...Buffer.from(value, 'utf8')]
    .map((byte) => {
      const c = String.fromCharCode(byte);
      return /[A-Za-z0-9!#$&+\-.^_`|~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}
