import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { isSafeArchivePath, relativePath, SiblingNames, sanitizeSegment } from './names.ts';
import { ZipFormatError, ZipReader, ZipWriter } from './zip.ts';

/** The archive format's ZIP layer: what it writes other tools read, and what it refuses to read. */
const dir = mkdtempSync(path.join(tmpdir(), 'entente-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = () => path.join(dir, `a${++n}.zip`);
const has = (bin: string) => {
  try {
    execFileSync('which', [bin], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

async function* slowly(bytes: Buffer, size = 7777): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function readAll(reader: ZipReader, name: string): Promise<Buffer> {
  return reader.read(reader.get(name) as never, 1 << 30);
}

/** Entries of a ZIP written by hand, for the shapes our writer never makes. */
function handMade(entries: { name: string; data: Buffer; method?: number; flags?: number; declaredSize?: number; crc?: number }[], comment = ''): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const method = e.method ?? 0;
    const stored = method === 8 ? deflateRawSync(e.data) : e.data;
    const name = Buffer.from(e.name);
    const crc = e.crc ?? crc32(e.data);
    const size = e.declaredSize ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.flags ?? 0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(e.flags ?? 0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, stored);
    centrals.push(central, name);
    offset += 30 + name.length + stored.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  eocd.writeUInt16LE(Buffer.byteLength(comment), 20);
  return Buffer.concat([...locals, cd, eocd, Buffer.from(comment)]);
}

async function refusal(bytes: Buffer, limits?: Parameters<typeof ZipReader.open>[1]): Promise<string> {
  const f = file();
  writeFileSync(f, bytes);
  try {
    const reader = await ZipReader.open(f, limits);
    try {
      for (const e of reader.entries) await reader.read(e, 1 << 30);
    } finally {
      await reader.close();
    }
    return 'accepted';
  } catch (error) {
    if (error instanceof ZipFormatError) return error.reason;
    throw error;
  }
}

describe('ZipWriter and ZipReader', () => {
  it('round-trips stored and deflated entries of any size, streamed, with their SHA-256', async () => {
    const f = file();
    const big = randomBytes(3 * 1024 * 1024 + 17);
    const text = 'Résidence des données — '.repeat(50_000);
    const zip = await ZipWriter.create(f, { modified: new Date('2026-03-31T12:00:00Z') });
    const added = [
      await zip.add('manifest.json', '{}', { compress: true }),
      await zip.add('spaces/Coopération France–Québec/documents/Note (2).md', text, { compress: true }),
      await zip.add('files/données.bin', slowly(big), { compress: false, declaredSize: big.length }),
      await zip.add('vide.txt', Buffer.alloc(0), { compress: true }),
      await zip.add('flux.jsonl', slowly(Buffer.from(text)), { compress: true }),
    ];
    await zip.finish();
    expect(added[2]).toMatchObject({ size: big.length, sha256: createHash('sha256').update(big).digest('hex'), compressedSize: big.length });
    expect(added[1]?.compressedSize).toBeLessThan(text.length / 10);
    await expect(ZipWriter.create(f)).rejects.toThrow(/EEXIST/); // never overwritten

    const reader = await ZipReader.open(f);
    try {
      expect(reader.entries.map((e) => e.name)).toEqual(added.map((a) => a.path));
      expect((await readAll(reader, 'files/données.bin')).equals(big)).toBe(true);
      expect((await readAll(reader, 'spaces/Coopération France–Québec/documents/Note (2).md')).toString()).toBe(text);
      expect((await readAll(reader, 'vide.txt')).length).toBe(0);
      expect((await readAll(reader, 'flux.jsonl')).toString()).toBe(text);
    } finally {
      await reader.close();
    }
  });

  it.skipIf(!has('unzip'))('writes archives that Info-ZIP tests clean, including Zip64 entries of unknown length', async () => {
    const f = file();
    const zip = await ZipWriter.create(f);
    await zip.add('a.txt', 'bonjour', { compress: true });
    await zip.add('flux/sans-longueur.bin', slowly(randomBytes(100_000)), { compress: false }); // Zip64 local header
    await zip.add('é/à.md', slowly(Buffer.from('# Titre\n'.repeat(1000))), { compress: true });
    await zip.finish();
    const out = execFileSync('unzip', ['-t', f], { encoding: 'utf8' });
    expect(out).toContain('No errors detected');
    const listing = execFileSync('python3', ['-c', 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); print(z.testzip()); print(len(z.read("flux/sans-longueur.bin")))', f], { encoding: 'utf8' });
    expect(listing.split('\n').slice(0, 2)).toEqual(['None', '100000']);
  });

  it('reads archives written by other tools (Info-ZIP)', async () => {
    if (!has('zip')) return;
    const src = mkdtempSync(path.join(dir, 'src-'));
    writeFileSync(path.join(src, 'b.txt'), 'x'.repeat(10_000));
    const f = path.join(dir, 'infozip.zip');
    execFileSync('zip', ['-q', '-r', f, '.'], { cwd: src });
    const reader = await ZipReader.open(f);
    try {
      expect((await readAll(reader, 'b.txt')).toString()).toBe('x'.repeat(10_000));
    } finally {
      await reader.close();
    }
  });

  it('refuses what is not a ZIP it accepts', async () => {
    expect(await refusal(Buffer.from('not a zip at all, definitely not'))).toBe('not_a_zip');
    expect(await refusal(Buffer.alloc(0))).toBe('not_a_zip');
    // A trailing comment could hide a second end record that another tool would read instead.
    expect(await refusal(handMade([{ name: 'a', data: Buffer.from('a') }], 'caché'))).toBe('not_a_zip');
    expect(await refusal(handMade([{ name: 'a', data: Buffer.from('a'), flags: 0x801 }]))).toBe('encrypted_entry');
    expect(await refusal(handMade([{ name: 'a', data: Buffer.from('a'), method: 12 }]))).toBe('unsupported_method');
    expect(await refusal(handMade([{ name: 'a', data: Buffer.from('a') }, { name: 'a', data: Buffer.from('b') }]))).toBe('duplicate_entry');
    // Truncated: the end record is gone.
    const good = handMade([{ name: 'a', data: Buffer.from('abc') }]);
    expect(await refusal(good.subarray(0, good.length - 5))).toBe('not_a_zip');
  });

  it('enforces sizes and checksums instead of trusting the directory', async () => {
    // Declares 3 bytes, inflates to far more: cut at the declared size.
    const lying = handMade([{ name: 'bomb', data: Buffer.alloc(500_000), method: 8, declaredSize: 3, crc: crc32(Buffer.alloc(3)) }]);
    expect(await refusal(lying)).toBe('entry_size_mismatch');
    // Declares more than it holds.
    expect(await refusal(handMade([{ name: 'short', data: Buffer.from('abc'), method: 8, declaredSize: 10 }]))).toBe('entry_size_mismatch');
    // One byte of data changed: the CRC says so.
    const damaged = handMade([{ name: 'a.txt', data: Buffer.from('intact content here') }]);
    damaged[35] = (damaged[35] as number) ^ 0xff;
    expect(await refusal(damaged)).toBe('entry_corrupt');
    // A damaged DEFLATE stream.
    const bad = handMade([{ name: 'b', data: randomBytes(5000), method: 8 }]);
    bad.fill(0xff, 40, 80);
    expect(['entry_corrupt', 'entry_size_mismatch']).toContain(await refusal(bad));
  });

  it('refuses zip bombs before inflating anything: ratio, total size, entry count, overlapping entries', async () => {
    const zeros = handMade([{ name: 'zeros', data: Buffer.alloc(64 * 1024 * 1024), method: 8 }]);
    expect(zeros.length).toBeLessThan(200_000);
    expect(await refusal(zeros)).toBe('compression_ratio');
    const many = handMade(Array.from({ length: 50 }, (_, i) => ({ name: `f${i}`, data: Buffer.from('x') })));
    expect(await refusal(many, { maxEntries: 10, maxTotalBytes: 1e9, maxRatio: 200 })).toBe('too_many_entries');
    expect(await refusal(many, { maxEntries: 100, maxTotalBytes: 20, maxRatio: 200 })).toBe('too_large');
    // Two directory records pointing into one local entry (the overlapping-entries bomb).
    const two = handMade([{ name: 'a', data: Buffer.from('aaaa') }, { name: 'b', data: Buffer.from('bbbb') }]);
    const cdStart = two.readUInt32LE(two.length - 22 + 16);
    two.writeUInt32LE(40, cdStart + 20); // a's compressed size now runs into b
    two.writeUInt32LE(40, cdStart + 24);
    expect(await refusal(two)).toBe('overlapping_entries');
    // A directory record and a local header that disagree.
    const mismatch = handMade([{ name: 'a', data: Buffer.from('aaaa') }]);
    mismatch.write('z', 30); // the local name
    expect(await refusal(mismatch)).toBe('header_mismatch');
  });
});

describe('archive names', () => {
  it('keeps the words but nothing a file system or an unzip tool would misread', () => {
    expect(sanitizeSegment('Compte rendu : 3/4 <brouillon>?', 'x')).toBe('Compte rendu _ 3_4 _brouillon__');
    expect(sanitizeSegment('../../etc/passwd', 'x')).toBe('_.._etc_passwd');
    expect(sanitizeSegment('..', 'Sans titre')).toBe('Sans titre');
    expect(sanitizeSegment(' . ', 'Sans titre')).toBe('Sans titre');
    expect(sanitizeSegment('CON', 'x')).toBe('_CON');
    expect(sanitizeSegment('nul.txt', 'x')).toBe('_nul.txt');
    expect(sanitizeSegment('a\u0000b\u202ec\nd', 'x')).toBe('abcd');
    expect(Buffer.byteLength(sanitizeSegment('é'.repeat(300), 'x'))).toBeLessThanOrEqual(120);
    expect(sanitizeSegment('😀'.repeat(100), 'x')).toBe('😀'.repeat(30));
  });

  it('de-duplicates siblings whatever the case or the Unicode form, keeping extensions', () => {
    const names = new SiblingNames('Sans titre');
    expect([names.take('Note'), names.take('Note'), names.take('note'), names.take('Ne\u0301'), names.take('Né'), names.take('')]).toEqual([
      'Note',
      'Note (2)',
      'note (3)',
      'Né',
      'Né (2)',
      'Sans titre',
    ]);
    const files = new SiblingNames('x');
    expect([files.take('rapport', '.pdf'), files.take('Rapport', '.pdf'), files.take('rapport', '.odt')]).toEqual(['rapport', 'Rapport (2)', 'rapport']);
  });

  it('accepts only relative, plain archive paths', () => {
    for (const ok of ['manifest.json', 'spaces/Espace/documents/Note (2).md', 'a/b/c']) expect(isSafeArchivePath(ok), ok).toBe(true);
    for (const bad of ['', '/etc/passwd', '../x', 'a/../b', 'a/./b', 'a//b', 'a\\b', 'C:/x', 'a/', 'a\u0000b', 'a\nb', 'x'.repeat(1025)]) {
      expect(isSafeArchivePath(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('makes relative paths between entries', () => {
    expect(relativePath('spaces/A/documents/R/x.md', 'spaces/A/images/i.png')).toBe('../../images/i.png');
    expect(relativePath('spaces/A/documents/x.md', 'spaces/A/documents/y.md')).toBe('y.md');
    expect(relativePath('spaces/A/documents/x.md', 'spaces/B/documents/y.md')).toBe('../../B/documents/y.md');
  });
});

