import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { expect } from 'vitest';
import { createGateway, type Gateway } from '../../src/assistant/gateway/gateway.ts';
import { createGatewayPolicy } from '../../src/assistant/policy/gateway-policy.ts';
import { DEMO_AGENTS } from '../../src/identity/demo-data.ts';
import { setEmailVerified } from '../../src/identity/profiles.repo.ts';
import { jsonToYDoc } from '../../src/workspace/content/ydoc-json.ts';
import { sweepSearchIndex } from '../../src/workspace/search/indexer.ts';
import { startTestApp, type TestApp, type TestSession } from './app.ts';
import { startUpstreamDouble, type UpstreamDouble } from './openai-upstream.ts';

/**
 * The world of the hybrid-retrieval and generated-answer tests (helper E): an upstream double
 * with a chat model and deterministic bag-of-words embeddings, Entente configured with both
 * (`aiRetrieval.embeddingModel`), a space in QC whose « Rapport confidentiel » is restricted to its
 * owner Camille — Olivier, a reader of the space, may not read it — and whose « Plan de
 * continuité » is classified « diffusion restreinte », above what the only provider is cleared
 * for; and a space in FR Olivier is not a member of.
 */
export const EMBED_ALIAS = 'entente-embed';
export const CHAT_ALIAS = 'entente-chat';
export const SECRET = 'ornithorynque';
/** The word of the « Plan de continuité », classified above what the provider is cleared for. */
export const CLASSIFIED = 'gazelle';
/** A personal identifier in a passage: pseudonymised before the (standard-trust) provider. */
export const EMAIL = 'marie.dupont@exemple.qc.ca';

export interface AskWorld {
  t: TestApp;
  upstream: UpstreamDouble;
  gateway: Gateway;
  docs: Record<'teletravail' | 'comite' | 'coffre' | 'fusion' | 'continuite' | 'paie', string>;
  spaceA: string;
  spaceB: string;
  agents: { camille: { id: string }; olivier: { id: string }; hugo: { id: string } };
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers loosely and assert on them
  api(agent: { id: string } | null, method: string, urlPath: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; type: string | null; text: string; body: any }>;
  writeDocument(documentId: string, spaceId: string, jurisdiction: 'FR' | 'QC', blocks: string[]): Promise<void>;
  close(): Promise<void>;
}

const blocksToDoc = (blocks: string[]) =>
  jsonToYDoc({
    type: 'doc',
    content: blocks.map((text) =>
      text.startsWith('# ') ? { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: text.slice(2) }] } : { type: 'paragraph', content: [{ type: 'text', text }] },
    ),
  });

