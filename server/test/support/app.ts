import net from 'node:net';
import { loadConfig } from '../../src/config.ts';
import { createEntente, type Entente, type EntenteOptions } from '../../src/entente.ts';
import { DEMO_AGENTS } from '../../src/identity/demo-data.ts';
import { csrfTokenFor } from '../../src/platform/http/csrf.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { freshTestEnv, type TestEnv } from './db.ts';

export interface TestApp {
  baseUrl: string;
  entente: Entente;
  env: TestEnv;
  close(): Promise<void>;
  /** A live session for a demo agent, as a browser would hold it after sign-in. */
  signIn(agent?: (typeof DEMO_AGENTS)[number], meta?: { ip?: string; userAgent?: string }): Promise<TestSession>;
}

export interface TestSession {
  sessionId: string;
  cookie: string;
  csrfToken: string;
  /** Headers for a cookie-authenticated mutation (cookie, CSRF token, same origin). */
  headers: Record<string, string>;
}

/**
 * The real server (all modules, real stores) on a random port, with fresh data: what the browser
 * tests and the HTTP integration tests talk to. Demo data is seeded as with `npm start`.
 */
export async function startTestApp(
  options: { env?: Record<string, string>; entente?: Partial<EntenteOptions> } = {},
): Promise<TestApp> {
  // The port is chosen before the start: issuers and redirect URIs (demo identity providers,
  // OpenID provider) are built from the public URL, which must be the real one.
  const port = await freePort();
  const env = await freshTestEnv({
    PORT: String(port),
    ENTENTE_PUBLIC_URL: `http://localhost:${port}`,
    ENTENTE_LOG_LEVEL: process.env.ENTENTE_TEST_LOG_LEVEL ?? 'silent',
    // On the Redis run, every test server is a multi-node one: events and rate limits via Redis.
    ...(process.env.ENTENTE_TEST_REDIS_URL ? { REDIS_URL: process.env.ENTENTE_TEST_REDIS_URL } : {}),
    ...options.env,
  });
  const config = loadConfig(env.env);
  let entente: Entente;
  try {
    entente = await createEntente({ config, logger: createLogger(config), ...options.entente });
  } catch (error) {
    await env.dispose();
    throw error;
  }
  await entente.listen();
  const baseUrl = `http://localhost:${port}`;
  return {
    baseUrl,
    entente,
    env,
    close: async () => {
      await entente.close();
      await env.dispose();
    },
    signIn: async (agent = DEMO_AGENTS[0] as (typeof DEMO_AGENTS)[number], meta = {}) => {
      const session = await entente.sessions.create({
        principalId: agent.id,
        homeJurisdiction: agent.jurisdiction,
        ip: meta.ip ?? '127.0.0.1',
        userAgent: meta.userAgent ?? 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36',
        authMethod: 'test',
      });
      const cookieName = config.production ? '__Host-entente_session' : 'entente_session';
      const cookie = `${cookieName}=${session.token}`;
      const csrfToken = csrfTokenFor(entente.secret, session.id);
      return {
        sessionId: session.id,
        cookie,
        csrfToken,
        headers: { cookie, 'x-csrf-token': csrfToken, origin: new URL(baseUrl).origin },
      };
    },
  };
}

/** A loopback port free right now (the server that takes it is started just after). */
export async function freePort(): Promise<number> {
  // Below Linux's ephemeral range (32768–60999): a port the kernel hands out for listen(0) is from
  // the same range as the local ports of outgoing connections (database, Redis, fetch), so one of
  // those could take it between this check and the server's own listen (EADDRINUSE, a failed
  // beforeAll and a whole file skipped). Random, so parallel test files rarely draw the same one.
  for (let attempt = 0; ; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
    if (attempt > 50) throw new Error('no free port between 20000 and 32000');
  }
}
