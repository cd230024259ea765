import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createEntente, type Entente } from '../src/entente.ts';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { csrfTokenFor } from '../src/platform/http/csrf.ts';
import { createLogger } from '../src/platform/logger.ts';
import type { DocumentRef } from '../src/workspace/collab/document-store.ts';
import { freshTestEnv, type TestEnv } from './support/db.ts';
import { acknowledged, addDocument, addSpace, type Client, openClient, type Session, storedText, synced, ticketFor, until } from './collab-support.ts';
import { freePort } from './support/app.ts';

/**
 * Several nodes (issue 4, item 5): two Entente processes' worth of server — two instances on the
 * same PostgreSQL databases, the same Redis and the same public URL, as behind a load balancer —
 * serve one document; clients connected to different nodes converge, and what the database holds
 * is what they all see. Only where PostgreSQL and Redis are given (a PGlite directory has one process).
 */
const databaseUrl = process.env.ENTENTE_TEST_DATABASE_URL?.trim();
const redisUrl = process.env.ENTENTE_TEST_REDIS_URL?.trim();

let env: TestEnv | null = null;
const nodes: { entente: Entente; baseUrl: string }[] = [];
const clients: Client[] = [];
let ref: DocumentRef;
let session: Session;

describe.skipIf(!databaseUrl || !redisUrl)('two nodes through Redis', () => {
  beforeAll(async () => {
    const publicPort = await freePort();
    env = await freshTestEnv({
      ENTENTE_PUBLIC_URL: `http://localhost:${publicPort}`,
      ENTENTE_LOG_LEVEL: process.env.ENTENTE_TEST_LOG_LEVEL ?? 'silent',
      REDIS_URL: redisUrl as string,
    });
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const config = loadConfig({ ...env.env, PORT: String(port) });
      const entente = await createEntente({ config, logger: createLogger(config) });
      await entente.listen();
      nodes.push({ entente, baseUrl: `http://localhost:${port}` });
    }
    const agent = DEMO_AGENTS[0]!;
    const first = nodes[0]!.entente;
    const spaceId = await addSpace(first, { jurisdiction: 'QC', members: [{ principalId: agent.id, role: 'editor' }] });
    ref = await addDocument(first, spaceId, 'QC');
    const created = await first.sessions.create({ principalId: agent.id, homeJurisdiction: agent.jurisdiction, ip: '127.0.0.1', userAgent: 'nodes-test', authMethod: 'test' });
    const cookie = `entente_session=${created.token}`;
    session = { headers: { cookie, 'x-csrf-token': csrfTokenFor(first.secret, created.id), origin: `http://localhost:${publicPort}` } };
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const node of nodes) await node.entente.close();
    await env?.dispose();
  });

  it('clients on different nodes see each other’s edits and converge under random concurrent edits', async () => {
    for (let i = 0; i < 6; i++) {
      const node = nodes[i % 2]!;
      clients.push(openClient(node.baseUrl, ref.documentId, () => ticketFor(node.baseUrl, session, ref.documentId)));
    }
    for (const c of clients) await synced(c);

    // A word typed on node 0 reaches a client of node 1.
    clients[0]!.text.insert(0, 'Bonjour de Paris. ');
    await until(() => clients[1]!.text.toString().includes('Bonjour de Paris.'), 10_000, 'edit crossing nodes');

    // Then everyone types at random places at once.
    let seed = 7;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    for (let round = 0; round < 30; round++) {
      for (const [i, c] of clients.entries()) {
        const length = c.text.length;
        if (random() < 0.2 && length > 3) c.text.delete(Math.floor(random() * (length - 2)), 1);
        else c.text.insert(Math.floor(random() * (length + 1)), `${i}`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    for (const c of clients) await acknowledged(c);
    await until(() => new Set(clients.map((c) => c.text.toString())).size === 1, 15_000, 'convergence across nodes');
    const converged = clients[0]!.text.toString();
    expect(converged.length).toBeGreaterThan(100);
    // What either node loads from the database is what the clients converged to.
    expect(await storedText(nodes[0]!.entente, ref)).toBe(converged);
    expect(await storedText(nodes[1]!.entente, ref)).toBe(converged);
  });
});
