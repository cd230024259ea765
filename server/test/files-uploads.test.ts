import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEntente, type Entente } from '../src/entente.ts';
import { createLogger } from '../src/platform/logger.ts';
import { createMalwareScanner } from '../src/platform/scanning/malware-scanner.ts';
import type { FilesDeps } from '../src/workspace/files/deps.ts';
import { processObjectDeletions, purgeTrash } from '../src/workspace/files/files.ts';
import { withQuota } from '../src/workspace/files/quotas.ts';
import { expireUploads } from '../src/workspace/files/uploads.ts';
import { insertUpload } from '../src/workspace/files/uploads.repo.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { type Agent, camille, emilie, FilesClient, hugo, metadataHeader, olivier, refused } from './files-support.ts';

/**
 * Uploads with tus 1.0.0 through the real server and the real tus-js-client: one chunk and many,
 * resumed after an interruption (and across a restart of the server), a PATCH cut mid-way, the
 * protocol's refusals, quotas checked and reserved before any byte (parallel uploads included),
 * thumbnails, and the jobs that expire uploads and empty the trash.
 */
let t: TestApp;
let c: FilesClient;
const MAX_FILE = 4 * 1024 * 1024;

beforeAll(async () => {
  t = await startTestApp({ env: { ENTENTE_MAX_FILE_BYTES: String(MAX_FILE) } });
  c = new FilesClient(t);
  await c.signInAll();
});
afterAll(async () => {
  await t?.close();
});

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const uploadId = (url: string) => url.split('/').pop() as string;

/** The files use cases as the server wires them, with the clock moved. */
function filesDeps(now: Date): FilesDeps {
  const e = t.entente;
  return {
    stores: e.stores,
    cells: e.cells,
    audit: e.audit,
    logger: e.logger,
    scanner: createMalwareScanner(e.config.scanning),
    limits: { maxFileBytes: MAX_FILE, spaceQuotaBytes: e.config.files.spaceQuotaBytes, organisationQuotaBytes: e.config.files.organisationQuotaBytes },
    now: () => now,
  };
}

async function objectsUnder(jurisdiction: 'FR' | 'QC', prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of t.entente.cells.get(jurisdiction).objects.list(prefix)) keys.push(o.key);
  return keys;
}

