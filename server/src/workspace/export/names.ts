/**
 * Names of archive entries. Titles and file names are whatever users typed; in an archive they
 * become path segments that people unzip with ordinary tools on Windows, macOS and Linux. So a
 * segment keeps the user's words but never: a separator (`/`, `\`), a character Windows refuses
 * (`<>:"|?*`), a control character, a leading or trailing dot or space, `.` or `..`, a device name
 * (`CON`, `NUL`, `COM1`…), or more than 120 UTF-8 bytes. Siblings that would collide — even only
 * by case or Unicode normalisation, as on macOS and Windows — get ` (2)`, ` (3)`…
 */
const FORBIDDEN = /[<>:"/\\|?*]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
export const MAX_SEGMENT_BYTES = 120;
/** Longest archive path, in UTF-8 bytes (isSafeArchivePath; the manifest's entry paths). */
export const MAX_PATH_BYTES = 1024;

export function sanitizeSegment(raw: string, fallback: string): string {
  let name = raw.normalize('NFC').replace(CONTROL, '').replace(FORBIDDEN, '_').replace(/\s+/g, ' ');
  name = name.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '');
  name = truncateUtf8(name, MAX_SEGMENT_BYTES).replace(/[\s.]+$/, '');
  if (name === '' || DEVICE.test(name)) name = name === '' ? fallback : `_${name}`;
  return name;
}

/** At most `max` UTF-8 bytes, cut between characters (never inside a surrogate pair). */
export function truncateUtf8(text: string, max: number): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text;
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > max) break;
    out += ch;
    bytes += n;
  }
  return out;
}

/**
 * Hands out unique names within one folder. `stem` is de-duplicated on its own (a document's
 * `Note.md`, `Note.odt`, `Note.yjs` and folder `Note/` share one stem); comparison ignores case
 * and Unicode normalisation.
 */
export class SiblingNames {
  readonly #taken = new Set<string>();
  readonly #fallback: string;

  constructor(fallback: string) {
    this.#fallback = fallback;
  }

  /** A unique stem for `raw` (the extension, if any, is kept out of the de-duplication). */
  take(raw: string, extension = ''): string {
    const base = sanitizeSegment(raw, this.#fallback);
    const room = MAX_SEGMENT_BYTES - Buffer.byteLength(extension, 'utf8') - 8;
    const stem = truncateUtf8(base, Math.max(16, room)).replace(/[\s.]+$/, '') || this.#fallback;
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? stem : `${stem} (${n})`;
      const key = `${candidate}${extension}`.normalize('NFC').toLowerCase();
      if (!this.#taken.has(key)) {
        this.#taken.add(key);
        return candidate;
      }
    }
  }
}

/**
 * True when `path` is a relative archive path we would write: `/`-separated segments, none empty,
 * `.` or `..`, no backslash, no control character, no drive letter, at most 1024 UTF-8 bytes. An
 * archive with any other entry name is refused on import (it could only come from another tool,
 * or be meant to escape the folder it is unzipped into).
 */
export function isSafeArchivePath(path: string): boolean {
  if (path.length === 0 || Buffer.byteLength(path, 'utf8') > MAX_PATH_BYTES) return false;
  if (path.includes('\\') || path.startsWith('/') || /^[a-zA-Z]:/.test(path)) return false;
  CONTROL.lastIndex = 0;
  if (CONTROL.test(path)) return false;
  return path.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/** The relative path from the folder holding `from` to `to` (both archive paths). */
export function relativePath(from: string, to: string): string {
  const a = from.split('/').slice(0, -1);
  const b = to.split('/');
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  return [...Array<string>(a.length - i).fill('..'), ...b.slice(i)].join('/');
}
