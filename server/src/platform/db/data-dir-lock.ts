import { randomUUID } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

/**
 * A PGlite data directory may be opened by one process only: two would corrupt it silently. The
 * process that opens it writes `entente.lock` (pid, host, purpose, time) with an exclusive create;
 * another process finds the file and refuses, unless the recorded process is gone (stale lock).
 */
export interface LockHolder {
  pid: number;
  host: string;
  purpose: string;
  since: string;
  /** Random per process: tells this process from an earlier one that had the same pid. */
  instance?: string;
}

/**
 * In a container the server is often pid 1 after every restart: a lock left by a killed
 * predecessor carries our own pid. The instance id tells them apart.
 */
const INSTANCE = randomUUID();

/**
 * The data directory holds databases, keys and objects: only the server's user may enter it.
 * PGlite creates its files world-readable, so the directory itself is the barrier (0700).
 */
export function prepareDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
}

export class DataDirLockedError extends Error {
  readonly holder: LockHolder;
  constructor(dir: string, holder: LockHolder) {
    super(
      `Le dossier de données ${dir} est utilisé par un autre processus (${holder.purpose}, pid ${holder.pid} sur ${holder.host} depuis ${holder.since}). ` +
        `Arrêtez-le d'abord, ou utilisez PostgreSQL pour plusieurs processus. / ` +
        `The data directory ${dir} is in use by another process (${holder.purpose}, pid ${holder.pid} on ${holder.host} since ${holder.since}). ` +
        'Stop it first, or run on PostgreSQL for several processes.',
    );
    this.name = 'DataDirLockedError';
    this.holder = holder;
  }
}

export function lockPath(dataDir: string): string {
  return path.join(dataDir, 'entente.lock');
}

function stale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false; // another node: its pids mean nothing here
  if (holder.pid === process.pid) return holder.instance !== INSTANCE;
  return !processAlive(holder.pid);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Who holds the lock now, or null when nobody (or only a dead process) does. */
export function readLock(dataDir: string): LockHolder | null {
  let holder: LockHolder;
  try {
    holder = JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as LockHolder;
  } catch {
    return null;
  }
  return stale(holder) ? null : holder;
}

export interface DataDirLock {
  release(): void;
}

export function acquireDataDirLock(dataDir: string, purpose: string): DataDirLock {
  prepareDataDir(dataDir);
  const file = lockPath(dataDir);
  const me: LockHolder = { pid: process.pid, host: hostname(), purpose, since: new Date().toISOString(), instance: INSTANCE };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      if (attempt > 0) confirmTakeover(file, me, dataDir);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        const current = readLockRaw(file);
        if (current?.pid === me.pid && current.since === me.since) rmSync(file, { force: true });
        process.off('exit', release);
      };
      process.on('exit', release);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLockRaw(file);
      // A lock left by a process that died (same host, pid gone), or an unreadable half-written
      // file, is stale: remove it and try once more.
      if (holder && !stale(holder)) {
        throw new DataDirLockedError(dataDir, holder);
      }
      rmSync(file, { force: true });
    }
  }
  const holder = readLockRaw(file);
  throw new DataDirLockedError(dataDir, holder ?? { pid: 0, host: '?', purpose: '?', since: '?' });
}

function readLockRaw(file: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
  } catch {
    return null;
  }
}

/**
 * Two processes taking over the same stale lock could each remove the other's fresh file. After
 * a takeover we wait a moment and read the lock again: whoever no longer finds their own record
 * there lost the race and backs off.
 */
function confirmTakeover(file: string, me: LockHolder, dataDir: string): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  const now = readLockRaw(file);
  if (now?.pid !== me.pid || now.instance !== me.instance) {
    throw new DataDirLockedError(dataDir, now ?? { pid: 0, host: '?', purpose: '?', since: '?' });
  }
}
