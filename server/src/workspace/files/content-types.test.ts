import { describe, expect, it } from 'vitest';
import { cleanUploadName, isInlineType, nameKey, numberedName, sniffContentType, TypeProbe, validName } from './content-types.ts';

describe('names', () => {
  it('accepts ordinary names, trimmed and composed', () => {
    expect(validName('  Compte rendu.pdf ')).toBe('Compte rendu.pdf');
    expect(validName('Re\u0301union')).toBe('Réunion');
    expect(validName('CON')).toBe('CON'); // stored as is; only the download name is made safe
    expect(validName('.bashrc')).toBe('.bashrc');
    expect(validName('é'.repeat(255))).toBe('é'.repeat(255));
  });

  it.each(['', ' ', '.', '..', 'a/b', 'a\\b', 'a\nb', 'a\u0000', 'a\u007f', 'a\u0085b', 'abc\u202Etxt.exe', 'a\u2066b', 'é'.repeat(256)])('refuses %j', (name) => {
    expect(validName(name)).toBeNull();
  });

  it('makes an uploaded name acceptable instead of refusing it', () => {
    expect(cleanUploadName('dossier/sous\\fichier.txt')).toBe('dossier_sous_fichier.txt');
    expect(cleanUploadName('a\r\nb.txt')).toBe('a__b.txt');
    expect(cleanUploadName('facture\u202Efdp.exe')).toBe('facturefdp.exe');
    expect(cleanUploadName('  ..  ')).toBeNull();
    expect(cleanUploadName('\u202E')).toBeNull();
    const long = `${'x'.repeat(300)}.pdf`;
    expect(cleanUploadName(long)).toBe(`${'x'.repeat(251)}.pdf`);
    expect([...(cleanUploadName('é'.repeat(400)) ?? '')].length).toBe(255);
  });

  it('compares names regardless of case and composition', () => {
    expect(nameKey('RÉSUMÉ.pdf')).toBe(nameKey('re\u0301sume\u0301.PDF'));
  });

  it('numbers a namesake before its extension', () => {
    expect(numberedName('note.txt', 2)).toBe('note (2).txt');
    expect(numberedName('Dossier', 3)).toBe('Dossier (3)');
    expect([...numberedName(`${'a'.repeat(252)}.md`, 12)].length).toBeLessThanOrEqual(255);
  });
});

describe('types from the bytes', () => {
  it('recognises signatures whatever the name says', async () => {
    expect(await sniffContentType(Buffer.from('%PDF-1.7\n'), true)).toBe('application/pdf');
    expect(await sniffContentType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]), false)).toBe('image/png');
    expect(await sniffContentType(Buffer.from('PK\x03\x04', 'latin1'), false)).toBe('application/zip');
  });

  it('calls text only valid UTF-8 without NUL, and markup by its opening tag', async () => {
    expect(await sniffContentType(Buffer.from('Bonjour, ça va ?'), true)).toBe('text/plain');
    expect(await sniffContentType(Buffer.from('\uFEFF  <!doctype html><p>x'), true)).toBe('text/html');
    expect(await sniffContentType(Buffer.from('<script>alert(1)</script>'), true)).toBe('text/html');
    expect(await sniffContentType(Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'), true)).toBe('image/svg+xml');
    expect(await sniffContentType(Buffer.from('<?xml version="1.0"?><note/>'), true)).toBe('application/xml');
    expect(await sniffContentType(Buffer.from('<bonjour>'), true)).toBe('text/plain');
    expect(await sniffContentType(Buffer.from('a < b'), true)).toBe('text/plain');
    expect(await sniffContentType(Buffer.from('abc'), false)).toBe('application/octet-stream');
  });

  it('follows UTF-8 across chunks, and refuses a NUL or a cut sequence anywhere', async () => {
    const text = Buffer.from('é'.repeat(10));
    const probe = new TypeProbe();
    probe.push(text.subarray(0, 5)); // cuts a two-byte sequence
    probe.push(text.subarray(5));
    expect(await probe.result()).toBe('text/plain');
    const nul = new TypeProbe();
    nul.push(Buffer.from('texte'));
    nul.push(Buffer.from([0]));
    expect(await nul.result()).toBe('application/octet-stream');
    const cut = new TypeProbe();
    cut.push(Buffer.from([0x61, 0xc3]));
    expect(await cut.result()).toBe('application/octet-stream');
  });

  it('serves inline only raster images, PDF and plain text', () => {
    for (const type of ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain']) expect(isInlineType(type), type).toBe(true);
    for (const type of ['text/html', 'image/svg+xml', 'application/xml', 'application/javascript', 'application/octet-stream', 'application/zip', 'text/xml']) {
      expect(isInlineType(type), type).toBe(false);
    }
  });
});
