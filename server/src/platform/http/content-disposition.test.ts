import { describe, expect, it } from 'vitest';
import { contentDisposition, downloadName } from './content-disposition.ts';

describe('download names and Content-Disposition', () => {
  it('never lets a name break the header', () => {
    const header = contentDisposition('attachment', 'a"\r\nb;c%.txt');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header).toBe(`attachment; filename="a___b_c_.txt"; filename*=UTF-8''a___b%3Bc%25.txt`);
  });

  it('cannot be used to add a header or a second parameter', () => {
    const header = contentDisposition('attachment', 'a\r\nSet-Cookie: x=1; filename="evil.exe".pdf');
    expect(header).not.toMatch(/[\r\n]/);
    // Outside the quoted fallback, the header holds the disposition and its two parameters only.
    expect(header.replace(/"[^"]*"/g, '""').split(/;\s*/).map((part) => part.split('=')[0])).toEqual(['attachment', 'filename', 'filename*']);
    expect(header).toBe(`attachment; filename="a__Set-Cookie_ x=1_ filename=_evil.exe_.pdf"; filename*=UTF-8''a__Set-Cookie_%20x%3D1%3B%20filename%3D_evil.exe_.pdf`);
  });

  it('gives an ASCII fallback and the real name encoded', () => {
    expect(contentDisposition('inline', 'Été 2026 – bilan.pdf')).toBe(`inline; filename="Ete 2026 _ bilan.pdf"; filename*=UTF-8''%C3%89t%C3%A9%202026%20%E2%80%93%20bilan.pdf`);
    expect(contentDisposition('inline', '報告.txt')).toBe(`inline; filename="__.txt"; filename*=UTF-8''%E5%A0%B1%E5%91%8A.txt`);
  });

  it('avoids device names, trailing dots, hidden files and reserved characters', () => {
    expect(downloadName('CON')).toBe('_CON');
    expect(downloadName('lpt1.txt')).toBe('_lpt1.txt');
    expect(downloadName('console.txt')).toBe('console.txt');
    expect(downloadName('rapport.pdf. . ')).toBe('rapport.pdf');
    expect(downloadName('.env')).toBe('_env');
    expect(downloadName('a:b*c?.txt')).toBe('a_b_c_.txt');
    expect(downloadName('...')).toBe('fichier');
  });
});
