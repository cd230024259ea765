import { describe, expect, it } from 'vitest';
import { acceptedType, sniffImageType } from './image-types.ts';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('image types', () => {
  it('recognises the four raster types by their first bytes', () => {
    expect(sniffImageType(bytes([0x89], 'PNG\r\n\x1a\n', 'rest'))).toBe('image/png');
    expect(sniffImageType(bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'))).toBe('image/jpeg');
    expect(sniffImageType(bytes('GIF89a', [1, 0, 1, 0]))).toBe('image/gif');
    expect(sniffImageType(bytes('GIF87a', [1, 0, 1, 0]))).toBe('image/gif');
    expect(sniffImageType(bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '))).toBe('image/webp');
  });

  it('recognises nothing else, even what looks close', () => {
    for (const other of [
      bytes('<svg xmlns="http://www.w3.org/2000/svg">'),
      bytes('<!doctype html><script>alert(1)</script>'),
      bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt '), // a WAV file, not WebP
      bytes([0x89], 'PNG'), // cut short
      bytes('GIF88a'),
      bytes(''),
    ]) {
      expect(sniffImageType(other)).toBeNull();
    }
  });

  it('accepts only the declared raster types, normalised, and never SVG', () => {
    expect(acceptedType('Image/PNG; charset=binary')).toBe('image/png');
    expect(acceptedType('image/webp')).toBe('image/webp');
    expect(acceptedType('image/svg+xml')).toBeNull();
    expect(acceptedType('text/html')).toBeNull();
    expect(acceptedType('image/pngx')).toBeNull();
    expect(acceptedType(undefined)).toBeNull();
  });
});
