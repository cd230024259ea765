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

/**
 * Runs `use` with a temporary folder of its own as the system's (TMPDIR; os.tmpdir() reads it at
 * each call, and each test file is its own process): what an export leaves there is this test's,
 * not another file's running at the same time. The folder is removed afterwards.
 */
export async function withOwnTmpDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const own = await mkdtemp(path.join(tmpdir(), 'entente-export-test-'));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = own;
  try {
    return await use(own);
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    await rm(own, { recursive: true, force: true });
  }
}
