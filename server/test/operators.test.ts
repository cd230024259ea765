import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { DEMO_IDP_ACCOUNTS } from '../src/identity/federation/demo-idps/index.ts';
import { applyConfiguredOperators } from '../src/identity/operators.ts';
import { migrateStores, openStores } from '../src/platform/db/stores.ts';
import { uuidv7 } from '../src/platform/ids.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { freshTestEnv } from './support/db.ts';
import { signInThroughDemoIdp } from './support/sign-in-flow.ts';

/** Operators named by federated identity: in ENTENTE_OPERATORS, or with `entente operators`. */
const hugo = DEMO_AGENTS[1]!;
const hugoSub = DEMO_IDP_ACCOUNTS.fr.find((a) => a.email === hugo.email)!.sub;

describe('ENTENTE_OPERATORS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { ENTENTE_OPERATORS: `demo-fr:${hugoSub}, demo-qc:qc-demo-nobody-yet` } });
  });
  afterAll(async () => t?.close());

  const me = async (cookie: string) => (await (await fetch(`${t.baseUrl}/api/me`, { headers: { cookie } })).json()) as { platformRoles: string[] };
  const operatorRows = () => t.entente.stores.control.db.selectFrom('platform_roles').select('principal_id').where('principal_id', '=', hugo.id).execute();

  it('grants the role at the sign-in of the named identity, audited', async () => {
    expect(await operatorRows()).toEqual([]);
    const flow = await signInThroughDemoIdp(`${t.baseUrl}/auth/login?${new URLSearchParams({ email: hugo.email })}`, { agentSub: hugoSub });
    expect(flow.finalUrl.pathname).toBe('/');
    expect((await me(flow.jar.header(t.baseUrl))).platformRoles).toEqual(['operator']);
    const audit = await t.entente.audit.list({ action: 'role.granted', resourceId: hugo.id, limit: 5 });
    expect(audit[0]?.details).toMatchObject({ role: 'operator', source: 'sign_in' });
    // The operator screen's API opens to them.
    expect((await fetch(`${t.baseUrl}/api/admin/organisations`, { headers: { cookie: flow.jar.header(t.baseUrl) } })).status).toBe(200);
  });

  it('at start, follows the variable: an identity taken out of it loses the role, put back regains it', async () => {
    // Independent of the test above: Hugo's identity becomes known to Entente at his sign-in.
    await signInThroughDemoIdp(`${t.baseUrl}/auth/login?${new URLSearchParams({ email: hugo.email })}`, { agentSub: hugoSub });
    expect(await operatorRows()).toEqual([{ principal_id: hugo.id }]);
    await applyConfiguredOperators(t.entente.stores, t.entente.audit, [{ upstream: 'demo-qc', subject: 'qc-demo-nobody-yet' }]);
    expect(await operatorRows()).toEqual([]);
    expect((await t.entente.audit.list({ action: 'role.removed', resourceId: hugo.id, limit: 5 }))[0]?.details).toMatchObject({ role: 'operator', source: 'config' });
    // The demo operator (granted otherwise) is untouched.
    const camille = await t.entente.stores.control.db.selectFrom('platform_roles').select('role').where('principal_id', '=', DEMO_AGENTS[0]!.id).execute();
    expect(camille).toEqual([{ role: 'operator' }]);
    await applyConfiguredOperators(t.entente.stores, t.entente.audit, [{ upstream: 'demo-fr', subject: hugoSub }]);
    expect(await operatorRows()).toEqual([{ principal_id: hugo.id }]);
  });

  it('a designation taken away removes only the role it granted, not one held otherwise', async () => {
    const camille = DEMO_AGENTS[0]!; // operator through the demo data, not through a designation
    const camilleSub = DEMO_IDP_ACCOUNTS.fr.find((a) => a.email === camille.email)!.sub;
    await signInThroughDemoIdp(`${t.baseUrl}/auth/login?${new URLSearchParams({ email: camille.email })}`, { agentSub: camilleSub });
    const roles = () => t.entente.stores.control.db.selectFrom('platform_roles').select('role').where('principal_id', '=', camille.id).execute();
    await applyConfiguredOperators(t.entente.stores, t.entente.audit, [{ upstream: 'demo-fr', subject: camilleSub }]);
    await applyConfiguredOperators(t.entente.stores, t.entente.audit, []);
    expect(await roles()).toEqual([{ role: 'operator' }]);
    expect(await t.entente.audit.list({ action: 'role.removed', resourceId: camille.id, limit: 5 })).toEqual([]);
  });

  it('is validated at start, naming the variable', () => {
    for (const bad of ['just-a-name', ':subject', 'demo-fr:', 'bad upstream:x']) {
      try {
        loadConfig({ ENTENTE_OPERATORS: bad, ENTENTE_DATA_DIR: '/tmp/unused' });
        expect.unreachable(bad);
      } catch (error) {
        expect(error, bad).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).message).toContain('ENTENTE_OPERATORS');
      }
    }
    expect(loadConfig({ ENTENTE_OPERATORS: 'proconnect:urn:sub:1,demo-qc:abc', ENTENTE_DATA_DIR: '/tmp/unused' }).operators).toEqual([
      { upstream: 'proconnect', subject: 'urn:sub:1' },
      { upstream: 'demo-qc', subject: 'abc' },
    ]);
  });
});

