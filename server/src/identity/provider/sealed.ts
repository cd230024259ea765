import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Cells } from '../../platform/cells/cells.ts';
import type { KeyOwner } from '../../platform/crypto/keyring.ts';

/**
 * AES-256-GCM under a keyring data key, for the provider's secrets (signing keys' private parts,
 * client secrets). The AAD binds a ciphertext to what it protects (a kid, a client id): a row's
 * sealed value copied onto another row does not open.
 */
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealer {
  cell: Jurisdiction;
  seal(plaintext: Buffer, aad: string): Promise<{ sealed: Buffer; keyVersion: number }>;
  open(sealed: Buffer, aad: string, keyVersion: number): Promise<Buffer>;
}

export function createSealer(cells: Cells, cell: Jurisdiction, owner: KeyOwner): Sealer {
  const c = cells.get(cell);
  return {
    cell,
    async seal(plaintext, aad) {
      const key = await c.keyring.getOrCreateDataKey(c.db, owner);
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key.key, iv);
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return { sealed: Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ciphertext]), keyVersion: key.version };
    },
    async open(sealed, aad, keyVersion) {
      if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) throw new Error('not a sealed value');
      const key = await c.keyring.getDataKey(c.db, owner, keyVersion);
      const iv = sealed.subarray(1, 1 + IV_BYTES);
      const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key.key, iv);
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
    },
  };
}

export const SIGNING_KEY_OWNER: KeyOwner = { type: 'oidc_signing', id: 'entente' };
export const CLIENT_SECRET_OWNER: KeyOwner = { type: 'oidc_client', id: 'entente' };
