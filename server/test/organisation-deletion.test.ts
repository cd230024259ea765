import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { reapplyAfterRestore } from '../src/cli/organisations.ts';
import { loadConfig } from '../src/config.ts';
import { createEntente, type Entente } from '../src/entente.ts';
import { DEMO_AGENTS, DEMO_ORGANISATIONS } from '../src/identity/demo-data.ts';
import { DEMO_IDP_ACCOUNTS } from '../src/identity/federation/demo-idps/index.ts';
import { deleteOrganisation, ORGANISATION_DELETION_JOB, type OrganisationDeletionDeps } from '../src/identity/organisation-deletion.ts';
import { registerOrganisation } from '../src/identity/organisations.ts';
import { upsertMembership } from '../src/identity/principals.repo.ts';
import { provisionAgent } from '../src/identity/provision-agent.ts';
import { insertTeam, upsertTeamMember } from '../src/identity/teams.repo.ts';
import { auditStores } from '../src/platform/audit/audit-stores.ts';
import { readPublicKeys } from '../src/platform/audit/signing-keys.ts';
import { verifyStore } from '../src/platform/audit/verify.ts';
import { backupData } from '../src/platform/backup/backup.ts';
import { restoreBackup } from '../src/platform/backup/restore.ts';
import { openCells } from '../src/platform/cells/cells.ts';
import { KeyUnavailableError } from '../src/platform/crypto/errors.ts';
import { migrateStores, openStores } from '../src/platform/db/stores.ts';
import { uuidv7 } from '../src/platform/ids.ts';
import { enqueue } from '../src/platform/jobs/index.ts';
import { createLogger } from '../src/platform/logger.ts';
import { jsonToYDoc } from '../src/workspace/content/ydoc-json.ts';
import { organisationSpacesPort } from '../src/workspace/index.ts';
import { countSpaceRows } from '../src/workspace/spaces/delete-space.repo.ts';
import { purgeSpacesWithoutKeys } from '../src/workspace/spaces/delete-space.ts';
import { insertMemberIfAbsent } from '../src/workspace/spaces/spaces.repo.ts';
import { freePort, startTestApp, type TestApp, type TestSession } from './support/app.ts';
import { freshTestEnv, type TestEnv } from './support/db.ts';
import { signInThroughDemoIdp } from './support/sign-in-flow.ts';

/**
 * Deleting an organisation (operators), through the real server: the spaces it holds become
 * unreadable at once (keys destroyed) and are purged, spaces it shares survive without its agents,
 * its agents are signed out and those it was the only organisation of are disabled, nobody signs
 * in through it any more, the audit says so and still verifies — and a data backup taken before
 * the deletion, restored, brings none of it back while every other space comes back intact.
 */
const [camille, hugo, , olivier] = DEMO_AGENTS as [(typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number]];
type Agent = { id: string; jurisdiction: 'FR' | 'QC' };
const HUGO_ORG = DEMO_ORGANISATIONS[1].id;

