import { describe, expect, it } from 'vitest';
import { formatSize, formatSizesApart } from './sizes.ts';

describe('sizes in words', () => {
  it('reads binary multiples in each language, bytes under 1 ko', () => {
    expect(formatSize('fr-FR', 1536)).toBe('1,5\u202fko');
    expect(formatSize('en', 15 * 1024 * 1024)).toBe('15 MB');
    expect(formatSize('fr-FR', 12)).toBe('12 octets');
  });

  it('never shows a file and the room left as the same size when they differ', () => {
    const file = 14.31 * 1024 * 1024;
    const free = 14.29 * 1024 * 1024;
    expect(formatSize('fr-FR', file)).toBe(formatSize('fr-FR', free)); // the trap: both « 14,3 Mo »
    const [a, b] = formatSizesApart('fr-FR', file, free);
    expect(a).not.toBe(b);
    expect([a, b]).toEqual(['14,31\u202fMo', '14,29\u202fMo']);
    // Closer than three decimals tell apart: bytes.
    const [c, d] = formatSizesApart('en', 10 * 1024 * 1024 + 10, 10 * 1024 * 1024);
    expect([c, d]).toEqual(['10,485,770 bytes', '10,485,760 bytes']);
    // Equal sizes stay as they are.
    expect(formatSizesApart('en', 2048, 2048)).toEqual(['2 kB', '2 kB']);
  });
});
