import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { importPKCS8 } from 'jose';
import type { Upstream } from './upstream.ts';

/**
 * Entente's private keys for `private_key_jwt` client authentication at an upstream federation:
 * one file per federation (PEM or JWK JSON), readable by the server's user only, as the cell key
 * files are. The public half of each is published at `/auth/jwks` so that the federation can
 * verify Entente's client assertions.
 */
export interface ClientKey {
  kid: string;
  alg: string;
  privateKey: KeyObject;
  /** Public JWK with kid, alg and use, as published. */
  publicJwk: JsonWebKey & { kid: string; alg: string; use: 'sig' };
}

/** A key file Entente cannot use; the message says which file and how to fix it. */
export class ClientKeyError extends Error {
  override name = 'ClientKeyError';
}

const MAX_KEY_FILE = 64 * 1024;

/** The JWS algorithm a key signs with when the configuration does not name one. */
function defaultAlg(key: KeyObject): string | null {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return 'RS256';
    case 'rsa-pss':
      return 'PS256';
    case 'ed25519':
      return 'EdDSA';
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      return curve === 'prime256v1' ? 'ES256' : curve === 'secp384r1' ? 'ES384' : curve === 'secp521r1' ? 'ES512' : null;
    }
    default:
      return null;
  }
}

function fits(key: KeyObject, alg: string): boolean {
  if (alg.startsWith('RS')) return key.asymmetricKeyType === 'rsa';
  if (alg.startsWith('PS')) return key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss';
  if (alg === 'EdDSA') return key.asymmetricKeyType === 'ed25519';
  return defaultAlg(key) === alg;
}

/** The key as openid-client signs the client assertion with it (WebCrypto, not extractable). */
export async function clientAssertionKey(key: ClientKey): Promise<{ key: CryptoKey; kid: string }> {
  const pem = key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  return { key: await importPKCS8(pem, key.alg), kid: key.kid };
}

/** Reads, checks and parses the private key of an upstream that uses private_key_jwt. */
export function readClientKey(upstream: Upstream): ClientKey {
  const config = upstream.clientKey;
  if (upstream.clientAuth !== 'private_key_jwt' || !config) {
    throw new ClientKeyError(`${upstream.name}: no clientKey (private_key_jwt only)`);
  }
  const file = path.resolve(config.file);
  const where = `identityProviders ${upstream.name}: clientKey.file ${file}`;
  let info: ReturnType<typeof statSync>;
  try {
    info = statSync(file);
  } catch (error) {
    throw new ClientKeyError(`${where}: cannot be read / illisible (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (!info.isFile()) throw new ClientKeyError(`${where}: not a regular file / n’est pas un fichier`);
  if (info.size > MAX_KEY_FILE) throw new ClientKeyError(`${where}: too large for a key file / trop gros pour une clé`);
  const mode = info.mode & 0o777;
  if (mode & 0o077) {
    throw new ClientKeyError(
      `${where}: other users can access it (mode ${mode.toString(8).padStart(4, '0')}) / accessible à d’autres utilisateurs; ` +
        `fix / correction : chmod 600 ${file}`,
    );
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ClientKeyError(`${where}: cannot be read / illisible (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let privateKey: KeyObject;
  try {
    const trimmed = text.trim();
    privateKey = trimmed.startsWith('{')
      ? createPrivateKey({ key: JSON.parse(trimmed) as JsonWebKey, format: 'jwk' })
      : createPrivateKey({ key: trimmed, format: 'pem' });
  } catch {
    // The parser's message could quote the file's content: never echo it.
    throw new ClientKeyError(`${where}: not a private key in PEM or JWK JSON / pas une clé privée PEM ou JWK JSON`);
  }
  const alg = config.alg ?? defaultAlg(privateKey);
  if (!alg) {
    throw new ClientKeyError(`${where}: unsupported key type ${privateKey.asymmetricKeyType ?? '?'} (RSA, EC P-256/384/521 or Ed25519)`);
  }
  if (!fits(privateKey, alg)) {
    throw new ClientKeyError(`${where}: a ${privateKey.asymmetricKeyType ?? '?'} key cannot sign ${alg} / cette clé ne signe pas en ${alg}`);
  }
  if (privateKey.asymmetricKeyType === 'rsa' && (privateKey.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    throw new ClientKeyError(`${where}: RSA keys must have at least 2048 bits / au moins 2048 bits`);
  }
  const publicJwk = createPublicKey(privateKey).export({ format: 'jwk' });
  return { kid: config.kid, alg, privateKey, publicJwk: { ...publicJwk, kid: config.kid, alg, use: 'sig' } };
}
