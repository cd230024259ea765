/**
 * Token Status List (draft-ietf-oauth-status-list): a byte array where entry `idx` occupies
 * `bits` bits starting at bit `(idx * bits) % 8` (least significant first) of byte
 * `floor(idx * bits / 8)`, compressed with DEFLATE in the ZLIB format and base64url-encoded.
 * Server-only (node:zlib): issuers publish lists, Entente's verifier reads them.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { base64url } from 'jose';
import { isBase64url } from './encoding.ts';

export type BitsPerStatus = 1 | 2 | 4 | 8;
export type StatusList = { bits: BitsPerStatus; size: number; bytes: Uint8Array };
export type EncodedStatusList = { bits: BitsPerStatus; lst: string };

/** Status values registered by the draft (§7.1). */
export const STATUS_VALID = 0;
export const STATUS_INVALID = 1;
export const STATUS_SUSPENDED = 2;

/** 1 MiB of statuses is 8 million credentials: beyond that a list is hostile, not big. */
export const MAX_STATUS_LIST_BYTES = 1 << 20;

export class StatusListError extends Error {
  override readonly name = 'StatusListError';
}

function assertBits(bits: number): asserts bits is BitsPerStatus {
  if (bits !== 1 && bits !== 2 && bits !== 4 && bits !== 8) throw new StatusListError(`bits must be 1, 2, 4 or 8, not ${bits}`);
}

/** A list of `size` entries, all VALID (0). */
export function createStatusList(size: number, bitsPerStatus: BitsPerStatus = 1): StatusList {
  assertBits(bitsPerStatus);
  if (!Number.isSafeInteger(size) || size < 1) throw new StatusListError('size must be a positive integer');
  const byteLength = Math.ceil((size * bitsPerStatus) / 8);
  if (byteLength > MAX_STATUS_LIST_BYTES) throw new StatusListError('status list too large');
  return { bits: bitsPerStatus, size, bytes: new Uint8Array(byteLength) };
}

function locate(list: StatusList, idx: number): { byte: number; shift: number; mask: number } {
  if (!Number.isSafeInteger(idx) || idx < 0 || idx >= list.size) throw new StatusListError(`index ${idx} is outside the list (size ${list.size})`);
  const bit = idx * list.bits;
  return { byte: Math.floor(bit / 8), shift: bit % 8, mask: (1 << list.bits) - 1 };
}

export function getStatus(list: StatusList, idx: number): number {
  const { byte, shift, mask } = locate(list, idx);
  return ((list.bytes[byte] as number) >> shift) & mask;
}

/** Mutates the list in place. */
export function setStatus(list: StatusList, idx: number, value: number): void {
  const { byte, shift, mask } = locate(list, idx);
  if (!Number.isInteger(value) || value < 0 || value > mask) throw new StatusListError(`status ${value} does not fit in ${list.bits} bit(s)`);
  const current = list.bytes[byte] as number;
  list.bytes[byte] = (current & ~(mask << shift)) | (value << shift);
}

/** `{ bits, lst }`, compressed at the highest level as the draft recommends. */
export function encodeStatusList(list: StatusList): EncodedStatusList {
  return { bits: list.bits, lst: base64url.encode(deflateSync(list.bytes, { level: 9 })) };
}

/**
 * The list of an `{ bits, lst }` received from anywhere: bounded inflation (a few bytes of
 * DEFLATE can expand to gigabytes), strict base64url. The size is every entry the bytes hold.
 */
export function decodeStatusList(encoded: { bits: unknown; lst: unknown }, maxBytes = MAX_STATUS_LIST_BYTES): StatusList {
  const { bits, lst } = encoded;
  if (typeof bits !== 'number') throw new StatusListError('bits is not a number');
  assertBits(bits);
  if (typeof lst !== 'string' || lst === '' || !isBase64url(lst)) throw new StatusListError('lst is not base64url');
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(inflateSync(base64url.decode(lst), { maxOutputLength: maxBytes }));
  } catch (error) {
    throw new StatusListError(`lst is not a ZLIB/DEFLATE stream within ${maxBytes} bytes: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (bytes.length === 0) throw new StatusListError('the status list is empty');
  return { bits, size: (bytes.length * 8) / bits, bytes };
}

/** How a verifier reads a status value: suspended counts as not valid now. */
export function credentialStatusOf(value: number): 'valid' | 'revoked' {
  return value === STATUS_VALID ? 'valid' : 'revoked';
}