describe('entente operators add | list | remove', () => {
  const ROOT = path.resolve(import.meta.dirname, '..', '..');
  const CLI = path.join(ROOT, 'server', 'src', 'cli', 'main.ts');
  const run = (env: Record<string, string>, args: string[]) =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', LANG: 'en_GB.UTF-8', ...env }, cwd: ROOT });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('exit', (code) => resolve({ code, output }));
    });

  it('designates an identity, grants the role to a known one, lists, and removes', { timeout: 300_000 }, async () => {
    const env = await freshTestEnv();
    try {
      const principalId = uuidv7();
      let stores = await openStores(loadConfig(env.env));
      await migrateStores(stores); // a fresh PostgreSQL database is empty; a PGlite copy is migrated already
      await stores.control.db.insertInto('principals').values({ id: principalId, home_jurisdiction: 'QC', status: 'active' }).execute();
      await stores.control.db.insertInto('federated_identities').values({ upstream: 'demo-qc', subject: 'qc-demo-known', principal_id: principalId }).execute();
      await stores.close();

      const added = await run(env.env, ['operators', 'add', 'demo-qc', 'qc-demo-known']);
      expect(added.output).toContain(`Operator: ${principalId} (role granted)`);
      expect(added.code).toBe(0);
      const pending = await run(env.env, ['operators', 'add', 'demo-fr', 'fr-demo-later']);
      expect(pending.output).toContain('first sign-in');
      const listed = await run(env.env, ['operators', 'list']);
      expect(listed.code).toBe(0);
      expect(listed.output).toContain(`demo-qc\tqc-demo-known\tcli\t${principalId}`);
      expect(listed.output).toContain('demo-fr\tfr-demo-later\tcli\t(not signed in yet)');

      const removed = await run(env.env, ['operators', 'remove', 'demo-qc', 'qc-demo-known']);
      expect(removed.code).toBe(0);
      expect(removed.output).toContain('role removed');
      expect((await run(env.env, ['operators', 'remove', 'demo-qc', 'qc-demo-known'])).code).toBe(1);
      expect((await run(env.env, ['operators', 'add', 'demo-qc'])).code).toBe(2);
      expect((await run(env.env, ['operators', 'promote', 'x', 'y'])).code).toBe(2);

      stores = await openStores(loadConfig(env.env));
      try {
        expect(await stores.control.db.selectFrom('platform_roles').select('role').where('principal_id', '=', principalId).execute()).toEqual([]);
        const audit = await stores.control.db.selectFrom('audit_events').select(['action', 'resource_id']).where('resource_id', '=', principalId).orderBy('occurred_at').execute();
        expect(audit.map((a) => a.action)).toEqual(['role.granted', 'role.removed']);
      } finally {
        await stores.close();
      }
    } finally {
      await env.dispose();
    }
  });
});
