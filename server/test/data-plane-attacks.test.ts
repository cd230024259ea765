import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../src/platform/ids.ts';
import { exportSpaceArchive } from '../src/workspace/export/space-export.ts';
import { importArchive } from '../src/workspace/export/space-import.ts';
import { nameKey } from '../src/workspace/files/content-types.ts';
import { upsertQuotaOverride } from '../src/workspace/files/quotas.repo.ts';
import { MAX_FOLDER_DEPTH } from '../src/workspace/files/files.ts';
import { camille, emilie, FilesClient, hugo, metadataHeader } from './files-support.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { TMP } from './support/db.ts';

/**
 * A security review of the data plane (issue 6), as a hostile editor, a former member or a hostile
 * archive author would try it: each test here failed before its fix.
 */
let t: TestApp;
let c: FilesClient;

beforeAll(async () => {
  t = await startTestApp();
  c = new FilesClient(t);
  await c.signInAll();
});
afterAll(async () => {
  await t?.close();
});

/** A chain of `depth` nested folders created by `by`, written straight into the cell (as an older version or an import could have left it). */
async function chainInDatabase(spaceId: string, by: string, depth: number): Promise<string[]> {
  const db = t.entente.stores.cells.FR.db;
  const ids: string[] = [];
  const now = new Date();
  for (let level = 0; level < depth; level++) ids.push(uuidv7());
  const rows = ids.map((id, level) => ({
    id,
    space_id: spaceId,
    parent_id: level === 0 ? null : (ids[level - 1] as string),
    kind: 'folder' as const,
    name: `n${level}`,
    name_key: nameKey(`n${level}`),
    current_version_id: null,
    created_by: by,
    updated_by: by,
    created_at: now,
    updated_at: now,
    trashed_at: null,
    trashed_by: null,
    trashed_with: null,
  }));
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('files').values(rows.slice(i, i + 500)).execute();
  return ids;
}

describe('deep folder trees', () => {
  it(`refuses to nest folders deeper than ${MAX_FOLDER_DEPTH} levels, by creation or by a move`, async () => {
    const spaceId = await c.space('FR', [[hugo, 'editor']]);
    let parent: string | null = null;
    for (let level = 1; level <= MAX_FOLDER_DEPTH; level++) parent = await c.folder(hugo, spaceId, `n${level}`, parent);
    const deeper = await c.json(hugo, 'POST', `/api/spaces/${spaceId}/folders`, { name: 'trop', parentId: parent });
    expect(deeper.status).toBe(409);
    expect(deeper.body).toMatchObject({ type: 'urn:entente:problem:file-move-refused', reason: 'too_deep' });
    // A folder with a subfolder moved under the deepest one: refused as well; a file goes there.
    const top = await c.folder(hugo, spaceId, 'haut');
    await c.folder(hugo, spaceId, 'bas', top);
    const moved = await c.json(hugo, 'PATCH', `/api/files/${top}`, { parentId: parent });
    expect(moved.status).toBe(409);
    expect(moved.body.reason).toBe('too_deep');
    const file = (await c.uploadFile(hugo, spaceId, Buffer.from('feuille'), 'feuille.txt')).file.id as string;
    expect((await c.json(hugo, 'PATCH', `/api/files/${file}`, { parentId: parent })).status).toBe(200);
  });

  it('never lets an editor delete someone else’s file for good by hiding it below the depth the queries walk', async () => {
    const spaceId = await c.space('FR', [[hugo, 'editor']]);
    // Hugo's own chain of 1,100 folders, Camille's file at its bottom.
    const chain = await chainInDatabase(spaceId, hugo.id, 1100);
    const victim = (await c.uploadFile(camille, spaceId, Buffer.from('le budget de Camille'), 'budget.txt')).file.id as string;
    await t.entente.stores.cells.FR.db.updateTable('files').set({ parent_id: chain.at(-1) as string }).where('id', '=', victim).execute();

    expect((await c.json(hugo, 'POST', `/api/files/${chain[0]}/trash`)).status).toBe(200);
    const deleted = await c.json(hugo, 'DELETE', `/api/files/${chain[0]}`);
    expect(deleted.status).toBe(403);
    const left = await t.entente.stores.cells.FR.db.selectFrom('files').select('id').where('id', '=', victim).executeTakeFirst();
    expect(left?.id).toBe(victim);
    // The owner may, and every object of the subtree goes with it.
    expect((await c.json(camille, 'DELETE', `/api/files/${chain[0]}`)).status).toBe(204);
    const objects: string[] = [];
    for await (const o of t.entente.cells.get('FR').objects.list(`spaces/${spaceId}/files/`)) objects.push(o.key);
    expect(objects).toEqual([]);
  });

  it('never makes a cycle out of a tree deeper than the queries walk', async () => {
    const spaceId = await c.space('FR', [[hugo, 'editor']]);
    const chain = await chainInDatabase(spaceId, hugo.id, 1100);
    const moved = await c.json(hugo, 'PATCH', `/api/files/${chain[0]}`, { parentId: chain.at(-1) });
    expect(moved.status).toBe(409);
    const top = await t.entente.stores.cells.FR.db.selectFrom('files').select('parent_id').where('id', '=', chain[0] as string).executeTakeFirstOrThrow();
    expect(top.parent_id).toBeNull();
  });
});

