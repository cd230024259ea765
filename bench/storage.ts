/**
 * Storage benchmark (issue 6, bench/storage): upload and download throughput of large files
 * through the platform's encryption at rest (EncryptedObjects: segmented AES-256-GCM under a
 * space's data key) against plain copies of the same bytes, in the same run, as ratios (target
 * ≥ 0.7 of the copy's throughput for 100 MB files).
 *
 *  - upload: a file read as a stream → encrypted → the object store's `put` (local folder: temporary
 *    file, fsync, rename). Baseline: the same file streamed into another file with fsync
 *    (`createReadStream` → `createWriteStream({ flush: true })`); `fs.copyFile` (copy_file_range in
 *    the kernel, no bytes through the process) is shown too, for scale.
 *  - download: `getDecrypted` of the whole object → a file (fsync), against the plain object
 *    copied to a file the same way; and, harsher, both into a sink that drops the bytes (what
 *    decryption alone costs against reading a file from the page cache).
 *  - S3 (second figure): the same through the S3 store on s3rver (a real S3 protocol server in a
 *    child process), against the plain S3 store on the same server, which isolates what
 *    encryption costs on that transport.
 *  - 1 GiB: the local figures once more with a 1 GiB file, when the disk has room (≥ 6 GiB free).
 *    Both local sizes run before S3, whose modules are loaded only for it.
 *
 * Operations alternate (baseline, encrypted, baseline, …) so that a busy neighbour hurts both
 * alike; each figure is the median of the runs. The measurements run in a child process of their
 * own, and the data key is made in a PGlite keyring inside a worker that ends before anything is
 * measured (see storageBench and dataKeyOf): the measuring heap never held PGlite, and the key
 * then comes from memory, as from the keyring's cache in a server.
 */
import { createReadStream, createWriteStream, mkdirSync, statfsSync } from 'node:fs';
import { copyFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomFillSync } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { EncryptedObjects } from '../server/src/platform/crypto/encrypted-objects.ts';
import { DataKey, type Keyring } from '../server/src/platform/crypto/keyring.ts';
import { LocalObjectStore } from '../server/src/platform/objects/local-object-store.ts';
import type { ObjectStore } from '../server/src/platform/objects/object-store.ts';
import { fixed, median, type Summary, summarise } from './support/stats.ts';
import { printTable } from './support/table.ts';
import { withDataDir } from './support/temporary-stores.ts';
import { cleanEnv, spawnChild, stopChild } from './support/processes.ts';
import type { StorageKey, StorageKeyRequest } from './support/storage-data-key.ts';

export interface StorageSettings {
  /** Size of the main figure's file, MiB. */
  sizeMiB: number;
  runs: number;
  /** The large file, MiB (one run), or null; skipped anyway when the disk lacks room. */
  largeMiB: number | null;
  /** Also measure through the S3 store on s3rver (at sizeMiB). */
  s3: boolean;
}
export const DEFAULT_STORAGE: StorageSettings = { sizeMiB: 100, runs: 3, largeMiB: 1024, s3: true };

export interface StorageFigure {
  target: string;
  operation: 'upload' | 'download';
  sizeMiB: number;
  mibPerSecond: Summary;
  /** Highest RSS growth of this process during the operation, MiB (shows memory stays bounded). */
  rssGrowthMiB: number;
  /**
   * CPU time of this process (all its threads, user + system) per MiB, ms, median: what the
   * operation costs, which neighbours on a shared machine blur much less than wall time.
   */
  cpuMsPerMiB: number;
  runs: number[];
}
export interface StorageRatio {
  operation: 'upload' | 'download';
  sizeMiB: number;
  encrypted: string;
  baseline: string;
  ratio: number;
}
export interface StorageResult {
  settings: StorageSettings;
  figures: StorageFigure[];
  ratios: StorageRatio[];
  notes: string[];
}

const MiB = 1024 * 1024;
const OWNER = { type: 'space', id: '0190a4b2-1c3d-7e8f-9a0b-00000000be0c' };