export async function startAskWorld(options: { embeddings?: boolean } = {}): Promise<AskWorld> {
  const upstream = await startUpstreamDouble({ name: 'double', models: ['chat-upstream', 'embed-upstream'], embeddings: 'bag-of-words' });
  const configDir = mkdtempSync(path.join(tmpdir(), 'entente-ask-'));
  const configFile = path.join(configDir, 'entente.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      aiProviders: [
        {
          id: 'double',
          baseUrl: upstream.baseUrl,
          models: [
            { name: 'chat-upstream', alias: CHAT_ALIAS, kind: 'chat' },
            { name: 'embed-upstream', alias: EMBED_ALIAS, kind: 'embeddings' },
          ],
          jurisdiction: 'FR',
          // Cleared for the lowest level only: the « Plan de continuité » (diffusion restreinte) may not go to it.
          maxClassification: 'non-protege',
          allowedJurisdictions: ['FR', 'QC'],
          timeoutMs: 5_000,
        },
      ],
      ...(options.embeddings === false ? {} : { aiRetrieval: { embeddingModel: EMBED_ALIAS } }),
    }),
  );
  const t = await startTestApp({ env: { ENTENTE_CONFIG: configFile }, entente: { startJobs: false } });
  const [camille, hugo, , olivier] = DEMO_AGENTS as unknown as [(typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0]];
  const sessions = new Map<string, TestSession>();
  for (const agent of DEMO_AGENTS) {
    sessions.set(agent.id, await t.signIn(agent));
    await setEmailVerified(t.entente.stores.cells[agent.jurisdiction].db, agent.id, agent.email, true);
  }
  const api: AskWorld['api'] = async (agent, method, urlPath, body, headers = {}) => {
    const session = agent ? (sessions.get(agent.id) as TestSession) : null;
    const response = await fetch(`${t.baseUrl}${urlPath}`, {
      method,
      headers: { ...(session?.headers ?? {}), ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    let parsed: unknown = {};
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = {};
    }
    return { status: response.status, type: response.headers.get('content-type'), text, body: parsed };
  };
  const written = new Set<string>();
  const writeDocument = async (documentId: string, spaceId: string, jurisdiction: 'FR' | 'QC', blocks: string[]) => {
    const state = Y.encodeStateAsUpdate(blocksToDoc(blocks));
    // The first content initialises the document; later ones replace it wholesale (a version restore).
    if (written.has(documentId)) await t.entente.collab.store.replace({ documentId, spaceId, jurisdiction }, state);
    else await t.entente.collab.store.initialise({ documentId, spaceId, jurisdiction }, state);
    written.add(documentId);
  };
  const createDocument = async (spaceId: string, jurisdiction: 'FR' | 'QC', title: string, blocks: string[]) => {
    const created = await api(camille, 'POST', `/api/spaces/${spaceId}/documents`, { title });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await writeDocument(id, spaceId, jurisdiction, blocks);
    return id;
  };
  const space = async (name: string, jurisdiction: 'FR' | 'QC', members: [{ email: string }, string][]) => {
    const id = (await api(camille, 'POST', '/api/spaces', { name, jurisdiction, minAssurance: 'low', classification: 'internal' })).body.id as string;
    for (const [agent, role] of members) expect((await api(camille, 'POST', `/api/spaces/${id}/invitations`, { email: agent.email, role })).status).toBe(201);
    return id;
  };
  const spaceA = await space('Ressources humaines Québec', 'QC', [[olivier, 'reader']]);
  const spaceB = await space('Direction France', 'FR', [[hugo, 'reader']]);
  const docs = {} as AskWorld['docs'];
  docs.teletravail = await createDocument(spaceA, 'QC', 'Procédure de télétravail', [
    '# Objet',
    'Cette procédure précise les règles de travail à distance applicables aux agents de la direction.',
    '# Nombre de jours',
    'Le télétravail est autorisé deux jours par semaine, sur accord écrit du responsable hiérarchique.',
    '# Indemnité',
    'Une indemnité forfaitaire de 2,50 $ par jour de travail à domicile est versée chaque mois.',
  ]);
  docs.comite = await createDocument(spaceA, 'QC', 'Compte rendu du comité de pilotage', [
    'Le budget de l’hébergement en nuage est fixé à 2 millions de dollars. La migration commencera en septembre.',
    'Le comité de pilotage validera le budget de la migration au prochain comité, en juin.',
  ]);
  docs.coffre = await createDocument(spaceA, 'QC', 'Rapport confidentiel', [`Le code du coffre-fort de la direction est ${SECRET}. Le budget secret du coffre est de 3 millions.`]);
  docs.fusion = await createDocument(spaceB, 'FR', 'Note de la direction', ['La fusion des directions régionales est fixée au 3 mars, dans la plus grande discrétion.']);
  docs.paie = await createDocument(spaceA, 'QC', 'Contact de la paie', [`Pour toute question sur le bulletin de paie, écrivez à ${EMAIL}.`]);
  docs.continuite = await createDocument(spaceA, 'QC', 'Plan de continuité', [`En cas de crise, le repli se fait au site ${CLASSIFIED}, dont l’adresse est diffusée aux seuls responsables.`]);
  expect((await api(camille, 'PUT', `/api/documents/${docs.coffre}/access`, { restricted: true, entries: [] })).status).toBe(200);
  expect((await api(camille, 'PUT', `/api/documents/${docs.continuite}/classification`, { level: 'diffusion-restreinte' })).status).toBe(200);
  await sweepSearchIndex(t.entente.stores);
  // The job's use case is driven with a gateway like the server's: same providers, audit, logger
  // and classification policy (without quotas and usage accounting).
  const policy = createGatewayPolicy({ stores: t.entente.stores, policy: t.entente.config.aiPolicy, logger: t.entente.logger });
  const gateway = createGateway(t.entente.config.ai.providers, { audit: t.entente.audit, logger: t.entente.logger, policy });
  return {
    t,
    upstream,
    gateway,
    docs,
    spaceA,
    spaceB,
    agents: { camille, olivier, hugo },
    api,
    writeDocument,
    async close() {
      await gateway.flush();
      await t.close();
      await upstream.close();
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}
