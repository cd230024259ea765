import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { type Agent, camille, emilie, FilesClient, hugo, olivier, refused } from './files-support.ts';

/**
 * The files area through the real server: the tree (folders, names, moves, cycles), trash and
 * restore, delete for good, versions, downloads with ranges and the headers that keep uploaded
 * content from running as a page, and who may do what (readers, non-members, tokens).
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

const list = (agent: Agent, spaceId: string, query = '') => c.json(agent, 'GET', `/api/spaces/${spaceId}/files${query}`);
// biome-ignore lint/suspicious/noExplicitAny: answers are read loosely
const names = (body: Record<string, any>) => (body.items as { name: string }[]).map((i) => i.name);
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('folders, names and moves', () => {
  it('lists folders first, with the breadcrumb, the quotas and whether the agent may edit', async () => {
    const spaceId = await c.space('FR', [[hugo, 'reader']]);
    const projets = await c.folder(camille, spaceId, 'Projets');
    const annexes = await c.folder(camille, spaceId, 'Annexes', projets);
    await c.uploadFile(camille, spaceId, Buffer.from('Ordre du jour\n'), 'agenda.txt');
    await c.folder(camille, spaceId, 'Budget');

    const root = await list(camille, spaceId);
    expect(root.status).toBe(200);
    expect(names(root.body)).toEqual(['Budget', 'Projets', 'agenda.txt']);
    expect(root.body.folder).toBeNull();
    expect(root.body.path).toEqual([]);
    expect(root.body.canEdit).toBe(true);
    expect(root.body.quota.space).toMatchObject({ used: 14, limit: 10 * 1024 ** 3 });
    expect(root.body.quota.organisation).toMatchObject({ id: camille.organisationId, limit: 100 * 1024 ** 3 });
    const agenda = root.body.items.find((i: { name: string }) => i.name === 'agenda.txt');
    expect(agenda).toMatchObject({ kind: 'file', size: 14, contentType: 'text/plain', versionCount: 1, parentId: null, trashedAt: null });
    expect(agenda.updatedBy).toEqual({ id: camille.id, name: 'Camille Martin' });
    expect(agenda.downloadUrl).toBe(`/api/files/${agenda.id}/content`);

    const inner = await list(hugo, spaceId, `?folderId=${annexes}`);
    expect(inner.status).toBe(200);
    expect(inner.body.folder).toEqual({ id: annexes, name: 'Annexes', parentId: projets });
    expect(inner.body.path).toEqual([
      { id: projets, name: 'Projets' },
      { id: annexes, name: 'Annexes' },
    ]);
    expect(inner.body.canEdit).toBe(false);
    expect(inner.body.quota.organisation.id).toBe(hugo.organisationId);
    // A file's id is not a folder; an unknown folder is not found.
    expect((await list(camille, spaceId, `?folderId=${agenda.id}`)).status).toBe(404);
    expect((await list(camille, spaceId, `?folderId=${crypto.randomUUID()}`)).status).toBe(404);
    expect((await list(camille, spaceId, '?folderId=nope')).status).toBe(400);
  });

  it('keeps names unique per folder, ignoring case and Unicode composition', async () => {
    const spaceId = await c.space('FR');
    const first = await c.folder(camille, spaceId, 'Réunions');
    const taken = await c.json(camille, 'POST', `/api/spaces/${spaceId}/folders`, { name: 're\u0301unions', parentId: null });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ type: 'urn:entente:problem:file-name-taken', existingId: first, existingKind: 'folder', existingName: 'Réunions' });
    // The same name elsewhere is fine; trimmed and stored composed.
    const other = await c.folder(camille, spaceId, '  Re\u0301unions  ', first);
    const inner = await list(camille, spaceId, `?folderId=${first}`);
    expect(inner.body.items.map((i: { id: string; name: string }) => [i.id, i.name])).toEqual([[other, 'Réunions']]);
    // An upload with a taken name is refused before any byte, saying which item holds it.
    await c.uploadFile(camille, spaceId, Buffer.from('a'), 'Note.txt');
    const denied = await refused(c.upload(camille, Buffer.from('b'), { spaceId, filename: 'NOTE.TXT' }).done);
    expect(denied).toMatchObject({ status: 409, body: { type: 'urn:entente:problem:file-name-taken', existingKind: 'file' } });
  });

  it.each([
    ['a/b'],
    ['a\\b'],
    ['..'],
    ['.'],
    ['   '],
    ['ligne\r\nContent-Type: text/html'],
    ['nul\u0000'],
    ['facture\u202Efdp.exe'],
    ['x'.repeat(256)],
  ])('refuses the name %j for a folder and a rename', async (bad) => {
    const spaceId = await c.space('FR');
    const created = await c.json(camille, 'POST', `/api/spaces/${spaceId}/folders`, { name: bad, parentId: null });
    expect(created.status).toBe(400);
    expect(created.body.type).toBe('urn:entente:problem:file-name-invalid');
    const folder = await c.folder(camille, spaceId, 'Valide');
    const renamed = await c.json(camille, 'PATCH', `/api/files/${folder}`, { name: bad });
    expect(renamed.status).toBe(400);
    expect((await list(camille, spaceId)).body.items.map((i: { name: string }) => i.name)).toEqual(['Valide']);
  });

  it('renames and moves, and refuses cycles, files as folders and unknown destinations', async () => {
    const spaceId = await c.space('FR', [[hugo, 'editor']]);
    const otherSpace = await c.space('FR');
    const a = await c.folder(camille, spaceId, 'A');
    const b = await c.folder(camille, spaceId, 'B', a);
    const deep = await c.folder(camille, spaceId, 'C', b);
    const file = (await c.uploadFile(hugo, spaceId, Buffer.from('texte'), 'doc.txt')).file.id as string;
    const elsewhere = await c.folder(camille, otherSpace, 'Ailleurs');

    const renamed = await c.json(hugo, 'PATCH', `/api/files/${file}`, { name: 'compte-rendu.txt' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'compte-rendu.txt', parentId: null });
    const moved = await c.json(hugo, 'PATCH', `/api/files/${file}`, { parentId: deep });
    expect(moved.body.parentId).toBe(deep);

    for (const [target, reason] of [
      [a, 'cycle'],
      [b, 'cycle'],
      [deep, 'cycle'],
      [file, 'not_a_folder'],
    ] as const) {
      const denied = await c.json(camille, 'PATCH', `/api/files/${a}`, { parentId: target });
      expect(denied.status, reason).toBe(409);
      expect(denied.body).toMatchObject({ type: 'urn:entente:problem:file-move-refused', reason });
    }
    expect((await c.json(camille, 'PATCH', `/api/files/${a}`, { parentId: elsewhere })).status).toBe(404);
    expect((await c.json(camille, 'PATCH', `/api/files/${a}`, { parentId: crypto.randomUUID() })).status).toBe(404);
    // Same name in the destination.
    await c.folder(camille, spaceId, 'C');
    const clash = await c.json(camille, 'PATCH', `/api/files/${deep}`, { parentId: null });
    expect(clash.status).toBe(409);
    expect(clash.body.type).toBe('urn:entente:problem:file-name-taken');
    // Back to the root under another name, in one request.
    const both = await c.json(camille, 'PATCH', `/api/files/${deep}`, { parentId: null, name: 'C bis' });
    expect(both.body).toMatchObject({ name: 'C bis', parentId: null });

    const audit = await t.entente.audit.list({ jurisdiction: 'FR', resourceId: file, limit: 100 });
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['workspace.file.renamed', 'workspace.file.moved', 'workspace.file.uploaded']));
  });

  it('refuses concurrent moves that would together make a cycle', async () => {
    const spaceId = await c.space('FR');
    const x = await c.folder(camille, spaceId, 'X');
    const y = await c.folder(camille, spaceId, 'Y');
    const [one, two] = await Promise.all([
      c.json(camille, 'PATCH', `/api/files/${x}`, { parentId: y }),
      c.json(camille, 'PATCH', `/api/files/${y}`, { parentId: x }),
    ]);
    expect([one.status, two.status].sort()).toEqual([200, 409]);
  });
});

describe('trash, restore, delete for good', () => {
  it('trashes a folder with its content, lists only what was trashed directly, and restores it all', async () => {
    const spaceId = await c.space('FR', [[hugo, 'editor']]);
    const folder = await c.folder(camille, spaceId, 'Dossier');
    const sub = await c.folder(camille, spaceId, 'Sous-dossier', folder);
    const file = (await c.uploadFile(camille, spaceId, Buffer.from('contenu'), 'a.txt', { folderId: sub })).file.id as string;

    const trashed = await c.json(hugo, 'POST', `/api/files/${folder}/trash`);
    expect(trashed.status).toBe(200);
    expect(trashed.body.trashedAt).not.toBeNull();
    expect(names((await list(camille, spaceId)).body)).toEqual([]);
    const trash = await list(camille, spaceId, '?view=trash');
    expect(trash.body.items.map((i: { id: string }) => i.id)).toEqual([folder]);
    // Inside the trash nothing changes and nothing goes in.
    expect((await c.json(camille, 'PATCH', `/api/files/${file}`, { name: 'b.txt' })).status).toBe(409);
    expect((await c.json(camille, 'POST', `/api/spaces/${spaceId}/folders`, { name: 'Nouveau', parentId: sub })).status).toBe(409);
    expect((await refused(c.upload(camille, Buffer.from('x'), { spaceId, filename: 'x.txt', folderId: sub }).done)).status).toBe(409);
    // The trashed file still reads (as a document in the trash does).
    expect((await c.download(camille, `/api/files/${file}/content`)).status).toBe(200);
    // Trashing again changes nothing.
    expect((await c.json(camille, 'POST', `/api/files/${folder}/trash`)).status).toBe(200);

    const restored = await c.json(hugo, 'POST', `/api/files/${folder}/restore`);
    expect(restored.body).toMatchObject({ id: folder, trashedAt: null, parentId: null, name: 'Dossier' });
    expect(names((await list(camille, spaceId, `?folderId=${sub}`)).body)).toEqual(['a.txt']);
    expect((await list(camille, spaceId, '?view=trash')).body.items).toEqual([]);
    expect((await c.json(camille, 'POST', `/api/files/${folder}/restore`)).status).toBe(409);
  });

  it('restores to the root when the folder is gone or trashed, and renames beside a namesake', async () => {
    const spaceId = await c.space('FR');
    const folder = await c.folder(camille, spaceId, 'Classeur');
    const file = (await c.uploadFile(camille, spaceId, Buffer.from('1'), 'note.txt', { folderId: folder })).file.id as string;
    await c.json(camille, 'POST', `/api/files/${file}/trash`);
    await c.json(camille, 'POST', `/api/files/${folder}/trash`);
    await c.uploadFile(camille, spaceId, Buffer.from('2'), 'note.txt');
    const back = await c.json(camille, 'POST', `/api/files/${file}/restore`);
    expect(back.body).toMatchObject({ parentId: null, name: 'note (2).txt', trashedAt: null });
    // Its folder, restored later, comes back empty (the file already left it).
    await c.json(camille, 'POST', `/api/files/${folder}/restore`);
    expect(names((await list(camille, spaceId, `?folderId=${folder}`)).body)).toEqual([]);
    expect(names((await list(camille, spaceId)).body)).toEqual(['Classeur', 'note (2).txt', 'note.txt']);
  });

  it('deletes for good only from the trash, by owners or the uploader, with every version’s bytes', async () => {
    const spaceId = await c.space('FR', [[hugo, 'editor']]);
    const mine = await c.uploadFile(hugo, spaceId, randomBytes(70_000), 'mien.bin');
    await c.uploadFile(hugo, spaceId, randomBytes(1000), 'mien.bin', { fileId: mine.file.id });
    const theirs = (await c.uploadFile(camille, spaceId, Buffer.from('à Camille'), 'sien.txt')).file.id as string;
    const folder = await c.folder(hugo, spaceId, 'Mélange');
    await c.uploadFile(camille, spaceId, Buffer.from('dedans'), 'dedans.txt', { folderId: folder });

    expect((await c.json(hugo, 'DELETE', `/api/files/${mine.file.id}`)).status).toBe(409);
    for (const id of [mine.file.id, theirs, folder]) await c.json(hugo, 'POST', `/api/files/${id}/trash`);
    // Someone else's file, and a folder of Hugo's holding Camille's file: not Hugo's to destroy.
    expect((await c.json(hugo, 'DELETE', `/api/files/${theirs}`)).status).toBe(403);
    expect((await c.json(hugo, 'DELETE', `/api/files/${folder}`)).status).toBe(403);

    const cell = t.entente.cells.get('FR');
    const keys = async () => {
      const found: string[] = [];
      for await (const o of cell.objects.list(`spaces/${spaceId}/files/${mine.file.id}/`)) found.push(o.key);
      return found;
    };
    expect(await keys()).toHaveLength(2);
    expect((await c.json(hugo, 'DELETE', `/api/files/${mine.file.id}`)).status).toBe(204);
    expect(await keys()).toEqual([]);
    expect(await cell.db.selectFrom('file_versions').select('id').where('file_id', '=', mine.file.id).execute()).toEqual([]);
    expect((await c.download(hugo, `/api/files/${mine.file.id}/content`)).status).toBe(404);
    // The owner deletes the rest; the folder takes its content with it.
    expect((await c.json(camille, 'DELETE', `/api/files/${folder}`)).status).toBe(204);
    expect((await c.json(camille, 'DELETE', `/api/files/${theirs}`)).status).toBe(204);
    expect(await cell.db.selectFrom('files').select('id').where('space_id', '=', spaceId).execute()).toEqual([]);
    const pending = await cell.db.selectFrom('file_object_deletions').select('object_key').where('space_id', '=', spaceId).execute();
    expect(pending).toEqual([]);
  });
});

describe('versions', () => {
  it('adds a version per upload, lists them, serves any, and restores one as a new current version', async () => {
    const spaceId = await c.space('FR', [[hugo, 'reader']]);
    const v1 = Buffer.from('première version\n');
    const v2 = Buffer.from('deuxième version, plus longue\n');
    const created = await c.uploadFile(camille, spaceId, v1, 'rapport.txt');
    const fileId = created.file.id as string;
    const second = await c.uploadFile(camille, spaceId, v2, 'ignoré.txt', { fileId });
    expect(second.file).toMatchObject({ id: fileId, name: 'rapport.txt', versionCount: 2, size: v2.length });

    const versions = await c.json(hugo, 'GET', `/api/files/${fileId}/versions`);
    expect(versions.body.versions.map((v: { number: number; current: boolean }) => [v.number, v.current])).toEqual([
      [2, true],
      [1, false],
    ]);
    const first = versions.body.versions[1];
    expect(first).toMatchObject({ size: v1.length, contentType: 'text/plain', status: 'unscanned', createdBy: { id: camille.id, name: 'Camille Martin' } });
    expect((await c.download(hugo, `/api/files/${fileId}/content`)).bytes.equals(v2)).toBe(true);
    expect((await c.download(hugo, `/api/files/${fileId}/content?version=${first.id}`)).bytes.equals(v1)).toBe(true);

    // Readers do not restore; editors do, at the cost of no new bytes.
    expect((await c.json(hugo, 'POST', `/api/files/${fileId}/versions/${first.id}/restore`)).status).toBe(403);
    const usedBefore = (await list(camille, spaceId)).body.quota.space.used;
    const restored = await c.json(camille, 'POST', `/api/files/${fileId}/versions/${first.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ versionCount: 3, size: v1.length });
    expect((await list(camille, spaceId)).body.quota.space.used).toBe(usedBefore);
    const after = await c.json(camille, 'GET', `/api/files/${fileId}/versions`);
    expect(after.body.versions.map((v: { number: number; current: boolean; size: number }) => [v.number, v.current, v.size])).toEqual([
      [3, true, v1.length],
      [2, false, v2.length],
      [1, false, v1.length],
    ]);
    expect((await c.download(camille, `/api/files/${fileId}/content`)).bytes.equals(v1)).toBe(true);
    expect((await c.json(camille, 'POST', `/api/files/${fileId}/versions/${crypto.randomUUID()}/restore`)).status).toBe(404);
    // A version of another file is not one of this file's.
    const other = await c.uploadFile(camille, spaceId, Buffer.from('autre'), 'autre.txt');
    expect((await c.json(camille, 'POST', `/api/files/${other.file.id}/versions/${first.id}/restore`)).status).toBe(404);
    expect((await c.download(camille, `/api/files/${other.file.id}/content?version=${first.id}`)).status).toBe(404);
  });
});

describe('downloads', () => {
  const size = 200_000; // several 64 KiB encryption segments
  let body: Buffer;
  let url: string;
  let fileId: string;
  beforeAll(async () => {
    const spaceId = await c.space('FR', [[hugo, 'reader']]);
    body = randomBytes(size);
    const created = await c.uploadFile(camille, spaceId, body, 'données.bin', {}, 50_000);
    fileId = created.file.id;
    url = created.file.downloadUrl;
  });

  it('serves the whole file with its validators, and 304 when unchanged', async () => {
    const whole = await c.download(hugo, url);
    expect(whole.status).toBe(200);
    expect(sha(whole.bytes)).toBe(sha(body));
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('content-length')).toBe(String(size));
    const etag = whole.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f-]{36}"$/);
    expect((await c.download(hugo, url, { 'if-none-match': etag })).status).toBe(304);
    expect((await c.download(hugo, url, { 'if-none-match': '"autre"' })).status).toBe(200);
  });

  it.each([
    ['bytes=0-9', 0, 9],
    ['bytes=65530-65545', 65530, 65545],
    ['bytes=150000-', 150000, size - 1],
    ['bytes=-10', size - 10, size - 1],
    ['bytes=199990-300000', 199990, size - 1],
  ])('serves the range %s (206)', async (range, start, end) => {
    const part = await c.download(hugo, url, { range });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes ${start}-${end}/${size}`);
    expect(part.headers.get('content-length')).toBe(String(end - start + 1));
    expect(part.bytes.equals(body.subarray(start, end + 1))).toBe(true);
  });

  it('answers 416 outside the file, and the whole file for what it ignores', async () => {
    for (const range of [`bytes=${size}-`, 'bytes=999999-1000000', 'bytes=-0']) {
      const denied = await c.download(hugo, url, { range });
      expect(denied.status, range).toBe(416);
      expect(denied.headers.get('content-range')).toBe(`bytes */${size}`);
      expect(denied.headers.get('content-type')).toContain('application/problem+json');
    }
    for (const range of ['bytes=0-1,5-6', 'items=0-1', 'bytes=abc', 'bytes=9-3', `bytes=${'9'.repeat(30)}-`]) {
      const whole = await c.download(hugo, url, { range });
      expect(whole.status, range).toBe(200);
      expect(whole.bytes.length).toBe(size);
    }
    // If-Range with another validator: the file changed since, the whole of it.
    const changed = await c.download(hugo, url, { range: 'bytes=0-9', 'if-range': '"autre"' });
    expect(changed.status).toBe(200);
  });

  it('audits downloads that read the first byte, not each seek', async () => {
    const count = async () => (await t.entente.audit.list({ jurisdiction: 'FR', resourceId: fileId, limit: 1000 })).filter((e) => e.action === 'workspace.file.downloaded').length;
    const before = await count();
    await c.download(hugo, url);
    await c.download(hugo, url, { range: 'bytes=0-99' });
    await c.download(hugo, url, { range: 'bytes=100-199' });
    await c.download(hugo, url, { range: 'bytes=-50' });
    expect(await count()).toBe(before + 2);
  });
});

describe('content types and names in headers', () => {
  let spaceId: string;
  beforeAll(async () => {
    spaceId = await c.space('FR');
  });

  const headersOf = async (bytes: Buffer, filename: string, query = '') => {
    const created = await c.uploadFile(camille, spaceId, bytes, filename);
    const got = await c.download(camille, `${created.file.downloadUrl}${query}`);
    expect(got.status).toBe(200);
    return { item: created.file, headers: got.headers };
  };

  it('reads the type from the bytes: a .png name on PDF bytes is a PDF', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const { item, headers } = await headersOf(pdf, 'photo.png', '');
    expect(item.contentType).toBe('application/pdf');
    expect(item.thumbnailUrl).toBeNull();
    expect(headers.get('content-type')).toBe('application/pdf');
    expect(headers.get('content-disposition')).toMatch(/^inline; /);
  });

  it('serves HTML, SVG and unknown bytes as attachments, sandboxed and never sniffed', async () => {
    for (const [bytes, name, type] of [
      [Buffer.from('<!DOCTYPE html><html><script>alert(document.cookie)</script></html>'), 'page.txt', 'text/html'],
      [Buffer.from('  <svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'logo.png', 'image/svg+xml'],
      [Buffer.concat([Buffer.from([0, 1, 2, 3]), randomBytes(100)]), 'inconnu.txt', 'application/octet-stream'],
    ] as const) {
      const { item, headers } = await headersOf(bytes, name);
      expect(item.contentType).toBe(type);
      expect(headers.get('content-type')).toBe(type);
      expect(headers.get('content-disposition')).toMatch(/^attachment; /);
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    }
  });

  it('serves text inline as UTF-8 text, and as an attachment with download=1', async () => {
    const { item, headers } = await headersOf(Buffer.from('Compte rendu : « ça marche »\n'), 'notes.md');
    expect(item.contentType).toBe('text/plain');
    expect(headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(headers.get('content-disposition')).toMatch(/^inline; /);
    const attached = await c.download(camille, `${item.downloadUrl}?download=1`);
    expect(attached.headers.get('content-disposition')).toMatch(/^attachment; /);
    // Latin-1 bytes are not valid UTF-8: not text.
    const latin1 = await c.uploadFile(camille, spaceId, Buffer.from('caf\xe9', 'latin1'), 'latin1.txt');
    expect(latin1.file.contentType).toBe('application/octet-stream');
  });

  it('sanitises names: no header injection, an ASCII fallback and the real name encoded', async () => {
    const created = await c.uploadFile(camille, spaceId, Buffer.from('x'), 'evil"\r\nSet-Cookie: a=b;\r\n.txt');
    expect(created.file.name).toBe('evil"__Set-Cookie: a=b;__.txt');
    const got = await c.download(camille, created.file.downloadUrl);
    expect(got.headers.get('set-cookie')).toBeNull();
    const disposition = got.headers.get('content-disposition') ?? '';
    expect(disposition).not.toMatch(/[\r\n]/);
    expect(disposition).toBe(`inline; filename="evil___Set-Cookie_ a=b___.txt"; filename*=UTF-8''evil___Set-Cookie_%20a%3Db%3B__.txt`);

    const unicode = await c.uploadFile(camille, spaceId, Buffer.from('y'), 'Compte rendu – été.txt');
    const header = (await c.download(camille, unicode.file.downloadUrl)).headers.get('content-disposition');
    expect(header).toBe(`inline; filename="Compte rendu _ ete.txt"; filename*=UTF-8''Compte%20rendu%20%E2%80%93%20%C3%A9t%C3%A9.txt`);

    const device = await c.uploadFile(camille, spaceId, Buffer.from('z'), 'CON.txt');
    expect(device.file.name).toBe('CON.txt');
    expect((await c.download(camille, device.file.downloadUrl)).headers.get('content-disposition')).toContain('filename="_CON.txt"');

    const bidi = await c.uploadFile(camille, spaceId, Buffer.from('w'), 'facture\u202Efdp.exe');
    expect(bidi.file.name).toBe('facturefdp.exe');
    const slashes = await c.uploadFile(camille, spaceId, Buffer.from('v'), '../../etc/passwd');
    expect(slashes.file.name).toBe('.._.._etc_passwd');
  });
});

describe('who may do what', () => {
  it('lets readers list and download but not change; non-members learn nothing', async () => {
    const spaceId = await c.space('FR', [[hugo, 'reader']]);
    const folder = await c.folder(camille, spaceId, 'Dossier');
    const file = await c.uploadFile(camille, spaceId, Buffer.from('secret'), 'secret.txt');
    const fileId = file.file.id as string;

    expect((await list(hugo, spaceId)).status).toBe(200);
    expect((await c.download(hugo, file.file.downloadUrl)).status).toBe(200);
    expect((await c.json(hugo, 'POST', `/api/spaces/${spaceId}/folders`, { name: 'Non', parentId: null })).status).toBe(403);
    expect((await c.json(hugo, 'PATCH', `/api/files/${fileId}`, { name: 'autre.txt' })).status).toBe(403);
    expect((await c.json(hugo, 'POST', `/api/files/${fileId}/trash`)).status).toBe(403);
    // A reader's upload is refused at creation: no byte is ever sent.
    const sent: number[] = [];
    const denied = await refused(c.upload(hugo, Buffer.from('non'), { spaceId, filename: 'non.txt' }, { onChunk: (_u, n) => sent.push(n) }).done);
    expect(denied.status).toBe(403);
    expect(sent).toEqual([]);

    // Émilie is no member: 404 everywhere, as for things that do not exist.
    for (const [method, path] of [
      ['GET', `/api/spaces/${spaceId}/files`],
      ['GET', `/api/files/${fileId}/versions`],
      ['GET', `/api/files/${fileId}/content`],
      ['GET', `/api/files/${fileId}/thumbnail`],
      ['PATCH', `/api/files/${fileId}`],
      ['POST', `/api/files/${fileId}/trash`],
      ['DELETE', `/api/files/${fileId}`],
      ['POST', `/api/spaces/${spaceId}/folders`],
    ] as const) {
      const body = method === 'PATCH' ? { name: 'x' } : method === 'POST' && path.endsWith('folders') ? { name: 'x', parentId: folder } : undefined;
      const answer = await c.json(emilie, method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(404);
    }
    expect((await refused(c.upload(emilie, Buffer.from('x'), { spaceId, filename: 'x.txt' }).done)).status).toBe(404);
    // Signed out: 401.
    expect((await c.json(null, 'GET', `/api/spaces/${spaceId}/files`)).status).toBe(401);
    expect((await c.download(null, file.file.downloadUrl)).status).toBe(401);
  });

  it('lets a token with api:read read but not upload; api:write uploads', async () => {
    const spaceId = await c.space('FR');
    const file = await c.uploadFile(camille, spaceId, Buffer.from('jeton'), 'jeton.txt');
    const token = async (scopes: string[]) =>
      (await c.json(camille, 'POST', '/api/me/tokens', { label: `Fichiers ${scopes.join(' ')}`, scopes, expiresInDays: 1 })).body.token as string;
    const reading = await token(['api:read']);
    const bearer = { authorization: `Bearer ${reading}` };
    expect((await c.json(null, 'GET', `/api/spaces/${spaceId}/files`, undefined, bearer)).status).toBe(200);
    expect((await c.download(null, file.file.downloadUrl, bearer)).status).toBe(200);
    const denied = await refused(c.upload(null, Buffer.from('non'), { spaceId, filename: 'non.txt' }, { headers: bearer }).done);
    expect(denied).toMatchObject({ status: 403, body: { type: 'urn:entente:problem:insufficient-scope' } });
    const writing = await token(['api:write']);
    const url = await c.upload(null, Buffer.from('oui'), { spaceId, filename: 'oui.txt' }, { headers: { authorization: `Bearer ${writing}` } }).done;
    expect(url).toMatch(/\/api\/uploads\/[0-9a-f-]{36}$/);
  });

  it('asks for the space’s level of assurance before content and changes, not to list', async () => {
    const spaceId = await c.space('FR', [], camille, 'low');
    const file = await c.uploadFile(camille, spaceId, Buffer.from('niveau'), 'niveau.txt');
    await t.entente.stores.cells.FR.db.updateTable('spaces').set({ min_assurance: 'substantial' }).where('id', '=', spaceId).execute();
    expect((await list(camille, spaceId)).status).toBe(200);
    const content = await c.json(camille, 'GET', `/api/files/${file.file.id}/content`);
    expect(content.status).toBe(403);
    expect(content.body).toMatchObject({ type: 'urn:entente:problem:insufficient-assurance', requiredLevel: 'substantial' });
    expect((await c.json(camille, 'POST', `/api/spaces/${spaceId}/folders`, { name: 'Non', parentId: null })).body.type).toBe('urn:entente:problem:insufficient-assurance');
    expect((await refused(c.upload(camille, Buffer.from('x'), { spaceId, filename: 'x.txt' }).done)).status).toBe(403);
  });

  it('answers malformed input with 4xx, never 500', async () => {
    const spaceId = await c.space('FR');
    const cases: [string, string, unknown][] = [
      ['POST', `/api/spaces/${spaceId}/folders`, { name: 'a' }],
      ['POST', `/api/spaces/${spaceId}/folders`, { name: 42, parentId: null }],
      ['POST', `/api/spaces/${spaceId}/folders`, { name: 'a', parentId: 'nope' }],
      ['POST', `/api/spaces/${spaceId}/folders`, { name: 'a', parentId: null, extra: 1 }],
      ['PATCH', '/api/files/not-a-uuid', { name: 'a' }],
      ['GET', `/api/spaces/${spaceId}/files?view=corbeille`, undefined],
      ['GET', `/api/files/${crypto.randomUUID()}/content?version=x`, undefined],
      ['PUT', `/api/admin/storage-quotas/space/${spaceId}`, { limitBytes: -1 }],
      ['PUT', `/api/admin/storage-quotas/galaxy/${spaceId}`, { limitBytes: 1 }],
    ];
    for (const [method, path, body] of cases) {
      const answer = await c.json(olivier, method, path, body);
      expect(answer.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(answer.status, `${method} ${path}`).toBeLessThan(500);
    }
  });
});
