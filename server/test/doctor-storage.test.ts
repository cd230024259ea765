import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { doctor } from '../src/cli/doctor.ts';
import { Pkcs11KeyProvider } from '../src/platform/crypto/pkcs11-key-provider.ts';
import { freshTestEnv, type TestEnv } from './support/db.ts';
import { startS3rver, type TestS3 } from './support/s3rver.ts';
import { softhsmAvailable, softhsmTokens, type TestTokens } from './support/softhsm.ts';

/** `entente doctor` on a Québec cell in an S3 bucket with its KEKs in a PKCS#11 token. */
const PIN = '8642-doctor';
const hsm = softhsmAvailable();
let env: TestEnv;
let s3: TestS3;
let tokens: TestTokens | null = null;
const saved = { ...process.env };

async function runDoctor(extra: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  process.env = { ...saved, ...env.env, ...extra };
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    return { code: await doctor(), out: lines.join('\n') };
  } finally {
    log.mockRestore();
    process.env = { ...saved };
  }
}

beforeAll(async () => {
  s3 = await startS3rver();
  const keys: Record<string, string> = {};
  if (hsm) {
    tokens = softhsmTokens();
    tokens.initToken('doctor-qc', PIN);
    tokens.initToken('doctor-empty', PIN);
    // The server's first start makes the first KEK; doctor itself never creates one.
    await (await Pkcs11KeyProvider.open({ location: tokens.uri('doctor-qc'), pin: PIN })).close();
    Object.assign(keys, { ENTENTE_CELL_QC_KEYS: tokens.uri('doctor-qc'), ENTENTE_CELL_QC_PKCS11_PIN: PIN, SOFTHSM2_CONF: tokens.conf });
  }
  env = await freshTestEnv({ ...s3.cellEnv('QC', 'doctor/qc'), ...keys });
}, 120_000);
afterAll(async () => {
  process.env = saved;
  await env?.dispose();
  await s3?.close();
  tokens?.dispose();
});

describe('entente doctor, storage and keys', () => {
  it('checks the bucket and the token', async () => {
    const { out } = await runDoctor();
    expect(out).toMatch(new RegExp(`✓ Obje[ct]+s QC: S3 bucket s3://${s3.bucket}/doctor/qc/ at 127\\.0\\.0\\.1:\\d+ is reachable and writable`));
    if (hsm) expect(out).toMatch(/✓ (Clés|Keys) QC: PKCS#11 token "doctor-qc" \(SoftHSM project SoftHSM v2, serial [0-9a-f]+\) via \/usr\/lib\/softhsm\/libsofthsm2\.so: current KEK pkcs11:entente-kek-/);
    expect(out).not.toContain(PIN);
    expect(out).not.toContain(s3.secretAccessKey);
  });

  it('says what to fix when the bucket is missing or the credentials are refused', async () => {
    const missing = await runDoctor({ ENTENTE_CELL_QC_OBJECTS: 's3://no-such-bucket/qc' });
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/✗ Obje[ct]+s QC: S3 bucket s3:\/\/no-such-bucket\/qc\/.* is not usable \((NotFound|NoSuchBucket)/);
    expect(missing.out).toContain('ENTENTE_CELL_QC_S3_ENDPOINT');
    const refused = await runDoctor({ ENTENTE_CELL_QC_S3_ACCESS_KEY_ID: 'UNKNOWN', ENTENTE_CELL_QC_S3_SECRET_ACCESS_KEY: 'not-the-secret-42' });
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/✗ Obje[ct]+s QC: .*not usable/);
    expect(refused.out).not.toContain('not-the-secret-42');
  });

  it.skipIf(!hsm)('says what to fix when the PIN is wrong or the token holds no KEK, and creates none', async () => {
    const wrong = await runDoctor({ ENTENTE_CELL_QC_PKCS11_PIN: 'wrong-8642' });
    expect(wrong.code).toBe(1);
    expect(wrong.out).toMatch(/✗ (Clés|Keys) QC: .*CKR_PIN_INCORRECT/);
    expect(wrong.out).toContain('ENTENTE_CELL_QC_PKCS11_PIN');
    expect(wrong.out).not.toContain('wrong-8642');
    const empty = await runDoctor({ ENTENTE_CELL_QC_KEYS: tokens?.uri('doctor-empty') as string });
    expect(empty.code).toBe(1);
    expect(empty.out).toMatch(/✗ (Clés|Keys) QC: No Entente KEK/);
    const again = await runDoctor({ ENTENTE_CELL_QC_KEYS: tokens?.uri('doctor-empty') as string });
    expect(again.out).toMatch(/✗ (Clés|Keys) QC: No Entente KEK/);
  });
});
