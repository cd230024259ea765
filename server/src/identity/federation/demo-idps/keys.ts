import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DemoIdpName } from './accounts.ts';

/** A private JWK as oidc-provider takes it (`jwks.keys`). */
export type PrivateJwk = Record<string, unknown> & { kid: string; alg: string; use: 'sig' };
export type DemoIdpKeys = Record<DemoIdpName, { keys: PrivateJwk[] }>;

function generate(): { keys: PrivateJwk[] } {
  // RS256 first: it is what ProConnect signs with and oidc-provider's default for ID tokens.
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  return {
    keys: [
      { ...rsa, kid: randomUUID(), alg: 'RS256', use: 'sig' },
      { ...ec, kid: randomUUID(), alg: 'ES256', use: 'sig' },
    ],
  };
}

function isKeys(value: unknown): value is DemoIdpKeys {
  const ok = (v: unknown) =>
    typeof v === 'object' && v !== null && Array.isArray((v as { keys?: unknown }).keys) && (v as { keys: unknown[] }).keys.length > 0;
  return typeof value === 'object' && value !== null && ok((value as DemoIdpKeys).fr) && ok((value as DemoIdpKeys).qc);
}

/**
 * Signing keys of the two demo providers: generated on first start, then kept in `file` (one JSON
 * document `{ fr: JWKS, qc: JWKS }` with private keys, mode 0600) so tokens survive a restart; in
 * memory only when no file is given. A file that is not such a document is an error, not silently
 * replaced: an operator may have pointed it at something else.
 */
export function loadOrCreateDemoIdpKeys(file?: string): DemoIdpKeys {
  if (file && existsSync(file)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      throw new Error(`demo identity providers: ${file} is not a JSON key file`);
    }
    if (!isKeys(parsed)) throw new Error(`demo identity providers: ${file} does not hold { fr, qc } key sets`);
    return parsed;
  }
  const keys: DemoIdpKeys = { fr: generate(), qc: generate() };
  if (file) {
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(keys)}\n`, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, file);
  }
  return keys;
}
