import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { loadConfig } from '../src/config.ts';
import { createEntente, type Entente } from '../src/entente.ts';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { setEmailVerified } from '../src/identity/profiles.repo.ts';
import { createLogger } from '../src/platform/logger.ts';
import type { AnyDb } from '../src/platform/db/types.ts';
import { jsonToYDoc } from '../src/workspace/content/ydoc-json.ts';
import { freePort } from './support/app.ts';
import { freshTestEnv, TMP, type TestEnv, testDatabaseUrl } from './support/db.ts';
import { backupData } from '../src/platform/backup/backup.ts';
import { restoreBackup } from '../src/platform/backup/restore.ts';
import { createAuditLog } from '../src/platform/audit/audit-log.ts';
import { migrateStores, openStores } from '../src/platform/db/stores.ts';
import { uuidv7 } from '../src/platform/ids.ts';
import { LocalObjectStore } from '../src/platform/objects/local-object-store.ts';
import pg from 'pg';
import { csrfTokenFor } from '../src/platform/http/csrf.ts';

/**
 * `entente backup` and `entente restore`, run as an operator runs them (the CLI spawned on the
 * server's data directory, the server stopped), on PGlite and on PostgreSQL:
 *  - backup → change things → restore: every table of every store is back exactly as it was
 *    (bytea, jsonb, arrays, timestamps, identities compared by the database itself), documents read
 *    through the document store, images and objects byte for byte, the audit chain verifies;
 *  - THE test: a data backup taken before a space is deleted, restored with the current
 *    keyring: the deleted space is unreadable and purged, every other space intact;
 *  - a fresh installation restored from a data backup and a keyring backup (with the key files);
 *  - refusals: a running server, non-empty stores, no keyring, a tampered file.
 */
const ROOT = path.resolve(import.meta.dirname, '..', '..');
// Each step spawns the CLI, which opens every store (seconds each on PGlite, on a busy machine).
const STEP_TIMEOUT = 300_000;
const CLI = path.join(ROOT, 'server', 'src', 'cli', 'main.ts');
const [camille, hugo, emilie] = DEMO_AGENTS as [(typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0]];
type Agent = (typeof DEMO_AGENTS)[0];

let env: TestEnv;
let port: number;
let entente: Entente | null = null;
let backups: string;

beforeAll(async () => {
  port = await freePort();
  env = await freshTestEnv({ PORT: String(port), ENTENTE_PUBLIC_URL: `http://localhost:${port}`, ENTENTE_LOG_LEVEL: 'silent' });
  backups = mkdtempSync(path.join(TMP, 'backups-'));
  await start();
  for (const agent of DEMO_AGENTS) await setEmailVerified((entente as Entente).stores.cells[agent.jurisdiction].db, agent.id, agent.email, true);
});
// Each step leaves the server stopped (the CLI needs the data directory); a failed one too.
afterEach(async () => {
  await stop();
});
afterAll(async () => {
  await stop();
  await env?.dispose();
  if (backups) rmSync(backups, { recursive: true, force: true });
});

async function start(): Promise<Entente> {
  const config = loadConfig(env.env);
  entente = await createEntente({ config, logger: createLogger(config), webDist: null });
  await entente.listen();
  return entente;
}
async function stop(): Promise<void> {
  await entente?.close();
  entente = null;
}
const app = () => entente as Entente;
const base = () => `http://localhost:${port}`;

function cli(args: string[], extraEnv: Record<string, string> = env.env): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', LANG: 'en_GB.UTF-8', ...extraEnv }, cwd: ROOT });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

