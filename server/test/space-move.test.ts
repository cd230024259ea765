import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { Jurisdiction } from '../../common/src/jurisdiction.ts';
import { spaces } from '../src/cli/spaces.ts';
import { loadConfig } from '../src/config.ts';
import { createEntente, type Entente } from '../src/entente.ts';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { setEmailVerified } from '../src/identity/profiles.repo.ts';
import { createLogger } from '../src/platform/logger.ts';
import type { AnyDb } from '../src/platform/db/types.ts';
import { jsonToMarkdown } from '../src/workspace/content/markdown.ts';
import { type JSONContent, jsonToYDoc, yDocToJson } from '../src/workspace/content/ydoc-json.ts';
import { beginSpaceMove, getSpaceMove, listSpaceMoves, type MoveDeps, type MovePoint, runSpaceMove, startSpaceMove } from '../src/workspace/spaces/move/move-space.ts';
import { MOVE_PHASES, type MovePhase } from '../src/workspace/spaces/move/move.tables.ts';
import { acknowledged, type Client, openClient, synced, ticketFor, until } from './collab-support.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';
import { freshTestEnv } from './support/db.ts';

/**
 * `entente spaces move`: a Québec space with everything a space can hold (documents with their
 * encrypted log and snapshot, versions, images, files, invitations, a restricted document) is
 * moved to the French cell. Afterwards both cells' databases (every table) and both object stores
 * are listed: nothing of the space remains in the Québec cell, everything is in the French one,
 * byte for byte, and reads through the normal API (decrypting with the French cell's KEK). A crash
 * in each phase resumes to completion; edits are refused while the move runs; the CLI works as an
 * operator would run it.
 */
let t: TestApp;
const [camille, hugo, emilie] = DEMO_AGENTS as unknown as [(typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number]];
const sessions = new Map<string, TestSession>();
const clients: Client[] = [];
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CLI = path.join(ROOT, 'server', 'src', 'cli', 'main.ts');

beforeAll(async () => {
  // No background jobs: a compaction in the middle would make the byte-for-byte comparisons race.
  t = await startTestApp({ entente: { startJobs: false, webDist: null } });
  for (const agent of [camille, hugo, emilie]) {
    sessions.set(agent.id, await t.signIn(agent));
    await setEmailVerified(t.entente.stores.cells[agent.jurisdiction].db, agent.id, agent.email, true);
  }
});
afterAll(async () => {
  for (const c of clients) {
    try {
      c.destroy();
    } catch {
      // already closed
    }
  }
  await t?.close();
});

type Agent = { id: string };

