/**
 * Child process of the collab bench: the real Entente (every module, demo mode, as `npm start`
 * composes it, on the database its environment names) with one bench space in the QC cell owned
 * by the first demo agent, and sessions whose browsers get tickets over HTTP as the web app does.
 * Commands from the parent (IPC): `documents` (create N documents), `compact` (fold a document's
 * log into its snapshot now) and `unload` (close a document's connections and unload it, so that
 * the next client loads it from the database).
 */
import { loadConfig } from '../../server/src/config.ts';
import { createEntente } from '../../server/src/entente.ts';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { csrfTokenFor } from '../../server/src/platform/http/csrf.ts';
import { sessionCookieName } from '../../server/src/platform/http/openapi.ts';
import { createLogger } from '../../server/src/platform/logger.ts';
import type { CollabBenchReady } from './collab-clients.ts';
import { stopWhenAsked } from './stop-when-asked.ts';

const config = loadConfig(process.env);
const entente = await createEntente({ config, logger: createLogger(config) });
const address = await entente.listen();
const origin = config.publicUrl.origin;
const owner = DEMO_AGENTS[0]!;

// Tickets are limited per session (300 a minute): enough sessions for 2,000 connections.
const sessions: { cookie: string; csrfToken: string; origin: string }[] = [];
for (let i = 0; i < 40; i++) {
  const session = await entente.sessions.create({ principalId: owner.id, homeJurisdiction: owner.jurisdiction, ip: '127.0.0.1', userAgent: 'entente-bench', authMethod: 'bench' });
  sessions.push({ cookie: `${sessionCookieName(config)}=${session.token}`, csrfToken: csrfTokenFor(entente.secret, session.id), origin });
}
const headers = { cookie: sessions[0]!.cookie, origin, 'x-csrf-token': sessions[0]!.csrfToken, 'content-type': 'application/json' };

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${address}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const space = await api<{ id: string; jurisdiction: 'FR' | 'QC' }>('POST', '/api/spaces', {
  name: 'Banc d’essai',
  description: 'Espace du banc d’essai collab',
  jurisdiction: 'QC',
  minAssurance: 'low',
  classification: 'internal',
});
const refOf = (documentId: string) => ({ documentId, spaceId: space.id, jurisdiction: space.jurisdiction });

const commands: Record<string, (message: Record<string, unknown>) => Promise<unknown>> = {
  async documents(message) {
    const ids: string[] = [];
    for (let i = 0; i < Number(message.count); i++) {
      ids.push((await api<{ id: string }>('POST', `/api/spaces/${space.id}/documents`, { title: `Document ${i + 1}` })).id);
    }
    return ids;
  },
  async compact(message) {
    await entente.collab.store.compact(refOf(String(message.documentId)));
    return null;
  },
  async unload(message) {
    await entente.collab.server.dropDocument(String(message.documentId), { code: 4000, reason: 'bench' });
    return null;
  },
};

process.on('message', (message: Record<string, unknown>) => {
  const run = commands[String(message.cmd)];
  if (!run) return;
  run(message).then(
    (result) => process.send!({ id: message.id, result }),
    (error: Error) => process.send!({ id: message.id, error: `${error.message}\n${error.stack}` }),
  );
});
stopWhenAsked(() => entente.close());

const ready: CollabBenchReady = {
  wsUrl: `${address.replace(/^http/, 'ws')}/collab`,
  documents: [],
  tickets: { url: `${address}/api/collab/tickets`, sessions },
};
process.send!(ready);
