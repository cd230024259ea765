import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAuditSigningKey } from '../src/cli/doctor-audit-key.ts';
import type { CheckLine } from '../src/cli/output.ts';
import { loadConfig } from '../src/config.ts';
import { createEntente, type Entente } from '../src/entente.ts';
import { auditStores } from '../src/platform/audit/audit-stores.ts';
import { checkpointStore } from '../src/platform/audit/checkpoints.ts';
import { SigningKeyMissingError } from '../src/platform/audit/signing-key-guard.ts';
import { openSigningKeys, readPublicKeys, rotateSigningKeys } from '../src/platform/audit/signing-keys.ts';
import { verifyStore } from '../src/platform/audit/verify.ts';
import { createLogger } from '../src/platform/logger.ts';
import { freePort } from './support/app.ts';
import { freshTestEnv, type TestEnv } from './support/db.ts';

/**
 * The audit signing key file is never replaced silently: a first start creates it, a start that
 * finds it missing while signed checkpoints exist is refused (naming the file and the way out),
 * `audit keys rotate --force` replaces it and records the break, and `entente doctor` says where
 * the file stands.
 */
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CLI = path.join(ROOT, 'server', 'src', 'cli', 'main.ts');

let env: TestEnv;
let keyFile: string;
let entente: Entente | null = null;

async function start(): Promise<Entente> {
  const config = loadConfig(env.env);
  entente = await createEntente({ config, logger: createLogger(config), webDist: null, startJobs: false });
  return entente;
}
async function stop(): Promise<void> {
  await entente?.close();
  entente = null;
}

function cli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', LANG: 'en_GB.UTF-8', ...env.env }, cwd: ROOT });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

const doctorLine = (out: string) => out.split('\n').find((l) => l.includes('Audit signing key')) ?? '';

/** Doctor's line on the key file, checked in this process (the command itself is run once below). */
async function doctorCheck(): Promise<CheckLine> {
  const lines: CheckLine[] = [];
  await checkAuditSigningKey(loadConfig(env.env), (line) => lines.push(line), true);
  expect(lines).toHaveLength(1);
  return lines[0] as CheckLine;
}

beforeAll(async () => {
  const port = await freePort();
  env = await freshTestEnv({ PORT: String(port), ENTENTE_PUBLIC_URL: `http://localhost:${port}`, ENTENTE_LOG_LEVEL: 'silent' });
  keyFile = loadConfig(env.env).audit.signingKeyFile;
});
afterAll(async () => {
  await stop();
  await env?.dispose();
});

describe('audit signing key file', () => {
  it('is created by the first start of an empty installation', async () => {
    expect(existsSync(keyFile)).toBe(false);
    // (The command's language follows LANG: English or French.)
    expect(await doctorCheck()).toMatchObject({ ok: true, detail: expect.stringMatching(/missing, no signed checkpoint: it will be created at start|absent, aucun point de contrôle signé : il sera créé au démarrage/) });
    await start();
    expect(existsSync(keyFile)).toBe(true);
    await stop();
  }, 300_000);

  it('missing while signed checkpoints exist: the start is refused, doctor says why, the plain rotation refuses, --force records the break', async () => {
    const e = await start();
    await e.audit.record({ action: 'test.before_loss', outcome: 'success' });
    const keys = await openSigningKeys(keyFile, { create: false });
    for (const store of auditStores(e.stores)) await checkpointStore(store, keys);
    const lostKid = keys.currentKid;
    await stop();

    // A healthy file: doctor sees it matches the latest checkpoints.
    expect(await doctorCheck()).toMatchObject({
      ok: true,
      detail: expect.stringMatching(new RegExp(`(current ${lostKid}, matches the latest checkpoints|courante ${lostKid}, correspond aux derniers points de contrôle)$`)),
    });

    // Another installation's file in its place: doctor says it is not this installation's.
    const stranger = path.join(env.dataDir, 'stranger-keys.json');
    await rotateSigningKeys(stranger);
    const saved = path.join(env.dataDir, 'saved-keys.json');
    copyFileSync(keyFile, saved);
    copyFileSync(stranger, keyFile);
    const wrong = await doctorCheck();
    expect(wrong.ok).toBe(false);
    expect(wrong.detail).toMatch(/does not hold the keys that signed the latest checkpoints|ne contient pas les clés qui ont signé les derniers points de contrôle/);
    expect(wrong.detail).toContain(`(${lostKid})`);

    // The file lost.
    rmSync(keyFile);
    const refused = await start().then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(SigningKeyMissingError);
    expect((refused as Error).message).toContain(keyFile);
    expect((refused as Error).message).toContain('npm run entente -- audit keys rotate --force');
    expect((refused as Error).message).toContain('restore --keyring-from');
    // Nothing was created in its place, and the data directory is free again.
    expect(existsSync(keyFile)).toBe(false);

    const doctor = await cli(['doctor']);
    expect(doctorLine(doctor.out)).toMatch(/✗ Audit signing key: .*missing while [1-9]\d* checkpoint\(s\) are signed/);
    expect(doctor.out).toContain('audit keys rotate --force');
    expect(doctor.code).toBe(1);

    // The plain rotation would hide the loss: refused; --force replaces it and says so.
    const plain = await cli(['audit', 'keys', 'rotate']);
    expect(plain.code).toBe(1);
    expect(plain.out).toContain(`Refused: The audit signing key file ${keyFile} is missing`);
    expect(existsSync(keyFile)).toBe(false);
    const forced = await cli(['audit', 'keys', 'rotate', '--force']);
    expect(forced.code, forced.out).toBe(0);
    expect(forced.out).toContain('Key file missing: new key');
    expect(forced.out).toContain(lostKid);
    const replaced = await readPublicKeys(keyFile);
    expect(replaced?.has(lostKid)).toBe(false);

    // The server starts again, and the break is in the platform chain.
    const again = await start();
    const events = await again.audit.list({ action: 'audit.signing_key_replaced', limit: 5 });
    expect(events).toHaveLength(1);
    expect(events[0]?.details).toMatchObject({ reason: 'key_file_missing', lost: lostKid });
    await stop();

    // Checked with the new file, the old checkpoints are signed by an unknown key (the break is
    // visible); with the file restored from the key backup, they verify again.
    const e2 = await start();
    const problems = async () => {
      const keys = await readPublicKeys(keyFile);
      const found: string[] = [];
      for (const store of auditStores(e2.stores)) for (const r of await verifyStore(store, { keys })) if (r.problem) found.push(r.problem.kind);
      return found;
    };
    expect(await problems()).toContain('checkpoint_unknown_key');
    copyFileSync(saved, keyFile);
    expect(await problems()).toEqual([]);
    await stop();
  }, 600_000);
});