// biome-ignore lint/suspicious/noExplicitAny: answers are checked by the assertions
async function api(agent: Agent | null, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${t.baseUrl}${url}`, {
    method,
    headers: { ...(agent ? sessions.get(agent.id)?.headers : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

async function bytesOf(agent: Agent, url: string): Promise<{ status: number; bytes: Buffer }> {
  const response = await fetch(`${t.baseUrl}${url}`, { headers: { cookie: sessions.get(agent.id)?.cookie ?? '' } });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
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

const paragraphs = (...texts: string[]): JSONContent => ({ type: 'doc', content: texts.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })) });

/** A file through the tus protocol, as the browser sends it; its FileItem. */
async function uploadFile(agent: Agent, spaceId: string, name: string, bytes: Buffer) {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const created = await fetch(`${t.baseUrl}/api/uploads`, {
    method: 'POST',
    headers: { ...sessions.get(agent.id)?.headers, 'tus-resumable': '1.0.0', 'upload-length': String(bytes.length), 'upload-metadata': `spaceId ${b64(spaceId)},filename ${b64(name)}` },
  });
  expect(created.status).toBe(201);
  const location = created.headers.get('location') as string;
  const patched = await fetch(`${t.baseUrl}${location}`, {
    method: 'PATCH',
    headers: { ...sessions.get(agent.id)?.headers, 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
    body: new Uint8Array(bytes),
  });
  expect(patched.status).toBe(204);
  const status = await api(agent, 'GET', location);
  expect(status.body.status).toBe('complete');
  return status.body.file as { id: string; downloadUrl: string };
}

interface Fixture {
  spaceId: string;
  documents: string[];
  restricted: string;
  live: string;
  image: { url: string; bytes: Buffer };
  file: { id: string; url: string; bytes: Buffer } | null;
}

/**
 * A Québec space owned by Émilie, Camille editor, Hugo reader, a pending invitation; documents
 * (one under another, one restricted to Émilie and Camille) whose content is a compacted snapshot
 * plus log entries after it, a named version, an image, a file (with a second version).
 */
async function richSpace(options: { files?: boolean } = {}): Promise<Fixture> {
  const created = await api(emilie, 'POST', '/api/spaces', { name: `Coopération ${randomBytes(3).toString('hex')}`, jurisdiction: 'QC', minAssurance: 'low', classification: 'internal' });
  expect(created.status).toBe(201);
  const spaceId = created.body.id as string;
  expect((await api(emilie, 'POST', `/api/spaces/${spaceId}/invitations`, { email: camille.email, role: 'editor' })).status).toBe(201);
  expect((await api(emilie, 'POST', `/api/spaces/${spaceId}/invitations`, { email: hugo.email, role: 'reader' })).status).toBe(201);
  expect((await api(emilie, 'POST', `/api/spaces/${spaceId}/invitations`, { email: `personne.${randomBytes(3).toString('hex')}@mcn.demo-gouv-qc.test`, role: 'reader' })).status).toBe(201);
  const root = (await api(emilie, 'POST', `/api/spaces/${spaceId}/documents`, { title: 'Feuille de route' })).body.id as string;
  const child = (await api(camille, 'POST', `/api/spaces/${spaceId}/documents`, { title: 'Annexe', parentId: root })).body.id as string;
  const restricted = (await api(emilie, 'POST', `/api/spaces/${spaceId}/documents`, { title: 'Confidentiel' })).body.id as string;
  const live = (await api(emilie, 'POST', `/api/spaces/${spaceId}/documents`, { title: 'Notes en direct' })).body.id as string;
  expect((await api(emilie, 'PUT', `/api/documents/${restricted}/access`, { restricted: true, entries: [{ principalId: camille.id, role: 'editor' }] })).status).toBe(200);
  for (const [i, id] of [root, child, restricted].entries()) {
    const ref = { documentId: id, spaceId, jurisdiction: 'QC' as Jurisdiction };
    await t.entente.collab.store.initialise(ref, Y.encodeStateAsUpdate(jsonToYDoc(paragraphs(`Texte ${i} : coopération numérique.`, 'Deuxième paragraphe.'))));
    // A change after the snapshot: the log keeps an entry the snapshot has not absorbed.
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await t.entente.collab.store.load(ref)).state);
    const before = Y.encodeStateVector(doc);
    const added = new Y.XmlElement('paragraph');
    added.insert(0, [new Y.XmlText(`Ajout ${i} après le cliché.`)]);
    doc.getXmlFragment('default').push([added]);
    await t.entente.collab.applyServerUpdate(ref, Y.encodeStateAsUpdate(doc, before));
  }
  expect((await api(emilie, 'POST', `/api/documents/${root}/versions`, { name: 'Version de travail' })).status).toBe(201);
  const imageBytes = png(16, 16);
  const image = await fetch(`${t.baseUrl}/api/documents/${root}/images`, { method: 'POST', headers: { ...sessions.get(emilie.id)?.headers, 'content-type': 'image/png' }, body: new Uint8Array(imageBytes) });
  expect(image.status).toBe(201);
  const imageUrl = ((await image.json()) as { url: string }).url;
  let file: Fixture['file'] = null;
  if (options.files !== false) {
    const first = await uploadFile(emilie, spaceId, 'rapport.pdf', Buffer.from('%PDF-1.4\n% première version\n'));
    const bytes = randomBytes(200_000);
    const second = await fetch(`${t.baseUrl}/api/uploads`, {
      method: 'POST',
      headers: {
        ...sessions.get(emilie.id)?.headers,
        'tus-resumable': '1.0.0',
        'upload-length': String(bytes.length),
        'upload-metadata': `spaceId ${Buffer.from(spaceId).toString('base64')},filename ${Buffer.from('rapport.pdf').toString('base64')},fileId ${Buffer.from(first.id).toString('base64')}`,
      },
    });
    expect(second.status).toBe(201);
    const location = second.headers.get('location') as string;
    const patched = await fetch(`${t.baseUrl}${location}`, {
      method: 'PATCH',
      headers: { ...sessions.get(emilie.id)?.headers, 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body: new Uint8Array(bytes),
    });
    expect(patched.status).toBe(204);
    file = { id: first.id, url: `/api/files/${first.id}/content`, bytes };
  }
  return { spaceId, documents: [root, child, restricted], restricted, live, image: { url: imageUrl, bytes: imageBytes }, file };
}

function deps(extra: Partial<MoveDeps> = {}): MoveDeps {
  return { stores: t.entente.stores, cells: t.entente.cells, audit: t.entente.audit, events: t.entente.events, logger: t.entente.logger, ...extra };
}

// ── what the cells hold ──────────────────────────────────────────────────────────────────────
async function tablesOf(db: AnyDb, schema: string): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = ${schema} and table_type = 'BASE TABLE' order by 1`.execute(db);
  return rows.map((r) => r.name);
}

/** Every row of every table of a cell, as PostgreSQL's text form of the row. */
async function dumpCell(j: Jurisdiction): Promise<Map<string, string[]>> {
  const store = t.entente.stores.cells[j];
  const db = store.db as AnyDb;
  const out = new Map<string, string[]>();
  for (const table of await tablesOf(db, store.schema)) {
    const { rows } = await sql<{ row: string }>`select t::text as row from ${sql.table(table)} t`.execute(db);
    out.set(table, rows.map((r) => r.row));
  }
  return out;
}

/** Every object of a cell's store (key → bytes). */
async function dumpStore(j: Jurisdiction, prefix = ''): Promise<Map<string, Buffer>> {
  const store = t.entente.cells.get(j).objects;
  const out = new Map<string, Buffer>();
  for await (const o of store.list(prefix)) {
    const got = await store.get(o.key);
    const chunks: Buffer[] = [];
    for await (const c of got.body) chunks.push(c as Buffer);
    out.set(o.key, Buffer.concat(chunks));
  }
  return out;
}

