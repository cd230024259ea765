import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { issueTicket } from '../src/workspace/collab/tickets.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';
import {
  acknowledged,
  addDocument,
  addSpace,
  type Client,
  openClient,
  requestTicket,
  setMember,
  storedText,
  synced,
  ticketFor,
  until,
} from './collab-support.ts';

/**
 * `/collab` and its tickets, as an attacker would try them: who may open a document's socket,
 * who may change it, and how quickly a change of rights reaches a live connection.
 */
let t: TestApp;
const [FR1, FR2, QC1, QC2] = DEMO_AGENTS as unknown as [(typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number]];
let owner: TestSession;
let editor: TestSession;
let reader: TestSession;
let stranger: TestSession;
let spaceId: string;
const clients: Client[] = [];

function client(documentId: string, token: string | (() => Promise<string>), doc?: Y.Doc): Client {
  const c = openClient(t.baseUrl, documentId, token, doc);
  clients.push(c);
  return c;
}
const withTicket = (session: TestSession, documentId: string) => () => ticketFor(t.baseUrl, session, documentId);

beforeAll(async () => {
  t = await startTestApp();
  owner = await t.signIn(FR1);
  editor = await t.signIn(QC1);
  reader = await t.signIn(FR2);
  stranger = await t.signIn(QC2);
  spaceId = await addSpace(t.entente, {
    jurisdiction: 'FR',
    members: [
      { principalId: FR1.id, role: 'owner' },
      { principalId: QC1.id, role: 'editor' },
      { principalId: FR2.id, role: 'reader' },
    ],
  });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await t?.close();
});

describe('POST /api/collab/tickets', () => {
  it('gives a member a ticket with the role and epoch, and the rest of the world a 404', async () => {
    const doc = await addDocument(t.entente, spaceId, 'FR');
    const ok = await requestTicket(t.baseUrl, reader, doc.documentId);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { ticket: string; epoch: number; role: string; readOnly: boolean; expiresAt: string };
    expect(body).toMatchObject({ epoch: 1, role: 'reader', readOnly: true });
    expect(new Date(body.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(60_000);

    expect((await requestTicket(t.baseUrl, stranger, doc.documentId)).status).toBe(404);
    expect((await requestTicket(t.baseUrl, owner, '019ac9f0-0000-7000-8000-00000000dead')).status).toBe(404);
    // Without a CSRF token (a cross-site form), nothing.
    const { 'x-csrf-token': _csrf, ...noCsrf } = owner.headers;
    expect((await requestTicket(t.baseUrl, { headers: noCsrf }, doc.documentId)).status).toBe(403);
    expect((await requestTicket(t.baseUrl, { headers: {} }, doc.documentId)).status).toBe(401);
  });

  it('answers 409 epoch_changed with the current epoch when the client holds an older one', async () => {
    const doc = await addDocument(t.entente, spaceId, 'FR');
    await t.entente.stores.cells.FR.db.updateTable('documents').set({ epoch: 3 }).where('id', '=', doc.documentId).execute();
    const response = await requestTicket(t.baseUrl, editor, doc.documentId, 2);
    expect(response.status).toBe(409);
    const problem = (await response.json()) as { type: string; epoch: number };
    expect(problem.type).toBe('urn:entente:problem:epoch-changed');
    expect(problem.epoch).toBe(3);
    expect((await requestTicket(t.baseUrl, editor, doc.documentId, 3)).status).toBe(200);
  });

  it('refuses a trashed document (409, in the trash) and a session below the space’s minimum assurance', async () => {
    const doc = await addDocument(t.entente, spaceId, 'FR');
    await t.entente.stores.cells.FR.db.updateTable('documents').set({ trashed_at: new Date() }).where('id', '=', doc.documentId).execute();
    // Refused, and said as « in the trash » to whoever may see it there (the page waits for a restore).
    const trashed = await requestTicket(t.baseUrl, owner, doc.documentId);
    expect(trashed.status).toBe(409);
    expect(((await trashed.json()) as { type: string }).type).toBe('urn:entente:problem:document-in-trash');

    const strict = await addSpace(t.entente, { jurisdiction: 'QC', members: [{ principalId: QC1.id, role: 'owner' }], minAssurance: 'substantial' });
    const strictDoc = await addDocument(t.entente, strict, 'QC');
    const response = await requestTicket(t.baseUrl, editor, strictDoc.documentId);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { type: string }).type).toBe('urn:entente:problem:insufficient-assurance');
  });
});

