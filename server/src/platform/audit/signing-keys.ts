import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { uuidv7 } from '../ids.ts';

/**
 * The platform's audit signing keys (Ed25519, `node:crypto`), kept in one JSON file, by default
 * `$ENTENTE_DATA_DIR/keys/audit-signing.json` (ENTENTE_AUDIT_SIGNING_KEY), with the conventions
 * of the KEK files: folder 0700, file 0600 written atomically, refused when the group or others
 * can read it (with the `chmod 600` fix in the message).
 *
 *     {"format":"entente-audit-signing-keys","version":1,"keys":[
 *       {"kid":"<RFC 7638 thumbprint>","algorithm":"Ed25519","publicKey":{"kty":"OKP","crv":"Ed25519","x":"…"},
 *        "privateKey":"<PKCS#8 DER, base64>","createdAt":"<ISO>","retiredAt":null}, …]}
 *
 * The current key is the last one that still has its private key. A rotation adds a new key and
 * drops the previous key's private part (it can no longer sign) but keeps its public key, so that
 * checkpoints signed before stay verifiable. The file is the trust anchor of `audit verify`:
 * public keys are never read from the database, which an attacker able to rewrite entries could
 * also write to. Every node that signs checkpoints must have the same file (copy it, as the KEKs).
 */

export const KEYS_FORMAT = 'entente-audit-signing-keys';

export interface PublicSigningKey {
  kid: string;
  algorithm: 'Ed25519';
  publicKey: { kty: 'OKP'; crv: 'Ed25519'; x: string };
  createdAt: string;
  retiredAt: string | null;
}

interface StoredKey extends PublicSigningKey {
  privateKey?: string;
}

interface KeysFile {
  format: typeof KEYS_FORMAT;
  version: 1;
  keys: StoredKey[];
}

export class SigningKeyFileError extends Error {
  readonly file: string;
  constructor(file: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SigningKeyFileError';
    this.file = file;
  }
}