describe('tus protocol', () => {
  it('announces itself on OPTIONS', async () => {
    const answer = await c.tus(camille, 'OPTIONS', '/api/uploads');
    expect(answer.status).toBe(204);
    expect(answer.headers.get('tus-version')).toBe('1.0.0');
    expect(answer.headers.get('tus-extension')).toBe('creation,termination,expiration');
    expect(answer.headers.get('tus-max-size')).toBe(String(MAX_FILE));
  });

  it('is described in the OpenAPI document, tus routes included', async () => {
    const doc = (await c.json(null, 'GET', '/api/openapi.json')).body;
    expect(Object.keys(doc.paths['/api/uploads']).sort()).toEqual(['options', 'post']);
    expect(Object.keys(doc.paths['/api/uploads/{id}']).sort()).toEqual(['delete', 'get', 'head', 'patch']);
    expect(doc.paths['/api/uploads/{id}'].patch.summary).toContain('application/offset+octet-stream');
    for (const route of ['/api/spaces/{spaceId}/files', '/api/spaces/{spaceId}/folders', '/api/files/{id}', '/api/files/{id}/content', '/api/files/{id}/versions', '/api/admin/storage-quotas/{scope}/{ownerId}']) {
      expect(doc.paths[route], route).toBeDefined();
    }
  });

  it('uploads in one chunk and in many, and the bytes come back identical', async () => {
    const spaceId = await c.space('FR');
    const small = await c.uploadFile(camille, spaceId, Buffer.from('Bonjour\n'), 'petit.txt');
    expect(small).toMatchObject({ status: 'complete', offset: 8, length: 8, file: { name: 'petit.txt', size: 8, contentType: 'text/plain', status: 'unscanned' } });

    const big = randomBytes(1024 * 1024 + 123);
    const chunks: number[] = [];
    const url = await c.upload(camille, big, { spaceId, filename: 'gros.bin', filetype: 'image/png' }, { chunkSize: 64 * 1024, onChunk: (_u, sent) => chunks.push(sent) }).done;
    expect(chunks.length).toBe(17);
    const status = await c.json(camille, 'GET', `/api/uploads/${uploadId(url)}`);
    // The client's claim is ignored: the bytes are not a PNG.
    expect(status.body.file).toMatchObject({ size: big.length, contentType: 'application/octet-stream' });
    const back = await c.download(camille, status.body.file.downloadUrl);
    expect(sha(back.bytes)).toBe(sha(big));
    // Once finished, the parts are gone; the version's object is ciphertext.
    expect(await objectsUnder('FR', `spaces/${spaceId}/uploads/`)).toEqual([]);
    const version = await t.entente.stores.cells.FR.db.selectFrom('file_versions').select(['object_key', 'sha256']).where('file_id', '=', status.body.file.id).executeTakeFirstOrThrow();
    expect(version.sha256).toBe(sha(big));
    const raw = readFileSync(path.join(t.entente.config.cells.FR.objects, version.object_key));
    expect(raw.subarray(0, 4).toString('latin1')).toBe('ENTO');
    expect(raw.includes(big.subarray(1000, 1064))).toBe(false);
  });

  it('creates an empty file at once (no PATCH comes for it)', async () => {
    const spaceId = await c.space('FR');
    const empty = await c.uploadFile(camille, spaceId, Buffer.alloc(0), 'vide.txt');
    expect(empty).toMatchObject({ status: 'complete', length: 0, file: { name: 'vide.txt', size: 0 } });
    expect((await c.download(camille, empty.file.downloadUrl)).bytes.length).toBe(0);
  });

  it('resumes an interrupted upload where the server says it stopped', async () => {
    const spaceId = await c.space('FR');
    const bytes = randomBytes(640 * 1024);
    let aborted: () => void = () => {};
    const stopped = new Promise<void>((resolve) => {
      aborted = resolve;
    });
    const first = c.upload(camille, bytes, { spaceId, filename: 'reprise.bin' }, {
      chunkSize: 64 * 1024,
      onChunk: (upload, sent) => {
        if (sent < 3 * 64 * 1024) return;
        void upload.abort().then(aborted);
      },
    });
    await Promise.race([stopped, first.done]);
    const url = first.upload.url ?? '';
    const head = await c.tus(camille, 'HEAD', new URL(url).pathname);
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe(String(3 * 64 * 1024));
    expect(head.headers.get('upload-length')).toBe(String(bytes.length));
    expect(head.headers.get('cache-control')).toBe('no-store');
    expect(head.headers.get('tus-resumable')).toBe('1.0.0');
    expect(new Date(head.headers.get('upload-expires') ?? '').getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);

    const offsets: string[] = [];
    const resumed = c.upload(camille, bytes, { spaceId, filename: 'reprise.bin' }, { chunkSize: 64 * 1024, uploadUrl: url });
    resumed.upload.options.onBeforeRequest = (request) => {
      if (request.getMethod() === 'PATCH') offsets.push(request.getHeader('Upload-Offset') ?? '');
    };
    await resumed.done;
    expect(offsets[0]).toBe(String(3 * 64 * 1024));
    const status = await c.json(camille, 'GET', new URL(url).pathname);
    expect(sha((await c.download(camille, status.body.file.downloadUrl)).bytes)).toBe(sha(bytes));
  });

  it('keeps what a cut PATCH delivered when it is worth it, and nothing of a small piece', async () => {
    const spaceId = await c.space('FR');
    const bytes = randomBytes(2 * 1024 * 1024);
    const created = await c.tus(camille, 'POST', '/api/uploads', { 'upload-length': String(bytes.length), 'upload-metadata': metadataHeader({ spaceId, filename: 'coupé.bin' }) });
    expect(created.status).toBe(201);
    const location = created.headers.get('location') ?? '';
    expect(location).toMatch(/^\/api\/uploads\/[0-9a-f-]{36}$/);

    // 1.5 MiB announced, 1 MiB sent, then the connection drops.
    await cutPatch(camille, location, 0, bytes.subarray(0, 1536 * 1024), 1024 * 1024);
    const offset = await offsetOnceMoved(location, 0);
    expect(offset).toBeGreaterThan(256 * 1024);
    expect(offset).toBeLessThanOrEqual(1024 * 1024);

    // A small piece (under 256 KiB) is not kept: the offset does not move (the kept one took well under a second).
    await cutPatch(camille, location, offset, bytes.subarray(offset, offset + 512 * 1024), 100 * 1024);
    await new Promise((r) => setTimeout(r, 1500));
    expect(Number((await c.tus(camille, 'HEAD', location)).headers.get('upload-offset'))).toBe(offset);
    expect(await objectsUnder('FR', `spaces/${spaceId}/uploads/`)).toHaveLength(1);

    // tus-js-client finishes from there; the file is exactly the bytes.
    await c.upload(camille, bytes, { spaceId, filename: 'coupé.bin' }, { chunkSize: 256 * 1024, uploadUrl: `${t.baseUrl}${location}` }).done;
    const status = await c.json(camille, 'GET', location);
    expect(status.body.status).toBe('complete');
    expect(sha((await c.download(camille, status.body.file.downloadUrl)).bytes)).toBe(sha(bytes));
  });

  it('lets only one of two PATCHes racing at one offset through', async () => {
    const spaceId = await c.space('FR');
    const bytes = randomBytes(300_000);
    const created = await c.tus(camille, 'POST', '/api/uploads', { 'upload-length': String(bytes.length), 'upload-metadata': metadataHeader({ spaceId, filename: 'course.bin' }) });
    const location = created.headers.get('location') ?? '';
    const patch = (piece: Buffer) => c.tus(camille, 'PATCH', location, { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, piece);
    const [a, b] = await Promise.all([patch(bytes.subarray(0, 100_000)), patch(bytes.subarray(0, 150_000))]);
    expect([a.status, b.status].sort()).toEqual([204, 409]);
    const won = a.status === 204 ? a : b;
    const offset = Number(won.headers.get('upload-offset'));
    const rest = await c.tus(camille, 'PATCH', location, { 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' }, bytes.subarray(offset));
    expect(rest.status).toBe(204);
    expect(rest.headers.get('upload-offset')).toBe(String(bytes.length));
    const status = await c.json(camille, 'GET', location);
    expect(sha((await c.download(camille, status.body.file.downloadUrl)).bytes)).toBe(sha(bytes));
    // Only the winner's part was kept while it lasted; all gone now.
    expect(await objectsUnder('FR', `spaces/${spaceId}/uploads/`)).toEqual([]);
  });

  it('refuses what the protocol does not allow, with problems and no 500', async () => {
    const spaceId = await c.space('FR', [[hugo, 'editor']]);
    const folder = await c.folder(camille, spaceId, 'Dossier');
    const meta = (extra: Record<string, string> = {}) => metadataHeader({ spaceId, filename: 'f.bin', ...extra });
    const create = (headers: Record<string, string>) => c.tus(camille, 'POST', '/api/uploads', headers);

    const noVersion = await c.tus(camille, 'POST', '/api/uploads', { 'tus-resumable': '0.2.2', 'upload-length': '10', 'upload-metadata': meta() });
    expect(noVersion.status).toBe(412);
    expect(noVersion.headers.get('tus-version')).toBe('1.0.0');
    for (const [headers, status, reason] of [
      [{ 'upload-metadata': meta() }, 400, 'upload_length'],
      [{ 'upload-length': '-1', 'upload-metadata': meta() }, 400, 'upload_length'],
      [{ 'upload-length': '1e3', 'upload-metadata': meta() }, 400, 'upload_length'],
      [{ 'upload-defer-length': '1', 'upload-metadata': meta() }, 400, 'upload_defer_length_unsupported'],
      [{ 'upload-length': '10', 'upload-metadata': 'spaceId !!!' }, 400, 'metadata'],
      [{ 'upload-length': '10', 'upload-metadata': `${meta()},spaceId ${Buffer.from(spaceId).toString('base64')}` }, 400, 'metadata'],
      [{ 'upload-length': '10', 'upload-metadata': metadataHeader({ filename: 'x' }) }, 400, 'space_id'],
      [{ 'upload-length': '10', 'upload-metadata': metadataHeader({ spaceId, filename: '..' }) }, 400, 'filename'],
      [{ 'upload-length': '10', 'upload-metadata': metadataHeader({ spaceId, filename: 'x', folderId: 'racine' }) }, 400, 'folder_id'],
    ] as const) {
      const answer = await create(headers);
      expect(answer.status, JSON.stringify(headers)).toBe(status);
      expect(JSON.parse(answer.text)).toMatchObject({ type: 'urn:entente:problem:upload-invalid', reason });
    }
    expect((await create({ 'upload-length': String(MAX_FILE + 1), 'upload-metadata': meta() })).status).toBe(413);
    const tooLarge = JSON.parse((await create({ 'upload-length': String(MAX_FILE + 1), 'upload-metadata': meta() })).text);
    expect(tooLarge).toMatchObject({ type: 'urn:entente:problem:file-too-large', limit: MAX_FILE });
    expect((await create({ 'upload-length': '10', 'upload-metadata': metadataHeader({ spaceId: crypto.randomUUID(), filename: 'x' }) })).status).toBe(404);
    expect((await create({ 'upload-length': '10', 'upload-metadata': meta({ folderId: crypto.randomUUID() }) })).status).toBe(404);
    // A new version of a folder, or of an unknown file: not found.
    expect((await create({ 'upload-length': '10', 'upload-metadata': meta({ fileId: folder }) })).status).toBe(404);
    expect((await create({ 'upload-length': '10', 'upload-metadata': meta({ fileId: crypto.randomUUID() }) })).status).toBe(404);

    const created = await create({ 'upload-length': '10', 'upload-metadata': meta() });
    const location = created.headers.get('location') ?? '';
    const patch = (headers: Record<string, string>, body?: Buffer) => c.tus(camille, 'PATCH', location, { 'content-type': 'application/offset+octet-stream', ...headers }, body);
    expect((await patch({ 'content-type': 'application/octet-stream', 'upload-offset': '0' }, Buffer.from('abc'))).status).toBe(415);
    expect((await patch({ 'upload-offset': 'zero' }, Buffer.from('abc'))).status).toBe(400);
    const mismatch = await patch({ 'upload-offset': '5' }, Buffer.from('abc'));
    expect(mismatch.status).toBe(409);
    expect(mismatch.headers.get('upload-offset')).toBe('0');
    expect(JSON.parse(mismatch.text)).toMatchObject({ type: 'urn:entente:problem:upload-offset-mismatch', expected: 0 });
    // More than announced: refused, by its declared length or while it streams, and nothing kept.
    expect((await patch({ 'upload-offset': '0' }, Buffer.alloc(11))).status).toBe(413);
    const streamed = await chunkedPatch(camille, location, 0, [Buffer.alloc(6), Buffer.alloc(6)]);
    expect(streamed).toBe(413);
    expect((await c.tus(camille, 'HEAD', location)).headers.get('upload-offset')).toBe('0');
    expect(await objectsUnder('FR', `spaces/${spaceId}/uploads/`)).toEqual([]);
    // An empty PATCH changes nothing; the right one finishes.
    expect((await patch({ 'upload-offset': '0' })).headers.get('upload-offset')).toBe('0');
    const finished = await patch({ 'upload-offset': '0' }, Buffer.from('0123456789'));
    expect(finished.status).toBe(204);
    expect(finished.headers.get('upload-offset')).toBe('10');
    // Repeating the last request of a finished upload says where it stands; more bytes are denied.
    expect((await patch({ 'upload-offset': '10' })).status).toBe(204);
    expect((await patch({ 'upload-offset': '0' }, Buffer.from('0123456789'))).status).toBe(409);
    // Without Tus-Resumable: 412 on HEAD, PATCH and DELETE too.
    for (const method of ['HEAD', 'PATCH', 'DELETE']) {
      const answer = await fetch(`${t.baseUrl}${location}`, { method, headers: { ...c.session(camille).headers } });
      expect(answer.status, method).toBe(412);
    }
  });

  it('keeps each upload to its creator: 404 for anyone else, whatever they try', async () => {
    const spaceId = await c.space('FR', [[hugo, 'editor']]);
    const created = await c.tus(camille, 'POST', '/api/uploads', { 'upload-length': '4', 'upload-metadata': metadataHeader({ spaceId, filename: 'a.txt' }) });
    const location = created.headers.get('location') ?? '';
    for (const agent of [hugo, emilie]) {
      expect((await c.tus(agent, 'HEAD', location)).status).toBe(404);
      expect((await c.json(agent, 'GET', location)).status).toBe(404);
      expect((await c.tus(agent, 'PATCH', location, { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, Buffer.from('abcd'))).status).toBe(404);
      expect((await c.tus(agent, 'DELETE', location)).status).toBe(404);
    }
    expect((await c.tus(null, 'HEAD', location)).status).toBe(401);
    expect((await c.tus(camille, 'HEAD', `/api/uploads/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await c.tus(camille, 'HEAD', '/api/uploads/pas-un-id')).status).toBe(400);
    // A member demoted to reader mid-upload sends nothing more.
    const hugos = await c.tus(hugo, 'POST', '/api/uploads', { 'upload-length': '4', 'upload-metadata': metadataHeader({ spaceId, filename: 'b.txt' }) });
    expect(hugos.status).toBe(201);
    expect((await c.json(camille, 'PUT', `/api/spaces/${spaceId}/members/${hugo.id}`, { role: 'reader' })).status).toBe(200);
    const demoted = await c.tus(hugo, 'PATCH', hugos.headers.get('location') ?? '', { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, Buffer.from('abcd'));
    expect(demoted.status).toBe(403);
  });

  it('terminates an upload: its parts go and its reservation is released', async () => {
    const spaceId = await c.space('FR');
    const used = async () => (await c.json(camille, 'GET', `/api/spaces/${spaceId}/files`)).body.quota.space.used as number;
    const created = await c.tus(camille, 'POST', '/api/uploads', { 'upload-length': '500000', 'upload-metadata': metadataHeader({ spaceId, filename: 'abandon.bin' }) });
    const location = created.headers.get('location') ?? '';
    expect(await used()).toBe(500_000);
    await c.tus(camille, 'PATCH', location, { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, randomBytes(100_000));
    expect(await objectsUnder('FR', `spaces/${spaceId}/uploads/`)).toHaveLength(1);
    expect((await c.tus(camille, 'DELETE', location)).status).toBe(204);
    expect(await objectsUnder('FR', `spaces/${spaceId}/uploads/`)).toEqual([]);
    expect(await used()).toBe(0);
    expect((await c.tus(camille, 'HEAD', location)).status).toBe(404);
  });

  it('stores parts encrypted while the upload lasts', async () => {
    const spaceId = await c.space('FR');
    const marker = Buffer.from('TEXTE-EN-CLAIR-A-NE-JAMAIS-STOCKER '.repeat(4000));
    const created = await c.tus(camille, 'POST', '/api/uploads', { 'upload-length': String(marker.length * 2), 'upload-metadata': metadataHeader({ spaceId, filename: 'clair.txt' }) });
    await c.tus(camille, 'PATCH', created.headers.get('location') ?? '', { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, marker);
    const [key] = await objectsUnder('FR', `spaces/${spaceId}/uploads/`);
    const stored = readFileSync(path.join(t.entente.config.cells.FR.objects, key as string));
    expect(stored.length).toBeGreaterThan(marker.length);
    expect(stored.includes(Buffer.from('TEXTE-EN-CLAIR'))).toBe(false);
  });
});

describe('quotas', () => {
  const setQuota = (agent: Agent, scope: string, id: string, limitBytes: number | null) => c.json(agent, 'PUT', `/api/admin/storage-quotas/${scope}/${id}`, { limitBytes });

  it('lets operators only set quotas, audited', async () => {
    const spaceId = await c.space('FR');
    expect((await setQuota(hugo, 'space', spaceId, 1000)).status).toBe(403);
    const set = await setQuota(camille, 'space', spaceId, 1000);
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ scope: 'space', ownerId: spaceId, limitBytes: 1000, effectiveLimit: 1000, used: 0 });
    expect((await c.json(camille, 'GET', `/api/admin/storage-quotas/space/${spaceId}`)).body.limitBytes).toBe(1000);
    expect((await setQuota(camille, 'space', crypto.randomUUID(), 1000)).status).toBe(404);
    expect((await setQuota(camille, 'organisation', crypto.randomUUID(), 1000)).status).toBe(404);
    const reset = await setQuota(camille, 'space', spaceId, null);
    expect(reset.body).toMatchObject({ limitBytes: null, effectiveLimit: 10 * 1024 ** 3 });
    const audit = await t.entente.audit.list({ jurisdiction: null, action: 'workspace.quota.updated', resourceId: spaceId, limit: 10 });
    expect(audit).toHaveLength(2);
  });

  it('refuses an upload that does not fit before any byte, saying which quota and by how much', async () => {
    const spaceId = await c.space('FR');
    await c.uploadFile(camille, spaceId, randomBytes(60_000), 'déjà.bin');
    await setQuota(camille, 'space', spaceId, 100_000);
    const sent: number[] = [];
    const denied = await refused(c.upload(camille, randomBytes(50_000), { spaceId, filename: 'trop.bin' }, { onChunk: (_u, n) => sent.push(n) }).done);
    expect(denied.status).toBe(413);
    expect(denied.body).toMatchObject({ type: 'urn:entente:problem:quota-exceeded', scope: 'space', used: 60_000, limit: 100_000, needed: 50_000 });
    expect(String(denied.body.detail)).toContain('Rien n’a été envoyé');
    expect(sent).toEqual([]);
    const rows = await t.entente.stores.cells.FR.db.selectFrom('file_uploads').select('id').where('space_id', '=', spaceId).where('status', '=', 'uploading').execute();
    expect(rows).toEqual([]);
    // What fits still goes.
    await c.uploadFile(camille, spaceId, randomBytes(40_000), 'juste.bin');
  });

  it('reserves lengths at creation: parallel uploads cannot together overshoot a space’s quota', async () => {
    // Agents of three organisations: only the space's lock stands between them.
    const spaceId = await c.space('FR', [
      [hugo, 'editor'],
      [emilie, 'editor'],
    ]);
    await setQuota(camille, 'space', spaceId, 300_000);
    const agents = [camille, hugo, emilie, camille, hugo, emilie, camille, hugo];
    const answers = await Promise.all(
      agents.map((agent, i) => c.tus(agent, 'POST', '/api/uploads', { 'upload-length': '100000', 'upload-metadata': metadataHeader({ spaceId, filename: `parallèle-${i}.bin` }) }).then((a) => ({ ...a, agent }))),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 201, 413, 413, 413, 413, 413]);
    for (const answer of answers.filter((a) => a.status === 201)) {
      const location = answer.headers.get('location') ?? '';
      expect((await c.tus(answer.agent, 'PATCH', location, { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, randomBytes(100_000))).status).toBe(204);
    }
    expect((await c.json(camille, 'GET', `/api/spaces/${spaceId}/files`)).body.quota.space).toEqual({ used: 300_000, limit: 300_000 });
  });

  it('serialises reservations in a space with its row lock, even when each takes its time', async () => {
    const spaceId = await c.space('FR');
    await setQuota(camille, 'space', spaceId, 300_000);
    const deps = filesDeps(new Date());
    // Agents without organisation: the space's lock alone; each reservation lingers before it commits.
    const attempt = (i: number) =>
      withQuota(deps, { spaceId, jurisdiction: 'FR', organisationId: null, needed: 100_000 }, async (trx) => {
        await new Promise((r) => setTimeout(r, 100));
        await insertUpload(trx, {
          id: crypto.randomUUID(),
          space_id: spaceId,
          created_by: camille.id,
          organisation_id: null,
          folder_id: null,
          file_id: null,
          filename: `lent-${i}.bin`,
          declared_type: null,
          length: 100_000,
          expires_at: new Date(Date.now() + 24 * 3_600_000),
        });
      }).then(
        () => 'reserved',
        (error: { slug?: string }) => error.slug ?? String(error),
      );
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => attempt(i)));
    expect(results.sort()).toEqual(['quota_exceeded', 'quota_exceeded', 'quota_exceeded', 'reserved', 'reserved', 'reserved']);
  });

  it('reserves lengths at creation: parallel uploads into several spaces cannot overshoot the organisation’s quota', async () => {
    // One organisation, four spaces in both cells: only the organisation's lock stands between them.
    const spaces = [await c.space('FR', [[hugo, 'editor']]), await c.space('QC', [[hugo, 'editor']], olivier), await c.space('FR', [[hugo, 'editor']]), await c.space('QC', [[hugo, 'editor']], olivier)];
    const used = (await c.json(hugo, 'GET', `/api/spaces/${spaces[0]}/files`)).body.quota.organisation.used as number;
    await setQuota(camille, 'organisation', hugo.organisationId, used + 200_000);
    try {
      const answers = await Promise.all(
        [...spaces, ...spaces].map((spaceId, i) => c.tus(hugo, 'POST', '/api/uploads', { 'upload-length': '100000', 'upload-metadata': metadataHeader({ spaceId, filename: `org-${i}.bin` }) })),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 413, 413, 413, 413, 413, 413]);
      for (const answer of answers.filter((a) => a.status === 201)) await c.tus(hugo, 'DELETE', answer.headers.get('location') ?? '');
    } finally {
      await setQuota(camille, 'organisation', hugo.organisationId, null);
    }
  });

  it('counts an organisation’s uploads in both cells, and checks again when the upload finishes', async () => {
    const fr = await c.space('FR', [[hugo, 'editor']]);
    const qc = await c.space('QC', [[hugo, 'editor']], olivier);
    const before = (await c.json(hugo, 'GET', `/api/spaces/${fr}/files`)).body.quota.organisation;
    expect(before.id).toBe(hugo.organisationId);
    await setQuota(camille, 'organisation', hugo.organisationId, before.used + 150_000);
    await c.uploadFile(hugo, fr, randomBytes(100_000), 'en-france.bin');
    const denied = await refused(c.upload(hugo, randomBytes(100_000), { spaceId: qc, filename: 'au-quebec.bin' }).done);
    expect(denied.body).toMatchObject({ scope: 'organisation', used: before.used + 100_000, limit: before.used + 150_000, needed: 100_000 });
    const quebec = await c.json(hugo, 'GET', `/api/spaces/${qc}/files`);
    expect(quebec.body.quota.organisation).toMatchObject({ id: hugo.organisationId, used: before.used + 100_000 });
    // Olivier's organisation is another one: not concerned.
    await c.uploadFile(olivier, qc, randomBytes(100_000), 'autre-organisation.bin');

    // An operator lowers the limit while an upload is under way: it is refused when it finishes, and ends.
    const created = await c.tus(hugo, 'POST', '/api/uploads', { 'upload-length': '40000', 'upload-metadata': metadataHeader({ spaceId: qc, filename: 'pendant.bin' }) });
    expect(created.status).toBe(201);
    await setQuota(camille, 'organisation', hugo.organisationId, before.used + 120_000);
    const last = await c.tus(hugo, 'PATCH', created.headers.get('location') ?? '', { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, randomBytes(40_000));
    expect(last.status).toBe(413);
    expect(JSON.parse(last.text)).toMatchObject({ type: 'urn:entente:problem:quota-exceeded', scope: 'organisation' });
    expect((await c.tus(hugo, 'HEAD', created.headers.get('location') ?? '')).status).toBe(404);
    expect(await objectsUnder('QC', `spaces/${qc}/files/`)).toHaveLength(1);
    await setQuota(camille, 'organisation', hugo.organisationId, null);
  });
});

describe('thumbnails', () => {
  let spaceId: string;
  beforeAll(async () => {
    spaceId = await c.space('FR');
  });

  it('makes a WebP of at most 256 px for images, stored encrypted', async () => {
    const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#1e5aa0' } }).jpeg().toBuffer();
    const created = await c.uploadFile(camille, spaceId, photo, 'photo.jpg');
    expect(created.file.contentType).toBe('image/jpeg');
    expect(created.file.thumbnailUrl).toMatch(new RegExp(`^/api/files/${created.file.id}/thumbnail\\?version=[0-9a-f-]{36}$`));
    const thumb = await c.download(camille, created.file.thumbnailUrl);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    const info = await sharp(thumb.bytes).metadata();
    expect(info).toMatchObject({ format: 'webp', width: 256, height: 171 });
    const gif = await sharp({ create: { width: 40, height: 30, channels: 4, background: '#ff000080' } }).gif().toBuffer();
    const small = await c.uploadFile(camille, spaceId, gif, 'petit.gif');
    expect((await sharp((await c.download(camille, small.file.thumbnailUrl)).bytes).metadata()).width).toBe(40);
    const versionId = created.file.thumbnailUrl.split('=')[1];
    const row = await t.entente.stores.cells.FR.db.selectFrom('file_versions').select('thumbnail_key').where('id', '=', versionId).executeTakeFirstOrThrow();
    expect(row.thumbnail_key).toBe(`spaces/${spaceId}/thumbnails/${versionId}`);
    expect(readFileSync(path.join(t.entente.config.cells.FR.objects, row.thumbnail_key as string)).subarray(0, 4).toString('latin1')).toBe('ENTO');
  });

  it('gives none for other files, and survives a decompression bomb', async () => {
    const text = await c.uploadFile(camille, spaceId, Buffer.from('pas une image'), 'texte.txt');
    expect(text.file.thumbnailUrl).toBeNull();
    expect((await c.download(camille, `/api/files/${text.file.id}/thumbnail`)).status).toBe(404);
    // A 60 000 × 60 000 PNG in a few KiB: refused by sharp's pixel limit, the file itself is kept.
    const bomb = pngHeaderOnly(60_000, 60_000);
    const created = await c.uploadFile(camille, spaceId, bomb, 'bombe.png');
    expect(created.file).toMatchObject({ contentType: 'image/png', thumbnailUrl: null, size: bomb.length });
  });
});

describe('jobs', () => {
  it('expires uploads after 24 hours, parts and reservation with them', async () => {
    const spaceId = await c.space('FR');
    const created = await c.tus(camille, 'POST', '/api/uploads', { 'upload-length': '200000', 'upload-metadata': metadataHeader({ spaceId, filename: 'oublié.bin' }) });
    const location = created.headers.get('location') ?? '';
    await c.tus(camille, 'PATCH', location, { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, randomBytes(50_000));
    await expireUploads(filesDeps(new Date(Date.now() + 3_600_000)));
    expect((await c.tus(camille, 'HEAD', location)).headers.get('upload-offset')).toBe('50000');
    expect(await objectsUnder('FR', `spaces/${spaceId}/uploads/`)).toHaveLength(1);
    expect(await expireUploads(filesDeps(new Date(Date.now() + 25 * 3_600_000)))).toBeGreaterThanOrEqual(1);
    expect(await objectsUnder('FR', `spaces/${spaceId}/uploads/`)).toEqual([]);
    expect((await c.tus(camille, 'HEAD', location)).status).toBe(404);
    expect((await c.json(camille, 'GET', `/api/spaces/${spaceId}/files`)).body.quota.space.used).toBe(0);
  });

  it('empties the trash of what has been there 30 days, objects included', async () => {
    const spaceId = await c.space('FR');
    const old = await c.uploadFile(camille, spaceId, randomBytes(70_000), 'ancien.bin');
    const recent = await c.uploadFile(camille, spaceId, randomBytes(1000), 'récent.bin');
    await c.json(camille, 'POST', `/api/files/${old.file.id}/trash`);
    const in31Days = new Date(Date.now() + 31 * 24 * 3_600_000);
    // Trashed "now": in 31 days it is due; the recent one is trashed 31 days later.
    await t.entente.stores.cells.FR.db.updateTable('files').set({ trashed_at: new Date(Date.now() - 31 * 24 * 3_600_000) }).where('id', '=', old.file.id).execute();
    await c.json(camille, 'POST', `/api/files/${recent.file.id}/trash`);
    expect(await purgeTrash(filesDeps(new Date()))).toBeGreaterThanOrEqual(1);
    expect(await objectsUnder('FR', `spaces/${spaceId}/files/${old.file.id}/`)).toEqual([]);
    expect((await c.json(camille, 'GET', `/api/spaces/${spaceId}/files?view=trash`)).body.items.map((i: { id: string }) => i.id)).toEqual([recent.file.id]);
    const audit = await t.entente.audit.list({ jurisdiction: 'FR', resourceId: old.file.id, action: 'workspace.file.deleted', limit: 5 });
    expect(audit[0]).toMatchObject({ actor_id: null });
    expect(JSON.stringify(audit[0])).toContain('trash_expired');
    expect(await purgeTrash(filesDeps(in31Days))).toBeGreaterThanOrEqual(1);
    expect(await objectsUnder('FR', `spaces/${spaceId}/files/`)).toEqual([]);
  });

  it('removes the objects a crash left behind, never one a version still uses', async () => {
    const spaceId = await c.space('FR');
    const kept = await c.uploadFile(camille, spaceId, Buffer.from('gardé'), 'gardé.txt');
    const cell = t.entente.cells.get('FR');
    const version = await cell.db.selectFrom('file_versions').select('object_key').where('file_id', '=', kept.file.id).executeTakeFirstOrThrow();
    const orphan = `spaces/${spaceId}/files/${crypto.randomUUID()}/${crypto.randomUUID()}`;
    await cell.objects.put(orphan, Buffer.from('reste d’une écriture interrompue'));
    await cell.db.insertInto('file_object_deletions').values([
      { object_key: orphan, space_id: spaceId, not_before: new Date(Date.now() - 1000) },
      { object_key: version.object_key, space_id: spaceId, not_before: new Date(Date.now() - 1000) },
    ]).execute();
    await processObjectDeletions(filesDeps(new Date()));
    expect(await cell.objects.head(orphan)).toBeNull();
    expect(await cell.objects.head(version.object_key)).not.toBeNull();
    expect(await cell.db.selectFrom('file_object_deletions').select('object_key').where('space_id', '=', spaceId).execute()).toEqual([]);
    expect((await c.download(camille, kept.file.downloadUrl)).bytes.toString()).toBe('gardé');
  });
});

describe('a restart of the server', () => {
  it('loses nothing an upload already sent', async () => {
    const spaceId = await c.space('FR');
    const bytes = randomBytes(512 * 1024);
    const created = await c.tus(camille, 'POST', '/api/uploads', { 'upload-length': String(bytes.length), 'upload-metadata': metadataHeader({ spaceId, filename: 'redémarrage.bin' }) });
    const location = created.headers.get('location') ?? '';
    await c.tus(camille, 'PATCH', location, { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, bytes.subarray(0, 300_000));
    // Stopped and started again on the same data and port: the session and the parts are all in the stores.
    await t.entente.close();
    let again: Entente | null = null;
    try {
      again = await createEntente({ config: t.entente.config, logger: createLogger(t.entente.config) });
      await again.listen();
      (t as { entente: Entente }).entente = again;
      expect((await c.tus(camille, 'HEAD', location)).headers.get('upload-offset')).toBe('300000');
      await c.upload(camille, bytes, {}, { uploadUrl: `${t.baseUrl}${location}`, chunkSize: 100_000 }).done;
      const status = await c.json(camille, 'GET', location);
      expect(sha((await c.download(camille, status.body.file.downloadUrl)).bytes)).toBe(sha(bytes));
    } finally {
      // The test app's own close() knows only the first server; this one is closed here.
      await again?.close();
    }
  });
});

/** A PATCH that announces `announced` bytes, sends `sendBytes` of them, then drops the connection. */
function cutPatch(agent: Agent, location: string, offset: number, announced: Buffer, sendBytes: number): Promise<void> {
  return new Promise((resolve) => {
    const request = http.request(`${t.baseUrl}${location}`, {
      method: 'PATCH',
      headers: {
        ...c.session(agent).headers,
        'tus-resumable': '1.0.0',
        'upload-offset': String(offset),
        'content-type': 'application/offset+octet-stream',
        'content-length': String(announced.length),
      },
    });
    request.on('error', () => resolve());
    request.on('response', (response) => {
      response.resume();
      resolve();
    });
    request.write(announced.subarray(0, sendBytes), () => {
      setTimeout(() => {
        request.destroy();
        resolve();
      }, 200);
    });
  });
}

/** A PATCH in chunked encoding (no Content-Length): the server learns the size only while reading. */
function chunkedPatch(agent: Agent, location: string, offset: number, chunks: Buffer[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${t.baseUrl}${location}`, {
      method: 'PATCH',
      headers: { ...c.session(agent).headers, 'tus-resumable': '1.0.0', 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream', 'transfer-encoding': 'chunked' },
    });
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    for (const chunk of chunks) request.write(chunk);
    request.end();
  });
}

/** The offset once the server has stored what a cut PATCH delivered (it finishes after the client left). */
async function offsetOnceMoved(location: string, from: number): Promise<number> {
  let offset = from;
  await until(async () => {
    offset = Number((await c.tus(camille, 'HEAD', location)).headers.get('upload-offset'));
    return offset !== from;
  });
  return offset;
}

/** Waits (up to 15 s) for a condition the server reaches on its own time. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached within 15 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A PNG whose header announces width × height, with one deflated empty row: a classic decompression bomb shape. */
function pngHeaderOnly(width: number, height: number): Buffer {
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
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(width * 3 + 1))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