describe('/collab transport', () => {
  it('does not upgrade other paths', async () => {
    const ws = new WebSocket(`${t.baseUrl.replace('http', 'ws')}/not-collab`);
    const outcome = await new Promise<string>((resolve) => {
      ws.on('open', () => resolve('open'));
      ws.on('error', () => resolve('error'));
    });
    expect(outcome).toBe('error');
  });
});

describe('/collab authorisation', () => {
  it('lets members co-edit through tickets and refuses a non-member inside the protocol', async () => {
    const doc = await addDocument(t.entente, spaceId, 'FR');
    const a = client(doc.documentId, withTicket(owner, doc.documentId));
    const b = client(doc.documentId, withTicket(editor, doc.documentId));
    await Promise.all([synced(a), synced(b)]);
    a.text.insert(0, 'Bonjour Québec');
    await until(() => b.text.toString() === 'Bonjour Québec');

    // A stranger with a ticket minted for someone else's session of another document: refused.
    const stolen = await ticketFor(t.baseUrl, owner, doc.documentId);
    const otherDoc = await addDocument(t.entente, spaceId, 'FR');
    const wrongDoc = client(otherDoc.documentId, stolen);
    await until(() => wrongDoc.refusals.length > 0);
    expect(wrongDoc.refusals[0]).toBe('ticket-other-document');

    // A non-member cannot get a ticket; a ticket forged for them with another key is refused.
    const forged = issueTicket(Buffer.alloc(32, 7), { principalId: QC2.id, sessionId: stranger.sessionId, documentId: doc.documentId, epoch: 1 }).ticket;
    const f = client(doc.documentId, forged);
    await until(() => f.refusals.length > 0);
    expect(f.refusals[0]).toBe('ticket-forged');
    // Even correctly signed (the server's key), a non-member's ticket is refused: access is recomputed.
    const signed = issueTicket(t.entente.collab.ticketKey, { principalId: QC2.id, sessionId: stranger.sessionId, documentId: doc.documentId, epoch: 1 }).ticket;
    const s = client(doc.documentId, signed);
    await until(() => s.refusals.length > 0);
    expect(s.refusals[0]).toBe('no-access');
    expect(s.text.toString()).toBe('');
    // Denials are audited, with who tried when the ticket was genuine.
    const audited = await t.entente.audit.list({ jurisdiction: null, action: 'workspace.collab.refused', limit: 100 });
    const reasons = audited.map((e) => ({ actor: e.actor_id, reason: JSON.stringify(e.details) }));
    expect(reasons.some((r) => r.actor === QC2.id && r.reason.includes('no-access'))).toBe(true);
    expect(reasons.some((r) => r.actor === null && r.reason.includes('ticket-forged'))).toBe(true);
  });

  it('refuses an expired ticket and a ticket of an old epoch', async () => {
    const doc = await addDocument(t.entente, spaceId, 'FR');
    const expired = issueTicket(t.entente.collab.ticketKey, { principalId: FR1.id, sessionId: owner.sessionId, documentId: doc.documentId, epoch: 1 }, Date.now() - 61_000).ticket;
    const e = client(doc.documentId, expired);
    await until(() => e.refusals.length > 0);
    expect(e.refusals[0]).toBe('ticket-expired');

    const old = await ticketFor(t.baseUrl, owner, doc.documentId);
    await t.entente.stores.cells.FR.db.updateTable('documents').set({ epoch: 2 }).where('id', '=', doc.documentId).execute();
    const o = client(doc.documentId, old);
    await until(() => o.refusals.length > 0);
    expect(o.refusals[0]).toBe('epoch-changed');
  });

  it('refuses a ticket whose session has ended since', async () => {
    const doc = await addDocument(t.entente, spaceId, 'FR');
    const session = await t.signIn(FR1);
    const ticket = await ticketFor(t.baseUrl, session, doc.documentId);
    await t.entente.sessions.end({ sessionId: session.sessionId, reason: 'test' });
    const c = client(doc.documentId, ticket);
    await until(() => c.refusals.length > 0);
    expect(c.refusals[0]).toBe('session-ended');
  });

  it('keeps a reader read-only on the server: their changes are not logged and nobody sees them', async () => {
    const doc = await addDocument(t.entente, spaceId, 'FR');
    const writer = client(doc.documentId, withTicket(owner, doc.documentId));
    const r = client(doc.documentId, withTicket(reader, doc.documentId));
    await Promise.all([synced(writer), synced(r)]);
    writer.text.insert(0, 'texte officiel');
    await acknowledged(writer);
    await until(() => r.text.toString() === 'texte officiel');

    // A modified client ignores the read-only flag and sends an update anyway.
    r.text.insert(0, 'PIRATE ');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(writer.text.toString()).toBe('texte officiel');
    expect(r.provider.unsyncedChanges).toBeGreaterThan(0); // never acknowledged
    const rows = await t.entente.stores.cells.FR.db.selectFrom('document_updates').select('id').where('document_id', '=', doc.documentId).execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(await storedText(t.entente, doc)).toBe('texte officiel');
  });

  it('disconnects a removed member within seconds and makes a downgraded editor read-only at once', async () => {
    const session = await t.signIn(FR2);
    const space2 = await addSpace(t.entente, {
      jurisdiction: 'FR',
      members: [
        { principalId: FR1.id, role: 'owner' },
        { principalId: FR2.id, role: 'editor' },
        { principalId: QC1.id, role: 'editor' },
      ],
    });
    const doc2 = await addDocument(t.entente, space2, 'FR');
    const watcher = client(doc2.documentId, withTicket(owner, doc2.documentId));
    const downgraded = client(doc2.documentId, withTicket(editor, doc2.documentId));
    const removed = client(doc2.documentId, withTicket(session, doc2.documentId));
    await Promise.all([synced(watcher), synced(downgraded), synced(removed)]);
    downgraded.text.insert(0, 'avant ');
    await acknowledged(downgraded);

    await setMember(t.entente, space2, QC1.id, 'reader');
    await t.entente.events.publish('workspace.space.membership_changed', { spaceId: space2, principalId: QC1.id });
    await until(() => downgraded.stateless.some((s) => s.includes('"readOnly":true')), 5_000, 'read-only notice');
    // Its socket is closed so that it reconnects with a fresh ticket: as a reader now.
    await until(() => downgraded.closes.includes('access-changed'), 5_000, 'reconnection asked');
    await until(() => downgraded.provider.isAuthenticated && downgraded.provider.authorizedScope === 'readonly', 5_000, 'read-only reconnection');
    downgraded.text.insert(downgraded.text.length, 'après');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(watcher.text.toString()).toBe('avant ');

    const removedAt = Date.now();
    await setMember(t.entente, space2, FR2.id, null);
    await t.entente.events.publish('workspace.space.membership_changed', { spaceId: space2, principalId: FR2.id });
    await until(() => removed.closes.includes('access-revoked'), 5_000, 'removed member closed');
    expect(Date.now() - removedAt).toBeLessThan(5_000);
    removed.text.insert(0, 'fantôme ');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(watcher.text.toString()).toBe('avant ');
    expect(await storedText(t.entente, doc2)).toBe('avant ');
  });

  it('enforces a document restricted below its space, on connect and when its access list changes', async () => {
    const doc = await addDocument(t.entente, spaceId, 'FR', { restricted: true, access: [{ principalId: QC1.id, role: 'editor' }] });
    // The reader of the space is not on the list: no ticket, and a server-signed one is refused.
    expect((await requestTicket(t.baseUrl, reader, doc.documentId)).status).toBe(404);
    const signed = issueTicket(t.entente.collab.ticketKey, { principalId: FR2.id, sessionId: reader.sessionId, documentId: doc.documentId, epoch: 1 }).ticket;
    const r = client(doc.documentId, signed);
    await until(() => r.refusals.length > 0);
    expect(r.refusals[0]).toBe('no-access');

    const listed = client(doc.documentId, withTicket(editor, doc.documentId));
    await synced(listed);
    listed.text.insert(0, 'confidentiel');
    await acknowledged(listed);
    await t.entente.stores.cells.FR.db.deleteFrom('document_access').where('document_id', '=', doc.documentId).execute();
    await t.entente.events.publish('workspace.document.access_changed', { documentId: doc.documentId, spaceId });
    await until(() => listed.closes.includes('access-revoked'), 5_000, 'unlisted editor closed');
  });

  it('closes the connections of a session that ends', async () => {
    const doc = await addDocument(t.entente, spaceId, 'FR');
    const session = await t.signIn(FR1);
    const c = client(doc.documentId, withTicket(session, doc.documentId));
    await synced(c);
    await t.entente.sessions.end({ sessionId: session.sessionId, reason: 'signed out' });
    await until(() => c.closes.includes('session-ended'), 5_000, 'closed on sign-out');
  });
});