/** The ids of everything of the space (the space, documents, versions, images, invitations, files, uploads), from a cell. */
async function idsOf(j: Jurisdiction, spaceId: string): Promise<Set<string>> {
  const db = t.entente.stores.cells[j].db as AnyDb;
  const ids = new Set([spaceId]);
  const collect = async (query: RawBuilder<{ id: string }>) => {
    for (const r of (await query.execute(db)).rows) ids.add(r.id);
  };
  await collect(sql<{ id: string }>`select id::text as id from documents where space_id = ${spaceId}`);
  await collect(sql<{ id: string }>`select v.id::text as id from document_versions v join documents d on d.id = v.document_id where d.space_id = ${spaceId}`);
  await collect(sql<{ id: string }>`select id::text as id from document_images where space_id = ${spaceId}`);
  await collect(sql<{ id: string }>`select id::text as id from space_invitations where space_id = ${spaceId}`);
  await collect(sql<{ id: string }>`select id::text as id from files where space_id = ${spaceId}`);
  await collect(sql<{ id: string }>`select id::text as id from file_versions where space_id = ${spaceId}`);
  await collect(sql<{ id: string }>`select id::text as id from file_uploads where space_id = ${spaceId}`);
  return ids;
}

/**
 * The space's rows in a cell, table by table, as JSON text (sorted): what must be identical after
 * the move. The log's ids and the snapshot's position in it are each cell's own sequence numbers.
 */
async function spaceRows(j: Jurisdiction, spaceId: string, options: { content?: boolean } = {}): Promise<Record<string, string[]>> {
  const db = t.entente.stores.cells[j].db as AnyDb;
  const docs = sql`(select id from documents where space_id = ${spaceId})`;
  const queries: Record<string, RawBuilder<{ row: string }>> = {
    spaces: sql`select to_jsonb(t)::text as row from spaces t where id = ${spaceId}`,
    space_invitations: sql`select to_jsonb(t)::text as row from space_invitations t where space_id = ${spaceId}`,
    documents: sql`select to_jsonb(t)::text as row from documents t where space_id = ${spaceId}`,
    document_access: sql`select to_jsonb(t)::text as row from document_access t where document_id in ${docs}`,
    document_versions: sql`select to_jsonb(t)::text as row from document_versions t where document_id in ${docs}`,
    document_snapshots: sql`select (to_jsonb(t) - 'upto_update_id')::text as row from document_snapshots t where document_id in ${docs}`,
    document_updates: sql`select (to_jsonb(t) - 'id')::text as row from document_updates t where document_id in ${docs}`,
    document_images: sql`select to_jsonb(t)::text as row from document_images t where space_id = ${spaceId}`,
    files: sql`select to_jsonb(t)::text as row from files t where space_id = ${spaceId}`,
    file_versions: sql`select to_jsonb(t)::text as row from file_versions t where space_id = ${spaceId}`,
    file_uploads: sql`select to_jsonb(t)::text as row from file_uploads t where space_id = ${spaceId}`,
    file_upload_parts: sql`select to_jsonb(t)::text as row from file_upload_parts t where upload_id in (select id from file_uploads where space_id = ${spaceId})`,
    keyring: sql`select (to_jsonb(t) - 'kek_id' - 'wrapped_key')::text as row from keyring t where owner_type = 'space' and owner_id = ${spaceId}`,
  };
  // Reading a document compacts it (snapshot rewritten, log folded): compared only where nothing read meanwhile.
  if (options.content === false) {
    delete queries.document_snapshots;
    delete queries.document_updates;
  }
  const out: Record<string, string[]> = {};
  for (const [table, query] of Object.entries(queries)) out[table] = (await query.execute(db)).rows.map((r) => r.row).sort();
  return out;
}

/** Tables that keep what mentions a space in the old cell by design (space-tables.ts says why). */
// notifications: each recipient's own, in their home cell, ids only (they show as « no longer available »).
const KEPT_BY_DESIGN = new Set(['audit_events', 'mail_outbox', 'notifications']);

async function expectNothingLeftIn(j: Jurisdiction, ids: Set<string>, spaceId: string): Promise<void> {
  const dump = await dumpCell(j);
  for (const [table, rows] of dump) {
    if (KEPT_BY_DESIGN.has(table)) continue;
    const leftovers = rows.filter((row) => [...ids].some((id) => row.includes(id)));
    expect(leftovers, `${table} in ${j} still holds the space's rows`).toEqual([]);
  }
  const objects = await dumpStore(j);
  expect([...objects.keys()].filter((k) => k.includes(spaceId))).toEqual([]);
}

/** A document's Markdown as the store holds it, without compacting it (a read through the API compacts). */
async function storedMarkdown(j: Jurisdiction, spaceId: string, documentId: string): Promise<string> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await t.entente.collab.store.load({ documentId, spaceId, jurisdiction: j })).state);
  return jsonToMarkdown(yDocToJson(doc));
}

