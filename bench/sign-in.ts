/**
 * Sign-in: latency of one full federated sign-in through Entente's broker, browserless, on
 * loopback. Issue 3's first benchmark.
 *
 * Entente runs in its own child process (support/entente-server.ts: every module, demo mode, demo
 * providers) on a fixed free port whose public URL is `http://localhost:<port>`: the demo
 * providers' issuers and the broker's redirect URIs are built from it, so it must be the address
 * the client calls. Here, in the parent, the scripted client of the sign-in tests
 * (server/test/support/sign-in-flow.ts) goes through the whole flow as a browser would:
 * Entente `/auth/login?email=…` → demo provider (authorize, login page, form POST) → Entente
 * callback (code exchange, ID token checks, session) → Entente's `/`. Each sign-in starts with a
 * fresh cookie jar; sign-ins run one after the other (latency, not throughput), alternating a
 * French and a Québec agent, and each must end on `/` with a session that `GET /api/me` accepts
 * (checked after the stopwatch stops).
 *
 * The sign-in routes are rate-limited per client address (30 a minute, LIMITS.signIn): 100 quick
 * sign-ins from one address would be refused after 30, as designed. Each sign-in therefore comes
 * from its own client address, sent as X-Forwarded-For the way the loopback reverse proxy that
 * Entente trusts (127.0.0.1, ::1) would send it: 100 people, not one script.
 *
 * PostgreSQL as well when ENTENTE_BENCH_DATABASE_URL is set (an admin URL): a fresh database is
 * created for the run and dropped after it.
 */
import { DEMO_AGENTS } from '../server/src/identity/demo-data.ts';
import { DEMO_IDP_ACCOUNTS } from '../server/src/identity/federation/demo-idps/index.ts';
import { signInThroughDemoIdp } from '../server/test/support/sign-in-flow.ts';
import { freePort } from './support/processes.ts';
import { type RunningServer, startServer } from './support/servers.ts';
import { withDatabase, withDataDir } from './support/temporary-stores.ts';

export interface SignInSettings {
  /** Unmeasured sign-ins first (JIT, connection pools, provider metadata and keys). */
  warmup: number;
  measured: number;
  /** The whole run (warm-up included) stops after this, whatever the count reached. */
  maxSeconds: number;
}

export const DEFAULT_SIGN_IN: SignInSettings = { warmup: 5, measured: 100, maxSeconds: 60 };

/** Alternated: one agent per federation (FR, then QC). */
const AGENT_EMAILS = ['camille.martin@numerique.demo-gouv-fr.test', 'emilie.tremblay@mcn.demo-gouv-qc.test'] as const;
/** One HTTP request of the flow longer than this fails the bench. */
const REQUEST_TIMEOUT_MS = 10_000;

export interface StepFigures {
  /** `METHOD /path` with ids and jurisdiction-specific parts kept (they are few). */
  step: string;
  p50Ms: number;
  p90Ms: number;
}

export interface SignInFigures {
  target: string;
  /** Sign-ins measured (fewer than asked when the time bound stopped the run). */
  count: number;
  asked: number;
  stoppedByTimeBound: boolean;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  minMs: number;
  maxMs: number;
  meanMs: number;
  /** HTTP requests the client made per sign-in (min and max over the measured ones). */
  roundTrips: { min: number; max: number };
  /** Where the time goes, per request of the flow (median over the measured sign-ins). */
  steps: StepFigures[];
  seconds: number;
}

export interface SignInResult {
  settings: SignInSettings;
  targets: SignInFigures[];
}

export async function signInBench(settings: SignInSettings = DEFAULT_SIGN_IN): Promise<SignInResult> {
  const targets = [await withDataDir((dataDir) => withEntente({ ENTENTE_DATA_DIR: dataDir }, (baseUrl) => measure('Entente sign-in (PGlite)', baseUrl, settings)))];
  const adminUrl = process.env.ENTENTE_BENCH_DATABASE_URL?.trim();
  if (adminUrl) {
    targets.push(
      await withDatabase(adminUrl, (databaseUrl) =>
        withDataDir((dataDir) =>
          withEntente({ ENTENTE_DATA_DIR: dataDir, DATABASE_URL: databaseUrl }, (baseUrl) => measure('Entente sign-in (PostgreSQL)', baseUrl, settings)),
        ),
      ),
    );
  } else {
    log('ENTENTE_BENCH_DATABASE_URL is not set: PostgreSQL skipped');
  }
  return { settings, targets };
}

interface Timed {
  step: string;
  ms: number;
}

