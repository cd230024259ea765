import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type Actor, actorFromSession } from '../src/identity/actor.ts';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { setEmailVerified } from '../src/identity/profiles.repo.ts';
import { KeyUnavailableError } from '../src/platform/crypto/errors.ts';
import { enqueue, reconcileOutbox } from '../src/platform/jobs/index.ts';
import { jsonToYDoc } from '../src/workspace/content/ydoc-json.ts';
import { countSpaceRows } from '../src/workspace/spaces/delete-space.repo.ts';
import { deleteSpace, purgeDeletedSpace, SPACE_PURGE_SWEEP_JOB } from '../src/workspace/spaces/delete-space.ts';
import { openClient, ticketFor, until } from './collab-support.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/**
 * Deleting a space for good, through the real server: only its owners, with its name typed back;
 * its keys destroyed at once (what remains anywhere no longer decrypts, and no fresh key is ever
 * made for it), its live connections closed, the control plane cleaned, every row and object of it
 * purged by the background job, the audit written — and every other space untouched.
 */
let t: TestApp;
const [camille, hugo, emilie, olivier] = DEMO_AGENTS as [(typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0]];
const sessions = new Map<string, TestSession>();
type Agent = { id: string };

beforeAll(async () => {
  t = await startTestApp();
  for (const agent of DEMO_AGENTS) {
    sessions.set(agent.id, await t.signIn(agent));
    await setEmailVerified(t.entente.stores.cells[agent.jurisdiction].db, agent.id, agent.email, true);
  }
});
afterAll(async () => {
  await t?.close();
});