describe('/collab guard rails', () => {
  async function rawSocket(): Promise<WebSocket> {
    const ws = new WebSocket(`${t.baseUrl.replace('http', 'ws')}/collab`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return ws;
  }
  const closed = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));

  /** Opens a document on a raw socket with a real ticket: the hostile client is a member. */
  async function authenticated(documentId: string): Promise<WebSocket> {
    const ws = await rawSocket();
    const ticket = await ticketFor(t.baseUrl, owner, documentId);
    const e = encoding.createEncoder();
    encoding.writeVarString(e, documentId);
    encoding.writeVarUint(e, 2); // Auth
    encoding.writeVarUint(e, 0); // Token
    encoding.writeVarString(e, ticket);
    ws.send(encoding.toUint8Array(e));
    await new Promise<void>((resolve) => ws.once('message', () => resolve()));
    return ws;
  }
  function syncMessage(documentId: string, body: (e: encoding.Encoder) => void): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarString(e, documentId);
    encoding.writeVarUint(e, 0); // Sync
    body(e);
    return encoding.toUint8Array(e);
  }

  it('closes the hostile connection only: random bytes, a truncated update, a huge length, a text frame', async () => {
    const doc = await addDocument(t.entente, spaceId, 'FR');
    const bystander = client(doc.documentId, withTicket(editor, doc.documentId));
    await synced(bystander);

    const random = await rawSocket();
    const randomClosed = closed(random);
    random.send(Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 97 + 13) % 256)));
    await randomClosed;

    const truncated = await authenticated(doc.documentId);
    const truncatedClosed = closed(truncated);
    const good = Y.encodeStateAsUpdate((() => {
      const d = new Y.Doc();
      d.getText('t').insert(0, 'x'.repeat(50));
      return d;
    })());
    truncated.send(syncMessage(doc.documentId, (e) => {
      encoding.writeVarUint(e, 2); // Update
      encoding.writeVarUint8Array(e, good.subarray(0, good.length - 20));
    }));
    expect(await truncatedClosed).toBe(4400);

    const huge = await authenticated(doc.documentId);
    const hugeClosed = closed(huge);
    huge.send(syncMessage(doc.documentId, (e) => {
      encoding.writeVarUint(e, 2);
      encoding.writeVarUint(e, 2 ** 40); // a length far beyond the message
      encoding.writeUint8(e, 1);
    }));
    expect(await hugeClosed).toBe(4400);

    const text = await authenticated(doc.documentId);
    const textClosed = closed(text);
    text.send('hello');
    expect(await textClosed).toBe(4400);

    // Too big for a WebSocket message at all: refused by the transport.
    const big = await rawSocket();
    const bigClosed = closed(big);
    big.send(Buffer.alloc(3 * 1024 * 1024, 1));
    expect(await bigClosed).toBe(1009);

    // Nothing of it reached the document; the bystander still edits.
    bystander.text.insert(0, 'toujours là');
    await acknowledged(bystander);
    expect(await storedText(t.entente, doc)).toBe('toujours là');
    expect((await fetch(`${t.baseUrl}/healthz`)).status).toBe(200);
  });

  it('closes a connection that floods messages', async () => {
    const doc = await addDocument(t.entente, spaceId, 'FR');
    const ws = await authenticated(doc.documentId);
    const wsClosed = closed(ws);
    const step1 = syncMessage(doc.documentId, (e) => {
      encoding.writeVarUint(e, 0); // SyncStep1
      encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc()));
    });
    // Once the document is open (its answer to a first sync step arrived), flood it.
    const answered = new Promise<void>((resolve) => ws.once('message', () => resolve()));
    ws.send(step1);
    await answered;
    for (let i = 0; i < 2_000; i++) ws.send(step1);
    expect(await wsClosed).toBe(4429); // rate-limited
    ws.terminate();
  });

  it('refuses an update above the size limit and keeps the document as it was', async () => {
    const doc = await addDocument(t.entente, spaceId, 'FR');
    const ws = await authenticated(doc.documentId);
    const big = new Y.Doc();
    // Just above the update limit, just below the WebSocket message limit (which `ws` enforces).
    big.getText('t').insert(0, 'é'.repeat(1_052_000));
    const update = Y.encodeStateAsUpdate(big);
    const wsClosed = closed(ws);
    ws.send(syncMessage(doc.documentId, (e) => {
      encoding.writeVarUint(e, 2);
      encoding.writeVarUint8Array(e, update);
    }));
    expect(await wsClosed).toBe(4413); // too-large
    ws.terminate();
    expect(await storedText(t.entente, doc)).toBe('');
  });
});
