import { generateKeyPairSync } from 'node:crypto';
import type { ControlDb } from '../../platform/db/types.ts';
import { uuidv7 } from '../../platform/ids.ts';
import {
  generationCreatedAt,
  insertSigningKeys,
  latestGeneration,
  listActiveSigningKeys,
  retireGenerationsBelow,
  type SigningKeyRow,
} from './keys.repo.ts';
import type { Sealer } from './sealed.ts';

/** A private JWK as oidc-provider takes it (`jwks.keys`). */
export type PrivateJwk = Record<string, unknown> & { kid: string; alg: 'ES256' | 'RS256'; use: 'sig' };

/**
 * Longest life of anything the keys sign (ID tokens: one hour; logout tokens: less) plus clock
 * skew: a key that stopped signing this long ago can leave the JWKS without breaking a token.
 */
export const SIGNED_TOKEN_MAX_AGE_MS = 2 * 3_600_000;

const aad = (kid: string) => `entente-oidc-signing/v1\0${kid}`;

async function generate(db: ControlDb, sealer: Sealer, generation: number): Promise<boolean> {
  const pairs = [
    { alg: 'RS256' as const, key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey },
    { alg: 'ES256' as const, key: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey },
  ];
  const rows: Omit<SigningKeyRow, 'created_at' | 'retired_at'>[] = [];
  for (const { alg, key } of pairs) {
    const kid = uuidv7();
    const jwk = key.export({ format: 'jwk' }) as Record<string, unknown>;
    const publicJwk: Record<string, unknown> =
      alg === 'RS256' ? { kty: jwk.kty, n: jwk.n, e: jwk.e } : { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
    const { sealed, keyVersion } = await sealer.seal(Buffer.from(JSON.stringify(jwk), 'utf8'), aad(kid));
    rows.push({
      kid,
      alg,
      generation,
      public_jwk: { ...publicJwk, kid, alg, use: 'sig' },
      private_sealed: sealed,
      key_cell: sealer.cell,
      key_version: keyVersion,
    });
  }
  return insertSigningKeys(db, rows);
}

/** The first generation, on first start (idempotent; concurrent starts create one). */
export async function ensureSigningKeys(db: ControlDb, sealer: Sealer): Promise<void> {
  if ((await latestGeneration(db)) === 0) await generate(db, sealer, 1);
}

/**
 * Adds a generation (it signs from now on); the previous one stays published; older ones leave
 * the JWKS once what they signed has expired (their successor is older than the tokens' life).
 */
export async function rotateSigningKeys(db: ControlDb, sealer: Sealer, now = new Date()): Promise<{ generation: number; kids: string[]; retired: string[] }> {
  const generation = (await latestGeneration(db)) + 1;
  await generate(db, sealer, generation);
  // Generation g stopped signing when g + 1 was made. Keep g = generation - 1 in any case.
  let retireBelow = 0;
  for (let g = generation - 2; g >= 1; g--) {
    const successor = await generationCreatedAt(db, g + 1);
    if (successor && now.getTime() - successor.getTime() > SIGNED_TOKEN_MAX_AGE_MS) {
      retireBelow = g + 1;
      break;
    }
  }
  const retired = retireBelow > 0 ? await retireGenerationsBelow(db, retireBelow, now) : [];
  const kids = (await listActiveSigningKeys(db)).filter((k) => k.generation === generation).map((k) => k.kid);
  return { generation, kids, retired };
}

/** The private JWKs for oidc-provider, newest first (it signs with the first of an algorithm). */
export async function loadSigningKeys(
  db: ControlDb,
  sealerFor: (cell: SigningKeyRow['key_cell']) => Sealer,
): Promise<{ keys: PrivateJwk[]; fingerprint: string }> {
  const rows = await listActiveSigningKeys(db);
  const keys: PrivateJwk[] = [];
  for (const row of rows) {
    // Each key opens with the keyring of the cell it was sealed in (the setting may have changed since).
    const jwk = JSON.parse((await sealerFor(row.key_cell).open(row.private_sealed, aad(row.kid), row.key_version)).toString('utf8')) as Record<string, unknown>;
    keys.push({ ...jwk, kid: row.kid, alg: row.alg, use: 'sig' });
  }
  return { keys, fingerprint: rows.map((r) => r.kid).join(',') };
}

/** What the JWKS publishes, read without the private parts (for `keys rotate` output and checks). */
export async function activeKeyIds(db: ControlDb): Promise<{ kid: string; alg: string; generation: number }[]> {
  return (await listActiveSigningKeys(db)).map((r) => ({ kid: r.kid, alg: r.alg, generation: r.generation }));
}
