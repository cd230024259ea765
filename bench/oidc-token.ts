/**
 * Token endpoint throughput of Entente's OpenID provider against a bare oidc-provider with the
 * same configuration, in the same run (issue 3's second benchmark; target ratio ≥ 0.8).
 *
 * Both run in their own child process on loopback (support/oidc-entente-server.ts: the real
 * Entente in demo mode, PGlite or PostgreSQL; support/oidc-bare-server.ts: oidc-provider on
 * node:http with its in-memory store). For each, `chains` agents first sign in to a registered
 * service with the real openid-client (code + PKCE, offline_access) to get a refresh token. Then
 * each chain loops for the measured time: POST /oidc/token grant_type=refresh_token with HTTP
 * Basic client authentication; the answer (a new access token, a new ID token signed RS256, a new
 * refresh token — rotation) is parsed and its refresh token used for the next request. That is the
 * token endpoint's steady work: client authentication, refresh-token lookup and consumption,
 * account claims, signing, storage of two new tokens. Every answer must be 200 with a new refresh
 * token, or the bench fails.
 *
 * Entente limits the token endpoint per client address (LIMITS.oidcToken): each request comes from
 * its own address (X-Forwarded-For from the loopback proxy Entente trusts), as many services
 * would, so the bench measures the work and not the limiter's refusals.
 */
import { type RunningServer, startServer } from './support/servers.ts';
import { type OidcBenchReady, refreshTokens } from './support/oidc-bench-client.ts';
import { freePort } from './support/processes.ts';
import { withDatabase, withDataDir } from './support/temporary-stores.ts';
import { percentile } from './sign-in.ts';

export interface OidcTokenSettings {
  chains: number;
  warmupSeconds: number;
  measuredSeconds: number;
}
export const DEFAULT_OIDC_TOKEN: OidcTokenSettings = { chains: 8, warmupSeconds: 3, measuredSeconds: 10 };

export interface OidcTokenFigures {
  target: string;
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}
export interface OidcTokenResult {
  settings: OidcTokenSettings;
  bare: OidcTokenFigures;
  /** The bare library on Entente's storage (same database kind as the Entente row it precedes). */
  bareOnStorage: OidcTokenFigures[];
  entente: OidcTokenFigures[];
}

const REQUEST_TIMEOUT_MS = 10_000;
let addressCounter = 0;
/** A distinct address per request, in 10.0.0.0/8 (private, never a real caller here). */
function nextAddress(): string {
  const n = ++addressCounter;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

export async function oidcTokenBench(settings: OidcTokenSettings = DEFAULT_OIDC_TOKEN): Promise<OidcTokenResult> {
  const bare = await withServer('oidc-bare-server.ts', {}, (ready) => measure('bare oidc-provider (memory)', ready, settings));
  const bareOnStorage: OidcTokenFigures[] = [];
  const entente: OidcTokenFigures[] = [];
  // Each kind of storage: the bare library on it, then Entente on it, each on fresh stores.
  const both = async (kind: string, run: <T>(use: (env: Record<string, string>) => Promise<T>) => Promise<T>) => {
    bareOnStorage.push(await run((e) => withServer('oidc-bare-server.ts', { ...e, BENCH_OIDC_STORAGE: 'entente' }, (ready) => measure(`bare oidc-provider (${kind} storage)`, ready, settings))));
    entente.push(await run((e) => withServer('oidc-entente-server.ts', e, (ready) => measure(`Entente OP (${kind})`, ready, settings))));
  };
  await both('PGlite', (use) => withDataDir((dataDir) => use({ ENTENTE_DATA_DIR: dataDir })));
  const adminUrl = process.env.ENTENTE_BENCH_DATABASE_URL?.trim();
  if (adminUrl) {
    await both('PostgreSQL', (use) => withDatabase(adminUrl, (databaseUrl) => withDataDir((dataDir) => use({ ENTENTE_DATA_DIR: dataDir, DATABASE_URL: databaseUrl }))));
  } else {
    log('ENTENTE_BENCH_DATABASE_URL is not set: PostgreSQL skipped');
  }
  return { settings, bare, bareOnStorage, entente };
}

async function measure(target: string, ready: OidcBenchReady, settings: OidcTokenSettings): Promise<OidcTokenFigures> {
  log(`${target}: ${settings.chains} sign-ins to get refresh tokens`);
  const chains = await refreshTokens(ready, settings.chains, () => nextAddress());
  const tokenUrl = `${ready.issuer}/oidc/token`;
  const authorization = `Basic ${Buffer.from(`${encodeURIComponent(ready.clientId)}:${encodeURIComponent(ready.clientSecret)}`).toString('base64')}`;
  const latencies: number[] = [];
  const start = performance.now();
  const measureFrom = start + settings.warmupSeconds * 1000;
  const end = measureFrom + settings.measuredSeconds * 1000;
  log(`${target}: ${settings.warmupSeconds} s warm-up, ${settings.measuredSeconds} s measured, ${settings.chains} concurrent chains`);
  await Promise.all(
    chains.map(async (first) => {
      let refreshToken = first;
      while (performance.now() < end) {
        const sent = performance.now();
        const response = await fetch(tokenUrl, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': nextAddress() },
          body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const body = (await response.json()) as { refresh_token?: string; id_token?: string; access_token?: string };
        if (response.status !== 200 || !body.refresh_token || !body.id_token || !body.access_token || body.refresh_token === refreshToken) {
          throw new Error(`${target}: token endpoint answered ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
        }
        refreshToken = body.refresh_token;
        if (sent >= measureFrom) latencies.push(performance.now() - sent);
      }
    }),
  );
  if (latencies.length === 0) throw new Error(`${target}: no request measured`);
  return { target, requests: latencies.length, perSecond: latencies.length / settings.measuredSeconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

async function withServer<T>(script: 'oidc-entente-server.ts' | 'oidc-bare-server.ts', env: Record<string, string>, use: (ready: OidcBenchReady) => Promise<T>): Promise<T> {
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const server: RunningServer = await startServer(script, { ...env, PORT: String(port), ENTENTE_PUBLIC_URL: baseUrl, ENTENTE_LOG_LEVEL: 'warn' });
  try {
    return await use(server as unknown as OidcBenchReady);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- server output ---\n${server.child.output()}`, { cause: error });
  } finally {
    await server.stop();
  }
}

function log(message: string): void {
  console.error(`  oidc-token: ${message}`);
}