describe('uploads of a former member', () => {
  it('tell nothing more about the file once its creator has left the space', async () => {
    const spaceId = await c.space('FR', [[hugo, 'editor']]);
    const url = await c.upload(hugo, Buffer.from('compte rendu'), { spaceId, filename: 'cr.txt' }).done;
    const path = new URL(url).pathname;
    const before = await c.json(hugo, 'GET', path);
    expect(before.body.file?.name).toBe('cr.txt');
    expect((await c.json(camille, 'DELETE', `/api/spaces/${spaceId}/members/${hugo.id}`)).status).toBe(204);
    await c.json(camille, 'PATCH', `/api/files/${before.body.file.id}`, { name: 'Licenciements 2027.txt' });
    const after = await c.json(hugo, 'GET', path);
    expect(after.status).toBe(404);
    expect(JSON.stringify(after.body)).not.toContain('Licenciements');
  });
});

describe('download audit', () => {
  it('records a reader who takes a file by ranges that skip its first byte, once, not at each seek', async () => {
    const spaceId = await c.space('FR', [[hugo, 'reader']]);
    const body = Buffer.from(`%PDF-1.7 ${'x'.repeat(100_000)}`);
    const file = (await c.uploadFile(camille, spaceId, body, 'rapport.pdf')).file.id as string;
    const downloads = async () => (await t.entente.audit.list({ jurisdiction: 'FR', resourceId: file, limit: 100 })).filter((e) => e.action === 'workspace.file.downloaded' && e.actor_id === hugo.id);
    // Everything but the first byte (which the type gives away anyway).
    const rest = await c.download(hugo, `/api/files/${file}/content`, { range: 'bytes=1-' });
    expect(rest.status).toBe(206);
    expect(rest.bytes.equals(body.subarray(1))).toBe(true);
    const recorded = await downloads();
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.details).toMatchObject({ range: `1-${body.length - 1}` });
    // Seeking again in the same file: no event each time.
    await c.download(hugo, `/api/files/${file}/content`, { range: 'bytes=5000-6000' });
    await c.download(hugo, `/api/files/${file}/content`, { range: 'bytes=-10' });
    expect(await downloads()).toHaveLength(1);
  });
});

describe('personal data export of a former member', () => {
  it('gives the titles and names of what the agent created only where they can still read them', async () => {
    const spaceId = await c.space('FR', [[hugo, 'editor']]);
    const doc = await c.json(hugo, 'POST', `/api/spaces/${spaceId}/documents`, { title: 'Brouillon de Hugo' });
    expect(doc.status).toBe(201);
    const file = (await c.uploadFile(hugo, spaceId, Buffer.from('départs'), 'liste.txt')).file.id as string;
    const exportOf = async () => {
      const response = await fetch(`${t.baseUrl}/api/me/export`, { headers: { cookie: c.session(hugo).cookie } });
      expect(response.status).toBe(200);
      return response.text();
    };
    expect(await exportOf()).toContain('Brouillon de Hugo');

    // The owner renames Hugo's document and closes it to everyone but herself.
    expect((await c.json(camille, 'PATCH', `/api/documents/${doc.body.id}`, { title: 'Plan social confidentiel' })).status).toBe(200);
    expect((await c.json(camille, 'PUT', `/api/documents/${doc.body.id}/access`, { restricted: true, entries: [] })).status).toBe(200);
    expect((await c.json(hugo, 'GET', `/api/documents/${doc.body.id}`)).status).toBe(404);
    const restricted = await exportOf();
    expect(restricted).not.toContain('Plan social confidentiel');
    expect(restricted).toContain('liste.txt');

    // Then renames Hugo's file and removes him from the space.
    expect((await c.json(camille, 'PATCH', `/api/files/${file}`, { name: 'Départs 2027.txt' })).status).toBe(200);
    expect((await c.json(camille, 'DELETE', `/api/spaces/${spaceId}/members/${hugo.id}`)).status).toBe(204);
    const removed = await exportOf();
    expect(removed).not.toContain('Départs 2027');
    expect(removed).not.toContain('Plan social confidentiel');
  });
});