/** A valid SIRET (Luhn) that no other test uses. */
function newSiret(): string {
  const body = Array.from({ length: 13 }, () => Math.floor(Math.random() * 10)).join('');
  for (let d = 0; d <= 9; d++) {
    const candidate = `${body}${d}`;
    let sum = 0;
    for (let i = 0; i < 14; i++) {
      let digit = Number(candidate[13 - i]);
      if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
      sum += digit;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

async function newOrganisation(e: Entente, name: string): Promise<string> {
  const id = uuidv7();
  await registerOrganisation(e.stores, { id, name, jurisdiction: 'FR', siret: newSiret(), neq: null, emailDomains: ['exemple-supprime.gouv.fr'], demo: false });
  return id;
}

let agentCount = 0;
async function newAgent(e: Entente, organisationId: string, jurisdiction: 'FR' | 'QC' = 'FR'): Promise<Agent> {
  agentCount += 1;
  const { principalId } = await provisionAgent(e.stores, e.outbox, {
    jurisdiction,
    givenName: 'Agent',
    familyName: `Suppression ${agentCount}`,
    email: `agent.suppression${agentCount}.${Math.random().toString(36).slice(2, 8)}@exemple-supprime.gouv.fr`,
    preferredLanguage: 'fr-FR',
    organisationId,
    roles: ['member', 'admin'],
  });
  return { id: principalId, jurisdiction };
}

interface SpaceFixture {
  spaceId: string;
  documentId: string;
  jurisdiction: 'FR' | 'QC';
  text: string;
}

/** A space created through the API by `owner`, with a document holding text (sealed under the space's key). */
async function spaceOf(base: string, e: Entente, session: TestSession, jurisdiction: 'FR' | 'QC', members: [Agent, 'owner' | 'editor'][] = []): Promise<SpaceFixture> {
  const name = `Espace ${Math.random().toString(36).slice(2, 8)}`;
  const created = await request(base, session, 'POST', '/api/spaces', { name, jurisdiction, minAssurance: 'low', classification: 'internal' });
  expect(created.status).toBe(201);
  const spaceId = created.body.id as string;
  for (const [agent, role] of members) await insertMemberIfAbsent(e.stores.control.db, spaceId, agent.id, role);
  const doc = await request(base, session, 'POST', `/api/spaces/${spaceId}/documents`, { title: 'Compte rendu' });
  expect(doc.status).toBe(201);
  const text = `Texte confidentiel ${name}`;
  const content = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
  await e.collab.store.initialise({ documentId: doc.body.id, spaceId, jurisdiction }, Y.encodeStateAsUpdate(jsonToYDoc(content)));
  return { spaceId, documentId: doc.body.id as string, jurisdiction, text };
}

async function request(base: string, session: TestSession | null, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: { ...(session?.headers ?? {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: a test reads answers loosely and asserts on them
  return { status: response.status, body: (text.startsWith('{') ? JSON.parse(text) : {}) as Record<string, any> };
}

async function readable(base: string, session: TestSession, f: SpaceFixture): Promise<boolean> {
  const content = await request(base, session, 'GET', `/api/documents/${f.documentId}/content?format=text`);
  return content.status === 200 && String(content.body.content).includes(f.text);
}

const keyRows = (e: Entente, f: SpaceFixture) =>
  e.stores.cells[f.jurisdiction].db.selectFrom('keyring').select('version').where('owner_type', '=', 'space').where('owner_id', '=', f.spaceId).execute();

async function until(condition: () => Promise<boolean>, timeoutMs = 30_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`${what}: not met in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function depsOf(e: Entente): OrganisationDeletionDeps {
  const shred = { stores: e.stores, cells: e.cells, audit: e.audit, events: e.events, logger: e.logger, outbox: e.outbox };
  return { stores: e.stores, cells: e.cells, audit: e.audit, sessions: e.sessions, events: e.events, logger: e.logger, spaces: organisationSpacesPort(shred) };
}

describe('deleting an organisation', () => {
  let t: TestApp;
  const sessions = new Map<string, TestSession>();
  const session = (a: { id: string }) => sessions.get(a.id) as TestSession;
  const api = (a: { id: string } | null, method: string, url: string, body?: unknown, headers?: Record<string, string>) =>
    request(t.baseUrl, a ? session(a) : null, method, url, body, headers);
  const signIn = async (a: Agent) => {
    sessions.set(a.id, await t.signIn({ ...camille, id: a.id, jurisdiction: a.jurisdiction }));
  };

  let orgId: string;
  const orgName = 'Agence de l’Essai « supprimée »';
  let solo: Agent; // only in the organisation: owns a held space
  let solo2: Agent; // only in the organisation (QC home): owns a held space with an outside editor
  let both: Agent; // also in Hugo's organisation: stays an agent
  let held: SpaceFixture;
  let heldWithOutsider: SpaceFixture;
  let shared: SpaceFixture;
  let keptByBoth: SpaceFixture;
  let hugos: SpaceFixture;
  let soloToken: string;
  let bothCookie: string;

  beforeAll(async () => {
    t = await startTestApp({ entente: { webDist: null } });
    sessions.set(camille.id, await t.signIn(camille));
    sessions.set(hugo.id, await t.signIn(hugo));
    orgId = await newOrganisation(t.entente, orgName);
    solo = await newAgent(t.entente, orgId);
    solo2 = await newAgent(t.entente, orgId, 'QC');
    both = await newAgent(t.entente, orgId);
    await upsertMembership(t.entente.stores.control.db, HUGO_ORG, both.id, ['member']);
    for (const a of [solo, solo2, both]) await signIn(a);
    bothCookie = session(both).cookie;
    const team = await insertTeam(t.entente.stores.control.db, { id: uuidv7(), organisation_id: orgId, name: 'Équipe condamnée' });
    await upsertTeamMember(t.entente.stores.control.db, { team_id: team.id, principal_id: solo.id, role: 'member' });

    held = await spaceOf(t.baseUrl, t.entente, session(solo), 'FR', [[solo2, 'editor']]);
    heldWithOutsider = await spaceOf(t.baseUrl, t.entente, session(solo2), 'QC', [[hugo, 'editor']]);
    shared = await spaceOf(t.baseUrl, t.entente, session(hugo), 'FR', [[solo, 'owner']]);
    keptByBoth = await spaceOf(t.baseUrl, t.entente, session(both), 'FR', [[solo2, 'editor']]);
    hugos = await spaceOf(t.baseUrl, t.entente, session(hugo), 'QC');
    const minted = await api(solo, 'POST', '/api/me/tokens', { label: 'script', scopes: ['api:read'], expiresInDays: 1 });
    expect(minted.status).toBe(201);
    soloToken = minted.body.token as string;
    expect(await readable(t.baseUrl, session(solo), held)).toBe(true);
    expect(await readable(t.baseUrl, session(hugo), heldWithOutsider)).toBe(true);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('is refused to non-operators, for demo and unknown organisations, with a wrong name or malformed input; nothing changes', async () => {
    const url = `/api/admin/organisations/${orgId}`;
    expect((await api(hugo, 'DELETE', url, { confirmName: orgName })).status).toBe(403);
    // Its own administrator is not an operator either.
    expect((await api(solo, 'DELETE', url, { confirmName: orgName })).status).toBe(403);
    expect((await api(null, 'DELETE', url, { confirmName: orgName }, { origin: t.baseUrl })).status).toBe(401);
    expect((await api(hugo, 'GET', `${url}/deletion`)).status).toBe(403);
    const wrong = await api(camille, 'DELETE', url, { confirmName: orgName.toUpperCase() });
    expect(wrong.status).toBe(400);
    expect(wrong.body.type).toBe('urn:entente:problem:organisation-name-mismatch');
    expect(wrong.body.title).toBe('Nom de l’organisation non confirmé');
    const english = await api(camille, 'DELETE', url, { confirmName: 'Autre' }, { 'accept-language': 'en' });
    expect(english.body.title).toBe('Organisation name not confirmed');
    const demo = await api(camille, 'DELETE', `/api/admin/organisations/${HUGO_ORG}`, { confirmName: DEMO_ORGANISATIONS[1].name });
    expect(demo.status).toBe(409);
    expect(demo.body.type).toBe('urn:entente:problem:organisation-is-demo');
    expect((await api(camille, 'DELETE', `/api/admin/organisations/${uuidv7()}`, { confirmName: orgName })).status).toBe(404);
    expect((await api(camille, 'DELETE', '/api/admin/organisations/pas-un-uuid', { confirmName: orgName })).status).toBe(400);
    expect((await api(camille, 'DELETE', url)).status).toBe(400);
    expect((await api(camille, 'DELETE', url, '{"confirmName":')).status).toBe(400);
    expect((await api(camille, 'DELETE', url, { confirmName: orgName, force: true })).status).toBe(400);
    expect((await api(camille, 'DELETE', url, { confirmName: 'x'.repeat(5000) })).status).toBe(400);
    expect((await api(camille, 'DELETE', url, { confirmName: "'; drop table organisations; --" })).status).toBe(400);
    // Without the CSRF token (a cross-site form): refused.
    const csrf = await fetch(`${t.baseUrl}${url}`, {
      method: 'DELETE',
      headers: { cookie: session(camille).cookie, origin: t.baseUrl, 'content-type': 'application/json' },
      body: JSON.stringify({ confirmName: orgName }),
    });
    expect(csrf.status).toBe(403);
    // A token that may only read cannot delete, even an operator's.
    const reader = await api(camille, 'POST', '/api/me/tokens', { label: 'lecture', scopes: ['api:read'], expiresInDays: 1 });
    const byReader = await fetch(`${t.baseUrl}${url}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${reader.body.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ confirmName: orgName }),
    });
    expect(byReader.status).toBe(403);
    // Nor one that may write: deleting an organisation is done in person (a session) or at the console.
    const writer = await api(camille, 'POST', '/api/me/tokens', { label: 'écriture', scopes: ['api:write'], expiresInDays: 1 });
    const byWriter = await fetch(`${t.baseUrl}${url}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${writer.body.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ confirmName: orgName }),
    });
    expect(byWriter.status).toBe(403);
    expect((await api(camille, 'GET', `${url}/deletion`)).status).toBe(404);
    expect(await readable(t.baseUrl, session(solo), held)).toBe(true);
    expect(((await api(null, 'GET', '/api/organisations')).body.organisations as { id: string }[]).map((o) => o.id)).toContain(orgId);
  });

  it('destroys the keys of the spaces it holds, keeps shared spaces without its agents, signs its agents out; others intact; audited', async () => {
    const sealed = await t.entente.stores.cells.QC.db
      .selectFrom('document_snapshots')
      .select(['key_version'])
      .where('document_id', '=', heldWithOutsider.documentId)
      .executeTakeFirstOrThrow();
    const deleted = await api(camille, 'DELETE', `/api/admin/organisations/${orgId}`, { confirmName: `  ${orgName} ` });
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expect(deleted.body).toMatchObject({ organisationId: orgId, phase: 'done', requestedVia: 'api', counters: { spacesDeleted: 2, spacesKept: 2, agentsDisabled: 2, membersRemoved: 3, teamsDeleted: 1 } });

    // The spaces it held: keys gone at once (a tombstone), the keyring refuses, nothing readable.
    for (const f of [held, heldWithOutsider]) {
      expect(await keyRows(t.entente, f)).toEqual([]);
      const cell = t.entente.cells.get(f.jurisdiction);
      await expect(cell.keyring.getOrCreateDataKey(cell.db, { type: 'space', id: f.spaceId })).rejects.toBeInstanceOf(KeyUnavailableError);
    }
    const qc = t.entente.cells.get('QC');
    await expect(qc.keyring.getDataKey(qc.db, { type: 'space', id: heldWithOutsider.spaceId }, sealed.key_version)).rejects.toBeInstanceOf(KeyUnavailableError);
    // Hugo was an editor of a space it held: gone for him too.
    expect((await api(hugo, 'GET', `/api/spaces/${heldWithOutsider.spaceId}`)).status).toBe(404);
    expect((await api(hugo, 'GET', `/api/documents/${heldWithOutsider.documentId}/content`)).status).toBe(404);
    // …and purged by the background job.
    for (const f of [held, heldWithOutsider]) {
      const db = t.entente.stores.cells[f.jurisdiction].db;
      await until(async () => (await db.selectFrom('spaces').select('id').where('id', '=', f.spaceId).execute()).length === 0, 60_000, 'purged');
      expect(Object.entries(await countSpaceRows(db, f.spaceId)).filter(([, n]) => n > 0)).toEqual([]);
    }

    // Shared spaces survive: Hugo still reads his, without the organisation's agent; the one co-held
    // by an agent who stays keeps them and loses only the leaving editor.
    expect(await readable(t.baseUrl, session(hugo), shared)).toBe(true);
    const sharedMembers = await t.entente.stores.control.db.selectFrom('space_members').select(['principal_id', 'role']).where('space_id', '=', shared.spaceId).execute();
    expect(sharedMembers).toEqual([{ principal_id: hugo.id, role: 'owner' }]);
    expect(await readable(t.baseUrl, session(both), keptByBoth)).toBe(true);
    const keptMembers = await t.entente.stores.control.db.selectFrom('space_members').select('principal_id').where('space_id', '=', keptByBoth.spaceId).execute();
    expect(keptMembers.map((m) => m.principal_id)).toEqual([both.id]);
    // Another organisation's space: untouched.
    expect(await readable(t.baseUrl, session(hugo), hugos)).toBe(true);
    expect(await keyRows(t.entente, hugos)).toHaveLength(1);

    // Its agents: signed out, tokens dead, disabled when it was their only organisation.
    for (const a of [solo, solo2]) {
      expect((await fetch(`${t.baseUrl}/api/me`, { headers: { cookie: session(a).cookie } })).status).toBe(401);
      expect((await t.entente.stores.control.db.selectFrom('principals').select('status').where('id', '=', a.id).executeTakeFirstOrThrow()).status).toBe('disabled');
    }
    expect((await fetch(`${t.baseUrl}/api/me`, { headers: { authorization: `Bearer ${soloToken}` } })).status).toBe(401);
    // The agent who also belongs to another organisation keeps working there.
    const me = await fetch(`${t.baseUrl}/api/me`, { headers: { cookie: bothCookie } });
    expect(me.status).toBe(200);
    const control = t.entente.stores.control.db;
    expect(await control.selectFrom('memberships').select('organisation_id').where('principal_id', '=', both.id).execute()).toEqual([{ organisation_id: HUGO_ORG }]);
    expect(await control.selectFrom('memberships').select('principal_id').where('organisation_id', '=', orgId).execute()).toEqual([]);
    expect(await control.selectFrom('teams').select('id').where('organisation_id', '=', orgId).execute()).toEqual([]);

    // The organisation: no longer listed, its own keys' tombstones in both cells.
    expect(((await api(null, 'GET', '/api/organisations')).body.organisations as { id: string }[]).map((o) => o.id)).not.toContain(orgId);
    for (const j of ['FR', 'QC'] as const) {
      expect(await t.entente.cells.get(j).keyring.isDestroyed(t.entente.stores.cells[j].db, { type: 'organisation', id: orgId })).toBe(true);
    }
    expect((await api(camille, 'GET', `/api/admin/organisations/${orgId}/deletion`)).body).toMatchObject({ phase: 'done', name: orgName });
    const again = await api(camille, 'DELETE', `/api/admin/organisations/${orgId}`, { confirmName: orgName });
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('urn:entente:problem:organisation-already-deleted');

    // Audited in the platform chain (not the organisation's), and every chain still verifies.
    const events = await t.entente.audit.list({ jurisdiction: null, resourceId: orgId, limit: 20 });
    expect(events.find((e) => e.action === 'organisation.deleted')).toMatchObject({ actor_id: camille.id, organisation_id: null, outcome: 'success' });
    expect(events.find((e) => e.action === 'organisation.deletion_finished')).toMatchObject({ organisation_id: null });
    const keys = await readPublicKeys(t.entente.config.audit.signingKeyFile);
    for (const store of auditStores(t.entente.stores)) {
      for (const report of await verifyStore(store, { keys })) expect(report.problem ?? null, `${store.id}/${report.chain}`).toBeNull();
    }
  }, 120_000);

  it('is followed with an operator’s personal access token (api:read), never started with one (even api:write)', async () => {
    const id = await newOrganisation(t.entente, 'Office du jeton');
    const agent = await newAgent(t.entente, id);
    await signIn(agent);
    const writer = (await api(camille, 'POST', '/api/me/tokens', { label: 'suppression', scopes: ['api:write'], expiresInDays: 1 })).body.token as string;
    const reader = (await api(camille, 'POST', '/api/me/tokens', { label: 'suivi', scopes: ['api:read'], expiresInDays: 1 })).body.token as string;
    const byToken = await fetch(`${t.baseUrl}/api/admin/organisations/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ confirmName: 'Office du jeton' }),
    });
    expect(byToken.status).toBe(403);
    expect((await fetch(`${t.baseUrl}/api/admin/organisations/${id}/deletion`, { headers: { authorization: `Bearer ${reader}` } })).status).toBe(404);
    // The operator in person (session + CSRF) may.
    expect((await api(camille, 'DELETE', `/api/admin/organisations/${id}`, { confirmName: 'Office du jeton' })).status).toBe(200);
    const state = await fetch(`${t.baseUrl}/api/admin/organisations/${id}/deletion`, { headers: { authorization: `Bearer ${reader}` } });
    expect(state.status).toBe(200);
    expect(await state.json()).toMatchObject({ phase: 'done', counters: { agentsDisabled: 1 } });
    // An agent's own token (not an operator's) cannot.
    const notOperator = (await api(hugo, 'POST', '/api/me/tokens', { label: 'x', scopes: ['api:write'], expiresInDays: 1 })).body.token as string;
    expect((await fetch(`${t.baseUrl}/api/admin/organisations/${id}/deletion`, { headers: { authorization: `Bearer ${notOperator}` } })).status).toBe(403);
    const openapi = (await (await fetch(`${t.baseUrl}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(openapi.paths['/api/admin/organisations/{id}']?.delete).toBeDefined();
    expect(openapi.paths['/api/admin/organisations/{id}/deletion']?.get).toBeDefined();
  });

  it('a run stopped midway is finished by the job; running it again is harmless', async () => {
    const id = await newOrganisation(t.entente, 'Régie interrompue');
    const agent = await newAgent(t.entente, id);
    await signIn(agent);
    const f = await spaceOf(t.baseUrl, t.entente, session(agent), 'FR');
    await expect(
      deleteOrganisation(depsOf(t.entente), { kind: 'cli', account: 'cli:test' }, id, { confirmName: 'Régie interrompue' }, { ip: null, requestId: 'test' }, { stopAfter: 'spaces' }),
    ).rejects.toThrow('simulated crash');
    // Deleted from the request on: not listed, its space already unreadable.
    expect(((await api(null, 'GET', '/api/organisations')).body.organisations as { id: string }[]).map((o) => o.id)).not.toContain(id);
    expect(await keyRows(t.entente, f)).toEqual([]);
    const midway = await api(camille, 'GET', `/api/admin/organisations/${id}/deletion`);
    expect(midway.body).toMatchObject({ phase: 'members', finishedAt: null, lastError: 'simulated crash after the spaces phase' });
    // Its agent is not cut off yet: the job does it.
    expect((await fetch(`${t.baseUrl}/api/me`, { headers: { cookie: session(agent).cookie } })).status).toBe(200);
    await enqueue(t.entente.stores.control.db, { type: ORGANISATION_DELETION_JOB, payload: { organisationId: id } });
    await until(async () => (await api(camille, 'GET', `/api/admin/organisations/${id}/deletion`)).body.phase === 'done', 60_000, 'job finished');
    expect((await fetch(`${t.baseUrl}/api/me`, { headers: { cookie: session(agent).cookie } })).status).toBe(401);
    const state = (await api(camille, 'GET', `/api/admin/organisations/${id}/deletion`)).body;
    expect(state.counters).toMatchObject({ spacesDeleted: 1, membersRemoved: 1, agentsDisabled: 1 });
    expect(state.lastError).toBeNull();
    // The command run again by an operator who did not know: refused as done, nothing counted twice.
    await expect(deleteOrganisation(depsOf(t.entente), { kind: 'cli', account: 'cli:test' }, id, { confirmName: 'Régie interrompue' }, { ip: null, requestId: 'again' })).rejects.toMatchObject({
      slug: 'organisation_already_deleted',
    });
  }, 120_000);

  it('nobody signs in through a deleted organisation, and it is not created again at a sign-in', async () => {
    // The demo organisations cannot be deleted through the API; mark one as a finished deletion
    // would, to drive the real federated sign-in of one of its agents.
    await t.entente.stores.control.db
      .insertInto('organisation_deletions')
      .values({ organisation_id: DEMO_ORGANISATIONS[2].id, requested_by: null, requested_via: 'test', phase: 'done', finished_at: new Date() })
      .execute();
    const sub = DEMO_IDP_ACCOUNTS.qc.find((a) => a.email === olivier.email)?.sub;
    const refused = await signInThroughDemoIdp(`${t.baseUrl}/auth/login?${new URLSearchParams({ email: olivier.email })}`, { agentSub: sub });
    expect(refused.finalUrl.pathname).toBe('/connexion');
    expect(refused.finalUrl.searchParams.get('erreur')).toBe('sign_in_organisation_deleted');
    const organisations = await t.entente.stores.control.db.selectFrom('organisations').select('id').where('neq', '=', DEMO_ORGANISATIONS[2].neq as string).execute();
    expect(organisations).toEqual([{ id: DEMO_ORGANISATIONS[2].id }]);
    const failed = await t.entente.audit.list({ action: 'sign_in.failed', limit: 5 });
    expect(failed[0]?.details).toMatchObject({ reason: 'organisation_deleted' });
  }, 60_000);
});

describe('restoring a data backup taken before an organisation was deleted', () => {
  let env: TestEnv;
  let entente: Entente | null = null;
  let base = '';
  const start = async () => {
    const config = loadConfig(env.env);
    entente = await createEntente({ config, logger: createLogger(config), webDist: null });
    await entente.listen();
    return entente;
  };
  beforeAll(async () => {
    const port = await freePort();
    base = `http://localhost:${port}`;
    env = await freshTestEnv({ PORT: String(port), ENTENTE_PUBLIC_URL: base, ENTENTE_LOG_LEVEL: 'silent' });
  });
  afterAll(async () => {
    await entente?.close();
    await env?.dispose();
  });

  const sessionFor = async (e: Entente, a: Agent): Promise<TestSession> => {
    const { csrfTokenFor } = await import('../src/platform/http/csrf.ts');
    const s = await e.sessions.create({ principalId: a.id, homeJurisdiction: a.jurisdiction, ip: '127.0.0.1', userAgent: 'test', authMethod: 'test' });
    const cookie = `entente_session=${s.token}`;
    return { sessionId: s.id, cookie, csrfToken: csrfTokenFor(e.secret, s.id), headers: { cookie, 'x-csrf-token': csrfTokenFor(e.secret, s.id), origin: base } };
  };

  it('leaves its spaces unreadable and purged, deletes it again, and every other space comes back intact', async () => {
    let e = await start();
    const id = await newOrganisation(e, 'Service restauré puis supprimé');
    const agent = await newAgent(e, id, 'QC');
    const hugoAgent = { id: hugo.id, jurisdiction: 'FR' as const };
    const doomed = await spaceOf(base, e, await sessionFor(e, agent), 'QC');
    const other = await spaceOf(base, e, await sessionFor(e, hugoAgent), 'QC');
    const otherFr = await spaceOf(base, e, await sessionFor(e, hugoAgent), 'FR');

    // The data backup (the keyring is backed up apart, on its own schedule).
    const dir = `${env.dataDir}/backup-before`;
    const objects = { FR: e.cells.get('FR').objects, QC: e.cells.get('QC').objects };
    await backupData({ stores: e.stores, objects }, dir);

    const done = await deleteOrganisation(depsOf(e), { kind: 'cli', account: 'cli:test' }, id, { confirmName: 'Service restauré puis supprimé' }, { ip: null, requestId: 'test' });
    expect(done.phase).toBe('done');
    await e.close();
    entente = null;

    // `entente restore --from dir --force`, keeping the keyring as it is now (what cli/backup.ts does).
    const config = loadConfig(env.env);
    const stores = await openStores(config);
    try {
      await migrateStores(stores);
      const cells = await openCells(config, stores);
      try {
        await restoreBackup({ stores, objects: { FR: cells.get('FR').objects, QC: cells.get('QC').objects }, kekFolders: { FR: null, QC: null }, keyFileTargets: {} }, { from: dir, force: true });
        // Restored: the organisation and its agent are back in the control plane for now.
        expect(await stores.control.db.selectFrom('organisation_deletions').select('organisation_id').where('organisation_id', '=', id).execute()).toEqual([]);
        const purged = await purgeSpacesWithoutKeys({ stores, cells, audit: (await import('../src/platform/audit/audit-log.ts')).createAuditLog(stores) });
        expect(purged.map((p) => p.spaceId)).toEqual([doomed.spaceId]);
        const reapplied = await reapplyAfterRestore(config, stores, cells);
        expect(reapplied).toEqual([expect.objectContaining({ organisationId: id, phase: 'done', requestedVia: 'restore' })]);
      } finally {
        await cells.close();
      }
    } finally {
      await stores.close();
    }

    e = await start();
    // Its space: no key, a tombstone, no row, no object; nobody reads it.
    const qc = e.cells.get('QC');
    expect(await keyRows(e, doomed)).toEqual([]);
    expect(await qc.keyring.isDestroyed(qc.db, { type: 'space', id: doomed.spaceId })).toBe(true);
    expect(Object.entries(await countSpaceRows(qc.db, doomed.spaceId)).filter(([, n]) => n > 0)).toEqual([]);
    for await (const o of qc.objects.list(`spaces/${doomed.spaceId}/`)) throw new Error(`object left: ${o.key}`);
    // Its agent: disabled again, not a member of anything.
    expect((await e.stores.control.db.selectFrom('principals').select('status').where('id', '=', agent.id).executeTakeFirstOrThrow()).status).toBe('disabled');
    expect(await e.stores.control.db.selectFrom('memberships').select('organisation_id').where('principal_id', '=', agent.id).execute()).toEqual([]);
    // Every other space: readable as backed up.
    const hugoSession = await sessionFor(e, hugoAgent);
    expect(await readable(base, hugoSession, other)).toBe(true);
    expect(await readable(base, hugoSession, otherFr)).toBe(true);
  }, 300_000);

  it('the command: deletes with the name typed back, says what it did, refuses a demo organisation and bad usage', async () => {
    const e = entente ?? (await start());
    const id = await newOrganisation(e, 'Bureau de la console');
    const agent = await newAgent(e, id);
    await e.close();
    entente = null;
    const usage = await runCli(['organisations', 'delete', id]);
    expect(usage.code).toBe(2);
    expect(usage.out).toContain('--confirm');
    const demo = await runCli(['organisations', 'delete', DEMO_ORGANISATIONS[0].id, '--confirm', DEMO_ORGANISATIONS[0].name]);
    expect(demo.code).toBe(1);
    expect(demo.out).toContain('Refused: this is a demo organisation');
    const done = await runCli(['organisations', 'delete', id, '--confirm', 'Bureau de la console']);
    expect(done.code, done.out).toBe(0);
    expect(done.out).toMatch(/✓ « Bureau de la console » \([0-9a-f-]{36}\) : deleted on/);
    expect(done.out).toContain('agents disabled: 1');
    const after = await start();
    expect((await after.stores.control.db.selectFrom('principals').select('status').where('id', '=', agent.id).executeTakeFirstOrThrow()).status).toBe('disabled');
    const event = (await after.audit.list({ jurisdiction: null, action: 'organisation.deleted', resourceId: id, limit: 5 }))[0];
    expect(event?.actor_id).toBeNull();
    expect(event?.details).toMatchObject({ via: expect.stringMatching(/^cli:/) });
  }, 300_000);

  function runCli(args: string[]): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(import.meta.dirname, '..', 'src', 'cli', 'main.ts'), ...args], {
        env: { PATH: process.env.PATH ?? '', LANG: 'en_GB.UTF-8', ...env.env },
      });
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
});
