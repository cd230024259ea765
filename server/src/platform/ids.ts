import { randomFillSync } from 'node:crypto';

/**
 * A UUID version 7 (RFC 9562): 48-bit Unix time in milliseconds, version 7, the RFC variant and
 * 74 random bits. Made here rather than in SQL because PostgreSQL 15 has no uuidv7(); ids sort by
 * creation time, which keeps B-tree inserts local.
 */
export function uuidv7(now: number = Date.now()): string {
  if (!Number.isSafeInteger(now) || now < 0 || now > 0xffff_ffff_ffff) {
    throw new RangeError('uuidv7: the timestamp must be a 48-bit millisecond count');
  }
  const bytes = Buffer.alloc(16);
  randomBytesInto(bytes);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Random bytes from a pool refilled 4 KiB at a time (as Node's own randomUUID does): one call into
 * the CSPRNG per 256 ids rather than per id — ids are made on every request and audit entry, and
 * each call costs microseconds of the event loop. Each byte is handed out once.
 */
const POOL = Buffer.alloc(4096);
let poolAt = POOL.length;
function randomBytesInto(target: Buffer): void {
  if (poolAt + target.length > POOL.length) {
    randomFillSync(POOL);
    poolAt = 0;
  }
  POOL.copy(target, 0, poolAt, poolAt + target.length);
  POOL.fill(0, poolAt, poolAt + target.length);
  poolAt += target.length;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether a string is a UUID in canonical lower-case form (any version). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** The creation time encoded in a UUID v7. */
export function uuidv7Time(id: string): Date {
  if (!isUuid(id) || id[14] !== '7') throw new RangeError('Not a UUID v7');
  return new Date(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16));
}
