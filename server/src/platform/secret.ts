import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';

/**
 * The server secret from which CSRF (and later other) keys are derived. Production requires
 * ENTENTE_SECRET (the configuration refuses to start without it); elsewhere a random secret is
 * created once in the data directory, mode 0600, so that restarts keep sessions' CSRF tokens.
 * Several nodes must share ENTENTE_SECRET.
 */
export function loadServerSecret(config: Config): Buffer {
  if (config.secret) return createHash('sha256').update(config.secret).digest();
  const file = path.join(config.dataDir, 'secret');
  try {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) chmodSync(file, 0o600);
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(32);
  writeFileSync(file, secret.toString('base64url'), { mode: 0o600, flag: 'wx' });
  return secret;
}