// ── talking to the server as agents do ───────────────────────────────────────────────────────
async function headersOf(agent: Agent) {
  const session = await app().sessions.create({ principalId: agent.id, homeJurisdiction: agent.jurisdiction, ip: '127.0.0.1', userAgent: 'test', authMethod: 'test' });
  const cookie = `entente_session=${session.token}`;
  return { cookie, 'x-csrf-token': csrfTokenFor(app().secret, session.id), origin: base() };
}
async function api(agent: Agent, method: string, url: string, body?: unknown) {
  const response = await fetch(`${base()}${url}`, {
    method,
    headers: { ...(await headersOf(agent)), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: a test reads answers loosely and asserts on them
  return { status: response.status, body: (text.startsWith('{') ? JSON.parse(text) : {}) as Record<string, any> };
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

interface SpaceFixture {
  spaceId: string;
  jurisdiction: 'FR' | 'QC';
  owner: Agent;
  documentId: string;
  text: string;
  imageUrl: string;
  image: Buffer;
  fileUrl: string;
  file: Buffer;
}

/** A file of the space's files area, uploaded as a tus client does (one PATCH); its download URL. */
async function uploadFile(agent: Agent, spaceId: string, name: string, bytes: Buffer): Promise<string> {
  const headers = { ...(await headersOf(agent)), 'tus-resumable': '1.0.0' };
  const meta = (k: string, v: string) => `${k} ${Buffer.from(v).toString('base64')}`;
  const created = await fetch(`${base()}/api/uploads`, {
    method: 'POST',
    headers: { ...headers, 'upload-length': String(bytes.length), 'upload-metadata': [meta('spaceId', spaceId), meta('filename', name)].join(',') },
  });
  expect(created.status).toBe(201);
  const location = created.headers.get('location') as string;
  const patched = await fetch(`${base()}${location}`, {
    method: 'PATCH',
    headers: { ...headers, 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' },
    body: new Uint8Array(bytes),
  });
  expect(patched.status).toBe(204);
  const done = await api(agent, 'GET', location);
  expect(done.body.status).toBe('complete');
  return done.body.file.downloadUrl as string;
}

async function spaceWithContent(jurisdiction: 'FR' | 'QC', owner: Agent): Promise<SpaceFixture> {
  const created = await api(owner, 'POST', '/api/spaces', { name: `Sauvegarde ${jurisdiction} ${randomBytes(3).toString('hex')}`, jurisdiction, minAssurance: 'low', classification: 'restricted' });
  expect(created.status).toBe(201);
  const spaceId = created.body.id as string;
  await api(owner, 'POST', `/api/spaces/${spaceId}/invitations`, { email: hugo.email, role: 'editor' });
  await api(owner, 'POST', `/api/spaces/${spaceId}/invitations`, { email: 'attente@numerique.demo-gouv-fr.test', role: 'reader' });
  const doc = await api(owner, 'POST', `/api/spaces/${spaceId}/documents`, { title: 'Relevé de décisions' });
  const documentId = doc.body.id as string;
  const text = `Décision ${randomBytes(4).toString('hex')} — « accents », emoji 🇫🇷🇨🇦, ligne\nsuivante`;
  const content = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
  await app().collab.store.initialise({ documentId, spaceId, jurisdiction }, Y.encodeStateAsUpdate(jsonToYDoc(content)));
  // A live change on top (an update in the log, not only the snapshot), then a named version.
  const live = new Y.Doc();
  Y.applyUpdate(live, (await app().collab.store.load({ documentId, spaceId, jurisdiction })).state);
  const before = Y.encodeStateVector(live);
  live.getMap('meta').set('reviewed', true);
  await app().collab.applyServerUpdate({ documentId, spaceId, jurisdiction }, Y.encodeStateAsUpdate(live, before));
  expect((await api(owner, 'POST', `/api/documents/${documentId}/versions`, { name: 'Version validée' })).status).toBe(201);
  const image = png(4, 3);
  const uploaded = await fetch(`${base()}/api/documents/${documentId}/images`, {
    method: 'POST',
    headers: { ...(await headersOf(owner)), 'content-type': 'image/png' },
    body: new Uint8Array(image),
  });
  expect(uploaded.status).toBe(201);
  const imageUrl = ((await uploaded.json()) as { url: string }).url;
  const file = randomBytes(200_000); // several encrypted segments
  const fileUrl = await uploadFile(owner, spaceId, 'données.bin', file);
  return { spaceId, jurisdiction, owner, documentId, text, imageUrl, image, fileUrl, file };
}

/** The space as its members see it: the document's text through the document store and the API, the image's bytes. */
async function expectReadable(f: SpaceFixture) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await app().collab.store.load({ documentId: f.documentId, spaceId: f.spaceId, jurisdiction: f.jurisdiction })).state);
  expect(doc.getMap('meta').get('reviewed')).toBe(true);
  const content = await api(f.owner, 'GET', `/api/documents/${f.documentId}/content?format=text`);
  expect(content.status).toBe(200);
  expect(content.body.content).toContain(f.text.split('\n')[0]);
  const image = await fetch(`${base()}${f.imageUrl}`, { headers: await headersOf(f.owner) });
  expect(image.status).toBe(200);
  expect(Buffer.from(await image.arrayBuffer()).equals(f.image)).toBe(true);
  const file = await fetch(`${base()}${f.fileUrl}`, { headers: await headersOf(f.owner) });
  expect(file.status).toBe(200);
  expect(Buffer.from(await file.arrayBuffer()).equals(f.file)).toBe(true);
  const versions = await api(f.owner, 'GET', `/api/documents/${f.documentId}/versions`);
  expect((versions.body.versions as { name: string | null }[]).some((v) => v.name === 'Version validée')).toBe(true);
}

// ── the state of the stores, as the database itself sees it ──────────────────────────────────
const KEYRING = new Set(['keyring', 'keyring_tombstones', 'kysely_migration', 'kysely_migration_lock']);

/**
 * For every table of every store (the keyring and migration history apart), a digest of its rows'
 * text forms, in a stable order: equal digests mean equal rows, every type compared by PostgreSQL.
 */
async function fingerprint(e: Entente): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  const stores: [string, AnyDb][] = [
    ['control', e.stores.control.db as AnyDb],
    ['FR', e.stores.cells.FR.db as AnyDb],
    ['QC', e.stores.cells.QC.db as AnyDb],
  ];
  for (const [name, db] of stores) {
    const { rows: tables } = await sql<{ t: string }>`
      select c.relname::text as t from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = current_schema() and c.relkind = 'r' order by 1`.execute(db);
    for (const { t } of tables) {
      if (KEYRING.has(t)) continue;
      const { rows } = await sql<{ n: number; h: string | null }>`
        select count(*) as n, md5(string_agg(md5(row(x.*)::text), ',' order by md5(row(x.*)::text))) as h from ${sql.table(t)} x`.execute(db);
      result[`${name}.${t}`] = `${rows[0]?.n}:${rows[0]?.h ?? ''}`;
    }
  }
  return result;
}

async function objectDigests(e: Entente): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const cell of e.cells.all()) for await (const o of cell.objects.list('')) out[`${cell.jurisdiction}:${o.key}`] = o.size;
  return out;
}