async function measure(target: string, baseUrl: string, settings: SignInSettings): Promise<SignInFigures> {
  const started = performance.now();
  const deadline = started + settings.maxSeconds * 1000;
  const durations: number[] = [];
  const roundTrips: number[] = [];
  const byStep = new Map<string, number[]>();
  let stoppedByTimeBound = false;
  log(`${target}: ${settings.warmup} warm-up then ${settings.measured} measured sign-ins (at most ${settings.maxSeconds} s)`);
  for (let i = 0; i < settings.warmup + settings.measured; i++) {
    if (performance.now() > deadline) {
      stoppedByTimeBound = true;
      break;
    }
    // FR first among the measured ones, so that the per-request table lists FR, then QC.
    const email = AGENT_EMAILS[(i + AGENT_EMAILS.length - (settings.warmup % AGENT_EMAILS.length)) % AGENT_EMAILS.length]!;
    const { ms, requests } = await oneSignIn(baseUrl, email, clientAddress(i));
    if (i < settings.warmup) continue;
    durations.push(ms);
    roundTrips.push(requests.length);
    for (const request of requests) {
      const list = byStep.get(request.step) ?? [];
      list.push(request.ms);
      byStep.set(request.step, list);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  if (durations.length === 0) throw new Error(`${target}: no sign-in measured within ${settings.maxSeconds} s`);
  if (stoppedByTimeBound) log(`${target}: time bound reached, ${durations.length} of ${settings.measured} measured`);
  return {
    target,
    count: durations.length,
    asked: settings.measured,
    stoppedByTimeBound,
    p50Ms: percentile(durations, 50),
    p90Ms: percentile(durations, 90),
    p99Ms: percentile(durations, 99),
    minMs: Math.min(...durations),
    maxMs: Math.max(...durations),
    meanMs: durations.reduce((a, b) => a + b, 0) / durations.length,
    roundTrips: { min: Math.min(...roundTrips), max: Math.max(...roundTrips) },
    steps: [...byStep].map(([step, list]) => ({ step, p50Ms: percentile(list, 50), p90Ms: percentile(list, 90) })),
    seconds,
  };
}

/**
 * One timed sign-in with a fresh cookie jar, then the checks (outside the stopwatch): it ended on
 * Entente's `/` and the session it holds is the agent's.
 */
async function oneSignIn(baseUrl: string, email: string, forwardedFor: string): Promise<{ ms: number; requests: Timed[] }> {
  const agent = DEMO_AGENTS.find((a) => a.email === email);
  const account = [...DEMO_IDP_ACCOUNTS.fr, ...DEMO_IDP_ACCOUNTS.qc].find((a) => a.email === email);
  if (!agent || !account) throw new Error(`${email} is not a demo agent of a demo provider`);
  const requests: Timed[] = [];
  const login = `${baseUrl}/auth/login?${new URLSearchParams({ email })}`;
  const started = performance.now();
  const flow = await withClient(forwardedFor, requests, () => signInThroughDemoIdp(login, { agentSub: account.sub }));
  const ms = performance.now() - started;

  const base = new URL(baseUrl);
  if (flow.finalUrl.origin !== base.origin || flow.finalUrl.pathname !== '/') {
    throw new Error(`sign-in of ${email} ended on ${flow.finalUrl.href}, not on ${base.origin}/ (after ${flow.steps} requests: ${describe(requests)})`);
  }
  const me = await fetch(`${baseUrl}/api/me`, {
    headers: { cookie: flow.jar.header(baseUrl) },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = (await me.json()) as Record<string, unknown>;
  if (me.status !== 200 || body.principalId !== agent.id) {
    throw new Error(`after the sign-in of ${email}, GET /api/me answered ${me.status} ${JSON.stringify(body).slice(0, 300)}`);
  }
  if (flow.steps !== requests.length) throw new Error(`the flow counted ${flow.steps} requests, the client saw ${requests.length}`);
  return { ms, requests };
}

/**
 * Runs the scripted flow with this client's address and records each request it makes (step and
 * duration, body read included when the flow reads it). The flow helper calls the global fetch and
 * takes no headers, so fetch is wrapped for the duration of one sign-in; sign-ins are sequential
 * and nothing else in this process fetches meanwhile.
 */
async function withClient<T>(forwardedFor: string, requests: Timed[], run: () => Promise<T>): Promise<T> {
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init?.headers);
    headers.set('x-forwarded-for', forwardedFor);
    const started = performance.now();
    const response = await original(input, { ...init, headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    // Body read here, so that the time is the whole answer's: the flow reads HTML pages again
    // from this copy, and never needs the other bodies.
    const text = await response.text();
    requests.push({ step: `${init?.method ?? 'GET'} ${stepPath(url)} → ${response.status}`, ms: performance.now() - started });
    return new Response(response.status >= 300 && response.status < 400 ? null : text, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
  try {
    return await run();
  } finally {
    globalThis.fetch = original;
  }
}

/** The path with its per-run parts (interaction ids, callback codes) shortened, for grouping. */
function stepPath(url: URL): string {
  return url.pathname.replace(/[A-Za-z0-9_-]{16,}/g, ':id');
}

function describe(requests: readonly Timed[]): string {
  return requests.map((r) => r.step).join(', ');
}

/** A distinct client address per sign-in (TEST-NET-3 documentation range, then TEST-NET-2). */
function clientAddress(i: number): string {
  return i < 254 ? `203.0.113.${i + 1}` : `198.51.100.${(i - 254) % 254 + 1}`;
}

/** Nearest-rank percentile: with 100 values, p99 is the second largest, p50 the 50th. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Entente in its child process on a port chosen beforehand, with the public URL it is called at:
 * the demo providers' issuers and the redirect URIs are built from it.
 */
async function withEntente<T>(env: Record<string, string>, use: (baseUrl: string) => Promise<T>): Promise<T> {
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const server: RunningServer = await startServer('entente-server.ts', { ...env, PORT: String(port), ENTENTE_PUBLIC_URL: baseUrl });
  try {
    return await use(baseUrl);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- server output ---\n${server.child.output()}`, { cause: error });
  } finally {
    await server.stop();
  }
}

function log(message: string): void {
  console.error(`  sign-in: ${message}`);
}
