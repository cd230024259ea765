import { IMAGE_TYPES, type ImageType } from './images.tables.ts';

/** Largest image accepted: 10 MiB (a screenshot or a photo; larger files go to the files area). */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/** Bytes needed to recognise every accepted type (WebP: `RIFF` ‖ size ‖ `WEBP`). */
export const SNIFF_BYTES = 12;

/**
 * The media type a client declared, normalised (`Image/PNG; foo=bar` → `image/png`), or null when
 * it is not one we store. SVG is refused on purpose: it is a document that can carry scripts and
 * links, not a picture.
 */
export function acceptedType(declared: string | undefined): ImageType | null {
  const essence = declared?.split(';')[0]?.trim().toLowerCase();
  return (IMAGE_TYPES as readonly string[]).includes(essence ?? '') ? (essence as ImageType) : null;
}

/**
 * The raster type the first bytes prove, or null. The type served is always this one, never the
 * declared one: a browser told `image/png` for bytes that are HTML must never get to decide.
 */
export function sniffImageType(head: Uint8Array): ImageType | null {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(head, ascii('RIFF')) && startsWith(head.subarray(8), ascii('WEBP'))) return 'image/webp';
  return null;
}

function ascii(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}