async function api(agent: Agent | null, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${t.baseUrl}${url}`, {
    method,
    headers: { ...(agent ? sessions.get(agent.id)?.headers : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: a test reads answers loosely and asserts on them
  return { status: response.status, body: (text?.startsWith('{') ? JSON.parse(text) : {}) as Record<string, any>, bytes: text };
}

function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.concat(Array.from({ length: height }, () => Buffer.concat([Buffer.from([0]), randomBytes(width * 4)])));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

interface Fixture {
  spaceId: string;
  name: string;
  jurisdiction: 'FR' | 'QC';
  documentId: string;
  imageUrl: string;
  imageBytes: Buffer;
  fileUrl: string;
  fileBytes: Buffer;
}

/** A file of the space's files area, uploaded as a tus client does (one PATCH); its download URL. */
async function uploadFile(agent: Agent, spaceId: string, name: string, bytes: Buffer): Promise<string> {
  const headers = { ...sessions.get(agent.id)?.headers, 'tus-resumable': '1.0.0' };
  const meta = (k: string, v: string) => `${k} ${Buffer.from(v).toString('base64')}`;
  const created = await fetch(`${t.baseUrl}/api/uploads`, {
    method: 'POST',
    headers: { ...headers, 'upload-length': String(bytes.length), 'upload-metadata': [meta('spaceId', spaceId), meta('filename', name)].join(',') },
  });
  expect(created.status).toBe(201);
  const location = created.headers.get('location') as string;
  const patched = await fetch(`${t.baseUrl}${location}`, {
    method: 'PATCH',
    headers: { ...headers, 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' },
    body: new Uint8Array(bytes),
  });
  expect(patched.status).toBe(204);
  const done = await api(agent, 'GET', location);
  expect(done.body.status).toBe('complete');
  return done.body.file.downloadUrl as string;
}

/** A space with members, a pending invitation, a document with content, a named version and an image. */
async function spaceWithContent(jurisdiction: 'FR' | 'QC', owner: Agent = camille): Promise<Fixture> {
  const name = `Groupe « ${jurisdiction} » ${Math.random().toString(36).slice(2, 8)}`;
  const created = await api(owner, 'POST', '/api/spaces', { name, jurisdiction, minAssurance: 'low', classification: 'internal' });
  expect(created.status).toBe(201);
  const spaceId = created.body.id as string;
  expect((await api(owner, 'POST', `/api/spaces/${spaceId}/invitations`, { email: hugo.email, role: 'editor' })).body.member?.role).toBe('editor');
  expect((await api(owner, 'POST', `/api/spaces/${spaceId}/invitations`, { email: 'personne@numerique.demo-gouv-fr.test', role: 'reader' })).status).toBe(201);
  const doc = await api(owner, 'POST', `/api/spaces/${spaceId}/documents`, { title: 'Compte rendu' });
  expect(doc.status).toBe(201);
  const documentId = doc.body.id as string;
  const content = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: `Texte secret de ${name}` }] }] };
  await t.entente.collab.store.initialise({ documentId, spaceId, jurisdiction }, Y.encodeStateAsUpdate(jsonToYDoc(content)));
  expect((await api(owner, 'POST', `/api/documents/${documentId}/versions`, { name: 'Avant la réunion' })).status).toBe(201);
  const imageBytes = png(3, 2);
  const uploaded = await fetch(`${t.baseUrl}/api/documents/${documentId}/images`, {
    method: 'POST',
    headers: { ...sessions.get(owner.id)?.headers, 'content-type': 'image/png' },
    body: new Uint8Array(imageBytes),
  });
  expect(uploaded.status).toBe(201);
  const imageUrl = ((await uploaded.json()) as { url: string }).url;
  const fileBytes = Buffer.from(`Procès-verbal ${name}\n`.repeat(50));
  const fileUrl = await uploadFile(owner, spaceId, 'procès-verbal.txt', fileBytes);
  return { spaceId, name, jurisdiction, documentId, imageUrl, imageBytes, fileUrl, fileBytes };
}

async function objectKeys(jurisdiction: 'FR' | 'QC', spaceId: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of t.entente.cells.get(jurisdiction).objects.list(`spaces/${spaceId}/`)) keys.push(o.key);
  return keys;
}

const keyringRows = (jurisdiction: 'FR' | 'QC', spaceId: string) =>
  t.entente.stores.cells[jurisdiction].db.selectFrom('keyring').select(['version']).where('owner_type', '=', 'space').where('owner_id', '=', spaceId).execute();
const tombstone = (jurisdiction: 'FR' | 'QC', spaceId: string) =>
  t.entente.stores.cells[jurisdiction].db.selectFrom('keyring_tombstones').select(['owner_id']).where('owner_type', '=', 'space').where('owner_id', '=', spaceId).executeTakeFirst();

async function expectIntact(f: Fixture, reader: Agent = camille) {
  expect((await api(reader, 'GET', `/api/spaces/${f.spaceId}`)).status).toBe(200);
  const content = await api(reader, 'GET', `/api/documents/${f.documentId}/content?format=text`);
  expect(content.status).toBe(200);
  expect(content.body.content).toContain(`Texte secret de ${f.name}`);
  const image = await fetch(`${t.baseUrl}${f.imageUrl}`, { headers: { cookie: sessions.get(reader.id)?.cookie ?? '' } });
  expect(image.status).toBe(200);
  expect(Buffer.from(await image.arrayBuffer()).equals(f.imageBytes)).toBe(true);
  const file = await fetch(`${t.baseUrl}${f.fileUrl}`, { headers: { cookie: sessions.get(reader.id)?.cookie ?? '' } });
  expect(file.status).toBe(200);
  expect(Buffer.from(await file.arrayBuffer()).equals(f.fileBytes)).toBe(true);
}

describe('deleting a space', () => {
  it('is for owners only, with the name typed back; hostile requests change nothing', async () => {
    const f = await spaceWithContent('FR');
    const url = `/api/spaces/${f.spaceId}`;
    // An editor is a member: 403. A non-member learns nothing: 404. Nobody signed in: 401.
    expect((await api(hugo, 'DELETE', url, { confirmName: f.name })).status).toBe(403);
    expect((await api(olivier, 'DELETE', url, { confirmName: f.name })).status).toBe(404);
    expect((await api(null, 'DELETE', url, { confirmName: f.name }, { origin: t.baseUrl })).status).toBe(401);
    // The name must be typed back exactly (case matters; surrounding spaces do not).
    const wrong = await api(camille, 'DELETE', url, { confirmName: f.name.toUpperCase() });
    expect(wrong.status).toBe(400);
    expect(wrong.body.type).toBe('urn:entente:problem:space-name-mismatch');
    expect(wrong.body.title).toBe('Nom de l’espace non confirmé');
    // Malformed input is a 4xx, never a 500.
    expect((await api(camille, 'DELETE', url)).status).toBe(400);
    expect((await api(camille, 'DELETE', url, '{"confirmName":')).status).toBe(400);
    expect((await api(camille, 'DELETE', url, { confirmName: f.name, force: true })).status).toBe(400);
    expect((await api(camille, 'DELETE', url, { confirmName: 42 })).status).toBe(400);
    expect((await api(camille, 'DELETE', url, { confirmName: 'x'.repeat(5000) })).status).toBe(400);
    expect((await api(camille, 'DELETE', '/api/spaces/not-a-uuid', { confirmName: f.name })).status).toBe(400);
    // A personal access token that may only read cannot delete.
    const minted = await api(camille, 'POST', '/api/me/tokens', { label: 'lecture seule', scopes: ['api:read'], expiresInDays: 1 });
    expect(minted.status).toBe(201);
    const readOnly = await fetch(`${t.baseUrl}${url}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${minted.body.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ confirmName: f.name }),
    });
    expect(readOnly.status).toBe(403);
    // Without the CSRF token (a cross-site form), refused.
    const session = sessions.get(camille.id) as TestSession;
    const csrf = await fetch(`${t.baseUrl}${url}`, {
      method: 'DELETE',
      headers: { cookie: session.cookie, 'content-type': 'application/json', origin: t.baseUrl },
      body: JSON.stringify({ confirmName: f.name }),
    });
    expect(csrf.status).toBe(403);
    await expectIntact(f);
    expect(await keyringRows('FR', f.spaceId)).toHaveLength(1);
    expect(await tombstone('FR', f.spaceId)).toBeUndefined();
  });

  it('destroys its keys at once, closes live connections, forgets it in the control plane, purges it; other spaces intact', async () => {
    const other = await spaceWithContent('QC');
    const f = await spaceWithContent('QC');
    const cell = t.entente.cells.get('QC');
    const db = cell.db;
    // What an old backup or a copy of the disk would hold: ciphertext rows and objects.
    const sealed = await db.selectFrom('document_snapshots').select(['state', 'key_version']).where('document_id', '=', f.documentId).executeTakeFirstOrThrow();
    const objectsBefore = await objectKeys('QC', f.spaceId);
    expect(objectsBefore.length).toBeGreaterThan(0);
    const objectCopy = Buffer.concat(await (await cell.objects.get(objectsBefore[0] as string)).body.toArray());

    // Hugo (editor) is editing live.
    const hugoSession = sessions.get(hugo.id) as TestSession;
    const live = openClient(t.baseUrl, f.documentId, () => ticketFor(t.baseUrl, hugoSession, f.documentId));
    await until(() => live.provider.isSynced, 15_000, 'hugo synced');

    const deleted = await api(camille, 'DELETE', `/api/spaces/${f.spaceId}`, { confirmName: `  ${f.name} ` });
    expect(deleted.status).toBe(204);

    // Keys: gone, a tombstone says so, and none can be made again.
    expect(await keyringRows('QC', f.spaceId)).toEqual([]);
    expect(await tombstone('QC', f.spaceId)).toEqual({ owner_id: f.spaceId });
    await expect(cell.keyring.getDataKey(db, { type: 'space', id: f.spaceId }, sealed.key_version)).rejects.toBeInstanceOf(KeyUnavailableError);
    await expect(cell.keyring.getOrCreateDataKey(db, { type: 'space', id: f.spaceId })).rejects.toBeInstanceOf(KeyUnavailableError);
    expect(await keyringRows('QC', f.spaceId)).toEqual([]);
    // The copy of an object, kept elsewhere (an old backup, a copied disk), no longer decrypts. Not
    // put back under the space's prefix: the background purge, already running, would take it away
    // before the read (seen under CI's load).
    const elsewhere = `test-copies/${f.spaceId}/${path.basename(objectsBefore[0] as string)}`;
    await cell.objects.put(elsewhere, objectCopy);
    await expect(cell.encryptedObjects.getDecrypted(db, { type: 'space', id: f.spaceId }, elsewhere)).rejects.toBeInstanceOf(KeyUnavailableError);
    await cell.objects.delete(elsewhere);

    // The live connection is closed and cannot come back.
    await until(() => live.closes.includes('access-revoked'), 15_000, 'live connection closed');
    live.destroy();

    // Nothing of it is readable through the API, for anyone.
    for (const agent of [camille, hugo]) {
      expect((await api(agent, 'GET', `/api/spaces/${f.spaceId}`)).status).toBe(404);
      expect((await api(agent, 'GET', `/api/documents/${f.documentId}`)).status).toBe(404);
      expect((await api(agent, 'GET', `/api/documents/${f.documentId}/content`)).status).toBe(404);
      expect((await api(agent, 'GET', `/api/documents/${f.documentId}/versions`)).status).toBe(404);
      expect((await api(agent, 'GET', f.imageUrl)).status).toBe(404);
      expect((await api(agent, 'GET', f.fileUrl)).status).toBe(404);
      expect((await api(agent, 'GET', `/api/spaces/${f.spaceId}/files`)).status).toBe(404);
      expect((await api(agent, 'POST', '/api/collab/tickets', { documentId: f.documentId })).status).toBe(404);
      expect(((await api(agent, 'GET', '/api/spaces')).body.spaces as { id: string }[]).map((s) => s.id)).not.toContain(f.spaceId);
    }
    expect((await api(camille, 'DELETE', `/api/spaces/${f.spaceId}`, { confirmName: f.name })).status).toBe(404);

    // The control plane has forgotten it.
    const control = t.entente.stores.control.db;
    expect(await control.selectFrom('space_directory').select('id').where('id', '=', f.spaceId).execute()).toEqual([]);
    expect(await control.selectFrom('space_members').select('principal_id').where('space_id', '=', f.spaceId).execute()).toEqual([]);
    expect(await control.selectFrom('space_invitation_index').select('id').where('space_id', '=', f.spaceId).execute()).toEqual([]);

    // The purge job (running in the background) removes every row and object of the space.
    await until(async () => (await db.selectFrom('spaces').select('id').where('id', '=', f.spaceId).execute()).length === 0, 30_000, 'space purged');
    const left = await countSpaceRows(db, f.spaceId);
    expect(left.documents).toBe(0);
    expect(left.document_updates).toBe(0);
    expect(left.document_snapshots).toBe(0);
    expect(left.document_versions).toBe(0);
    expect(left.document_images).toBe(0);
    expect(left.space_invitations).toBe(0);
    expect(left.files).toBe(0);
    expect(left.file_versions).toBe(0);
    expect(Object.entries(left).filter(([, n]) => n > 0)).toEqual([]);
    expect(await objectKeys('QC', f.spaceId)).toEqual([]);
    // The tombstone stays (a restore of an older backup needs it).
    expect(await tombstone('QC', f.spaceId)).toEqual({ owner_id: f.spaceId });

    // Audited in the cell and in the control plane.
    const cellAudit = await t.entente.audit.list({ jurisdiction: 'QC', resourceId: f.spaceId, limit: 50 });
    const deletedEvent = cellAudit.find((e) => e.action === 'workspace.space.deleted' && e.resource_id === f.spaceId);
    expect(deletedEvent).toMatchObject({ actor_id: camille.id, outcome: 'success' });
    expect(cellAudit.some((e) => e.action === 'workspace.space.purged' && e.resource_id === f.spaceId)).toBe(true);
    const controlAudit = await t.entente.audit.list({ jurisdiction: null, resourceId: f.spaceId, limit: 50 });
    expect(controlAudit.find((e) => e.action === 'workspace.space.deleted' && e.resource_id === f.spaceId)).toMatchObject({ actor_id: camille.id });

    // The other space of the same cell, same owner, same members: untouched.
    await expectIntact(other);
    await expectIntact(other, hugo);
    expect(await keyringRows('QC', other.spaceId)).toHaveLength(1);
  });

  it('a crash right after the mark is repaired by the outbox; an interrupted purge is finished by the sweep', async () => {
    const f = await spaceWithContent('FR');
    const deps = { ...t.entente, ...{ publicUrl: () => new URL(t.baseUrl), federatedDomains: () => [], content: () => t.entente.collab.store } };
    await expect(
      deleteSpace(deps, await actorOf(camille), f.spaceId, { confirmName: f.name }, { ip: null, requestId: 'test' }, { crashAfterCellWrite: true }),
    ).rejects.toThrow('simulated crash');
    // Marked: nobody reads it any more, even before the repair.
    expect((await api(camille, 'GET', `/api/spaces/${f.spaceId}`)).status).toBe(404);
    expect((await api(hugo, 'GET', `/api/documents/${f.documentId}/content`)).status).toBe(404);
    expect(await keyringRows('FR', f.spaceId)).toHaveLength(1);
    await reconcileOutbox({ FR: t.entente.stores.cells.FR.db, QC: t.entente.stores.cells.QC.db }, t.entente.outbox, { logger: t.entente.logger, graceMs: 0 });
    expect(await keyringRows('FR', f.spaceId)).toEqual([]);
    expect(await tombstone('FR', f.spaceId)).toBeDefined();
    expect(await t.entente.stores.control.db.selectFrom('space_directory').select('id').where('id', '=', f.spaceId).execute()).toEqual([]);
    await until(async () => (await t.entente.stores.cells.FR.db.selectFrom('spaces').select('id').where('id', '=', f.spaceId).execute()).length === 0, 30_000, 'purged');

    // A purge stopped half-way (here: before it began) is finished by the sweep.
    const g = await spaceWithContent('FR');
    const fr = t.entente.cells.get('FR');
    await fr.db.updateTable('spaces').set({ deleted_at: new Date() }).where('id', '=', g.spaceId).execute();
    const aborted = new AbortController();
    aborted.abort(new Error('stopped'));
    await expect(purgeDeletedSpace(t.entente, fr, g.spaceId, { signal: aborted.signal })).rejects.toThrow('stopped');
    expect(await keyringRows('FR', g.spaceId)).toEqual([]); // keys first, always
    expect((await objectKeys('FR', g.spaceId)).length).toBeGreaterThan(0);
    await enqueue(t.entente.stores.control.db, { type: SPACE_PURGE_SWEEP_JOB, payload: {} });
    await until(async () => (await fr.db.selectFrom('spaces').select('id').where('id', '=', g.spaceId).execute()).length === 0, 30_000, 'swept');
    expect(await objectKeys('FR', g.spaceId)).toEqual([]);
    expect(Object.values(await countSpaceRows(fr.db, g.spaceId)).every((n) => n === 0)).toBe(true);
  });

  it('a purge never touches a live space', async () => {
    const f = await spaceWithContent('QC', emilie);
    const report = await purgeDeletedSpace(t.entente, t.entente.cells.get('QC'), f.spaceId);
    expect(report.purged).toBe(false);
    await expectIntact(f, emilie);
  });
});

async function actorOf(agent: Agent): Promise<Actor> {
  const token = decodeURIComponent((sessions.get(agent.id)?.cookie ?? '').split('=')[1] ?? '');
  const resolved = await t.entente.sessions.resolve(token);
  if (!resolved) throw new Error('no session');
  return actorFromSession(resolved);
}