async function contentOf(agent: Agent, documentId: string): Promise<string> {
  const got = await api(agent, 'GET', `/api/documents/${documentId}/content?format=markdown`);
  expect(got.status).toBe(200);
  return got.body.content as string;
}

// ── the move ─────────────────────────────────────────────────────────────────────────────────
describe('entente spaces move', () => {
  it('moves a Québec space to the French cell: nothing left in QC, everything in FR, byte for byte, readable, edits refused meanwhile', { timeout: 120_000 }, async () => {
    const f = await richSpace();
    // Classification levels (issue 7): a document's own is a column of its row (it moves with it), the
    // space's is in its directory entry (it stays, only the jurisdiction changes).
    expect((await api(emilie, 'PUT', `/api/spaces/${f.spaceId}/classification`, { level: 'diffusion-restreinte' })).status).toBe(200);
    expect((await api(emilie, 'PUT', `/api/documents/${f.documents[1]}/classification`, { level: 'diffusion-restreinte' })).status).toBe(200);
    const ids = await idsOf('QC', f.spaceId);
    const rowsBefore = await spaceRows('QC', f.spaceId);
    // Entries after the snapshots (not absorbed): the log moves too, renumbered by the new cell.
    expect(rowsBefore.document_updates?.length).toBeGreaterThan(0);
    expect(rowsBefore.document_snapshots?.length).toBe(3);
    expect(rowsBefore.files?.length).toBe(1);
    expect(rowsBefore.file_versions?.length).toBe(2);
    expect(rowsBefore.keyring?.length).toBeGreaterThan(0);
    const objectsBefore = await dumpStore('QC', `spaces/${f.spaceId}/`);
    expect(objectsBefore.size).toBeGreaterThanOrEqual(3);
    const contents = await Promise.all(f.documents.map((id) => storedMarkdown('QC', f.spaceId, id)));
    expect(contents[1]).toContain('Ajout 1 après le cliché.');
    const versionsBefore = (await api(emilie, 'GET', `/api/documents/${f.documents[0]}/versions`)).body.versions as { id: string }[];
    const invitationsBefore = (await api(emilie, 'GET', `/api/spaces/${f.spaceId}/members`)).body;

    // A live editor of the space: read-only during the move, editing again afterwards.
    const editor = openClient(t.baseUrl, f.live, () => ticketFor(t.baseUrl, sessions.get(camille.id) as TestSession, f.live));
    clients.push(editor);
    await synced(editor);
    editor.text.insert(0, 'avant ');
    await acknowledged(editor);

    const during: Record<string, unknown> = {};
    let atSwitch: Record<string, string[]> = {};
    const moved = await startSpaceMove(
      deps({
        inject: async (point: MovePoint) => {
          // What the old cell holds once nothing changes any more (reads compact documents): what must arrive.
          if (point === 'before:switch') atSwitch = await spaceRows('QC', f.spaceId);
          if (point !== 'before:rows') return;
          // Locked: the live connection went read-only, changes are refused, reads still work (from QC).
          await until(() => editor.provider.authorizedScope === 'readonly', 10_000, 'read-only live editor');
          during.patch = await api(emilie, 'PATCH', `/api/documents/${f.documents[0]}`, { title: 'Renommé pendant le déménagement' });
          during.patchEn = await api(emilie, 'PATCH', `/api/documents/${f.documents[0]}`, { title: 'x' }, { 'accept-language': 'en' });
          during.create = await api(camille, 'POST', `/api/spaces/${f.spaceId}/documents`, { title: 'Nouveau' });
          during.invite = await api(emilie, 'POST', `/api/spaces/${f.spaceId}/invitations`, { email: 'quelqu.un@mcn.demo-gouv-qc.test', role: 'reader' });
          during.readerPatch = await api(hugo, 'PATCH', `/api/documents/${f.documents[0]}`, { title: 'Lecteur' });
          during.version = await api(emilie, 'POST', `/api/documents/${f.documents[0]}/versions`, { name: 'Pendant' });
          during.restrict = await api(emilie, 'PUT', `/api/documents/${f.restricted}/access`, { restricted: false, entries: [] });
          during.image = await fetch(`${t.baseUrl}/api/documents/${f.documents[0]}/images`, { method: 'POST', headers: { ...sessions.get(emilie.id)?.headers, 'content-type': 'image/png' }, body: new Uint8Array(png(2, 2)) }).then((r) => r.status);
          during.leave = await api(hugo, 'DELETE', `/api/spaces/${f.spaceId}/members/${hugo.id}`);
          during.level = await api(emilie, 'PUT', `/api/spaces/${f.spaceId}/classification`, { level: 'non-protege' });
          // The files area is held too: a new folder, a rename, an upload's creation.
          during.folder = await api(emilie, 'POST', `/api/spaces/${f.spaceId}/folders`, { name: 'Pendant', parentId: null });
          if (f.file) during.fileRename = await api(emilie, 'PATCH', `/api/files/${f.file.id}`, { name: 'renomme.pdf' });
          during.upload = await fetch(`${t.baseUrl}/api/uploads`, {
            method: 'POST',
            headers: {
              ...sessions.get(emilie.id)?.headers,
              'tus-resumable': '1.0.0',
              'upload-length': '3',
              'upload-metadata': `spaceId ${Buffer.from(f.spaceId).toString('base64')},filename ${Buffer.from('a.txt').toString('base64')}`,
            },
          }).then((r) => r.status);
          during.read = await contentOf(camille, f.documents[0] as string);
          during.space = (await api(camille, 'GET', `/api/spaces/${f.spaceId}`)).body.jurisdiction;
          during.ticket = (await api(camille, 'POST', '/api/collab/tickets', { documentId: f.live })).body.readOnly;
        },
        onPhase: () => undefined,
      }),
      { spaceId: f.spaceId, to: 'FR', startedBy: 'cli:operateur' },
    );
    expect(moved.phase).toBe('done');
    // Everything in the French cell: the same rows (sealed bytes included), the same objects byte for byte.
    expect(await spaceRows('FR', f.spaceId)).toEqual(atSwitch);
    expect(atSwitch.document_updates?.length).toBeGreaterThan(1);
    // The new cell numbers the log itself: every copied entry comes after its document's snapshot.
    const fr = t.entente.stores.cells.FR.db as AnyDb;
    const { rows: absorbed } = await sql<{ n: number }>`
      select count(*)::int as n from document_updates u join document_snapshots s on s.document_id = u.document_id and s.epoch = u.epoch
       where u.id <= s.upto_update_id and u.document_id in (select id from documents where space_id = ${f.spaceId})`.execute(fr);
    expect(absorbed[0]?.n).toBe(0);
    expect(moved.from).toBe('QC');
    expect(moved.to).toBe('FR');
    expect(moved.counters.objects).toBe(objectsBefore.size);

    const patch = during.patch as { status: number; body: { type: string; title: string }; headers: Headers };
    expect(patch.status).toBe(423);
    expect(patch.body.type).toBe('urn:entente:problem:space-moving');
    expect(patch.body.title).toBe('Espace en cours de transfert');
    expect((during.patchEn as { body: { title: string } }).body.title).toBe('Space being moved');
    for (const refused of ['create', 'invite', 'version', 'restrict', 'leave'] as const) expect((during[refused] as { status: number }).status, refused).toBe(423);
    expect(during.image).toBe(423);
    expect((during.level as { status: number }).status).toBe(423);
    expect((during.folder as { status: number }).status).toBe(423);
    if (f.file) expect((during.fileRename as { status: number }).status).toBe(423);
    expect(during.upload).toBe(423);
    // A reader still gets 403 (the lock does not reveal more than the role does).
    expect((during.readerPatch as { status: number }).status).toBe(403);
    expect(during.read).toBe(contents[0]);
    expect(during.space).toBe('QC');
    expect(during.ticket).toBe(true);

    // Nothing of the space in the Québec cell: database (every table) and object store.
    await expectNothingLeftIn('QC', ids, f.spaceId);
    // Nothing but reads happened since the fixture was made: apart from compacted content, the rows of the start.
    const { document_snapshots: _s, document_updates: _u, ...unread } = rowsBefore;
    expect(await spaceRows('FR', f.spaceId, { content: false })).toEqual(unread);
    const objectsAfter = await dumpStore('FR', `spaces/${f.spaceId}/`);
    expect([...objectsAfter.keys()].sort()).toEqual([...objectsBefore.keys()].sort());
    for (const [key, bytes] of objectsBefore) expect(objectsAfter.get(key)?.equals(bytes), key).toBe(true);

    // Readable through the normal use cases, decrypted with the French cell's keys.
    expect((await api(emilie, 'GET', `/api/spaces/${f.spaceId}`)).body.jurisdiction).toBe('FR');
    expect((await api(emilie, 'GET', `/api/spaces/${f.spaceId}/classification`)).body).toMatchObject({ jurisdiction: 'FR', own: { id: 'diffusion-restreinte' } });
    expect((await api(camille, 'GET', `/api/documents/${f.documents[1]}/classification`)).body).toMatchObject({ jurisdiction: 'FR', own: { id: 'diffusion-restreinte' } });
    expect((await api(camille, 'GET', `/api/documents/${f.documents[0]}/classification`)).body).toMatchObject({ own: null, effective: { id: 'diffusion-restreinte' } });
    expect(await Promise.all(f.documents.map((id) => contentOf(emilie, id)))).toEqual(contents);
    const versionsAfter = (await api(emilie, 'GET', `/api/documents/${f.documents[0]}/versions`)).body.versions as { id: string }[];
    expect(versionsAfter.map((v) => v.id)).toEqual(versionsBefore.map((v) => v.id));
    for (const v of versionsAfter) expect((await api(emilie, 'GET', `/api/documents/${f.documents[0]}/versions/${v.id}`)).status).toBe(200);
    const image = await bytesOf(camille, f.image.url);
    expect(image.status).toBe(200);
    expect(image.bytes.equals(f.image.bytes)).toBe(true);
    if (f.file) {
      const file = await bytesOf(emilie, f.file.url);
      expect(file.status).toBe(200);
      expect(createHash('sha256').update(file.bytes).digest('hex')).toBe(createHash('sha256').update(f.file.bytes).digest('hex'));
    }
    expect((await api(emilie, 'GET', `/api/spaces/${f.spaceId}/members`)).body).toEqual(invitationsBefore);
    // The restriction moved with it: Hugo (reader, not listed) does not see the restricted document.
    expect((await api(hugo, 'GET', `/api/documents/${f.restricted}`)).status).toBe(404);
    expect((await api(camille, 'GET', `/api/documents/${f.restricted}`)).status).toBe(200);
    // Editable again, in the new cell; the live editor is back to read-write and its edits land in FR.
    expect((await api(emilie, 'PATCH', `/api/documents/${f.documents[0]}`, { title: 'Feuille de route (FR)' })).status).toBe(200);
    // The provider reconnects with its backoff, which the move's closes may have lengthened.
    await until(() => editor.provider.authorizedScope === 'read-write' && editor.provider.isSynced, 45_000, 'editable live editor').catch((error: Error) => {
      // Say what the provider saw: a failure here is otherwise only a timeout.
      const state = { scope: editor.provider.authorizedScope, synced: editor.provider.isSynced, status: editor.socket.status, refusals: editor.refusals, closes: editor.closes.slice(-5), ticketErrors: editor.ticketErrors.slice(-5) };
      throw new Error(`${error.message}: ${JSON.stringify(state)}`);
    });
    editor.text.insert(0, 'après ');
    await acknowledged(editor);
    const stored = await t.entente.collab.store.load({ documentId: f.live, spaceId: f.spaceId, jurisdiction: 'FR' });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, stored.state);
    expect(doc.getText('t').toString()).toBe('après avant ');

    // Audited in both cells and the control plane, with the operator and the counters.
    for (const store of ['QC', 'FR', null] as const) {
      const events = await t.entente.audit.list({ jurisdiction: store, action: 'workspace.space.moved', resourceId: f.spaceId, limit: 10 });
      const event = events.find((e) => e.outcome === 'success');
      expect(event, `audit in ${store ?? 'control'}`).toBeTruthy();
      expect(event?.details).toMatchObject({ moveId: moved.id, from: 'QC', to: 'FR', startedBy: 'cli:operateur' });
    }
  });

  // Seven moves, each of a fresh rich space: about 15 s on a calm machine, several times that under CI's load.
  it('resumes to completion after a crash in each phase; the space stays readable throughout', { timeout: 240_000 }, async () => {
    const points: Record<MovePhase, MovePoint> = {
      lock: 'before:lock',
      keys: 'during:keys',
      rows: 'during:rows',
      objects: 'during:objects',
      switch: 'during:switch',
      clean: 'during:clean',
      unlock: 'during:unlock',
    };
    for (const phase of MOVE_PHASES) {
      const f = await richSpace({ files: phase === 'objects' });
      const ids = await idsOf('QC', f.spaceId);
      const rowsBefore = await spaceRows('QC', f.spaceId, { content: false });
      const contents = await Promise.all(f.documents.map((id) => storedMarkdown('QC', f.spaceId, id)));
      let crashed = false;
      const failing = deps({
        // One row per batch: a crash in the rows phase falls in the middle of a table.
        batchSizes: { rows: 1, bytes: 1 },
        inject: (point) => {
          if (point === points[phase] && !crashed) {
            crashed = true;
            throw new Error(`crash in ${phase}`);
          }
        },
      });
      await expect(startSpaceMove(failing, { spaceId: f.spaceId, to: 'FR', startedBy: 'cli:test' }), phase).rejects.toThrow(`crash in ${phase}`);
      const [stopped] = await listSpaceMoves(t.entente.stores, { spaceId: f.spaceId });
      expect(stopped?.phase, phase).toBe(phase);
      expect(stopped?.error).toContain(`crash in ${phase}`);
      // Readable meanwhile (from QC until the switch, from FR after), and read-only.
      expect(await Promise.all(f.documents.map((id) => contentOf(camille, id))), phase).toEqual(contents);
      expect((await bytesOf(camille, f.image.url)).bytes.equals(f.image.bytes), phase).toBe(true);
      expect((await api(emilie, 'PATCH', `/api/documents/${f.documents[1]}`, { title: 'Pendant la panne' })).status, phase).toBe(423);
      // A new start is refused: the move in progress is to be resumed.
      await expect(startSpaceMove(deps(), { spaceId: f.spaceId, to: 'FR', startedBy: 'cli:test' })).rejects.toMatchObject({ slug: 'space_move_in_progress' });

      const resumed = await runSpaceMove(deps(), stopped?.id as string);
      expect(resumed.phase, phase).toBe('done');
      expect(resumed.error).toBeNull();
      await expectNothingLeftIn('QC', ids, f.spaceId);
      expect(await spaceRows('FR', f.spaceId, { content: false }), phase).toEqual(rowsBefore);
      expect(await Promise.all(f.documents.map((id) => contentOf(camille, id))), phase).toEqual(contents);
      expect((await bytesOf(camille, f.image.url)).bytes.equals(f.image.bytes), phase).toBe(true);
      if (f.file) expect((await bytesOf(emilie, f.file.url)).bytes.equals(f.file.bytes)).toBe(true);
      expect((await api(emilie, 'PATCH', `/api/documents/${f.documents[1]}`, { title: 'Après' })).status, phase).toBe(200);
    }
  });

  it('carries over what the old cell still receives: changed during the copy (before the switch) and after the verification', async () => {
    const f = await richSpace({ files: false });
    const qc = t.entente.stores.cells.QC.db;
    await startSpaceMove(
      deps({
        inject: async (point) => {
          // Writes that slipped past the lock (a request already past its checks): the move must not lose them.
          if (point === 'after:rows') await qc.updateTable('spaces').set({ description: 'modifiée pendant la copie' }).where('id', '=', f.spaceId).execute();
          if (point === 'during:switch') await qc.updateTable('documents').set({ title: 'Renommé juste avant la bascule' }).where('id', '=', f.documents[1] as string).execute();
        },
      }),
      { spaceId: f.spaceId, to: 'FR', startedBy: 'cli:test' },
    );
    expect((await api(emilie, 'GET', `/api/spaces/${f.spaceId}`)).body).toMatchObject({ jurisdiction: 'FR', description: 'modifiée pendant la copie' });
    expect((await api(emilie, 'GET', `/api/documents/${f.documents[1]}`)).body.title).toBe('Renommé juste avant la bascule');
    expect(await qc.selectFrom('documents').select('id').where('space_id', '=', f.spaceId).execute()).toEqual([]);
  });

  it('moves back the other way, and refuses what makes no sense', async () => {
    const f = await richSpace({ files: false });
    const contents = await Promise.all(f.documents.map((id) => contentOf(emilie, id)));
    await startSpaceMove(deps(), { spaceId: f.spaceId, to: 'FR', startedBy: 'cli:test' });
    const ids = await idsOf('FR', f.spaceId);
    const back = await startSpaceMove(deps(), { spaceId: f.spaceId, to: 'QC', startedBy: 'cli:test' });
    expect(back).toMatchObject({ from: 'FR', to: 'QC', phase: 'done' });
    await expectNothingLeftIn('FR', ids, f.spaceId);
    expect(await Promise.all(f.documents.map((id) => contentOf(emilie, id)))).toEqual(contents);

    await expect(startSpaceMove(deps(), { spaceId: f.spaceId, to: 'QC', startedBy: 'cli:test' })).rejects.toMatchObject({ slug: 'space_move_same_cell' });
    await expect(startSpaceMove(deps(), { spaceId: '019ac9f0-0000-7000-8000-00000000dead', to: 'FR', startedBy: 'cli:test' })).rejects.toMatchObject({ slug: 'space_not_found' });
    await expect(startSpaceMove(deps(), { spaceId: "x' or 1=1 --", to: 'FR', startedBy: 'cli:test' })).rejects.toMatchObject({ slug: 'space_not_found' });
    await expect(startSpaceMove(deps(), { spaceId: f.spaceId, to: 'US', startedBy: 'cli:test' })).rejects.toMatchObject({ slug: 'space_move_bad_jurisdiction' });
    await expect(runSpaceMove(deps(), '019ac9f0-0000-7000-8000-00000000beef')).rejects.toMatchObject({ slug: 'space_move_not_found' });
    await expect(getSpaceMove(t.entente.stores, 'nope')).rejects.toMatchObject({ slug: 'space_move_not_found' });
    // Resuming a finished move changes nothing.
    expect((await runSpaceMove(deps(), back.id)).phase).toBe('done');
    // Two runs of one move never interleave: the second is refused while the first holds it.
    const g = await richSpace({ files: false });
    const begun = await beginSpaceMove(deps(), { spaceId: g.spaceId, to: 'FR', startedBy: 'cli:test' });
    let second: Promise<unknown> | null = null;
    await runSpaceMove(
      deps({
        inject: async (point) => {
          if (point === 'before:keys' && !second) second = runSpaceMove(deps(), begun.id).catch((e: unknown) => e);
        },
      }),
      begun.id,
    );
    expect(await second).toMatchObject({ slug: 'space_move_busy' });
  });
});

