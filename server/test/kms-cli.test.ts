import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { kms } from '../src/cli/kms.ts';
import { loadConfig } from '../src/config.ts';
import { createAuditLog } from '../src/platform/audit/audit-log.ts';
import { type Cells, openCells } from '../src/platform/cells/cells.ts';
import { migrateStores, openStores, type Stores } from '../src/platform/db/stores.ts';
import { freshTestEnv, type TestEnv } from './support/db.ts';
import { startS3rver, type TestS3 } from './support/s3rver.ts';
import { softhsmAvailable, softhsmTokens, type TestTokens } from './support/softhsm.ts';

/**
 * `npm run entente -- kms rotate --cell QC`, run as an operator would (a child process on the
 * data directory), with the Québec cell on an S3 bucket (s3rver) and its KEKs in a PKCS#11 token
 * (SoftHSM; a key folder where softhsm2 is missing outside CI). The French cell stays on its
 * defaults and must not change.
 */
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const PIN = '97531-qc';
const hsm = softhsmAvailable();
let env: TestEnv;
let s3: TestS3;
let tokens: TestTokens | null = null;

function entente(args: string[], extra: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'server', 'src', 'cli', 'main.ts'), ...args],
      { cwd: ROOT, env: { ...process.env, ...env.env, LANG: 'en', ...extra }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout, err: stderr }),
    );
  });
}

/** Opens the stores and cells as the server would, runs `fn`, closes them (the CLI needs the data directory free). */
async function withCells<T>(fn: (cells: Cells, stores: Stores) => Promise<T>): Promise<T> {
  const config = loadConfig(env.env);
  const stores = await openStores(config);
  try {
    await migrateStores(stores);
    const cells = await openCells(config, stores);
    try {
      return await fn(cells, stores);
    } finally {
      await cells.close();
    }
  } finally {
    await stores.close();
  }
}

async function text(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

/** The raw bytes of every object of the bucket, hashed: what a rotation must not touch. */
async function bucketHashes(): Promise<Record<string, string>> {
  const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
  const out: Record<string, string> = {};
  for (const item of listed.Contents ?? []) {
    const got = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: item.Key }));
    out[item.Key as string] = createHash('sha256').update(Buffer.from(await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray())).digest('hex');
  }
  return out;
}

async function keyringRows(stores: Stores, cell: 'FR' | 'QC') {
  const rows = await stores.cells[cell].db.selectFrom('keyring').select(['id', 'kek_id', 'wrapped_key']).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, kek_id: r.kek_id, wrapped_key: Buffer.from(r.wrapped_key).toString('hex') }));
}

const spaces = ['0190a4b2-1c3d-7e8f-9a0b-000000000001', '0190a4b2-1c3d-7e8f-9a0b-000000000002', '0190a4b2-1c3d-7e8f-9a0b-000000000003'];

beforeAll(async () => {
  s3 = await startS3rver();
  const keys: Record<string, string> = {};
  if (hsm) {
    tokens = softhsmTokens();
    tokens.initToken('entente-qc', PIN);
    Object.assign(keys, { ENTENTE_CELL_QC_KEYS: tokens.uri('entente-qc'), ENTENTE_CELL_QC_PKCS11_PIN: PIN, SOFTHSM2_CONF: tokens.conf });
  }
  env = await freshTestEnv({ ...s3.cellEnv('QC'), ...keys, ENTENTE_LOG_LEVEL: 'silent' });
  await withCells(async (cells) => {
    for (const [i, id] of spaces.entries()) {
      const owner = { type: 'space', id };
      await cells.get('QC').encryptedObjects.putEncrypted(cells.get('QC').db, owner, `spaces/${id}/files/f${i}/v1`, Buffer.from(`contenu québécois ${i}`));
      if (i === 0) await cells.get('QC').keyring.rotateDataKey(cells.get('QC').db, owner);
    }
    await cells.get('FR').encryptedObjects.putEncrypted(cells.get('FR').db, { type: 'space', id: 'fr-space' }, 'spaces/fr-space/files/f/v1', Buffer.from('contenu français'));
  });
}, 180_000);
afterAll(async () => {
  await env?.dispose();
  await s3?.close();
  tokens?.dispose();
});

