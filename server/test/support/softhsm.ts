import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TMP } from './db.ts';

/** Debian's softhsm2 module. */
export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

/**
 * Whether softhsm2 is installed. Tests that need it skip (with a message) only when it is not AND
 * CI is not true: on CI a missing softhsm2 is a failure (.ci/run installs it).
 */
export function softhsmAvailable(): boolean {
  const present = existsSync(SOFTHSM_MODULE) && existsSync('/usr/bin/softhsm2-util');
  if (!present && process.env.CI === 'true') throw new Error(`softhsm2 is required on CI (${SOFTHSM_MODULE}, softhsm2-util): apt-get install softhsm2`);
  if (!present) console.warn(`⚠ softhsm2 is not installed (${SOFTHSM_MODULE}): the PKCS#11 tests are skipped. apt-get install softhsm2`);
  return present;
}

export interface TestTokens {
  /** The SOFTHSM2_CONF file; the library reads it when a process first initialises the module. */
  conf: string;
  /** `pkcs11:token=<label>?module-path=…` of a token made by `initToken`. */
  uri(label: string): string;
  /** Makes a new token with this label and user PIN (SO PIN: `so-<pin>`). */
  initToken(label: string, pin: string): void;
  dispose(): void;
}

/**
 * SoftHSM tokens in a folder of their own, for one test file. Sets SOFTHSM2_CONF in this process
 * (and so in processes it spawns with its environment): set before the first PKCS#11 call.
 */
export function softhsmTokens(): TestTokens {
  mkdirSync(TMP, { recursive: true });
  const dir = mkdtempSync(path.join(TMP, 'softhsm-'));
  const tokens = path.join(dir, 'tokens');
  mkdirSync(tokens, { mode: 0o700 });
  const conf = path.join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  process.env.SOFTHSM2_CONF = conf;
  return {
    conf,
    uri: (label) => `pkcs11:token=${encodeURIComponent(label)}?module-path=${SOFTHSM_MODULE}`,
    initToken: (label, pin) => {
      execFileSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', `so-${pin}`], {
        env: { ...process.env, SOFTHSM2_CONF: conf },
        stdio: 'pipe',
      });
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
