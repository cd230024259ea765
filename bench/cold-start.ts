/**
 * Cold start: how long `npm start` takes to become ready, and how much memory it needs for it.
 *
 * Each run spawns `node server/src/main.ts` (what `npm start` runs) on a free loopback port with
 * a temporary ENTENTE_DATA_DIR, and measures the time from spawn until GET /readyz answers 200,
 * and the peak RSS of that process at that moment. Two cases:
 *   - fresh: an empty data directory (PGlite databases created, migrated, demo data seeded);
 *   - existing: a directory a previous start created and a SIGTERM closed cleanly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Child, cleanEnv, freePort, peakRssMiB, spawnChild, statusOf, stopChild } from './support/processes.ts';
import { type Summary, summarise } from './support/stats.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const MAIN = path.join(ROOT, 'server', 'src', 'main.ts');
/** A start slower than this is a failure, not a figure. */
const READY_DEADLINE_MS = 180_000;
/** Polling /readyz this often bounds the measurement error to about this much. */
const POLL_MS = 20;

export interface ColdStartCase {
  name: 'fresh' | 'existing';
  seconds: Summary;
  peakRssMiB: Summary;
  runs: { seconds: number; peakRssMiB: number }[];
}

export interface ColdStartResult {
  cases: ColdStartCase[];
}

export async function coldStart(options: { runs: number }): Promise<ColdStartResult> {
  const fresh: { seconds: number; peakRssMiB: number }[] = [];
  for (let i = 0; i < options.runs; i++) {
    await withTempDir(async (dataDir) => {
      fresh.push(await timedStart(dataDir));
    });
    log(`fresh run ${i + 1}/${options.runs}: ${fresh.at(-1)!.seconds.toFixed(2)} s`);
  }

  const existing: { seconds: number; peakRssMiB: number }[] = [];
  await withTempDir(async (dataDir) => {
    // The first start creates the directory; it is not a measurement of this case.
    await timedStart(dataDir);
    for (let i = 0; i < options.runs; i++) {
      existing.push(await timedStart(dataDir));
      log(`existing run ${i + 1}/${options.runs}: ${existing.at(-1)!.seconds.toFixed(2)} s`);
    }
  });

  return { cases: [summariseCase('fresh', fresh), summariseCase('existing', existing)] };
}

function summariseCase(name: ColdStartCase['name'], runs: { seconds: number; peakRssMiB: number }[]): ColdStartCase {
  return {
    name,
    seconds: summarise(runs.map((r) => r.seconds)),
    peakRssMiB: summarise(runs.map((r) => r.peakRssMiB)),
    runs,
  };
}

/** One start on `dataDir`: spawn, wait for /readyz 200, read the peak RSS, stop with SIGTERM. */
async function timedStart(dataDir: string): Promise<{ seconds: number; peakRssMiB: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawnChild(process.execPath, [MAIN], {
    cwd: ROOT,
    env: cleanEnv({ ENTENTE_DATA_DIR: dataDir, PORT: String(port) }),
  });
  try {
    await waitUntilReady(child, `http://127.0.0.1:${port}/readyz`);
    const seconds = (performance.now() - started) / 1000;
    // VmHWM is the kernel's high-water mark since exec: read once, it already is the peak.
    return { seconds, peakRssMiB: peakRssMiB(child.pid) };
  } finally {
    await stopChild(child);
  }
}

async function waitUntilReady(child: Child, url: string): Promise<void> {
  const deadline = performance.now() + READY_DEADLINE_MS;
  while (performance.now() < deadline) {
    if (child.process.exitCode !== null) {
      throw new Error(`the server exited with code ${child.process.exitCode} before it was ready\n${child.output()}`);
    }
    if ((await statusOf(url)) === 200) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`/readyz did not answer 200 within ${READY_DEADLINE_MS / 1000} s\n${child.output()}`);
}

async function withTempDir(use: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'entente-bench-'));
  try {
    await use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function log(message: string): void {
  console.error(`  cold-start: ${message}`);
}