describe('reversibility an editor cannot break', () => {
  it('exports deep folders with long names as an archive this instance imports', async () => {
    const spaceId = await c.space('FR', [[hugo, 'editor']]);
    let parent: string | null = null;
    for (let level = 1; level <= 12; level++) parent = await c.folder(hugo, spaceId, `${'Compte rendu très détaillé de la réunion '.repeat(5)}${level}`, parent);
    await c.uploadFile(hugo, spaceId, Buffer.from('au fond'), 'fond.txt', { folderId: parent as string });
    // The same with documents: nested long titles.
    let doc: string | null = null;
    for (let level = 1; level <= 12; level++) {
      const created = await c.json(hugo, 'POST', `/api/spaces/${spaceId}/documents`, { title: `${'Procès-verbal de la séance plénière '.repeat(6)}${level}`, ...(doc ? { parentId: doc } : {}) });
      expect(created.status).toBe(201);
      doc = created.body.id as string;
    }
    const deps = { stores: t.entente.stores, cells: t.entente.cells, content: t.entente.collab.store, audit: t.entente.audit, publicUrl: new URL(t.baseUrl) };
    const out = path.join(TMP, `profond-${uuidv7()}.zip`);
    await exportSpaceArchive(deps, { spaceId, out });
    const report = await importArchive(deps, { file: out });
    expect(report.spaces[0]).toMatchObject({ files: 1, fileVersions: 1, documents: 12 });
    const items = await t.entente.stores.cells.FR.db.selectFrom('files').select('kind').where('space_id', '=', report.spaces[0]?.id as string).execute();
    expect(items.filter((i) => i.kind === 'folder')).toHaveLength(12);
  });
});

describe('the space quota', () => {
  it('holds for images of documents too, not only for files', async () => {
    const spaceId = await c.space('FR', [[hugo, 'editor']]);
    const doc = (await c.json(hugo, 'POST', `/api/spaces/${spaceId}/documents`, { title: 'Album' })).body.id as string;
    const png = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#777', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png().toBuffer();
    await upsertQuotaOverride(t.entente.stores.control.db, 'space', spaceId, png.length * 2 + 100, camille.id);
    const post = () =>
      fetch(`${t.baseUrl}/api/documents/${doc}/images`, { method: 'POST', headers: { ...c.session(hugo).headers, 'content-type': 'image/png' }, body: new Uint8Array(png) });
    expect((await post()).status).toBe(201);
    expect((await post()).status).toBe(201);
    const over = await post();
    expect(over.status).toBe(413);
    expect(await over.json()).toMatchObject({ type: 'urn:entente:problem:quota-exceeded', scope: 'space' });
    const images = await t.entente.stores.cells.FR.db.selectFrom('document_images').select('id').where('space_id', '=', spaceId).execute();
    expect(images).toHaveLength(2);
    const objects: string[] = [];
    for await (const o of t.entente.cells.get('FR').objects.list(`spaces/${spaceId}/images/`)) objects.push(o.key);
    expect(objects).toHaveLength(2);
    // Nor does a file go past what the images took.
    const file = await c.json(hugo, 'GET', `/api/spaces/${spaceId}/files`);
    expect(file.body.quota.space.used).toBe(png.length * 2);
  });
});

describe('tus and CSRF', () => {
  it('refuses a cross-site page driving an agent’s browser through the upload protocol', async () => {
    const spaceId = await c.space('FR', [[hugo, 'editor']]);
    const { cookie, csrfToken } = c.session(hugo);
    const created = await c.tus(null, 'POST', '/api/uploads', { cookie, 'x-csrf-token': csrfToken, origin: c.session(hugo).headers.origin as string, 'upload-length': '4', 'upload-metadata': metadataHeader({ spaceId, filename: 'ok.txt' }) });
    expect(created.status).toBe(201);
    const location = created.headers.get('location') as string;
    const patch = { cookie, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' };
    for (const headers of [
      { cookie, 'upload-length': '4', 'upload-metadata': metadataHeader({ spaceId, filename: 'csrf.txt' }) },
      { cookie, 'x-csrf-token': csrfToken, origin: 'https://evil.example', 'upload-length': '4', 'upload-metadata': metadataHeader({ spaceId, filename: 'csrf.txt' }) },
    ] as Record<string, string>[]) {
      expect((await c.tus(null, 'POST', '/api/uploads', headers)).status).toBe(403);
    }
    expect((await c.tus(null, 'PATCH', location, patch, Buffer.from('evil'))).status).toBe(403);
    expect((await c.tus(null, 'DELETE', location, { cookie })).status).toBe(403);
    const head = await c.tus(null, 'HEAD', location, { cookie });
    expect(head.headers.get('upload-offset')).toBe('0');
  });
});

describe('rate limits', () => {
  it('count an agent’s requests, whatever else their cookie header carries', async () => {
    // Émilie has sent no image yet in this file's tests.
    const spaceId = await c.space('FR', [[emilie, 'editor']]);
    const doc = (await c.json(emilie, 'POST', `/api/spaces/${spaceId}/documents`, { title: 'Rafale' })).body.id as string;
    const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#123456' } }).png().toBuffer();
    const statuses: number[] = [];
    // 61 images in a minute (the limit is 60), each with one more meaningless cookie.
    for (let n = 0; n < 61; n++) {
      const headers = { ...c.session(emilie).headers, cookie: `${c.session(emilie).cookie}; essai=${n}`, 'content-type': 'image/png' };
      statuses.push((await fetch(`${t.baseUrl}/api/documents/${doc}/images`, { method: 'POST', headers, body: new Uint8Array(png) })).status);
    }
    expect(statuses.slice(0, 60).every((s) => s === 201)).toBe(true);
    expect(statuses[60]).toBe(429);
  });
});
