import type { Readable } from 'node:stream';
import sharp from 'sharp';

/**
 * Thumbnails of images (PNG, JPEG, GIF, WebP): at most 256 × 256 pixels, WebP, made when an
 * upload finishes and stored encrypted beside the file. PDFs get none (rendering a page needs a
 * PDF engine, which this server does not embed).
 *
 * sharp decodes untrusted bytes: `limitInputPixels` refuses images whose header announces more
 * than 40 megapixels before decoding them (a few KiB of PNG can claim 50 000 × 50 000 pixels and
 * ask gigabytes of memory), only the first frame of an animation is read, and images larger than
 * MAX_SOURCE_BYTES are not tried at all.
 */
export const THUMBNAIL_SIZE = 256;
export const MAX_INPUT_PIXELS = 40_000_000;
export const MAX_SOURCE_BYTES = 64 * 1024 * 1024;

/** The WebP thumbnail of an image read from `body`, or null when sharp cannot or may not decode it. */
export async function makeThumbnail(body: Readable): Promise<Buffer | null> {
  const pipeline = sharp({ limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', sequentialRead: true, animated: false })
    .rotate() // the EXIF orientation, as the photo was taken
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 75 });
  body.on('error', (err) => pipeline.destroy(err));
  body.pipe(pipeline);
  try {
    return await pipeline.toBuffer();
  } catch {
    body.destroy();
    return null;
  }
}
