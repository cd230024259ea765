import { generateKeyPairSync } from 'node:crypto';
import { importJWK, type JWK } from 'jose';
import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Cells } from '../../platform/cells/cells.ts';
import type { CellDb } from '../../platform/db/types.ts';
import type { KeyOwner } from '../../platform/crypto/keyring.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { createSealer, type Sealer } from '../provider/sealed.ts';
import {
  findIssuerKey,
  generationCreatedAt,
  insertIssuerKey,
  latestIssuerGeneration,
  listActiveIssuerKeys,
  retireIssuerGenerationsBelow,
} from './issuer-keys.repo.ts';

/**
 * Entente's two credential issuers, one per jurisdiction (`${publicUrl}/issuers/fr|qc`). Each has
 * its own ES256 keys, kept in its cell and sealed with that cell's keyring: the French issuer's
 * private key never touches the Québec cell, and the reverse.
 */
export const CREDENTIAL_VALIDITY_DAYS = 90;
/** A generation stays published this long after it stopped signing: its credentials' life plus margin. */
export const ISSUER_KEY_RETENTION_MS = (CREDENTIAL_VALIDITY_DAYS + 7) * 86_400_000;
export const ISSUER_KEY_OWNER = (jurisdiction: Jurisdiction): KeyOwner => ({ type: 'credential_issuer', id: jurisdiction.toLowerCase() });

const aad = (jurisdiction: Jurisdiction, kid: string) => `entente-credential-issuer/v1\0${jurisdiction}\0${kid}`;

export function issuerUrl(publicUrl: URL, jurisdiction: Jurisdiction): string {
  return `${publicUrl.href.replace(/\/+$/, '')}/issuers/${jurisdiction.toLowerCase()}`;
}

/** The jurisdiction of one of our issuer URLs, or null. */
export function jurisdictionOfIssuer(publicUrl: URL, iss: string): Jurisdiction | null {
  return JURISDICTIONS.find((j) => issuerUrl(publicUrl, j) === iss) ?? null;
}

export interface IssuerSigningKey {
  kid: string;
  key: CryptoKey;
}

export interface Issuers {
  url(jurisdiction: Jurisdiction): string;
  /** The newest generation's private key (unsealed once per kid, kept in memory). */
  signingKey(jurisdiction: Jurisdiction): Promise<IssuerSigningKey>;
  /** The published public JWKs (current and previous generations). */
  publicJwks(jurisdiction: Jurisdiction): Promise<JWK[]>;
  /** For Entente's own verifier: the public key of one of our issuers by (iss, kid), or null. */
  publicKey(iss: string, kid: string | undefined): Promise<JWK | null>;
  ensureKeys(): Promise<void>;
}

function sealerOf(cells: Cells, jurisdiction: Jurisdiction): Sealer {
  return createSealer(cells, jurisdiction, ISSUER_KEY_OWNER(jurisdiction));
}

async function generate(db: CellDb, sealer: Sealer, jurisdiction: Jurisdiction, generation: number): Promise<string> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const kid = uuidv7();
  const { sealed, keyVersion } = await sealer.seal(Buffer.from(JSON.stringify(jwk), 'utf8'), aad(jurisdiction, kid));
  const inserted = await insertIssuerKey(db, {
    kid,
    generation,
    public_jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, kid, alg: 'ES256', use: 'sig' },
    private_sealed: sealed,
    key_version: keyVersion,
  });
  return inserted ? kid : '';
}

/** The first generation of each issuer, on first start (idempotent; concurrent starts make one). */
export async function ensureIssuerKeys(cells: Cells, jurisdictions: readonly Jurisdiction[] = JURISDICTIONS): Promise<void> {
  for (const j of jurisdictions) {
    const db = cells.get(j).db;
    if ((await latestIssuerGeneration(db)) === 0) await generate(db, sealerOf(cells, j), j, 1);
  }
}

/**
 * A new generation signs from now on; the previous ones stay published until what they signed has
 * expired (their successor is older than a credential's life plus margin), then leave the JWKS.
 */
export async function rotateIssuerKeys(cells: Cells, jurisdiction: Jurisdiction, now = new Date()): Promise<{ generation: number; kid: string; retired: string[] }> {
  const db = cells.get(jurisdiction).db;
  await ensureIssuerKeys(cells, [jurisdiction]);
  const generation = (await latestIssuerGeneration(db)) + 1;
  const kid = await generate(db, sealerOf(cells, jurisdiction), jurisdiction, generation);
  if (!kid) throw new Error(`generation ${generation} of the ${jurisdiction} issuer was created concurrently; run the command again`);
  let retireBelow = 0;
  for (let g = generation - 2; g >= 1; g--) {
    const successor = await generationCreatedAt(db, g + 1);
    if (successor && now.getTime() - successor.getTime() > ISSUER_KEY_RETENTION_MS) {
      retireBelow = g + 1;
      break;
    }
  }
  const retired = retireBelow > 0 ? await retireIssuerGenerationsBelow(db, retireBelow, now) : [];
  return { generation, kid, retired };
}

export function createIssuers(cells: Cells, publicUrl: URL): Issuers {
  const privateKeys = new Map<string, Promise<CryptoKey>>();
  const unseal = (jurisdiction: Jurisdiction, row: { kid: string; private_sealed: Buffer; key_version: number }) => {
    const cacheKey = `${jurisdiction}:${row.kid}`;
    let key = privateKeys.get(cacheKey);
    if (!key) {
      key = (async () => {
        const plain = await sealerOf(cells, jurisdiction).open(row.private_sealed, aad(jurisdiction, row.kid), row.key_version);
        return (await importJWK(JSON.parse(plain.toString('utf8')) as JWK, 'ES256')) as CryptoKey;
      })();
      key.catch(() => privateKeys.delete(cacheKey));
      privateKeys.set(cacheKey, key);
    }
    return key;
  };
  return {
    url: (j) => issuerUrl(publicUrl, j),
    async signingKey(jurisdiction) {
      // Read on each issuance (one indexed row): a rotation by the command or another node applies at once.
      let [latest] = await listActiveIssuerKeys(cells.get(jurisdiction).db);
      if (!latest) {
        await ensureIssuerKeys(cells, [jurisdiction]);
        [latest] = await listActiveIssuerKeys(cells.get(jurisdiction).db);
      }
      if (!latest) throw new Error(`no signing key for the ${jurisdiction} issuer`);
      return { kid: latest.kid, key: await unseal(jurisdiction, latest) };
    },
    async publicJwks(jurisdiction) {
      return (await listActiveIssuerKeys(cells.get(jurisdiction).db)).map((r) => r.public_jwk as JWK);
    },
    async publicKey(iss, kid) {
      const jurisdiction = jurisdictionOfIssuer(publicUrl, iss);
      if (!jurisdiction || typeof kid !== 'string' || kid.length > 100) return null;
      const row = await findIssuerKey(cells.get(jurisdiction).db, kid);
      return row && row.retired_at === null ? (row.public_jwk as JWK) : null;
    },
    ensureKeys: () => ensureIssuerKeys(cells),
  };
}