describe('entente kms', () => {
  it(`rotates the Québec cell's KEK (${hsm ? 'PKCS#11 token' : 'key folder'}) and re-wraps its data keys, touching no object`, async () => {
    const before = await withCells(async (cells, stores) => ({ qc: await keyringRows(stores, 'QC'), fr: await keyringRows(stores, 'FR'), kek: cells.get('QC').keys.id }));
    expect(before.qc).toHaveLength(4);
    if (hsm) expect(before.kek).toMatch(/^pkcs11:entente-kek-/);
    const objects = await bucketHashes();
    expect(Object.keys(objects).filter((k) => k.startsWith('cells/qc/'))).toHaveLength(3);

    const status = await entente(['kms', 'status', '--cell', 'qc']);
    expect(status.code).toBe(0);
    expect(status.out).toContain(`Current KEK: ${before.kek}`);
    expect(status.out).toContain(`${before.kek} (current): 4 data key(s)`);

    const run = await entente(['kms', 'rotate', '--cell', 'QC', '--batch-size', '2']);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const created = /New KEK of cell QC: (\S+) \(previous: (\S+)\)/.exec(run.out);
    expect(created?.[2]).toBe(before.kek);
    const newKek = created?.[1] as string;
    expect(newKek > before.kek).toBe(true);
    expect(run.out).toContain(`4 data key(s) re-wrapped under ${newKek}; no data object was read or rewritten.`);
    if (hsm) expect(run.out).not.toContain(PIN);

    await withCells(async (cells, stores) => {
      const qc = await keyringRows(stores, 'QC');
      expect(qc.map((r) => r.kek_id)).toEqual(qc.map(() => newKek));
      for (const [i, r] of qc.entries()) expect(r.wrapped_key).not.toBe(before.qc[i]?.wrapped_key);
      expect(await keyringRows(stores, 'FR')).toEqual(before.fr);
      expect(cells.get('QC').keys.id).toBe(newKek);
      // Everything written before still decrypts, through the new KEK only.
      for (const [i, id] of spaces.entries()) {
        const got = await cells.get('QC').encryptedObjects.getDecrypted(cells.get('QC').db, { type: 'space', id }, `spaces/${id}/files/f${i}/v1`);
        expect(await text(got.body)).toBe(`contenu québécois ${i}`);
      }
      const [event] = await createAuditLog(stores).list({ jurisdiction: 'QC', action: 'platform.kms.rotated', limit: 5 });
      expect(event).toMatchObject({ outcome: 'success', resource_type: 'kek', resource_id: newKek, actor_id: null });
      expect(event?.details).toMatchObject({ previous: before.kek, created: true, resumed: false, rewrapped: 4, failed: 0, remaining: 0 });
      expect(await createAuditLog(stores).list({ jurisdiction: 'FR', action: 'platform.kms.rotated', limit: 5 })).toEqual([]);
    });
    expect(await bucketHashes()).toEqual(objects);
  });

  it('finishes a rotation that stopped midway instead of creating yet another KEK', async () => {
    const interrupted = await withCells(async (cells) => {
      const qc = cells.get('QC');
      const kek = await qc.keys.rotate?.();
      let batches = 0;
      await qc.keyring
        .rewrapAll(qc.db, {
          batchSize: 1,
          onBatch: () => {
            if (++batches === 2) throw new Error('killed');
          },
        })
        .catch(() => {});
      return { kek, keks: qc.keys.kekIds?.length ?? 0 };
    });
    const run = await entente(['kms', 'rotate', '--cell', 'QC']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('A previous rotation is not finished: 2 data key(s) are not yet under the current KEK');
    expect(run.out).not.toContain('New KEK');
    expect(run.out).toContain(`2 data key(s) re-wrapped under ${interrupted.kek}`);
    await withCells(async (cells, stores) => {
      expect(cells.get('QC').keys.kekIds).toHaveLength(interrupted.keks);
      expect(new Set((await keyringRows(stores, 'QC')).map((r) => r.kek_id))).toEqual(new Set([interrupted.kek]));
      const [event] = await createAuditLog(stores).list({ jurisdiction: 'QC', action: 'platform.kms.rotated', limit: 1 });
      expect(event?.details).toMatchObject({ created: false, resumed: true, rewrapped: 2 });
    });
  });

  it('with --retire-old, says which old KEKs nothing uses any more, and deletes none', async () => {
    const run = await entente(['kms', 'rotate', '--cell', 'QC', '--retire-old']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('No data key in the database depends on these KEKs any more');
    const current = /New KEK of cell QC: (\S+)/.exec(run.out)?.[1] as string;
    await withCells(async (cells) => {
      const old = (cells.get('QC').keys.kekIds ?? []).filter((id) => id !== current);
      expect(old.length).toBeGreaterThanOrEqual(3);
      for (const id of old) expect(run.out).toContain(id);
      expect(run.out).toContain(hsm ? 'pkcs11-tool --module /usr/lib/softhsm/libsofthsm2.so --login --delete-object --type secrkey' : 'rm ');
      // The keys are all still there, and status says which ones nothing uses.
      const status = await entente(['kms', 'status', '--cell', 'QC']);
      expect(status.out).toContain(`${current} (current): 4 data key(s)`);
      for (const id of old) expect(status.out).toContain(`${id} (unused: may be retired): 0 data key(s)`);
    });
  });

  it('refuses bad usage and a wrong PIN with clear messages', async () => {
    // Usage is checked before anything is opened: in this process (a spawn costs seconds each).
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
    try {
      for (const args of [['rotate'], ['rotate', '--cell', 'XX'], ['rotate', '--cell', 'QC', '--batch-size', '0'], ['rotate', '--cell', 'QC', '--unknown'], ['status', '--cell', 'QC', '--retire-old'], ['frobnicate']]) {
        expect(await kms(args)).toBe(2);
      }
    } finally {
      spy.mockRestore();
    }
    expect(errors.join('\n')).toMatch(/--cell (est obligatoire|is required)/);
    if (hsm) {
      const wrong = await entente(['kms', 'status', '--cell', 'QC'], { ENTENTE_CELL_QC_PKCS11_PIN: 'wrong-pin-000' });
      expect(wrong.code).toBe(1);
      expect(wrong.err).toContain('CKR_PIN_INCORRECT');
      expect(wrong.err).toContain('entente-qc');
      expect(`${wrong.out}${wrong.err}`).not.toContain('wrong-pin-000');
    }
  });
});
