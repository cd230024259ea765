import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';

/**
 * Child processes for the benchmarks: the server under test always runs in its own process, so
 * that the load generator (or the stopwatch) never competes with it for one event loop.
 */

const OUTPUT_TAIL = 8_000;

export interface Child {
  process: ChildProcess;
  pid: number;
  /** The last few kilobytes of stdout and stderr, shown when something goes wrong. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnChild(command: string, args: readonly string[], options: SpawnOptions): Child {
  const child = spawn(command, args, { ...options, stdio: options.stdio ?? ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not spawn ${command} ${args.join(' ')}`);
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  live.add(child);
  void exited.then(() => live.delete(child));
  return { process: child, pid: child.pid, output: () => tail, exited };
}

/** Children still running: killed if the bench itself dies, so no server outlives it. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * SIGTERM, as an operator's `systemctl stop` would, then wait for a clean exit. A server that does
 * not stop within the deadline is killed and reported: a slow shutdown is a finding, not noise.
 */
export async function stopChild(child: Child, deadlineMs = 20_000): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), deadlineMs);
  });
  const outcome = await Promise.race([child.exited, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    child.process.kill('SIGKILL');
    await child.exited;
    throw new Error(`pid ${child.pid} did not stop within ${deadlineMs} ms of SIGTERM\n${child.output()}`);
  }
  if (outcome.code !== 0) {
    throw new Error(`pid ${child.pid} exited with code ${outcome.code} (signal ${outcome.signal}) after SIGTERM\n${child.output()}`);
  }
}

/** A loopback port nobody listens on right now (the OS picks it; tiny race, fine for a bench). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Status code of one GET, or null when nothing answers yet. A fresh connection each time
 * (agent: false): a kept-alive socket would outlive the server being stopped.
 */
export function statusOf(url: string, timeoutMs = 2_000): Promise<number | null> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false, timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(response.statusCode ?? null);
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(null));
  });
}

/** Peak resident memory of a live process in MiB: the kernel's high-water mark (VmHWM). */
export function peakRssMiB(pid: number): number {
  const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match?.[1]) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

/**
 * Environment for a server under test: the caller's, minus every variable Entente reads, so that
 * the figures are those of the documented defaults plus what the bench sets explicitly.
 */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('ENTENTE_') || ['DATABASE_URL', 'REDIS_URL', 'PORT', 'HOST', 'NODE_ENV'].includes(name)) continue;
    env[name] = value;
  }
  return { ...env, HOST: '127.0.0.1', ENTENTE_LOG_LEVEL: 'warn', ...extra };
}
