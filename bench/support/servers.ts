import path from 'node:path';
import { type Child, cleanEnv, spawnChild, stopChild } from './processes.ts';

/** What a bench server child sends its parent once it listens: the URL to load and how. */
export interface ServerReady {
  url: string;
  headers: Record<string, string>;
  /** Fields a correct response body carries: checked once before the load. */
  expect: Record<string, string>;
}

export interface RunningServer extends ServerReady {
  child: Child;
  stop(): Promise<void>;
}

const START_DEADLINE_MS = 180_000;

/** Starts one of the bench's server scripts (in this folder) and waits for its ServerReady. */
export async function startServer(
  script: 'entente-server.ts' | 'bare-server.ts' | 'oidc-entente-server.ts' | 'oidc-bare-server.ts',
  env: Record<string, string>,
): Promise<RunningServer> {
  const child = spawnChild(process.execPath, [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []), path.join(import.meta.dirname, script)], {
    cwd: path.resolve(import.meta.dirname, '..', '..'),
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  try {
    const ready = await firstMessage(child);
    await checkOnce(ready);
    return { ...ready, child, stop: () => stopChild(child) };
  } catch (error) {
    await stopChild(child).catch(() => undefined);
    throw error;
  }
}

export function firstMessage<T = ServerReady>(child: Child): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready message within ${START_DEADLINE_MS / 1000} s\n${child.output()}`)), START_DEADLINE_MS);
    child.process.once('message', (message) => {
      clearTimeout(timer);
      resolve(message as T);
    });
    void child.exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (code ${code}) before it was ready\n${child.output()}`));
    });
  });
}

/** One request by hand before the load: a bench of 401s or of the wrong body would be worthless. */
async function checkOnce(ready: ServerReady): Promise<void> {
  const response = await fetch(ready.url, { headers: ready.headers, signal: AbortSignal.timeout(10_000) });
  const body = (await response.json()) as Record<string, unknown>;
  const wrong = Object.entries(ready.expect).filter(([key, value]) => body[key] !== value);
  if (response.status !== 200 || wrong.length > 0) {
    throw new Error(`GET ${ready.url} answered ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
  }
}
