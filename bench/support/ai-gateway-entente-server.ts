/**
 * Child process of the ai-gateway bench: the real Entente (every module, demo data, background
 * jobs, as `npm start` composes it; its AI provider from ENTENTE_CONFIG, pointing at the upstream
 * double's process) with BENCH_AI_AGENTS agents, each with a personal access token of scope `ai`.
 *
 * One agent per concurrent stream, as a hundred people would be: the gateway lets one agent have
 * only 8 requests under way (AI_MAX_IN_FLIGHT_PER_AGENT) and 600 a minute, so 100 streams from a
 * handful of agents would measure the limits' refusals, not the relay. The agents are provisioned
 * and their tokens created with the same use cases a sign-in and `POST /api/me/tokens` run.
 */
import { loadConfig } from '../../server/src/config.ts';
import { createEntente } from '../../server/src/entente.ts';
import { actorFromSession } from '../../server/src/identity/actor.ts';
import { DEMO_ORGANISATIONS } from '../../server/src/identity/demo-data.ts';
import { provisionAgent } from '../../server/src/identity/provision-agent.ts';
import { createToken } from '../../server/src/identity/tokens.ts';
import { createLogger } from '../../server/src/platform/logger.ts';
import { stopWhenAsked } from './stop-when-asked.ts';

export interface AiGatewayReady {
  /** Base of the gateway: `${baseUrl}/chat/completions`. */
  baseUrl: string;
  tokens: string[];
}

const config = loadConfig(process.env);
const entente = await createEntente({ config, logger: createLogger(config) });
const address = await entente.listen();

const count = Number(process.env.BENCH_AI_AGENTS);
const organisations = [DEMO_ORGANISATIONS[0], DEMO_ORGANISATIONS[2]];
const tokens: string[] = [];
for (let i = 0; i < count; i++) {
  const organisation = organisations[i % organisations.length]!;
  const domain = organisation.email_domains[0];
  const { principalId } = await provisionAgent(entente.stores, entente.outbox, {
    jurisdiction: organisation.jurisdiction,
    givenName: 'Agent',
    familyName: `Banc d’essai ${i + 1}`,
    email: `agent.banc-essai-${i + 1}@${domain}`,
    preferredLanguage: organisation.jurisdiction === 'QC' ? 'fr-CA' : 'fr-FR',
    organisationId: organisation.id,
    roles: ['member'],
  });
  const session = await entente.sessions.create({ principalId, homeJurisdiction: organisation.jurisdiction, ip: '127.0.0.1', userAgent: 'entente-bench', authMethod: 'bench' });
  const resolved = await entente.sessions.resolve(session.token);
  if (!resolved) throw new Error(`session of bench agent ${i + 1} does not resolve`);
  const token = await createToken(entente.stores, entente.audit, actorFromSession(resolved), { label: 'banc d’essai IA', scopes: ['ai'], expiresInDays: 1 }, { ip: '127.0.0.1', requestId: `bench-${i}` });
  tokens.push(token.token);
}

stopWhenAsked(() => entente.close());

const ready: AiGatewayReady = { baseUrl: `${address}/ai/v1`, tokens };
process.send!(ready);
