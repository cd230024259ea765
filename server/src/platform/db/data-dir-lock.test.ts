import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError, lockPath, readLock } from './data-dir-lock.ts';

const dir = () => mkdtempSync(path.join(tmpdir(), 'entente-lock-'));

describe('data directory lock', () => {
  it('is taken, refused to a second holder, and released', () => {
    const d = dir();
    const lock = acquireDataDirLock(d, 'server');
    expect(JSON.parse(readFileSync(lockPath(d), 'utf8'))).toMatchObject({ pid: process.pid, purpose: 'server' });
    expect(() => acquireDataDirLock(d, 'migrate')).toThrow(DataDirLockedError);
    expect(readLock(d)?.purpose).toBe('server');
    lock.release();
    expect(existsSync(lockPath(d))).toBe(false);
    acquireDataDirLock(d, 'migrate').release();
  });

  it('takes over a lock left by a process that died', () => {
    const d = dir();
    // PIDs are below 2^22 on Linux: this one cannot be alive.
    writeFileSync(lockPath(d), JSON.stringify({ pid: 2 ** 22 + 7, host: hostname(), purpose: 'server', since: '2026-01-01T00:00:00Z' }));
    expect(readLock(d)).toBeNull();
    const lock = acquireDataDirLock(d, 'server');
    expect(readLock(d)?.pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a lock with its own pid left by an earlier process (containers: pid 1 again)', () => {
    const d = dir();
    writeFileSync(lockPath(d), JSON.stringify({ pid: process.pid, host: hostname(), purpose: 'server', since: '2026-01-01T00:00:00Z', instance: 'an-earlier-run' }));
    acquireDataDirLock(d, 'server').release();
  });

  it('makes the data directory private to the server’s user', () => {
    const d = dir();
    chmodSync(d, 0o755);
    acquireDataDirLock(d, 'server').release();
    expect(statSync(d).mode & 0o777).toBe(0o700);
  });

  it('takes over an unreadable (half-written) lock file', () => {
    const d = dir();
    writeFileSync(lockPath(d), '{"pid":');
    acquireDataDirLock(d, 'server').release();
  });

  it('does not take over a lock held from another host (shared storage): refuses', () => {
    const d = dir();
    writeFileSync(lockPath(d), JSON.stringify({ pid: 1, host: 'another-node', purpose: 'server', since: '2026-01-01T00:00:00Z' }));
    expect(() => acquireDataDirLock(d, 'server')).toThrow(/another-node/);
  });
});
