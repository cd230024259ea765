import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptionError } from '../../platform/crypto/errors.ts';
import type { DataKey } from '../../platform/crypto/keyring.ts';

/**
 * Encryption of a document's Yjs bytes (log entries, snapshots, versions) with its space's data
 * key: AES-256-GCM, a random 96-bit nonce per value, and an AAD that binds the bytes to their
 * purpose, document and epoch, so that a row copied to another document, another epoch or
 * another column does not decrypt.
 *
 *     0x01 ‖ nonce (12) ‖ ciphertext ‖ tag (16)
 *     AAD = "entente-doc/v1" NUL purpose NUL document id NUL epoch
 *
 * The data key version is stored beside the value (`key_version` columns).
 */
export type SealPurpose = 'update' | 'snapshot' | 'version';

const FORMAT = 0x01;
const NONCE = 12;
const TAG = 16;

function aad(purpose: SealPurpose, documentId: string, epoch: number): Buffer {
  return Buffer.from(`entente-doc/v1\0${purpose}\0${documentId}\0${epoch}`, 'utf8');
}

export function sealDocumentBytes(key: DataKey, purpose: SealPurpose, documentId: string, epoch: number, plain: Uint8Array): Uint8Array {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', key.key, nonce);
  cipher.setAAD(aad(purpose, documentId, epoch));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  const out = Buffer.concat([Buffer.of(FORMAT), nonce, body, cipher.getAuthTag()]);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

export function openDocumentBytes(key: DataKey, purpose: SealPurpose, documentId: string, epoch: number, sealed: Uint8Array): Uint8Array {
  if (sealed.byteLength < 1 + NONCE + TAG || sealed[0] !== FORMAT) throw new DecryptionError();
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, bytes.subarray(1, 1 + NONCE));
    decipher.setAAD(aad(purpose, documentId, epoch));
    decipher.setAuthTag(bytes.subarray(bytes.byteLength - TAG));
    const plain = Buffer.concat([decipher.update(bytes.subarray(1 + NONCE, bytes.byteLength - TAG)), decipher.final()]);
    return new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength);
  } catch (error) {
    throw new DecryptionError(undefined, { cause: error });
  }
}