/** A Writable that drops what it gets, as fast as it comes. */
function sink(): Writable {
  return new Writable({
    highWaterMark: 1024 * 1024,
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}

/** Runs `op` and returns its throughput, its CPU time per MiB and the highest RSS growth seen meanwhile (sampled every 20 ms). */
async function measure(sizeBytes: number, op: () => Promise<void>): Promise<{ mibPerSecond: number; cpuMsPerMiB: number; rssGrowthMiB: number }> {
  global.gc?.();
  const base = process.memoryUsage.rss();
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const cpu = process.cpuUsage();
  const started = performance.now();
  try {
    await op();
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  peak = Math.max(peak, process.memoryUsage.rss());
  return {
    mibPerSecond: sizeBytes / MiB / seconds,
    cpuMsPerMiB: (used.user + used.system) / 1000 / (sizeBytes / MiB),
    rssGrowthMiB: (peak - base) / MiB,
  };
}

/** A file of random bytes (incompressible, as encrypted or media files are), written in 8 MiB pieces. */
async function makeFile(file: string, sizeBytes: number): Promise<void> {
  const out = createWriteStream(file);
  const piece = Buffer.alloc(8 * MiB);
  for (let written = 0; written < sizeBytes; written += piece.length) {
    randomFillSync(piece);
    const bytes = piece.subarray(0, Math.min(piece.length, sizeBytes - written));
    if (!out.write(bytes)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

interface Case {
  target: string;
  operation: 'upload' | 'download';
  run: () => Promise<void>;
  /** Undone after each run (a removed copy), outside the measurement. */
  reset?: () => Promise<void>;
}

// ── storage measured without PGlite in the process (helper F) ──
/** Longest a whole storage run may take (1 GiB cases and S3 included) before the bench gives up. */
const STORAGE_DEADLINE_MS = 45 * 60_000;

/**
 * The storage figures, measured in a child process of their own (support/storage-child.ts): a
 * fresh V8 heap that never loaded PGlite, whatever ran before in `npm run bench`.
 */
export async function storageBench(settings: StorageSettings = DEFAULT_STORAGE): Promise<StorageResult> {
  const child = spawnChild(process.execPath, ['--expose-gc', path.join(import.meta.dirname, 'support', 'storage-child.ts')], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: cleanEnv({}),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const answer = await new Promise<{ result?: StorageResult; error?: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`storage: no result within ${STORAGE_DEADLINE_MS / 60_000} min`)), STORAGE_DEADLINE_MS);
      child.process.once('message', (message) => {
        clearTimeout(timer);
        resolve(message as { result?: StorageResult; error?: string });
      });
      void child.exited.then(({ code }) => {
        clearTimeout(timer);
        reject(new Error(`storage: the measuring process exited (code ${code}) without a result`));
      });
      child.process.send(settings);
    });
    if (!answer.result) throw new Error(`storage: ${answer.error}`);
    return answer.result;
  } finally {
    await stopChild(child).catch(() => undefined);
  }
}

/**
 * The run's data key, made in a PGlite keyring inside a worker (support/storage-data-key.ts)
 * that ends before anything is measured; served from memory afterwards, as the keyring's cache
 * serves a server between two reads of its keyring (EncryptedObjects asks for it per object).
 */
async function dataKeyOf(dir: string): Promise<Keyring> {
  const request: StorageKeyRequest = { dir, owner: OWNER };
  const worker = new Worker(path.join(import.meta.dirname, 'support', 'storage-data-key.ts'), { workerData: request });
  const made = await new Promise<StorageKey>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the data key worker exited (code ${code}) without a key`)));
  });
  await worker.terminate();
  const dataKey = new DataKey(OWNER, made.version, made.kekId, Buffer.from(made.key));
  const keyring: Pick<Keyring, 'getOrCreateDataKey' | 'getDataKey'> = {
    getOrCreateDataKey: async () => dataKey,
    getDataKey: async (_db, _owner, version) => {
      if (version !== dataKey.version) throw new Error(`no data key version ${version} in this run`);
      return dataKey;
    },
  };
  return keyring as Keyring;
}
// ── end storage measured without PGlite in the process ──

export async function measureStorage(settings: StorageSettings): Promise<StorageResult> {
  const figures: StorageFigure[] = [];
  const ratios: StorageRatio[] = [];
  const notes: string[] = [];
  await withDataDir(async (dir) => {
    // helper F: the key from a worker that held PGlite and ended (see dataKeyOf); no database here.
    const keyring = await dataKeyOf(dir);
    const db = null as unknown as Parameters<EncryptedObjects['putEncrypted']>[0];
    {
      const local = await LocalObjectStore.open(path.join(dir, 'objects'));
      const encryptedLocal = new EncryptedObjects({ store: local, keyring });
      mkdirSync(path.join(dir, 'copies'), { recursive: true });

      /** Runs the cases of one size in alternation, `runs` times, and records figures and ratios. */
      const measureSize = async (sizeMiB: number, runs: number, cases: Case[], pairs: [string, string, 'upload' | 'download'][]) => {
        const sizeBytes = sizeMiB * MiB;
        const results = new Map<Case, { speeds: number[]; cpu: number[]; rss: number }>(cases.map((c) => [c, { speeds: [], cpu: [], rss: 0 }]));
        for (let run = 0; run < runs; run++) {
          for (const c of cases) {
            const { mibPerSecond, cpuMsPerMiB, rssGrowthMiB } = await measure(sizeBytes, c.run);
            const r = results.get(c) as { speeds: number[]; cpu: number[]; rss: number };
            r.speeds.push(mibPerSecond);
            r.cpu.push(cpuMsPerMiB);
            r.rss = Math.max(r.rss, rssGrowthMiB);
            await c.reset?.();
          }
        }
        for (const c of cases) {
          const r = results.get(c) as { speeds: number[]; cpu: number[]; rss: number };
          figures.push({
            target: c.target,
            operation: c.operation,
            sizeMiB,
            mibPerSecond: summarise(r.speeds),
            rssGrowthMiB: r.rss,
            cpuMsPerMiB: median(r.cpu),
            runs: r.speeds,
          });
        }
        for (const [encrypted, baseline, operation] of pairs) {
          const e = figures.find((f) => f.sizeMiB === sizeMiB && f.operation === operation && f.target === encrypted);
          const b = figures.find((f) => f.sizeMiB === sizeMiB && f.operation === operation && f.target === baseline);
          if (e && b) ratios.push({ operation, sizeMiB, encrypted, baseline, ratio: e.mibPerSecond.median / b.mibPerSecond.median });
        }
      };

      const localCases = (source: string, sizeMiB: number): Case[] => {
        const copy = path.join(dir, 'copies', `copy-${sizeMiB}`);
        const plainObject = path.join(dir, 'copies', `plain-${sizeMiB}`);
        const key = `spaces/${OWNER.id}/files/bench/${sizeMiB}`;
        return [
          {
            target: 'file copy (stream, fsync)',
            operation: 'upload',
            run: () => pipeline(createReadStream(source), createWriteStream(copy, { flush: true })),
            reset: () => rm(copy, { force: true }),
          },
          {
            target: 'EncryptedObjects → local store',
            operation: 'upload',
            run: async () => {
              await encryptedLocal.putEncrypted(db, OWNER, key, createReadStream(source));
            },
          },
          {
            target: 'fs.copyFile (in-kernel)',
            operation: 'upload',
            run: () => copyFile(source, copy),
            reset: () => rm(copy, { force: true }),
          },
          {
            target: 'file copy (stream, fsync)',
            operation: 'download',
            run: () => pipeline(createReadStream(plainObject), createWriteStream(copy, { flush: true })),
            reset: () => rm(copy, { force: true }),
          },
          {
            target: 'EncryptedObjects ← local store → file (fsync)',
            operation: 'download',
            run: async () => {
              await pipeline((await encryptedLocal.getDecrypted(db, OWNER, key)).body, createWriteStream(copy, { flush: true }));
            },
            reset: () => rm(copy, { force: true }),
          },
          {
            target: 'file read → discard',
            operation: 'download',
            run: () => pipeline(createReadStream(plainObject), sink()),
          },
          {
            target: 'EncryptedObjects ← local store → discard',
            operation: 'download',
            run: async () => {
              await pipeline((await encryptedLocal.getDecrypted(db, OWNER, key)).body, sink());
            },
          },
        ];
      };
      const localPairs: [string, string, 'upload' | 'download'][] = [
        ['EncryptedObjects → local store', 'file copy (stream, fsync)', 'upload'],
        ['EncryptedObjects ← local store → file (fsync)', 'file copy (stream, fsync)', 'download'],
        // Decryption alone, nothing written: the harshest comparison.
        ['EncryptedObjects ← local store → discard', 'file read → discard', 'download'],
      ];

      // The main figure.
      const source = path.join(dir, `source-${settings.sizeMiB}`);
      await makeFile(source, settings.sizeMiB * MiB);
      // The download baseline reads a file that exists before its first measured run.
      await copyFile(source, path.join(dir, 'copies', `plain-${settings.sizeMiB}`));
      // One unmeasured upload, so the download cases have an object from the first run on.
      await encryptedLocal.putEncrypted(db, OWNER, `spaces/${OWNER.id}/files/bench/${settings.sizeMiB}`, createReadStream(source));
      await measureSize(settings.sizeMiB, settings.runs, localCases(source, settings.sizeMiB), localPairs);


      if (settings.largeMiB !== null) {
        const fs = statfsSync(dir);
        const freeGiB = (fs.bavail * fs.bsize) / 1024 ** 3;
        const neededGiB = (settings.largeMiB * 4) / 1024 + 2;
        if (freeGiB < neededGiB) {
          notes.push(`${settings.largeMiB} MiB run skipped: ${freeGiB.toFixed(1)} GiB free in ${dir}, ${neededGiB.toFixed(0)} GiB needed`);
        } else {
          const large = path.join(dir, `source-${settings.largeMiB}`);
          await makeFile(large, settings.largeMiB * MiB);
          await copyFile(large, path.join(dir, 'copies', `plain-${settings.largeMiB}`));
          await encryptedLocal.putEncrypted(db, OWNER, `spaces/${OWNER.id}/files/bench/${settings.largeMiB}`, createReadStream(large));
          await measureSize(settings.largeMiB, 1, localCases(large, settings.largeMiB), localPairs);
          const stored = await stat(path.join(local.root, 'spaces', OWNER.id, 'files', 'bench', String(settings.largeMiB)));
          notes.push(`${settings.largeMiB} MiB stored encrypted as ${(stored.size / MiB).toFixed(2)} MiB (16-byte tag per 64 KiB segment, 49-byte header)`);
        }
      }

      // S3 last, and its modules loaded only now: the AWS SDK's and s3rver's heap makes V8 collect
      // garbage more often during every stream, and a server that stores locally never loads them.
      if (settings.s3) {
        const { S3ObjectStore } = await import('../server/src/platform/objects/s3-object-store.ts');
        const { startS3rver } = await import('../server/test/support/s3rver.ts');
        const s3 = await startS3rver('entente-bench');
        try {
          const connection = { client: s3.client, bucket: s3.bucket };
          const plainS3: ObjectStore = new S3ObjectStore({ ...connection, prefix: 'plain' });
          const encryptedS3 = new EncryptedObjects({ store: new S3ObjectStore({ ...connection, prefix: 'encrypted' }), keyring });
          const key = `spaces/${OWNER.id}/files/bench/s3`;
          await plainS3.put(key, createReadStream(source));
          await encryptedS3.putEncrypted(db, OWNER, key, createReadStream(source));
          await measureSize(
            settings.sizeMiB,
            settings.runs,
            [
              { target: 'S3 store, plain (s3rver)', operation: 'upload', run: async () => void (await plainS3.put(key, createReadStream(source))) },
              { target: 'EncryptedObjects → S3 store (s3rver)', operation: 'upload', run: async () => void (await encryptedS3.putEncrypted(db, OWNER, key, createReadStream(source))) },
              { target: 'S3 store, plain (s3rver) → discard', operation: 'download', run: async () => pipeline((await plainS3.get(key)).body, sink()) },
              { target: 'EncryptedObjects ← S3 store (s3rver) → discard', operation: 'download', run: async () => pipeline((await encryptedS3.getDecrypted(db, OWNER, key)).body, sink()) },
            ],
            [
              ['EncryptedObjects → S3 store (s3rver)', 'S3 store, plain (s3rver)', 'upload'],
              ['EncryptedObjects ← S3 store (s3rver) → discard', 'S3 store, plain (s3rver) → discard', 'download'],
            ],
          );
        } finally {
          await s3.close();
        }
      }
      await rm(source, { force: true });
    }
  });
  return { settings, figures, ratios, notes };
}

export function printStorage(result: StorageResult): void {
  const { runs } = result.settings;
  for (const operation of ['upload', 'download'] as const) {
    printTable(
      `Storage ${operation}: MiB/s, median (min–max) of ${runs} runs (one run for the large file), alternating cases`,
      ['target', 'size (MiB)', 'MiB/s', 'each run', 'CPU ms/MiB', 'RSS growth (MiB)'],
      result.figures
        .filter((f) => f.operation === operation)
        .map((f) => [
          f.target,
          String(f.sizeMiB),
          `${fixed(f.mibPerSecond.median, 0)} (${fixed(f.mibPerSecond.min, 0)}–${fixed(f.mibPerSecond.max, 0)})`,
          f.runs.map((r) => fixed(r, 0)).join(' '),
          fixed(f.cpuMsPerMiB, 2),
          fixed(f.rssGrowthMiB, 0),
        ]),
    );
  }
  printTable(
    'Throughput through encryption / plain baseline in the same run (target ≥ 0.7)',
    ['operation', 'size (MiB)', 'encrypted', 'baseline', 'ratio'],
    result.ratios.map((r) => [r.operation, String(r.sizeMiB), r.encrypted, r.baseline, fixed(r.ratio, 2)]),
  );
  for (const note of result.notes) console.log(`(${note})`);
}
