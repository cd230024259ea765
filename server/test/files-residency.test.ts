import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { camille, emilie, FilesClient, hugo, olivier } from './files-support.ts';

/**
 * Residency: after activity in a French and a Québec space (folders, uploads in chunks, a new
 * version, a thumbnail, an upload left half done, a trashed file), both object stores and both
 * cell databases are listed. A space's rows and objects are in its own cell only, every object is
 * under `spaces/<spaceId>/`, and no stored object holds any of the plaintext.
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

/** Every object file of a cell's local store (temporary files included), with its bytes. */
function storedObjects(jurisdiction: 'FR' | 'QC'): { key: string; bytes: Buffer }[] {
  const root = t.entente.config.cells[jurisdiction].objects;
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const full = path.join(entry.parentPath, entry.name);
      return { key: path.relative(root, full).split(path.sep).join('/'), bytes: readFileSync(full) };
    });
}

describe('files of a Québec space and of a French space', () => {
  it('stay in their own cell, encrypted with their own space’s key', async () => {
    const markers = { FR: 'MARQUEUR-FRANCE-0c1d2e '.repeat(6000), QC: 'MARQUEUR-QUEBEC-7a8b9c '.repeat(6000) } as const;
    const spaces = {
      FR: await c.space('FR', [[emilie, 'editor']], camille),
      QC: await c.space('QC', [[hugo, 'editor']], olivier),
    } as const;
    const fileIds: Record<'FR' | 'QC', string[]> = { FR: [], QC: [] };
    for (const [jurisdiction, owner, guest] of [
      ['FR', camille, emilie],
      ['QC', olivier, hugo],
    ] as const) {
      const spaceId = spaces[jurisdiction];
      const folder = await c.folder(owner, spaceId, `Dossier ${jurisdiction}`);
      // A guest from the other jurisdiction uploads too: the bytes follow the space, not the agent.
      const text = await c.uploadFile(guest, spaceId, Buffer.from(markers[jurisdiction]), `texte-${jurisdiction}.txt`, { folderId: folder }, 32 * 1024);
      await c.uploadFile(owner, spaceId, Buffer.from(`${markers[jurisdiction]} v2`), 'ignoré', { fileId: text.file.id }, 32 * 1024);
      const image = await sharp({ create: { width: 300, height: 200, channels: 3, background: jurisdiction === 'FR' ? '#0055a4' : '#003da5' } }).png().toBuffer();
      const picture = await c.uploadFile(owner, spaceId, image, `image-${jurisdiction}.png`);
      expect(picture.file.thumbnailUrl).not.toBeNull();
      const trashed = await c.uploadFile(owner, spaceId, Buffer.from(`${markers[jurisdiction]} corbeille`), 'corbeille.txt');
      await c.json(owner, 'POST', `/api/files/${trashed.file.id}/trash`);
      fileIds[jurisdiction].push(folder, text.file.id, picture.file.id, trashed.file.id);
      // An upload left half done: its part stays until it expires.
      const created = await c.tus(owner, 'POST', '/api/uploads', {
        'upload-length': String(markers[jurisdiction].length * 2),
        'upload-metadata': `spaceId ${Buffer.from(spaceId).toString('base64')},filename ${Buffer.from('moitié.txt').toString('base64')}`,
      });
      const patched = await c.tus(owner, 'PATCH', created.headers.get('location') ?? '', { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, Buffer.from(markers[jurisdiction]));
      expect(patched.status).toBe(204);
    }

    for (const jurisdiction of ['FR', 'QC'] as const) {
      const other = jurisdiction === 'FR' ? 'QC' : 'FR';
      const own = spaces[jurisdiction];
      const foreign = spaces[other];

      // Objects: this space's in its cell only, all under spaces/<spaceId>/, none in plaintext.
      const objects = storedObjects(jurisdiction);
      const mine = objects.filter((o) => o.key.startsWith(`spaces/${own}/`));
      expect(mine.map((o) => o.key.split('/')[2]).sort()).toEqual(expect.arrayContaining(['files', 'thumbnails', 'uploads']));
      expect(objects.filter((o) => o.key.includes(foreign))).toEqual([]);
      for (const object of objects) {
        for (const marker of Object.values(markers)) {
          expect(object.bytes.includes(Buffer.from(marker.slice(0, 23))), `${jurisdiction} ${object.key}`).toBe(false);
        }
      }
      for (const object of mine) expect(object.bytes.subarray(0, 4).toString('latin1'), object.key).toBe('ENTO');

      // Rows: this space's files, versions and uploads in its cell, nothing of the other space.
      const db = t.entente.stores.cells[jurisdiction].db;
      const files = await db.selectFrom('files').select(['id', 'space_id']).execute();
      expect(files.filter((f) => f.space_id === own).map((f) => f.id).sort()).toEqual([...fileIds[jurisdiction]].sort());
      expect(files.filter((f) => f.space_id === foreign)).toEqual([]);
      for (const table of ['file_versions', 'file_uploads'] as const) {
        const rows = await db.selectFrom(table).select('space_id').execute();
        expect(rows.some((r) => r.space_id === own), table).toBe(true);
        expect(rows.filter((r) => r.space_id === foreign), table).toEqual([]);
      }
      const otherIds = new Set(fileIds[other]);
      const audit = await t.entente.audit.list({ jurisdiction, limit: 10_000 });
      expect(audit.filter((e) => e.resource_id && otherIds.has(e.resource_id))).toEqual([]);
      expect(audit.filter((e) => e.action === 'workspace.file.uploaded' && fileIds[jurisdiction].includes(e.resource_id ?? '')).length).toBeGreaterThanOrEqual(4);
      // Each space's data key is in its own cell's keyring, none in the other.
      const keys = await db.selectFrom('keyring').select(['owner_type', 'owner_id']).where('owner_type', '=', 'space').execute();
      expect(keys.map((k) => k.owner_id)).toContain(own);
      expect(keys.map((k) => k.owner_id)).not.toContain(foreign);
    }

    // The control plane holds no file name, no file row, no bytes.
    const control = await t.entente.stores.control.db.selectFrom('storage_quotas').selectAll().execute();
    expect(JSON.stringify(control)).not.toContain('texte-');
    // And the files read back, each from its cell.
    const listing = await c.json(olivier, 'GET', `/api/spaces/${spaces.QC}/files`);
    expect(listing.body.items.map((i: { name: string }) => i.name)).toEqual(['Dossier QC', 'image-QC.png']);
  });
});
