import { readdirSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { startS3rver, type TestS3 } from './support/s3rver.ts';
import { softhsmAvailable, softhsmTokens, type TestTokens } from './support/softhsm.ts';

/**
 * The production shape of a cell, in a real server: the Québec cell's objects in an S3 bucket
 * (s3rver), its KEKs in a PKCS#11 token (SoftHSM); the French cell on its local defaults.
 */
const PIN = '1357-qc';
const hsm = softhsmAvailable();
let s3: TestS3;
let tokens: TestTokens | null = null;
let t: TestApp;

beforeAll(async () => {
  s3 = await startS3rver();
  const keys: Record<string, string> = {};
  if (hsm) {
    tokens = softhsmTokens();
    tokens.initToken('cellule-qc', PIN);
    Object.assign(keys, { ENTENTE_CELL_QC_KEYS: tokens.uri('cellule-qc'), ENTENTE_CELL_QC_PKCS11_PIN: PIN });
  }
  t = await startTestApp({ env: { ...s3.cellEnv('QC', 'entente/qc'), ...keys } });
}, 180_000);
afterAll(async () => {
  await t?.close();
  await s3?.close();
  tokens?.dispose();
});

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('a cell on S3 and PKCS#11', () => {
  it('opens the configured store and key provider for each cell', () => {
    const qc = t.entente.cells.get('QC');
    expect(qc.objects.description).toBe(`S3 bucket s3://${s3.bucket}/entente/qc/ at ${new URL(s3.endpoint).host}`);
    if (hsm) expect(qc.keys.id).toMatch(/^pkcs11:entente-kek-/);
    expect(t.entente.cells.get('FR').objects.description).toContain('local folder');
    expect(t.entente.cells.get('FR').keys.id).toMatch(/^file:/);
  });

  it('keeps a Québec object in the Québec bucket prefix only, encrypted with the Québec keys', async () => {
    const qc = t.entente.cells.get('QC');
    const owner = { type: 'space', id: '019ac9f0-0000-7000-8000-00000000c0c0' };
    const secret = 'Procès-verbal du comité mixte, version de travail';
    await qc.encryptedObjects.putEncrypted(qc.db, owner, `spaces/${owner.id}/files/f/v1`, Buffer.from(secret), { contentType: 'text/plain' });
    expect(await text((await qc.encryptedObjects.getDecrypted(qc.db, owner, `spaces/${owner.id}/files/f/v1`)).body)).toBe(secret);
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
    const keys = (listed.Contents ?? []).map((o) => o.Key);
    expect(keys).toContain(`entente/qc/spaces/${owner.id}/files/f/v1`);
    expect(keys.every((k) => k?.startsWith('entente/qc/'))).toBe(true);
    const raw = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: `entente/qc/spaces/${owner.id}/files/f/v1` }));
    const bytes = Buffer.from(await (raw.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
    expect(bytes.subarray(0, 4).toString()).toBe('ENTO');
    // The S3 service learns neither the content nor its type.
    expect(raw.ContentType).toBe('application/octet-stream');
    expect(bytes.includes(Buffer.from('Procès-verbal'))).toBe(false);
    // Nothing of it in the French cell's folder.
    const frFiles = readdirSync(t.entente.config.cells.FR.objects, { recursive: true }).map(String);
    expect(frFiles.some((f) => f.includes(owner.id))).toBe(false);
    // The French keys cannot open it.
    const [row] = await qc.db.selectFrom('keyring').select(['kek_id', 'wrapped_key', 'version']).where('owner_id', '=', owner.id).execute();
    expect(row?.kek_id).toBe(qc.keys.id);
    await expect(
      t.entente.cells.get('FR').keys.unwrap({ kekId: row?.kek_id as string, ciphertext: Buffer.from(row?.wrapped_key as Buffer) }, `entente-keyring/v1\0space\0${owner.id}\0${row?.version}`),
    ).rejects.toThrow();
  });

  it('reports the bucket and the token in /readyz, for an operator', async () => {
    const report = (await (await fetch(`${t.baseUrl}/readyz`)).json()) as { checks: Record<string, { ok: boolean; detail?: string }> };
    expect(report.checks['objects QC']?.ok).toBe(true);
    expect(report.checks['keys QC']?.ok).toBe(true);
    const serialised = JSON.stringify(report);
    expect(serialised).not.toContain(PIN);
    expect(serialised).not.toContain(s3.secretAccessKey); // nor the access key id (the same word for s3rver)
  });
});
