import { createHash } from 'node:crypto';
import { pipeline, Transform } from 'node:stream';
import type { ObjectStore } from '../../../platform/objects/object-store.ts';

/**
 * A space's objects between two cells' stores: copied as they are (ciphertext: the AAD binds the
 * owner and the object key, not the cell, and the data key is the same in both keyrings), each
 * verified by reading it back (size and SHA-256 equal to what was read from the source).
 */

export async function listObjects(store: ObjectStore, prefix: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for await (const object of store.list(prefix)) out.set(object.key, object.size);
  return out;
}

async function sha256Of(store: ObjectStore, key: string): Promise<{ size: number; sha256: string }> {
  const got = await store.get(key);
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of got.body) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}

/** Copies one object and proves the copy: the bytes read back from the destination hash as those read from the source. */
export async function copyObject(from: ObjectStore, to: ObjectStore, key: string): Promise<number> {
  const source = await from.get(key);
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  // The pipeline forwards a source error to the destination's body (the put then fails).
  const body = pipeline(source.body, tap, () => {});
  await to.put(key, body);
  const expected = hash.digest('hex');
  if (size !== source.size) throw new Error(`Object ${key}: read ${size} bytes of ${source.size}`);
  const copied = await sha256Of(to, key);
  if (copied.size !== size || copied.sha256 !== expected) throw new Error(`Object ${key}: the copy differs from the source`);
  return size;
}

/** Keys present in only one of the two listings, or with another size. */
export function listingDifferences(source: Map<string, number>, target: Map<string, number>): { missing: string[]; extra: string[] } {
  const missing = [...source].filter(([key, size]) => target.get(key) !== size).map(([key]) => key);
  const extra = [...target.keys()].filter((key) => !source.has(key));
  return { missing, extra };
}