/** What verifies signatures: public keys by id (from the key file or an export). */
export class PublicKeys {
  readonly #keys: Map<string, { info: PublicSigningKey; key: KeyObject }>;
  constructor(keys: readonly PublicSigningKey[]) {
    this.#keys = new Map();
    for (const info of keys) {
      const key = createPublicKey({ key: { ...info.publicKey }, format: 'jwk' });
      // A kid must be the thumbprint of its key: a key line cannot claim another key's id.
      if (thumbprint(info.publicKey) !== info.kid) throw new Error(`The key ${info.kid} does not match its thumbprint`);
      this.#keys.set(info.kid, { info, key });
    }
  }
  list(): PublicSigningKey[] {
    return [...this.#keys.values()].map((k) => k.info);
  }
  has(kid: string): boolean {
    return this.#keys.has(kid);
  }
  verify(kid: string, message: string, signature: string): boolean {
    const found = this.#keys.get(kid);
    if (!found) return false;
    try {
      return verify(null, Buffer.from(message, 'utf8'), found.key, Buffer.from(signature, 'base64url'));
    } catch {
      return false;
    }
  }
}

/** The key file opened for signing: the current private key, and every public key. */
export class AuditSigningKeys extends PublicKeys {
  readonly file: string;
  readonly currentKid: string;
  readonly #private: KeyObject;
  constructor(file: string, keys: readonly PublicSigningKey[], currentKid: string, privateKey: KeyObject) {
    super(keys);
    this.file = file;
    this.currentKid = currentKid;
    this.#private = privateKey;
  }
  sign(message: string): { kid: string; signature: string } {
    return { kid: this.currentKid, signature: sign(null, Buffer.from(message, 'utf8'), this.#private).toString('base64url') };
  }
}

/** RFC 7638 JWK thumbprint of an Ed25519 public key (SHA-256, base64url). */
export function thumbprint(jwk: { crv: string; kty: string; x: string }): string {
  return createHash('sha256').update(`{"crv":"${jwk.crv}","kty":"${jwk.kty}","x":"${jwk.x}"}`).digest('base64url');
}

/** Opens the key file for signing, creating it (and a first key) when missing unless `create: false`. */
export async function openSigningKeys(file: string, options: { create?: boolean } = {}): Promise<AuditSigningKeys> {
  let content = await readKeysFile(file);
  if (!content) {
    if (options.create === false) throw new SigningKeyFileError(file, `No audit signing key file at ${file}`);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeKeysFile(file, { format: KEYS_FORMAT, version: 1, keys: [newKey()] }, { exclusive: true }).catch(async (error: NodeJS.ErrnoException) => {
      // Another process created it meanwhile: use theirs.
      if (error.code !== 'EEXIST') throw error;
    });
    content = await readKeysFile(file);
    if (!content) throw new SigningKeyFileError(file, `Could not create ${file}`);
  }
  return forSigning(file, content);
}

/** The public keys of the file, for verification (null when there is no file). */
export async function readPublicKeys(file: string): Promise<PublicKeys | null> {
  const content = await readKeysFile(file);
  return content ? new PublicKeys(content.keys.map(publicPart)) : null;
}

/** Adds a new current key; the previous ones keep only their public key. */
export async function rotateSigningKeys(file: string): Promise<{ kid: string; retired: string[] }> {
  const content = await readKeysFile(file);
  const now = new Date().toISOString();
  const retired: string[] = [];
  const kept: StoredKey[] = (content?.keys ?? []).map((k) => {
    if (!k.privateKey && k.retiredAt) return k;
    retired.push(k.kid);
    return { ...publicPart(k), retiredAt: k.retiredAt ?? now };
  });
  const key = newKey();
  if (!content) await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeKeysFile(file, { format: KEYS_FORMAT, version: 1, keys: [...kept, key] }, { exclusive: false });
  return { kid: key.kid, retired };
}

function newKey(): StoredKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' }) as { kty: 'OKP'; crv: 'Ed25519'; x: string };
  const pub = { kty: 'OKP' as const, crv: 'Ed25519' as const, x: jwk.x };
  return {
    kid: thumbprint(pub),
    algorithm: 'Ed25519',
    publicKey: pub,
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    createdAt: new Date().toISOString(),
    retiredAt: null,
  };
}

function publicPart(k: StoredKey): PublicSigningKey {
  return { kid: k.kid, algorithm: k.algorithm, publicKey: k.publicKey, createdAt: k.createdAt, retiredAt: k.retiredAt ?? null };
}

function forSigning(file: string, content: KeysFile): AuditSigningKeys {
  const current = content.keys.filter((k) => k.privateKey && !k.retiredAt).at(-1);
  if (!current?.privateKey) {
    throw new SigningKeyFileError(file, `The audit signing key file ${file} holds no current private key; rotate: npm run entente -- audit keys rotate`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: Buffer.from(current.privateKey, 'base64'), format: 'der', type: 'pkcs8' });
  } catch (error) {
    throw new SigningKeyFileError(file, `The private key ${current.kid} in ${file} is unreadable`, { cause: error });
  }
  const derived = createPublicKey(privateKey).export({ format: 'jwk' }) as { x: string };
  if (derived.x !== current.publicKey.x) throw new SigningKeyFileError(file, `The private key ${current.kid} in ${file} does not match its public key`);
  return new AuditSigningKeys(file, content.keys.map(publicPart), current.kid, privateKey);
}

async function readKeysFile(file: string): Promise<KeysFile | null> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (!info.isFile()) throw new SigningKeyFileError(file, `The audit signing key file ${file} is not a regular file`);
  const mode = info.mode & 0o777;
  if (mode & 0o077) {
    throw new SigningKeyFileError(
      file,
      `The audit signing key file ${file} can be accessed by other users (mode ${mode.toString(8).padStart(4, '0')}); restrict it to the server's user: chmod 600 ${file}`,
    );
  }
  let parsed: KeysFile;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8')) as KeysFile;
  } catch (error) {
    throw new SigningKeyFileError(file, `The audit signing key file ${file} is not valid JSON`, { cause: error });
  }
  const wellFormed =
    parsed?.format === KEYS_FORMAT &&
    parsed.version === 1 &&
    Array.isArray(parsed.keys) &&
    parsed.keys.length > 0 &&
    parsed.keys.every(
      (k) =>
        typeof k?.kid === 'string' &&
        k.algorithm === 'Ed25519' &&
        k.publicKey?.kty === 'OKP' &&
        k.publicKey.crv === 'Ed25519' &&
        typeof k.publicKey.x === 'string' &&
        thumbprint(k.publicKey) === k.kid,
    );
  if (!wellFormed) throw new SigningKeyFileError(file, `The file ${file} is not an Entente audit signing key file (format ${KEYS_FORMAT}, version 1)`);
  return parsed;
}

/** Writes the file atomically (temporary name, fsync, rename), mode 0600 from the start. */
async function writeKeysFile(file: string, content: KeysFile, options: { exclusive: boolean }): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${uuidv7()}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(content, null, 2)}\n`);
    await handle.sync();
    await handle.close();
    if (options.exclusive) {
      // link() fails if the target exists: two first starts never overwrite each other's key.
      await link(temp, file).finally(() => rm(temp, { force: true }));
    } else {
      await rename(temp, file);
    }
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(temp, { force: true });
    throw error;
  }
}
