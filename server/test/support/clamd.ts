import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A real clamd (Debian's clamav-daemon binary) for tests, started as a child of the test with its
 * own clamd.conf in a temporary folder: a unix socket and a loopback TCP port, in the foreground,
 * with a database folder that holds ONLY a local signature for the EICAR test file (an `.hdb`:
 * MD5:size:name). No database download, no Debian service, no `clamav` user: it runs as whoever
 * runs the tests (clamd keeps the current user when the configuration names none).
 */

/** The EICAR anti-malware test file, assembled so that this source file itself is not one. */
export const EICAR = Buffer.from(`X5O!P%@AP[4\\PZX54(P^)7CC)7}$${'EICAR'}-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`, 'latin1');
/** clamd appends `.UNOFFICIAL` to signatures of databases it does not know. */
export const EICAR_SIGNATURE = 'Entente.Test.EICAR.UNOFFICIAL';
export const CLAMD_BINARY = '/usr/sbin/clamd';

export interface TestClamd {
  dir: string;
  socket: string;
  port: number;
  streamMaxBytes: number;
  /** Milliseconds from spawn to a socket that answers PONG. */
  startMs: number;
  /** The running clamd (a new one after `restart`). */
  readonly process: ChildProcess;
  /** Kills clamd (SIGTERM, then SIGKILL) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts clamd again on the same socket, port and database (after `stop`). */
  restart(): Promise<void>;
  /** Removes the temporary folder (after stop). */
  cleanup(): Promise<void>;
  log(): Promise<string>;
}

/** Whether clamd is installed; in CI (CI=true) a missing clamd fails the run instead of skipping its tests. */
export function clamdAvailable(): boolean {
  if (existsSync(CLAMD_BINARY)) return true;
  if (process.env.CI === 'true') throw new Error(`${CLAMD_BINARY} is missing (apt-get install clamav-daemon): malware tests are never skipped in CI.`);
  console.warn(`[clamd] ${CLAMD_BINARY} is missing (apt-get install clamav-daemon): malware tests skipped`);
  return false;
}

export async function startClamd(options: { streamMaxBytes?: number } = {}): Promise<TestClamd> {
  const streamMaxBytes = options.streamMaxBytes ?? 1024 * 1024;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'entente-clamd-'));
  const dbDir = path.join(dir, 'db');
  await mkdir(dbDir);
  const md5 = createHash('md5').update(EICAR).digest('hex');
  await writeFile(path.join(dbDir, 'entente-test.hdb'), `${md5}:${EICAR.length}:Entente.Test.EICAR\n`);
  const socket = path.join(dir, 'clamd.sock');
  const port = await freePort();
  const conf = path.join(dir, 'clamd.conf');
  await writeFile(
    conf,
    [
      `LocalSocket ${socket}`,
      'FixStaleSocket yes',
      `TCPSocket ${port}`,
      'TCPAddr 127.0.0.1',
      'Foreground yes',
      `DatabaseDirectory ${dbDir}`,
      `StreamMaxLength ${streamMaxBytes}`,
      `LogFile ${path.join(dir, 'clamd.log')}`,
      `PidFile ${path.join(dir, 'clamd.pid')}`,
      // A test database is never reloaded; no self-check thread waking up.
      'SelfCheck 0',
      '',
    ].join('\n'),
  );
  const started = performance.now();
  let running = await spawnClamd(conf, socket);
  const startMs = performance.now() - started;

  return {
    dir,
    socket,
    port,
    streamMaxBytes,
    startMs,
    get process() {
      return running.child;
    },
    async stop() {
      const { child, exited, killOnExit } = running;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGCONT');
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      process.off('exit', killOnExit);
    },
    async restart() {
      running = await spawnClamd(conf, socket);
    },
    async cleanup() {
      await rm(dir, { recursive: true, force: true });
    },
    log: () => readFile(path.join(dir, 'clamd.log'), 'utf8').catch(() => ''),
  };
}

async function spawnClamd(conf: string, socket: string): Promise<{ child: ChildProcess; exited: Promise<void>; killOnExit: () => void }> {
  const child = spawn(CLAMD_BINARY, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Whatever happens to the test, clamd does not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`clamd exited (${child.exitCode}): ${stderr}`);
    if (await pong(socket)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`clamd did not answer within 30 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, exited, killOnExit };
}

function pong(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createConnection({ path: socket });
    let reply = '';
    s.setTimeout(1000, () => s.destroy());
    s.on('connect', () => s.write('zPING\0'));
    s.on('data', (d) => {
      reply += d.toString();
    });
    s.on('error', () => resolve(false));
    s.on('close', () => resolve(reply.startsWith('PONG')));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
