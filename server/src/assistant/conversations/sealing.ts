import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptionError } from '../../platform/crypto/errors.ts';
import type { DataKey } from '../../platform/crypto/keyring.ts';

/**
 * Conversation text at rest, sealed with the space's data key as documents' Yjs bytes are
 * (workspace/collab/sealed-update.ts): AES-256-GCM, a random 96-bit nonce per value, and an AAD
 * binding the value to its purpose, row and space, so that a ciphertext copied to another row,
 * column or space does not open. No cell is named: a space move copies the bytes as they are.
 *
 *     0x01 ‖ nonce (12) ‖ ciphertext ‖ tag (16)
 *     AAD = "entente-assistant/v1" NUL purpose NUL row id NUL space id
 */
export type ConversationSealPurpose = 'title' | 'content' | 'citations';

const FORMAT = 0x01;
const NONCE = 12;
const TAG = 16;

function aad(purpose: ConversationSealPurpose, rowId: string, spaceId: string): Buffer {
  return Buffer.from(`entente-assistant/v1\0${purpose}\0${rowId}\0${spaceId}`, 'utf8');
}

export function sealText(key: DataKey, purpose: ConversationSealPurpose, rowId: string, spaceId: string, text: string): Uint8Array {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', key.key, nonce);
  cipher.setAAD(aad(purpose, rowId, spaceId));
  const body = Buffer.concat([cipher.update(Buffer.from(text, 'utf8')), cipher.final()]);
  const out = Buffer.concat([Buffer.of(FORMAT), nonce, body, cipher.getAuthTag()]);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

export function openText(key: DataKey, purpose: ConversationSealPurpose, rowId: string, spaceId: string, sealed: Uint8Array): string {
  if (sealed.byteLength < 1 + NONCE + TAG || sealed[0] !== FORMAT) throw new DecryptionError();
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, bytes.subarray(1, 1 + NONCE));
    decipher.setAAD(aad(purpose, rowId, spaceId));
    decipher.setAuthTag(bytes.subarray(bytes.byteLength - TAG));
    return Buffer.concat([decipher.update(bytes.subarray(1 + NONCE, bytes.byteLength - TAG)), decipher.final()]).toString('utf8');
  } catch (error) {
    throw new DecryptionError(undefined, { cause: error });
  }
}
