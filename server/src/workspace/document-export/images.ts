import sharp from 'sharp';
import type { CalloutTone } from '../content/html.ts';

/**
 * An image of a document, read and decrypted by the caller, ready for every writer: PNG and JPEG
 * are kept as they are (every format takes them); GIF and WebP become PNG (Word takes no WebP,
 * pdfkit only PNG and JPEG). Pixel size read from the bytes, to lay the image out at 96 dpi.
 */
export interface ExportImage {
  bytes: Buffer;
  contentType: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
  /** The bytes as uploaded (the HTML export embeds them unchanged). */
  original: { bytes: Buffer; contentType: string };
}

/** Largest side in pixels we decode; a bigger image (a decompression bomb) is left out. */
const MAX_PIXELS = 40_000_000;

export async function prepareImage(bytes: Buffer, contentType: string): Promise<ExportImage | null> {
  try {
    const image = sharp(bytes, { limitInputPixels: MAX_PIXELS, animated: false });
    const meta = await image.metadata();
    if (!meta.width || !meta.height) return null;
    // EXIF orientation 5–8 swaps the sides once applied.
    const swapped = (meta.orientation ?? 1) >= 5;
    const width = swapped ? meta.height : meta.width;
    const height = swapped ? meta.width : meta.height;
    const original = { bytes, contentType };
    if ((meta.format === 'png' || meta.format === 'jpeg') && !swapped) {
      return { bytes, contentType: meta.format === 'png' ? 'image/png' : 'image/jpeg', width, height, original };
    }
    const png = await image.rotate().png().toBuffer();
    return { bytes: png, contentType: 'image/png', width, height, original };
  } catch {
    // Unreadable bytes: the document keeps the image's description instead.
    return null;
  }
}

/** Width × height in points (1/72 in) at 96 dpi, at most `maxWidth` × `maxHeight`, proportions kept. */
export function fitImage(image: { width: number; height: number }, maxWidth: number, maxHeight: number): { width: number; height: number } {
  let width = (image.width * 72) / 96;
  let height = (image.height * 72) / 96;
  const scale = Math.min(1, maxWidth / width, maxHeight / height);
  width *= scale;
  height *= scale;
  return { width: Math.max(1, width), height: Math.max(1, height) };
}

/** What the DOCX and PDF writers are given (the ODT writer, older, has its own `OdtOptions`). */
export interface WriterOptions {
  title: string;
  /** BCP 47, e.g. fr-FR, fr-CA, en. */
  language: string;
  images?: (src: string) => ExportImage | null;
  link?: (href: string) => string;
  /** The words for a callout's tone, in the document's language. */
  calloutLabel: (tone: CalloutTone) => string;
}