/** Rows that only the restore itself adds (its audit entry): left out of the comparison. */
function withoutRestoreAudit(a: Record<string, string>): Record<string, string> {
  const { 'control.audit_events': _a, 'control.audit_chain_heads': _h, 'control.audit_checkpoints': _c, ...rest } = a;
  return rest;
}

async function controlAuditWithout(e: Entente, actions: string[]): Promise<string> {
  const { rows } = await sql<{ h: string }>`
    select md5(string_agg(md5(row(x.*)::text), ',' order by x.id)) as h from audit_events x where not (x.action = any(${actions}))`.execute(e.stores.control.db as AnyDb);
  return rows[0]?.h ?? '';
}

/** A probe table of every awkward type, in the QC cell, so that round-trips are checked on purpose. */
async function addTypesProbe(e: Entente): Promise<void> {
  const db = e.stores.cells.QC.db as AnyDb;
  await sql`create table backup_types_probe (
      id bigint generated always as identity primary key,
      raw bytea, doc jsonb, scores real[], tags text[], at timestamptz, day date, amount numeric, ratio double precision,
      length_of_tags integer generated always as (cardinality(tags)) stored, note text)`.execute(db);
  await sql`insert into backup_types_probe (raw, doc, scores, tags, at, day, amount, ratio, note) values
      (decode('00ff10207f80', 'hex'), '{"a":[1,2.5,"é"],"b":null,"c":{"d":true}}', array[0.1, 1e-7, -3.4e38]::real[], array['a,b', '"q"', null, ''],
       '2026-11-29 10:00:00.123456+00', '2026-02-28', 12345678901234567890.123456789, 0.30000000000000004, E'tab\\tline\\nquote"back\\\\slash'),
      (null, 'null', '{}', '{}', null, null, null, 'NaN', '')`.execute(db);
}

