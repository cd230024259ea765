import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { oidc } from '../src/cli/oidc.ts';
import { loadConfig } from '../src/config.ts';
import { createEntente } from '../src/entente.ts';
import { createLogger } from '../src/platform/logger.ts';
import { freshTestEnv, type TestEnv } from './support/db.ts';

/** `entente oidc clients add|list|remove` and `oidc keys rotate`, run as an operator would. */
let env: TestEnv;
const saved = { ...process.env };

beforeAll(async () => {
  env = await freshTestEnv({ ENTENTE_LOG_LEVEL: 'silent' });
  Object.assign(process.env, env.env);
});
afterAll(async () => {
  process.env = saved;
  await env?.dispose();
});

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    return { code: await oidc(args), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('entente oidc', () => {
  it('adds, lists and removes a client; the secret is printed once', async () => {
    const added = await run([
      'clients',
      'add',
      '--name',
      'Service des essais',
      '--redirect-uri',
      'https://essais.example.gouv.fr/callback',
      '--post-logout-redirect-uri',
      'https://essais.example.gouv.fr/',
      '--sector',
      'example.gouv.fr',
    ]);
    expect(added.code).toBe(0);
    const clientId = /(ent_[A-Za-z0-9_-]+)/.exec(added.out)?.[1];
    const secret = /: ([A-Za-z0-9_-]{43})$/m.exec(added.out)?.[1];
    expect(clientId).toBeTruthy();
    expect(secret).toBeTruthy();
    const listed = await run(['clients', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.out).toContain(clientId);
    expect(listed.out).toContain('example.gouv.fr');
    expect(listed.out).not.toContain(secret);
    const removed = await run(['clients', 'remove', clientId as string]);
    expect(removed.code).toBe(0);
    expect((await run(['clients', 'list'])).out).not.toContain(clientId);
    expect((await run(['clients', 'remove', clientId as string])).code).toBe(1);
  });

  it('refuses bad input with a clear message', async () => {
    const wildcard = await run(['clients', 'add', '--name', 'x', '--redirect-uri', 'https://*.example.fr/cb']);
    expect(wildcard.code).toBe(1);
    expect(wildcard.err).toContain('oidc_client_uri_refused');
    expect((await run(['clients', 'add', '--name', 'x'])).code).toBe(2);
    expect((await run(['clients', 'frobnicate'])).code).toBe(2);
  });

  it('rotates the signing keys: a server started afterwards publishes both generations', async () => {
    const first = await run(['keys', 'rotate']);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/génération de clés : 2/);
    const second = await run(['keys', 'rotate']);
    expect(second.out).toMatch(/génération de clés : 3/);
    const config = loadConfig(process.env);
    const entente = await createEntente({ config, logger: createLogger(config), webDist: null, startJobs: false });
    try {
      const response = await entente.app.inject({ method: 'GET', url: '/oidc/jwks' });
      const generations = await entente.stores.control.db.selectFrom('oidc_signing_keys').select(['kid', 'generation', 'retired_at']).execute();
      const published = (response.json() as { keys: { kid: string }[] }).keys.map((k) => k.kid).sort();
      // Generation 1 is kept too: generation 2 replaced it less than the tokens' lifetime ago.
      expect(published).toEqual(generations.map((g) => g.kid).sort());
      expect(published).toHaveLength(6);
    } finally {
      await entente.close();
    }
  });
});
