/**
 * Child process of the authenticated-read bench: the real Entente (every module, real stores, demo
 * data, background jobs, as `npm start` composes it) on a loopback port, with one live session of
 * a demo agent. It tells the parent where to aim over IPC and stops on SIGTERM or when the parent
 * goes away, so that no server outlives the bench.
 */
import { loadConfig } from '../../server/src/config.ts';
import { createEntente } from '../../server/src/entente.ts';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { sessionCookieName } from '../../server/src/platform/http/openapi.ts';
import { createLogger } from '../../server/src/platform/logger.ts';
import { stopWhenAsked } from './stop-when-asked.ts';
import type { ServerReady } from './servers.ts';

const config = loadConfig(process.env);
const entente = await createEntente({ config, logger: createLogger(config) });
const address = await entente.listen();

const agent = DEMO_AGENTS[0]!;
// The same call a completed sign-in makes: a real session row in the control plane, details in
// the agent's home cell.
const session = await entente.sessions.create({
  principalId: agent.id,
  homeJurisdiction: agent.jurisdiction,
  ip: '127.0.0.1',
  userAgent: 'entente-bench',
  authMethod: 'bench',
});

stopWhenAsked(() => entente.close());

const ready: ServerReady = {
  url: `${address}/api/me`,
  headers: { cookie: `${sessionCookieName(config)}=${session.token}` },
  expect: { principalId: agent.id },
};
process.send!(ready);