describe('entente backup and restore', () => {
  let fr: SpaceFixture;
  let qc: SpaceFixture;
  let doomed: SpaceFixture;
  let before: Record<string, string>;
  let objectsBefore: Record<string, number>;
  let auditBefore: string;
  const dataDir = () => path.join(backups, 'data-1');
  const keyringDir = () => path.join(backups, 'keyring-1');

  it('refuses to run while the server holds an embedded data directory (on PostgreSQL: runs beside it)', async () => {
    fr = await spaceWithContent('FR', camille);
    qc = await spaceWithContent('QC', emilie);
    doomed = await spaceWithContent('QC', camille);
    await addTypesProbe(app());
    if (env.env.DATABASE_URL) {
      // On PostgreSQL a backup runs beside the server (a snapshot per store, nothing blocked).
      const beside = await cli(['backup', '--out', path.join(backups, 'beside')]);
      expect(beside.code, beside.out).toBe(0);
      expect((await api(camille, 'GET', `/api/spaces/${fr.spaceId}`)).status).toBe(200);
      return;
    }
    const refused = await cli(['backup', '--out', path.join(backups, 'refused')]);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/Refused: the server \(pid \d+\) is using/);
  }, STEP_TIMEOUT);

  it('takes a data backup and a keyring backup apart, each with its manifest', async () => {
    await stop();
    before = await fingerprint(await openQuiet());
    objectsBefore = await objectDigests(app());
    auditBefore = await controlAuditWithout(app(), []);
    await stop();
    expect(Object.keys(objectsBefore).length).toBeGreaterThanOrEqual(3);

    const data = await cli(['backup', '--out', dataDir()]);
    expect(data.out).toContain('✓ Data backed up');
    expect(data.code).toBe(0);
    const keyring = await cli(['backup', '--out', keyringDir(), '--keyring-only', '--with-keks']);
    expect(keyring.out).toContain('✓ Keyring backed up');
    expect(keyring.code).toBe(0);

    const manifest = JSON.parse(readFileSync(path.join(dataDir(), 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'entente-backup', version: 1, kind: 'data' });
    // The data backup holds no key: neither keyring rows nor key files.
    for (const id of ['control', 'FR', 'QC']) expect(Object.keys(manifest.stores[id].tables)).not.toContain('keyring');
    expect(Object.keys(manifest.stores.QC.tables)).toContain('document_updates');
    expect(manifest.stores.QC.migrations).toContain('20261129104000_platform_keyring_tombstones');
    expect(readdirSync(dataDir(), { recursive: true }).map(String).some((f) => f.includes('kek-'))).toBe(false);
    expect(manifest.objects.QC.count).toBeGreaterThan(0);
    for (const file of Object.keys(manifest.files)) expect(manifest.files[file].sha256).toMatch(/^[0-9a-f]{64}$/);
    // Objects are copied as stored: ciphertext, never the image's bytes.
    const copied = readFileSync(path.join(dataDir(), 'cells', 'qc', 'objects', ...qc.imageUrl.replace('/api/images/', `spaces/${qc.spaceId}/images/`).split('/')));
    expect(copied.subarray(0, 4).toString('latin1')).toBe('ENTO');
    expect(copied.includes(qc.image.subarray(16, 40))).toBe(false);

    const keys = JSON.parse(readFileSync(path.join(keyringDir(), 'manifest.json'), 'utf8'));
    expect(keys.kind).toBe('keyring');
    expect(keys.stores.QC.tables.keyring.rows).toBeGreaterThan(0);
    expect(keys.keyFiles.filter((k: { role: string }) => k.role === 'kek').length).toBe(2);
    expect(Object.keys(keys.stores.QC.tables).sort()).toEqual(['keyring', 'keyring_tombstones']);
  }, STEP_TIMEOUT);

  it('restores over changed stores (with --force only): every row, object and document as it was', async () => {
    // Change things: a new space, new content, an image deleted from the store, a row edited.
    await start();
    const extra = await spaceWithContent('FR', camille);
    await api(camille, 'PATCH', `/api/spaces/${fr.spaceId}`, { name: 'Renommé après la sauvegarde' });
    const image = `spaces/${qc.spaceId}/images/${qc.imageUrl.split('/').pop()}`;
    await app().cells.get('QC').objects.delete(image);
    await sql`update backup_types_probe set note = 'changed', doc = '{}'`.execute(app().stores.cells.QC.db as AnyDb);
    await stop();

    const refused = await cli(['restore', '--from', dataDir()]);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('Refused: the stores are not empty');

    // --keep-epochs: the documents' rows stay exactly as backed up (compared below).
    const restored = await cli(['restore', '--from', dataDir(), '--force', '--keep-epochs']);
    expect(restored.out).toContain('✓ Restored from');
    expect(restored.out).not.toContain('New epoch');
    expect(restored.out).toContain('Current keyring kept');
    expect(restored.code).toBe(0);

    const e = await openQuiet();
    expect(withoutRestoreAudit(await fingerprint(e))).toEqual(withoutRestoreAudit(before));
    // The audit entries of the backups themselves were written after the snapshot: not restored.
    expect(await controlAuditWithout(e, ['platform.backup.restored'])).toBe(auditBefore);
    expect(await objectDigests(e)).toEqual(objectsBefore);
    // The identity sequence goes on after the restored ids.
    const next = await sql<{ id: number }>`insert into backup_types_probe (note) values ('after') returning id`.execute(e.stores.cells.QC.db as AnyDb);
    expect(Number(next.rows[0]?.id)).toBe(3);
    await stop();

    await start();
    for (const f of [fr, qc, doomed]) await expectReadable(f);
    expect((await api(camille, 'GET', `/api/spaces/${extra.spaceId}`)).status).toBe(404);
    expect((await api(camille, 'GET', `/api/spaces/${fr.spaceId}`)).body.name).not.toBe('Renommé après la sauvegarde');
    await stop();

    // The audit chains came back whole: `audit verify` finds them intact.
    const verify = await cli(['audit', 'verify']);
    expect(verify.code, verify.out).toBe(0);
  }, STEP_TIMEOUT);

  it('THE issue’s test: a space deleted after the data backup stays unreadable and is purged by the restore; every other space is intact', async () => {
    await start();
    const deleted = await api(camille, 'DELETE', `/api/spaces/${doomed.spaceId}`, { confirmName: (await api(camille, 'GET', `/api/spaces/${doomed.spaceId}`)).body.name });
    expect(deleted.status).toBe(204);
    await waitFor(async () => (await app().stores.cells.QC.db.selectFrom('spaces').select('id').where('id', '=', doomed.spaceId).execute()).length === 0);
    await stop();

    // The data backup from before the deletion, restored with the keyring as it is now.
    const restored = await cli(['restore', '--from', dataDir(), '--force']);
    expect(restored.code, restored.out).toBe(0);
    expect(restored.out).toContain(`Space ${doomed.spaceId} (QC) purged: its keys are destroyed (tombstone)`);
    // By default every document gets a new epoch (local copies of a rolled-back state become drafts).
    expect(restored.out).toMatch(/New epoch for [1-9]\d* document\(s\)/);
    expect(restored.out).not.toContain('document not renewed');

    await start();
    const cell = app().cells.get('QC');
    // Nothing of it: no key (a tombstone), no row in any table, no object, not in the control plane.
    expect(await cell.db.selectFrom('keyring').select('id').where('owner_id', '=', doomed.spaceId).execute()).toEqual([]);
    expect(await cell.db.selectFrom('keyring_tombstones').select('owner_id').where('owner_id', '=', doomed.spaceId).execute()).toHaveLength(1);
    const { countSpaceRows } = await import('../src/workspace/spaces/delete-space.repo.ts');
    expect(Object.entries(await countSpaceRows(cell.db, doomed.spaceId)).filter(([, n]) => n > 0)).toEqual([]);
    for await (const o of cell.objects.list(`spaces/${doomed.spaceId}/`)) throw new Error(`object left: ${o.key}`);
    expect(await app().stores.control.db.selectFrom('space_directory').select('id').where('id', '=', doomed.spaceId).execute()).toEqual([]);
    expect(await app().stores.control.db.selectFrom('space_members').select('principal_id').where('space_id', '=', doomed.spaceId).execute()).toEqual([]);
    expect((await api(camille, 'GET', `/api/spaces/${doomed.spaceId}`)).status).toBe(404);
    expect((await api(camille, 'GET', `/api/documents/${doomed.documentId}/content`)).status).toBe(404);
    expect((await api(camille, 'GET', doomed.fileUrl)).status).toBe(404);
    // And even a copy of its data from the backup cannot be decrypted any more.
    const copy = readFileSync(path.join(dataDir(), 'cells', 'qc', 'objects', 'spaces', doomed.spaceId, 'images', doomed.imageUrl.split('/').pop() as string));
    await cell.objects.put(`spaces/${doomed.spaceId}/images/${doomed.imageUrl.split('/').pop()}`, copy);
    await expect(cell.encryptedObjects.getDecrypted(cell.db, { type: 'space', id: doomed.spaceId }, `spaces/${doomed.spaceId}/images/${doomed.imageUrl.split('/').pop()}`)).rejects.toThrow(
      /destroyed|No data key/,
    );
    await cell.objects.delete(`spaces/${doomed.spaceId}/images/${doomed.imageUrl.split('/').pop()}`);
    // Every other space: readable, as backed up, under a new epoch.
    expect(await cell.db.selectFrom('documents').select('epoch').where('id', '=', qc.documentId).executeTakeFirst()).toEqual({ epoch: 2 });
    await expectReadable(fr);
    await expectReadable(qc);
    await stop();
  }, STEP_TIMEOUT);

  it('restores a fresh installation from a data backup and a keyring backup with its key files', async () => {
    const fresh = await freshTestEnv({ ENTENTE_LOG_LEVEL: 'silent', PORT: String(port), ENTENTE_PUBLIC_URL: `http://localhost:${port}` });
    try {
      // Without the keyring, the data could not be read: refused before anything is written.
      const without = await cli(['restore', '--from', dataDir()], fresh.env);
      expect(without.code).toBe(1);
      expect(without.out).toContain('these stores have no keyring');
      // A data backup given as a keyring backup, and the reverse: refused.
      expect((await cli(['restore', '--from', keyringDir()], fresh.env)).out).toContain('is a keyring backup');
      expect((await cli(['restore', '--from', dataDir(), '--keyring-from', dataDir()], fresh.env)).code).toBe(1);

      const restored = await cli(['restore', '--from', dataDir(), '--keyring-from', keyringDir()], fresh.env);
      expect(restored.code, restored.out).toBe(0);
      expect(restored.out).toContain('✓ Keyring restored');
      // The keyring backup was taken before the deletion: the space deleted since comes back
      // readable from these two backups — which is why keyring backups are kept short (docs).
      const saved = env;
      env = fresh;
      try {
        await start();
        await expectReadable(fr);
        await expectReadable(qc);
        await stop();
      } finally {
        env = saved;
      }
      expect(existsSync(path.join(fresh.dataDir, 'cells', 'qc', 'keys'))).toBe(true);
    } finally {
      await stop();
      await fresh.dispose();
    }
  }, STEP_TIMEOUT);

  it('refuses a backup whose files do not match their manifest, and writes nothing', async () => {
    const tampered = path.join(backups, 'tampered');
    const { cpSync } = await import('node:fs');
    cpSync(dataDir(), tampered, { recursive: true });
    appendFileSync(path.join(tampered, 'cells', 'qc', 'tables', 'documents.jsonl'), '{"id":"00000000-0000-7000-8000-000000000000"}\n');
    const result = await cli(['restore', '--from', tampered, '--force']);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/Wrong size|SHA-256 mismatch/);

    const object = path.join(backups, 'tampered-object');
    cpSync(dataDir(), object, { recursive: true });
    const imageFile = path.join(object, 'cells', 'fr', 'objects', 'spaces', fr.spaceId, 'images', fr.imageUrl.split('/').pop() as string);
    const bytes = readFileSync(imageFile);
    bytes.writeUInt8((bytes.at(-1) ?? 0) ^ 1, bytes.length - 1);
    writeFileSync(imageFile, bytes);
    const objectResult = await cli(['restore', '--from', object, '--force']);
    expect(objectResult.code).toBe(1);
    expect(objectResult.out).toContain('SHA-256 mismatch');

    const escaping = path.join(backups, 'escape');
    cpSync(dataDir(), escaping, { recursive: true });
    const manifest = JSON.parse(readFileSync(path.join(escaping, 'manifest.json'), 'utf8'));
    manifest.files['../../outside'] = { size: 1, sha256: '0'.repeat(64) };
    writeFileSync(path.join(escaping, 'manifest.json'), JSON.stringify(manifest));
    const escapeResult = await cli(['restore', '--from', escaping, '--force']);
    expect(escapeResult.code).toBe(1);
    expect(escapeResult.out).toContain('outside the backup');

    // Nothing was written: the stores still hold what the last restore left (the doomed space purged).
    await start();
    await expectReadable(fr);
    await stop();
    // Usage errors are 2, a backup into a folder that is not empty is refused.
    expect((await cli(['backup'])).code).toBe(2);
    expect((await cli(['restore', '--from'])).code).toBe(2);
    expect((await cli(['backup', '--out', dataDir()])).out).toContain('is not empty');
  }, STEP_TIMEOUT);
});

