/**
 * Authenticated read: throughput and latency of GET /api/me with a session cookie, against a bare
 * Fastify "hello world" measured in the same run with the same settings.
 *
 * GET /api/me is the smallest request that crosses the whole stack: the session is resolved in
 * the control plane (token hash lookup), the principal and its memberships are loaded, and the
 * profile is read from the agent's home cell. The bare app is the floor (HTTP + Fastify + JSON):
 * the ratio says what Entente's own work costs.
 *
 * Each server runs in its own child process; autocannon runs here, in the parent, so that the
 * load generator never shares the server's event loop. On a 2-core machine they get about one
 * core each, which caps both figures alike.
 *
 * PostgreSQL as well when ENTENTE_BENCH_DATABASE_URL is set (an admin URL): a fresh database is
 * created for the run and dropped after it.
 */
import autocannon from 'autocannon';
import { freePort } from './support/processes.ts';
import { type RunningServer, startServer } from './support/servers.ts';
import { withDatabase, withDataDir } from './support/temporary-stores.ts';

export interface LoadSettings {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export const DEFAULT_LOAD: LoadSettings = { connections: 10, warmupSeconds: 3, durationSeconds: 10 };

export interface LoadFigures {
  target: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
}

export interface AuthenticatedReadResult {
  settings: LoadSettings;
  bare: LoadFigures;
  entente: LoadFigures[];
}

export async function authenticatedRead(settings: LoadSettings = DEFAULT_LOAD): Promise<AuthenticatedReadResult> {
  const bare = await withServer('bare-server.ts', {}, (server) => measure('bare Fastify GET /hello', server, settings));
  const entente = [await withDataDir((dataDir) => withServer('entente-server.ts', { ENTENTE_DATA_DIR: dataDir }, (server) => measure('Entente GET /api/me (PGlite)', server, settings)))];

  const adminUrl = process.env.ENTENTE_BENCH_DATABASE_URL?.trim();
  if (adminUrl) {
    entente.push(
      await withDatabase(adminUrl, (databaseUrl) =>
        withDataDir((dataDir) =>
          withServer('entente-server.ts', { ENTENTE_DATA_DIR: dataDir, DATABASE_URL: databaseUrl }, (server) =>
            measure('Entente GET /api/me (PostgreSQL)', server, settings),
          ),
        ),
      ),
    );
  } else {
    log('ENTENTE_BENCH_DATABASE_URL is not set: PostgreSQL skipped');
  }
  return { settings, bare, entente };
}

/** Warm-up (JIT, pools, caches), then the measured run; both must be all 2xx. */
async function measure(target: string, server: RunningServer, settings: LoadSettings): Promise<LoadFigures> {
  log(`${target}: warm-up ${settings.warmupSeconds} s`);
  await cannon(target, server, settings.connections, settings.warmupSeconds);
  log(`${target}: measuring ${settings.durationSeconds} s`);
  const result = await cannon(target, server, settings.connections, settings.durationSeconds);
  return {
    target,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
  };
}

async function cannon(target: string, server: RunningServer, connections: number, seconds: number): Promise<autocannon.Result> {
  const result = await autocannon({ url: server.url, headers: server.headers, connections, duration: seconds });
  // A fast stream of 401s or 500s is not a throughput: any non-2xx answer fails the bench.
  if (result.non2xx !== 0 || result.errors !== 0 || result.timeouts !== 0 || result['2xx'] === 0) {
    throw new Error(
      `${target}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts, ${result['2xx']} 2xx — the figures are void\n${server.child.output()}`,
    );
  }
  return result;
}

async function withServer<T>(script: 'entente-server.ts' | 'bare-server.ts', env: Record<string, string>, use: (server: RunningServer) => Promise<T>): Promise<T> {
  // A free port of its own (and the public URL that goes with it), never the default 3000 that a
  // developer's `npm start` may hold.
  const port = await freePort();
  const server = await startServer(script, { PORT: String(port), ENTENTE_PUBLIC_URL: `http://localhost:${port}`, ...env });
  try {
    return await use(server);
  } finally {
    await server.stop();
  }
}

function log(message: string): void {
  console.error(`  authenticated-read: ${message}`);
}
