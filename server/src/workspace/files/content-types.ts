import { fileTypeFromBuffer } from 'file-type';
import { BIDI_CONTROLS, CONTROL_CHARACTERS } from '../../platform/http/content-disposition.ts';

/**
 * What a file is and what it may be called: the media type read from the bytes (never the name
 * or the client's claim), the few types a browser may render inline, the names stored and the
 * names sent in download headers.
 */

/** Longest name, in characters (code points), as the table's check. */
export const NAME_MAX = 255;
/** Bytes read from the start of a file to recognise its type (file-type needs ~4 KiB; Office and OpenDocument files a bit more). */
export const SNIFF_BYTES = 256 * 1024;

/**
 * Rendered by the browser when opened (never with `download=1`): raster images, PDF and plain
 * text. Everything else — HTML, SVG, XML, scripts, office files, archives, unknown bytes — is sent
 * as an attachment only, so that nothing uploaded can run as a page of Entente's origin.
 */
export const INLINE_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/apng',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'application/pdf',
  'text/plain',
]);

/** Images sharp makes a thumbnail of. */
export const THUMBNAIL_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/apng', 'image/jpeg', 'image/gif', 'image/webp']);

export function isInlineType(contentType: string): boolean {
  return INLINE_TYPES.has(contentType);
}

const SEPARATORS = /[/\\]/gu;
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069/\\]/u;

/**
 * A name typed by an agent (new folder, rename): NFC, trimmed; null when it holds a separator,
 * a control or bidirectional-override character, is empty, `.` or `..`, or is too long (the
 * caller answers `file_name_invalid`: an explicit name is not silently changed).
 */
export function validName(raw: string): string | null {
  const name = raw.normalize('NFC').trim();
  if (name === '' || name === '.' || name === '..') return null;
  if (FORBIDDEN.test(name)) return null;
  if ([...name].length > NAME_MAX) return null;
  return name;
}

/**
 * A name that came with an upload (the client's file name): made acceptable rather than refused —
 * separators and control characters become `_`, bidirectional overrides go, the result is
 * trimmed and cut to 255 characters keeping the extension; null when nothing usable is left.
 */
export function cleanUploadName(raw: string): string | null {
  let name = raw.normalize('NFC').replace(BIDI_CONTROLS, '').replace(CONTROL_CHARACTERS, '_').replace(SEPARATORS, '_').trim();
  const chars = [...name];
  if (chars.length > NAME_MAX) {
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 ? [...name.slice(dot)] : [];
    const keep = extension.length > 0 && extension.length <= 16 ? extension : [];
    name = [...chars.slice(0, NAME_MAX - keep.length), ...keep].join('').trim();
  }
  if (name === '' || name === '.' || name === '..') return null;
  return name;
}

/** The form names are compared in (unique per folder regardless of case and Unicode composition). */
export function nameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/** `name (2)`, `name (3)`… keeping the extension: for an item restored or uploaded beside a namesake. */
export function numberedName(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  const suffix = ` (${n})`;
  const room = NAME_MAX - [...suffix].length - [...extension].length;
  return `${[...stem].slice(0, Math.max(1, room)).join('')}${suffix}${extension}`;
}

/**
 * Follows the bytes of a file as they stream: whether they are valid UTF-8 without any NUL (the
 * condition for `text/plain`), and the first SNIFF_BYTES for file-type.
 */
export class TypeProbe {
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  readonly #head: Buffer[] = [];
  #headLength = 0;
  #text = true;

  push(chunk: Buffer): void {
    if (this.#headLength < SNIFF_BYTES) {
      const piece = chunk.subarray(0, SNIFF_BYTES - this.#headLength);
      this.#head.push(piece);
      this.#headLength += piece.length;
    }
    if (!this.#text) return;
    if (chunk.includes(0)) {
      this.#text = false;
      return;
    }
    try {
      this.#decoder.decode(chunk, { stream: true });
    } catch {
      this.#text = false;
    }
  }

  /** The detected media type once every byte was pushed. */
  async result(): Promise<string> {
    let text = this.#text;
    if (text) {
      try {
        this.#decoder.decode(); // an incomplete sequence at the very end is not text either
      } catch {
        text = false;
      }
    }
    return sniffContentType(Buffer.concat(this.#head), text);
  }
}

/**
 * The media type of a file from its first bytes (file-type's signatures); failing that, bytes
 * that are valid UTF-8 without NUL are text — HTML, SVG and XML recognised by their opening tag
 * (so they are never served inline as text) — and anything else is `application/octet-stream`.
 */
export async function sniffContentType(head: Uint8Array, isText: boolean): Promise<string> {
  const detected = head.length > 0 ? await fileTypeFromBuffer(head) : undefined;
  const start = () => Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, 1024)).toString('utf8');
  // file-type calls every `<?xml` document XML; an SVG among them is named as such.
  if (detected?.mime === 'application/xml' && isText) return markupType(start()) ?? detected.mime;
  if (detected) return detected.mime;
  if (!isText) return 'application/octet-stream';
  return markupType(start()) ?? 'text/plain';
}

/** WHATWG MIME sniffing's "HTML" patterns, plus SVG and XML: what a browser might run if it were told `text/html`. */
function markupType(start: string): string | null {
  const text = start.replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (text.startsWith('<?xml')) return /<svg[\s>]/.test(text) ? 'image/svg+xml' : 'application/xml';
  if (text.startsWith('<svg')) return 'image/svg+xml';
  const html = ['<!doctype html', '<html', '<head', '<script', '<iframe', '<h1', '<div', '<font', '<table', '<a', '<style', '<title', '<b', '<body', '<br', '<p', '<!--'];
  for (const tag of html) {
    if (!text.startsWith(tag)) continue;
    const next = text.charAt(tag.length);
    if (tag === '<!--' || next === ' ' || next === '>' || next === '\t' || next === '\n' || next === '\f' || next === '\r' || next === '') return 'text/html';
  }
  return null;
}