/** The stores opened without the HTTP server (jobs stopped), for comparing their content. */
async function openQuiet(): Promise<Entente> {
  const config = loadConfig(env.env);
  entente = await createEntente({ config, logger: createLogger(config), webDist: null, startJobs: false });
  return entente;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!testDatabaseUrl())('restore by a database owner that is not a superuser (PostgreSQL)', () => {
  it('defers foreign keys and holds the tables’ own triggers off while loading, then puts both back', async () => {
    const url = testDatabaseUrl() as string;
    const suffix = randomBytes(4).toString('hex');
    const role = `entente_owner_${suffix}`;
    const name = `entente_nosu_${suffix}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create role ${role} login nosuperuser`);
    await admin.query(`create database ${name} owner ${role}`);
    const dbUrl = new URL(url);
    dbUrl.username = role;
    dbUrl.pathname = `/${name}`;
    const dataDir = mkdtempSync(path.join(TMP, 'nosu-'));
    const config = loadConfig({ ENTENTE_DATA_DIR: dataDir, DATABASE_URL: dbUrl.href });
    const stores = await openStores(config);
    try {
      await migrateStores(stores);
      const db = stores.cells.FR.db;
      expect((await sql<{ s: boolean }>`select rolsuper as s from pg_roles where rolname = current_user`.execute(db)).rows[0]?.s).toBe(false);
      const spaceId = uuidv7();
      const parent = uuidv7();
      const child = uuidv7();
      await db.insertInto('spaces').values({ id: spaceId, name: 'Espace', description: '', min_assurance: 'low', classification: 'internal', created_by: camille.id }).execute();
      await db.insertInto('documents').values({ id: parent, space_id: spaceId, parent_id: null, title: 'Parent', position: 1, restricted: false, epoch: 1, created_by: camille.id }).execute();
      await db.insertInto('documents').values({ id: child, space_id: spaceId, parent_id: parent, title: 'Enfant', position: 0, restricted: false, epoch: 1, created_by: camille.id }).execute();
      // A thousand other pages, then the parent updated: its row now lies after them all, so the
      // restore loads the child in one batch and its parent in a later one (foreign key deferred).
      await db
        .insertInto('documents')
        .values(Array.from({ length: 1000 }, (_, i) => ({ id: uuidv7(), space_id: spaceId, parent_id: null, title: `Page ${i}`, position: 2 + i, restricted: false, epoch: 1, created_by: camille.id })))
        .execute();
      await db.updateTable('documents').set({ title: 'Parent' }).where('id', '=', parent).execute();
      const order = (await sql<{ id: string }>`select id from documents`.execute(db)).rows.map((r) => r.id);
      expect(order.indexOf(child)).toBe(0);
      expect(order.indexOf(parent)).toBe(1001);
      const audit = createAuditLog(stores);
      await audit.record({ action: 'test.backup.event', outcome: 'success', jurisdiction: 'FR', resource: { type: 'space', id: spaceId } });
      const objects = { FR: await LocalObjectStore.open(path.join(dataDir, 'objects-fr')), QC: await LocalObjectStore.open(path.join(dataDir, 'objects-qc')) };
      await objects.FR.put(`spaces/${spaceId}/images/x`, Buffer.from('chiffré'));
      await db.insertInto('keyring').values({ id: uuidv7(), owner_type: 'space', owner_id: spaceId, version: 1, kek_id: 'file:test', wrapped_key: randomBytes(61) }).execute();
      const dir = path.join(dataDir, 'backup');
      await backupData({ stores, objects }, dir);

      await db.deleteFrom('documents').where('id', '=', child).execute();
      await audit.record({ action: 'test.backup.later', outcome: 'success', jurisdiction: 'FR' });
      await restoreBackup({ stores, objects, kekFolders: { FR: null, QC: null }, keyFileTargets: {} }, { from: dir, force: true });

      expect(await db.selectFrom('documents').select(['id', 'parent_id']).where('id', 'in', [child, parent]).orderBy('title').execute()).toEqual([
        { id: child, parent_id: parent },
        { id: parent, parent_id: null },
      ]);
      expect(await countRowsOf(db, 'documents')).toBe(1002);
      const actions = (await sql<{ action: string }>`select action from audit_events order by seq`.execute(db)).rows.map((r) => r.action);
      expect(actions).toContain('test.backup.event');
      expect(actions).not.toContain('test.backup.later');
      // Put back as they were: foreign keys not deferrable, the audit log append-only again.
      const deferrable = await sql<{ n: number }>`
        select count(*) as n from pg_constraint where contype = 'f' and condeferrable and connamespace = current_schema()::regnamespace`.execute(db);
      expect(Number(deferrable.rows[0]?.n)).toBe(0);
      await expect(sql`update audit_events set action = 'forged'`.execute(db)).rejects.toThrow(/append-only/);
      await expect(db.updateTable('documents').set({ parent_id: uuidv7() }).where('id', '=', child).execute()).rejects.toThrow(/foreign key/);
    } finally {
      await stores.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`drop role if exists ${role}`);
      await admin.end();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, STEP_TIMEOUT);
});

async function countRowsOf(db: AnyDb | Entente['stores']['cells']['FR']['db'], table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db as AnyDb);
  return Number(rows[0]?.n ?? 0);
}
