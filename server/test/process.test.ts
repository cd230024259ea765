import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/app.ts';
import { freshTestEnv, type TestEnv } from './support/db.ts';

/** The server and the CLI as an operator runs them: separate processes, real exit codes. */
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const MAIN = path.join(ROOT, 'server', 'src', 'main.ts');
const CLI = path.join(ROOT, 'server', 'src', 'cli', 'main.ts');

function runToEnd(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { env: { PATH: process.env.PATH ?? '', LANG: 'fr_FR.UTF-8', ...env }, cwd: ROOT });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

/** Waits for /readyz; if the server dies first, the error carries what it printed (why it stopped). */
async function waitReady(url: string, child: ChildProcess, output: () => string, seconds = 90): Promise<void> {
  for (let i = 0; i < seconds * 4; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('server not ready in time');
}

describe('start-up failures are clear and non-zero', () => {
  it('a wrong configuration value stops the start, naming the variable', async () => {
    const { code, output } = await runToEnd(MAIN, [], { PORT: 'eighty', ENTENTE_DATA_DIR: '/nonexistent' });
    expect(code).toBe(2);
    expect(output).toContain('PORT');
    expect(output).toContain('"eighty"');
  });

  it('an unreachable database stops the start with a message, not a stack trace', async () => {
    const env = await freshTestEnv();
    try {
      const { code, output } = await runToEnd(MAIN, [], {
        ENTENTE_DATA_DIR: env.dataDir,
        PORT: '0',
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/entente',
      });
      expect(code).toBe(1);
      expect(output).toContain('Entente could not start');
      expect(output).toContain('ECONNREFUSED');
      expect(output).toContain('doctor');
      expect(output).not.toMatch(/\n\s+at /); // no stack frames
    } finally {
      await env.dispose();
    }
  });
});

describe('one process per embedded data directory', () => {
  let env: TestEnv;
  let server: ChildProcess;
  let port: number;
  let childEnv: Record<string, string>;

  beforeAll(async () => {
    // A port outside the kernel's ephemeral range (see freePort): one derived from the pid could be
    // the local port of an outgoing connection and the server would stop on EADDRINUSE.
    port = await freePort();
    env = await freshTestEnv();
    childEnv = { ENTENTE_DATA_DIR: env.dataDir, PORT: String(port), ENTENTE_LOG_LEVEL: 'warn' };
    server = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...childEnv }, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    server.stdout?.on('data', (d) => (output += d));
    server.stderr?.on('data', (d) => (output += d));
    await waitReady(`http://127.0.0.1:${port}`, server, () => output);
  }, 120_000);
  afterAll(async () => {
    if (server.exitCode === null) server.kill('SIGKILL');
    await env?.dispose();
  });

  it('refuses a second server on the same directory', async () => {
    const { code, output } = await runToEnd(MAIN, [], { ...childEnv, PORT: String(await freePort()) });
    expect(code).toBe(3);
    expect(output).toContain(`pid ${server.pid}`);
    expect(output).toContain('PostgreSQL');
  });

  it('refuses data commands of the CLI while the server holds it', async () => {
    const { code, output } = await runToEnd(CLI, ['migrate'], childEnv);
    expect(code).toBe(1);
    expect(output).toContain('Refusé');
    expect(output).toContain(String(server.pid));
  });

  it('doctor does not open the data but reports the running server’s readiness', async () => {
    const { code, output } = await runToEnd(CLI, ['doctor'], childEnv);
    expect(output).toContain(`pid ${server.pid}`);
    expect(output).toContain('cell QC: pglite, migrated');
    expect(code).toBe(0);
  });

  it('stops cleanly on SIGTERM and releases the directory', async () => {
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(path.join(env.dataDir, 'entente.lock'))).toBe(false);
    const { code } = await runToEnd(CLI, ['migrate'], childEnv);
    expect(code).toBe(0);
  });
});