// ── the command, as an operator runs it ──────────────────────────────────────────────────────
describe('npm run entente -- spaces …', () => {
  function run(env: Record<string, string>, args: string[]): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve) => {
      const child: ChildProcess = spawn(process.execPath, [CLI, 'spaces', ...args], { env: { PATH: process.env.PATH ?? '', LANG: 'fr_FR.UTF-8', ...env }, cwd: ROOT });
      let output = '';
      child.stdout?.on('data', (d) => (output += d));
      child.stderr?.on('data', (d) => (output += d));
      child.on('exit', (code) => resolve({ code, output }));
    });
  }

  async function inProcess(env: Record<string, string>, args: string[]): Promise<{ code: number; output: string }> {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
    const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
    try {
      return { code: await spaces(args), output: lines.join('\n') };
    } finally {
      log.mockRestore();
      error.mockRestore();
      process.env = saved;
    }
  }

  it('moves, lists, resumes and refuses, with a data directory', { timeout: 240_000 }, async () => {
    const env = await freshTestEnv({ ENTENTE_LOG_LEVEL: 'silent' });
    const open = async (): Promise<Entente> => {
      const config = loadConfig(env.env);
      return createEntente({ config, logger: createLogger(config), webDist: null, startJobs: false });
    };
    try {
      // A space with a document, then the server stops (PGlite: one process at a time).
      let entente = await open();
      const spaceId = '019ac9f0-1111-7000-8000-000000000001';
      const other = '019ac9f0-1111-7000-8000-000000000002';
      for (const id of [spaceId, other]) {
        await entente.stores.cells.QC.db.insertInto('spaces').values({ id, name: 'Espace CLI', description: '', min_assurance: 'low', classification: 'internal', created_by: emilie.id }).execute();
        await entente.stores.control.db.insertInto('space_directory').values({ id, jurisdiction: 'QC' }).execute();
        await entente.stores.control.db.insertInto('space_members').values({ space_id: id, principal_id: emilie.id, role: 'owner' }).execute();
        await entente.stores.cells.QC.db
          .insertInto('documents')
          .values({ id: `${id.slice(0, -4)}d00${id.slice(-1)}`, space_id: id, parent_id: null, title: 'Note', position: 0, restricted: false, epoch: 1, created_by: emilie.id })
          .execute();
        await entente.collab.store.initialise({ documentId: `${id.slice(0, -4)}d00${id.slice(-1)}`, spaceId: id, jurisdiction: 'QC' }, Y.encodeStateAsUpdate(jsonToYDoc(paragraphs('Bonjour depuis le Québec.'))));
      }
      // The second space's move stops in the middle of its rows (a crash), to be resumed by the command.
      const stopped = await startSpaceMove(
        { stores: entente.stores, cells: entente.cells, audit: entente.audit, logger: entente.logger, inject: (p) => { if (p === 'during:rows') throw new Error('panne'); } },
        { spaceId: other, to: 'FR', startedBy: 'cli:test' },
      ).catch(() => null);
      expect(stopped).toBeNull();
      const [pending] = await listSpaceMoves(entente.stores, { spaceId: other });
      await entente.close();

      const moved = await run(env.env, ['move', spaceId, '--to', 'fr']);
      expect(moved.output).toContain('lignes copiées');
      expect(moved.output).toContain(`Espace ${spaceId} déplacé de QC vers FR`);
      expect(moved.code).toBe(0);

      const listed = await inProcess(env.env, ['moves']);
      expect(listed.code).toBe(0);
      expect(listed.output).toMatch(new RegExp(`${spaceId}\\s+QC→FR\\s+terminé`));
      expect(listed.output).toMatch(new RegExp(`${other}\\s+QC→FR\\s+arrêté à rows`));

      // The refusals (in this process: each spawn costs seconds of PGlite start-up).
      const again = await inProcess(env.env, ['move', spaceId, '--to', 'FR']);
      expect(again.code).toBe(1);
      expect(again.output).toContain('déjà dans la cellule FR');
      const busy = await inProcess(env.env, ['move', other, '--to', 'FR']);
      expect(busy.code).toBe(1);
      expect(busy.output).toContain(`--resume ${pending?.id}`);
      const unknown = await inProcess(env.env, ['move', '019ac9f0-1111-7000-8000-00000000ffff', '--to', 'FR']);
      expect(unknown.code).toBe(1);
      expect(unknown.output).toContain('Espace inconnu');
      expect((await inProcess(env.env, ['move', '--resume', '019ac9f0-1111-7000-8000-00000000ffff'])).output).toContain('Déplacement inconnu');
      expect((await run(env.env, ['move', spaceId])).code).toBe(2);
      expect((await run(env.env, ['move', spaceId, '--to', 'DE'])).code).toBe(2);
      expect((await run(env.env, ['frobnicate'])).code).toBe(2);

      const resumed = await run(env.env, ['move', '--resume', pending?.id as string]);
      expect(resumed.output).toContain('Reprise du déplacement');
      expect(resumed.code).toBe(0);
      const status = await inProcess(env.env, ['moves', pending?.id as string]);
      expect(status.code).toBe(0);
      expect(status.output).toContain('terminé');

      entente = await open();
      try {
        for (const id of [spaceId, other]) {
          expect(await entente.stores.control.db.selectFrom('space_directory').select('jurisdiction').where('id', '=', id).executeTakeFirst()).toEqual({ jurisdiction: 'FR' });
          expect(await entente.stores.cells.QC.db.selectFrom('documents').select('id').where('space_id', '=', id).execute()).toEqual([]);
          const { state } = await entente.collab.store.load({ documentId: `${id.slice(0, -4)}d00${id.slice(-1)}`, spaceId: id, jurisdiction: 'FR' });
          expect(state.byteLength).toBeGreaterThan(10);
          expect((await entente.collab.store.derived({ documentId: `${id.slice(0, -4)}d00${id.slice(-1)}`, spaceId: id, jurisdiction: 'FR' })).text).toContain('Bonjour depuis le Québec.');
        }
      } finally {
        await entente.close();
      }
    } finally {
      await env.dispose();
    }
  });
});
