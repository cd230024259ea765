import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/identity/actor.ts';
import { AppError } from '../src/platform/errors.ts';
import { exportSpace } from '../src/workspace/document-export/document-export.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { withOwnTmpDir, zipEntries } from './support/zip-entries.ts';
import { camille, FilesClient, hugo, olivier } from './files-support.ts';

/**
 * « Exporter l’espace » (GET /api/spaces/:id/export) holds the space's files beside its documents,
 * through the real server, uploads made with tus-js-client: the live tree under `<space>/Fichiers/`
 * (« Fichiers (2) » when a document with pages below it already made that folder), each file's
 * current version byte for byte; the trash, older versions and quarantined versions left out; the
 * counts in the audit event; and files over the limit refused with 413 before anything is read.
 */
let t: TestApp;
let c: FilesClient;
let spaceId: string;
const CSV = Buffer.from('service;agents\nDINUM;12\nMCN;9\n'.repeat(200));
const BINARY = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 251));

beforeAll(async () => {
  t = await startTestApp();
  c = new FilesClient(t);
  await c.signInAll();
  spaceId = await c.space('FR', [[hugo, 'reader']]);
  // A document « Fichiers » with a page below it makes the folder `<space>/Fichiers/` in the zip.
  const doc = await c.json(camille, 'POST', `/api/spaces/${spaceId}/documents`, { title: 'Fichiers' });
  expect(doc.status).toBe(201);
  expect((await c.json(camille, 'POST', `/api/spaces/${spaceId}/documents`, { title: 'Annexe', parentId: doc.body.id })).status).toBe(201);
  const reports = await c.folder(camille, spaceId, 'Rapports 2026');
  await c.uploadFile(camille, spaceId, CSV, 'effectifs.csv', { folderId: reports });
  await c.uploadFile(camille, spaceId, BINARY, 'mesures.bin');
  // Two versions of one file: the zip holds the current one only.
  const first = await c.uploadFile(camille, spaceId, Buffer.from('première version'), 'note.txt');
  await c.uploadFile(camille, spaceId, Buffer.from('version actuelle'), 'note.txt', { fileId: first.file.id });
  const trashed = await c.uploadFile(camille, spaceId, Buffer.from('à jeter'), 'ancien.txt');
  expect((await c.json(camille, 'POST', `/api/files/${trashed.file.id}/trash`)).status).toBe(200);
  const archives = await c.folder(camille, spaceId, 'Archives');
  await c.uploadFile(camille, spaceId, Buffer.from('dans un dossier jeté'), 'vieux.txt', { folderId: archives });
  expect((await c.json(camille, 'POST', `/api/files/${archives}/trash`)).status).toBe(200);
  // A quarantined current version (files-malware.test.ts makes one with clamd and EICAR; here the
  // scanner's verdict is written as it would): never handed out, not even in an archive.
  const infected = await c.uploadFile(camille, spaceId, Buffer.from('pas sain'), 'piece-jointe.pdf');
  await t.entente.stores.cells.FR.db.updateTable('file_versions').set({ status: 'quarantined', signature: 'Eicar-Test-Signature' }).where('file_id', '=', infected.file.id).execute();
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('space export with files', () => {
  it('holds the live files, current versions, under « Fichiers (2) » beside a document folder « Fichiers »', async () => {
    const got = await c.download(hugo, `/api/spaces/${spaceId}/export?format=md`);
    expect(got.status).toBe(200);
    const zip = await zipEntries(got.bytes);
    const space = (await c.json(camille, 'GET', `/api/spaces/${spaceId}`)).body.name as string;
    expect([...zip.keys()].sort()).toEqual(
      [
        `${space}/Fichiers.md`,
        `${space}/Fichiers/Annexe.md`,
        `${space}/Fichiers (2)/Rapports 2026/effectifs.csv`,
        `${space}/Fichiers (2)/mesures.bin`,
        `${space}/Fichiers (2)/note.txt`,
      ].sort(),
    );
    expect(zip.get(`${space}/Fichiers (2)/Rapports 2026/effectifs.csv`)?.equals(CSV)).toBe(true);
    expect(zip.get(`${space}/Fichiers (2)/mesures.bin`)?.equals(BINARY)).toBe(true);
    expect(zip.get(`${space}/Fichiers (2)/note.txt`)?.toString('utf8')).toBe('version actuelle');
    const event = await t.entente.stores.cells.FR.db
      .selectFrom('audit_events')
      .select(['details'])
      .where('action', '=', 'workspace.space.exported')
      .where('resource_id', '=', spaceId)
      .executeTakeFirstOrThrow();
    expect(event.details).toMatchObject({ format: 'md', documents: 2, files: 3, quarantinedFilesLeftOut: 1 });
  });

  it('files over the size limit: 413 « export_too_large », and no temporary file is left', async () => {
    await withOwnTmpDir(async (own) => {
      const deps = {
        stores: t.entente.stores,
        cells: t.entente.cells,
        audit: t.entente.audit,
        logger: t.entente.logger,
        content: () => t.entente.collab.store,
        publicUrl: () => new URL(t.baseUrl),
      };
      const actor: Actor = {
        principalId: hugo.id,
        homeJurisdiction: hugo.jurisdiction,
        sessionId: c.session(hugo).sessionId,
        assuranceLevel: null,
        upstream: null,
        memberships: new Map(),
        platformRoles: new Set(),
        via: 'session',
        scopes: null,
      };
      // Under the sum of the files (CSV alone is larger): refused before a byte is read.
      const refused = await exportSpace({ ...deps, exportLimits: { maxSpaceBytes: CSV.length } }, actor, spaceId, 'md', { ip: null, requestId: 'test' }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(AppError);
      expect((refused as AppError).slug).toBe('export_too_large');
      expect((refused as AppError).status).toBe(413);
      expect(await readdir(own)).toEqual([]);
      // Room for the files, but not for the documents written before them: refused while writing.
      const total = CSV.length + BINARY.length + 'version actuelle'.length;
      const tight = await exportSpace({ ...deps, exportLimits: { maxSpaceBytes: total + 10 } }, actor, spaceId, 'pdf', { ip: null, requestId: 'test' }).catch((e: unknown) => e);
      expect((tight as AppError).slug).toBe('export_too_large');
      expect(await readdir(own)).toEqual([]);
    });
  });

  it('a non-member gets 404, as for a space that does not exist', async () => {
    expect((await c.download(olivier, `/api/spaces/${spaceId}/export?format=md`)).status).toBe(404);
  });
});
