import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

describe('cells', () => {
  it('gives each jurisdiction its own database, object store and keys', () => {
    const fr = t.entente.cells.get('FR');
    const qc = t.entente.cells.get('QC');
    expect(fr.database.location).not.toBe(qc.database.location);
    expect(fr.objects.description).toContain(`${path.sep}fr${path.sep}`);
    expect(qc.objects.description).toContain(`${path.sep}qc${path.sep}`);
    expect(fr.keys.id).not.toBe(qc.keys.id);
  });

  it('stores an owner’s object encrypted, in its own cell only', async () => {
    const fr = t.entente.cells.get('FR');
    const owner = { type: 'space', id: '019ac9f0-0000-7000-8000-0000000005a1' };
    await fr.encryptedObjects.putEncrypted(fr.db, owner, 'spaces/5a1/note.txt', Buffer.from('Compte rendu du comité franco-québécois'));
    const back = await fr.encryptedObjects.getDecrypted(fr.db, owner, 'spaces/5a1/note.txt');
    expect(await text(back.body)).toBe('Compte rendu du comité franco-québécois');

    const frFiles = filesUnder(t.entente.config.cells.FR.objects);
    const qcFiles = filesUnder(t.entente.config.cells.QC.objects);
    expect(frFiles.some((f) => f.endsWith('note.txt'))).toBe(true);
    expect(qcFiles.some((f) => f.endsWith('note.txt'))).toBe(false);
    const raw = await text((await fr.objects.get('spaces/5a1/note.txt')).body);
    expect(raw).not.toContain('comité');
  });

  it('cannot read one cell’s object with the other cell’s keys', async () => {
    const fr = t.entente.cells.get('FR');
    const qc = t.entente.cells.get('QC');
    const owner = { type: 'space', id: '019ac9f0-0000-7000-8000-0000000005a2' };
    await fr.encryptedObjects.putEncrypted(fr.db, owner, 'spaces/5a2/secret.txt', Buffer.from('diffusion restreinte'));
    // The object's bytes copied into the Québec cell's store: the Québec keyring has no data key
    // for that owner, and the French KEK cannot be used there.
    const stolen = await fr.objects.get('spaces/5a2/secret.txt');
    await qc.objects.put('spaces/5a2/secret.txt', stolen.body);
    await expect(
      qc.encryptedObjects.getDecrypted(qc.db, owner, 'spaces/5a2/secret.txt').then((r) => text(r.body)),
    ).rejects.toThrow();
    // Even with the French keyring row copied over, the Québec KEK cannot unwrap it.
    const wrapped = await fr.keys.wrap(Buffer.alloc(32, 7), 'space:5a2');
    await expect(qc.keys.unwrap(wrapped, 'space:5a2')).rejects.toThrow();
  });

  it('reports object stores and keys in /readyz', async () => {
    const report = (await (await fetch(`${t.baseUrl}/readyz`)).json()) as { checks: Record<string, { ok: boolean }> };
    for (const name of ['objects FR', 'objects QC', 'keys FR', 'keys QC']) expect(report.checks[name]?.ok).toBe(true);
  });
});
