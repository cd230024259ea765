import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { clamdAvailable, EICAR, EICAR_SIGNATURE, startClamd, type TestClamd } from './support/clamd.ts';
import { camille, FilesClient, hugo, refused } from './files-support.ts';

/**
 * Malware scanning of uploads with a real clamd (Debian's binary, a local test signature): an
 * infected file is kept quarantined and never served, the uploader is told with the signature,
 * the event is audited; a clean file is marked clean; a file clamd could not read whole is refused
 * before any byte; a scanner that stops answering fails uploads closed (503), keeping nothing.
 */
let clamd: TestClamd;
let t: TestApp;
let c: FilesClient;

beforeAll(async () => {
  if (!clamdAvailable()) throw new Error('clamd (Debian clamav-daemon) is needed for this test');
  clamd = await startClamd({ streamMaxBytes: 1024 * 1024 });
  t = await startTestApp({ env: { ENTENTE_CLAMD_SOCKET: clamd.socket, ENTENTE_CLAMD_TIMEOUT_MS: '5000', ENTENTE_CLAMD_STREAM_MAX_BYTES: String(clamd.streamMaxBytes) } });
  c = new FilesClient(t);
  await c.signInAll();
});
afterAll(async () => {
  await t?.close();
  await clamd?.stop();
  await clamd?.cleanup();
});

describe('malware scanning of uploads', () => {
  it('marks a clean file clean', async () => {
    const spaceId = await c.space('FR');
    const done = await c.uploadFile(camille, spaceId, Buffer.from('Rien à signaler.\n'), 'sain.txt');
    expect(done).toMatchObject({ status: 'complete', file: { status: 'clean' } });
    expect(done.signature).toBeUndefined();
  });

  it('quarantines an infected file: kept apart, never served, the uploader told, the event audited', async () => {
    const spaceId = await c.space('FR', [[hugo, 'reader']]);
    const done = await c.uploadFile(camille, spaceId, EICAR, 'facture.pdf', {}, 32);
    expect(done).toMatchObject({ status: 'quarantined', signature: EICAR_SIGNATURE, file: { status: 'quarantined', downloadUrl: null, thumbnailUrl: null } });
    const fileId = done.file.id as string;
    for (const agent of [camille, hugo]) {
      const denied = await c.json(agent, 'GET', `/api/files/${fileId}/content`);
      expect(denied.status).toBe(403);
      expect(denied.body.type).toBe('urn:entente:problem:file-quarantined');
      expect((await c.json(agent, 'GET', `/api/files/${fileId}/content?download=1`)).status).toBe(403);
    }
    const audit = await t.entente.audit.list({ jurisdiction: 'FR', resourceId: fileId, action: 'workspace.file.quarantined', limit: 5 });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0])).toContain(EICAR_SIGNATURE);
  });

  it('keeps the current version when a new one is infected, and never restores an infected one', async () => {
    const spaceId = await c.space('FR');
    const clean = Buffer.from('version saine\n');
    const created = await c.uploadFile(camille, spaceId, clean, 'rapport.txt');
    const fileId = created.file.id as string;
    const infected = await c.uploadFile(camille, spaceId, EICAR, 'rapport.txt', { fileId });
    expect(infected).toMatchObject({ status: 'quarantined', signature: EICAR_SIGNATURE, file: { id: fileId, status: 'clean', versionCount: 2 } });
    expect((await c.download(camille, `/api/files/${fileId}/content`)).bytes.equals(clean)).toBe(true);
    const versions = (await c.json(camille, 'GET', `/api/files/${fileId}/versions`)).body.versions as { id: string; number: number; status: string; current: boolean }[];
    expect(versions.map((v) => [v.number, v.status, v.current])).toEqual([
      [2, 'quarantined', false],
      [1, 'clean', true],
    ]);
    const bad = versions[0]?.id;
    expect((await c.json(camille, 'POST', `/api/files/${fileId}/versions/${bad}/restore`)).status).toBe(403);
    expect((await c.download(camille, `/api/files/${fileId}/content?version=${bad}`)).status).toBe(403);
  });

  it('refuses before any byte a file longer than clamd reads', async () => {
    const spaceId = await c.space('FR');
    const options = await c.tus(camille, 'OPTIONS', '/api/uploads');
    expect(options.headers.get('tus-max-size')).toBe(String(1024 * 1024));
    const sent: number[] = [];
    const denied = await refused(c.upload(camille, randomBytes(1024 * 1024 + 1), { spaceId, filename: 'gros.bin' }, { onChunk: (_u, n) => sent.push(n) }).done);
    expect(denied.status).toBe(413);
    expect(denied.body.type).toBe('urn:entente:problem:file-too-large');
    expect(sent).toEqual([]);
  });

  it('fails closed when the scanner stops answering: 503 and nothing kept', async () => {
    const spaceId = await c.space('FR');
    await clamd.stop();
    const denied = await refused(c.upload(camille, Buffer.from('à analyser'), { spaceId, filename: 'attente.txt' }).done);
    expect(denied.status).toBe(503);
    expect(denied.body.type).toBe('urn:entente:problem:scanner-unavailable');
    const db = t.entente.stores.cells.FR.db;
    expect(await db.selectFrom('files').select('id').where('space_id', '=', spaceId).execute()).toEqual([]);
    expect(await db.selectFrom('file_versions').select('id').where('space_id', '=', spaceId).execute()).toEqual([]);
    const objects: string[] = [];
    for await (const o of t.entente.cells.get('FR').objects.list(`spaces/${spaceId}/`)) objects.push(o.key);
    expect(objects).toEqual([]);
    // The upload waits, at offset 0: the client may send its bytes again once the scanner is back.
    const upload = await db.selectFrom('file_uploads').select(['offset', 'status']).where('space_id', '=', spaceId).executeTakeFirstOrThrow();
    expect(upload).toEqual({ offset: 0, status: 'uploading' });
  });
});
