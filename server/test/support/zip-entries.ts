import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ZipReader } from '../../src/workspace/export/zip.ts';

/** Every entry of a zip (read with Entente's own reader, Zip64 included), by its path. */
export async function zipEntries(bytes: Buffer): Promise<Map<string, Buffer>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'entente-test-export-'));
  try {
    const file = path.join(dir, 'x.zip');
    await writeFile(file, bytes);
    const reader = await ZipReader.open(file);
    const out = new Map<string, Buffer>();
    for (const e of reader.entries) out.set(e.name, await reader.read(e, 1 << 28));
    await reader.close();
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
