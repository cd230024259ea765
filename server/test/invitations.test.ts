import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../src/platform/ids.ts';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import type { SignedInEvent } from '../src/identity/federation/signed-in.ts';
import { listDemoOutbox } from '../src/platform/mail/index.ts';
import type { WorkspaceDeps } from '../src/workspace/spaces/deps.ts';
import { acceptInvitationsAtSignIn } from '../src/workspace/spaces/invitations.ts';
import { startTestApp, type TestApp, type TestSession, freePort } from './support/app.ts';
import { TMP } from './support/db.ts';
import { type CookieJar, signInThroughDemoIdp } from './support/sign-in-flow.ts';
import { STRANGER_ACCOUNTS, type StrangerIdp, startStrangerIdp, writeRpKey } from './support/stranger-idp.ts';

/**
 * Invitations by address, matched at sign-in: end to end with a real upstream federation (the
 * stranger provider of the tests, which lets us say whether it vouches for the address), and the
 * matching rules one by one — nobody claims an invitation with an unverified address, an address
 * outside the federation's domains, nor one that expired, was revoked or was already accepted.
 */
let t: TestApp;
let base: string;
let stranger: StrangerIdp;
let dir: string;
let deps: WorkspaceDeps;
const [camille, , emilie, olivier] = DEMO_AGENTS as [(typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0]];
const zoe = STRANGER_ACCOUNTS[0]!;
let owner: TestSession;

beforeAll(async () => {
  dir = mkdtempSync(path.join(TMP, 'invitations-'));
  const port = await freePort();
  base = `http://localhost:${port}`;
  stranger = await startStrangerIdp(base);
  const rpKey = writeRpKey(dir);
  const configFile = path.join(dir, 'entente.json');
  writeFileSync(configFile, JSON.stringify({ identityProviders: [stranger.upstreamConfig(rpKey.file, rpKey.kid)] }));
  t = await startTestApp({ env: { PORT: String(port), ENTENTE_PUBLIC_URL: base, ENTENTE_CONFIG: configFile } });
  owner = await t.signIn(camille);
  const e = t.entente;
  deps = { stores: e.stores, audit: e.audit, events: e.events, outbox: e.outbox, mailer: e.mailer, secret: e.secret, publicUrl: () => e.config.publicUrl, federatedDomains: () => [], logger: e.logger };
});

afterAll(async () => {
  await t?.close();
  await stranger?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function api(session: TestSession | { headers: Record<string, string> }, method: string, url: string, body?: unknown) {
  const response = await fetch(`${base}${url}`, {
    method,
    // The test server's own address is chosen here (before its start), not by startTestApp.
    headers: { ...session.headers, origin: base, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: a test reads answers loosely and asserts on them
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
}
const newSpace = async (name: string) =>
  (await api(owner, 'POST', '/api/spaces', { name, jurisdiction: 'QC', minAssurance: 'low', classification: 'internal' })).body.id as string;
const invite = async (spaceId: string, email: string, role = 'editor') => {
  const answer = await api(owner, 'POST', `/api/spaces/${spaceId}/invitations`, { email, role });
  expect(answer.status).toBe(201);
  return answer.body as { invitation: { id: string; expiresAt: string }; member?: unknown };
};
const spacesOf = async (jar: CookieJar) => {
  const response = await fetch(`${base}/api/spaces`, { headers: { cookie: jar.header(base) } });
  return ((await response.json()) as { spaces: { id: string; role: string }[] }).spaces;
};
const event = (principalId: string, email: string, more: Partial<SignedInEvent> = {}): SignedInEvent => ({
  principalId,
  email,
  emailVerified: true,
  emailWithinUpstreamDomains: true,
  upstream: 'demo-qc',
  requestId: 'test',
  ...more,
});
const isMember = async (spaceId: string, principalId: string) =>
  (await t.entente.stores.control.db.selectFrom('space_members').select('role').where('space_id', '=', spaceId).where('principal_id', '=', principalId).executeTakeFirst())?.role ?? null;

describe('an invitation waiting for someone who never signed in', () => {
  it('is mailed, waits, and is matched only once their federation vouches for the address', async () => {
    const space = await newSpace('Invitation de Zoé');
    const { invitation, member } = await invite(space, zoe.claims.mail.toUpperCase(), 'commenter');
    expect(member).toBeUndefined();
    expect(new Date(invitation.expiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);

    // The address is in the space's cell; the control plane holds only a keyed hash of it.
    const e = t.entente;
    expect(await e.stores.cells.QC.db.selectFrom('space_invitations').select('email').where('id', '=', invitation.id).executeTakeFirst()).toEqual({ email: zoe.claims.mail });
    const index = await e.stores.control.db.selectFrom('space_invitation_index').selectAll().where('id', '=', invitation.id).executeTakeFirstOrThrow();
    expect(index.email_hmac).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(index)).not.toContain('zoe');

    const mails = await listDemoOutbox({ FR: e.stores.cells.FR.db, QC: e.stores.cells.QC.db });
    const mail = mails.find((m) => m.to === zoe.claims.mail);
    expect(mail?.subject).toBe('Camille Martin vous invite dans l’espace « Invitation de Zoé »');
    expect(mail?.text).toContain('valable 30 jours');
    expect(mail?.jurisdiction).toBe('QC');

    // Her federation does not vouch for the address: signed in, but not a member.
    stranger.mailVerified = false;
    stranger.nextLogin = { sub: zoe.sub, acr: 'loa-1' };
    const unverified = await signInThroughDemoIdp(`${base}/auth/login?${new URLSearchParams({ email: zoe.claims.mail })}`);
    expect(unverified.finalUrl.pathname).toBe('/');
    expect((await spacesOf(unverified.jar)).map((s) => s.id)).not.toContain(space);

    // It does now: the invitation is accepted at this sign-in.
    stranger.mailVerified = true;
    const verified = await signInThroughDemoIdp(`${base}/auth/login?${new URLSearchParams({ email: zoe.claims.mail })}`);
    const hers = (await spacesOf(verified.jar)).find((s) => s.id === space);
    expect(hers?.role).toBe('commenter');
    const audit = await e.audit.list({ jurisdiction: 'QC', resourceType: 'space', resourceId: space, limit: 20 });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['workspace.member.invited', 'workspace.invitation.accepted', 'workspace.member.added']));
    const members = await api(owner, 'GET', `/api/spaces/${space}/members`);
    expect(members.body.invitations).toEqual([]);
    expect(members.body.members).toEqual(expect.arrayContaining([expect.objectContaining({ givenName: 'Zoé', familyName: 'Lavoie', role: 'commenter', jurisdiction: 'QC' })]));
    stranger.mailVerified = undefined;
  });
});

describe('what an invitation may send, and to whom (attack review)', () => {
  it('refuses an address no federation serves: nothing written, no mail — it could never be accepted', async () => {
    const space = await newSpace('Invitation hors fédération');
    const e = t.entente;
    const before = (await listDemoOutbox({ FR: e.stores.cells.FR.db, QC: e.stores.cells.QC.db })).length;
    for (const email of ['victim@example.org', 'quelqu.un@mcn.demo-gouv-qc.test.example.org', 'x@demo-gouv-qc.test']) {
      const refused = await api(owner, 'POST', `/api/spaces/${space}/invitations`, { email, role: 'reader' });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'body.email', code: 'outside_federations' })]);
      expect(refused.body.errors[0].message).toContain('fédération');
    }
    expect((await api(owner, 'GET', `/api/spaces/${space}/members`)).body.invitations).toEqual([]);
    expect((await listDemoOutbox({ FR: e.stores.cells.FR.db, QC: e.stores.cells.QC.db })).length).toBe(before);
    // A subdomain of a federation's domain is served by it.
    expect((await api(owner, 'POST', `/api/spaces/${space}/invitations`, { email: 'agent@service.mcn.demo-gouv-qc.test', role: 'reader' })).status).toBe(201);
  });

  it('sends at most 100 invitations an hour per agent, counted in both cells: 429 with the wait, nothing written, no mail', async () => {
    const space = await newSpace('Invitations en nombre');
    const e = t.entente;
    const cell = e.stores.cells.QC.db;
    const since = new Date(Date.now() - 3_600_000);
    const sent = async () =>
      Number((await cell.selectFrom('space_invitations').select((eb) => eb.fn.countAll().as('n')).where('invited_by', '=', camille.id).where('created_at', '>', since).executeTakeFirstOrThrow()).n) +
      Number((await e.stores.cells.FR.db.selectFrom('space_invitations').select((eb) => eb.fn.countAll().as('n')).where('invited_by', '=', camille.id).where('created_at', '>', since).executeTakeFirstOrThrow()).n);
    // The hour's earlier invitations, as the table would hold them (sending 100 by HTTP proves nothing more).
    const filler = 100 - (await sent());
    await cell
      .insertInto('space_invitations')
      .values(Array.from({ length: filler }, (_, i) => ({ id: uuidv7(), space_id: space, email: `agent.${i}@mcn.demo-gouv-qc.test`, role: 'reader' as const, invited_by: camille.id, expires_at: new Date(Date.now() + 86_400_000), accepted_at: null })))
      .execute();
    const before = (await listDemoOutbox({ FR: e.stores.cells.FR.db, QC: cell })).length;
    const refused = await api(owner, 'POST', `/api/spaces/${space}/invitations`, { email: 'une.de.trop@mcn.demo-gouv-qc.test', role: 'reader' });
    expect(refused.status).toBe(429);
    expect(refused.body.type).toBe('urn:entente:problem:too-many-invitations');
    expect(refused.headers.get('retry-after')).toBe('900');
    expect(refused.body.detail).toBe('Vous avez envoyé 100 invitations au cours de la dernière heure, le maximum. Réessayez dans 15 minutes.');
    expect((await listDemoOutbox({ FR: e.stores.cells.FR.db, QC: cell })).length).toBe(before);
    expect(await sent()).toBe(100);
    // An hour later, the allowance is back.
    await cell.updateTable('space_invitations').set({ created_at: new Date(Date.now() - 2 * 3_600_000) }).where('invited_by', '=', camille.id).execute();
    await e.stores.cells.FR.db.updateTable('space_invitations').set({ created_at: new Date(Date.now() - 2 * 3_600_000) }).where('invited_by', '=', camille.id).execute();
    await invite(space, 'une.de.trop@mcn.demo-gouv-qc.test', 'reader');
  });

  it('mails a space name with a web address in it as text, not as a link', async () => {
    const space = await newSpace('URGENT : revalidez votre compte sur https://evil.example/login ou www.evil.example');
    await invite(space, 'personne.cible@mcn.demo-gouv-qc.test', 'reader');
    const e = t.entente;
    const mail = (await listDemoOutbox({ FR: e.stores.cells.FR.db, QC: e.stores.cells.QC.db })).find((m) => m.to === 'personne.cible@mcn.demo-gouv-qc.test');
    expect(mail?.subject).toBe('Camille Martin vous invite dans l’espace « URGENT : revalidez votre compte sur evil[.]example/login ou www[.]evil[.]example »');
    expect(`${mail?.subject} ${mail?.text}`).not.toMatch(/https:\/\/evil|evil\.example/);
    // Entente's own address stays a link.
    expect(mail?.text).toContain(e.config.publicUrl.href);
  });
});

describe('matching rules: nobody claims someone else’s invitation', () => {
  it('ignores an address that only lower-casing made equal to the invited one (Kelvin sign; review finding)', async () => {
    const space = await newSpace('Invitation de Kim');
    await invite(space, 'kim.roy@etranger.demo-gouv-qc.test');
    // Another mailbox of the same federation: "\u212Aim…" (KELVIN SIGN) lower-cases to "kim…".
    const lookalike = { sub: 'etr-kelvin', claims: { first_name: 'Kim', last_name: 'Faux', mail: '\u212Aim.roy@etranger.demo-gouv-qc.test', org_id: '1170000009', org_name: 'Office étranger de test' } };
    STRANGER_ACCOUNTS.push(lookalike);
    stranger.mailVerified = true;
    stranger.nextLogin = { sub: lookalike.sub, acr: 'loa-1' };
    const signedIn = await signInThroughDemoIdp(`${base}/auth/login?${new URLSearchParams({ email: 'kim.roy@etranger.demo-gouv-qc.test' })}`);
    stranger.mailVerified = undefined;
    expect(signedIn.finalUrl.pathname).toBe('/');
    expect((await spacesOf(signedIn.jar)).map((s) => s.id)).not.toContain(space);
    const members = await api(owner, 'GET', `/api/spaces/${space}/members`);
    expect(members.body.invitations.map((i: { email: string }) => i.email)).toEqual(['kim.roy@etranger.demo-gouv-qc.test']);
  });

  it('ignores an address the federation did not vouch for, or outside its domains', async () => {
    const space = await newSpace('Règles 1');
    await invite(space, 'agent.un@mcn.demo-gouv-qc.test');
    expect(await acceptInvitationsAtSignIn(deps, event(olivier.id, 'agent.un@mcn.demo-gouv-qc.test', { emailVerified: false }))).toEqual([]);
    expect(await acceptInvitationsAtSignIn(deps, event(olivier.id, 'agent.un@mcn.demo-gouv-qc.test', { emailWithinUpstreamDomains: false }))).toEqual([]);
    expect(await acceptInvitationsAtSignIn(deps, event(olivier.id, 'agent.deux@mcn.demo-gouv-qc.test'))).toEqual([]);
    expect(await isMember(space, olivier.id)).toBeNull();
    // The rightful sign-in still works afterwards.
    expect(await acceptInvitationsAtSignIn(deps, event(olivier.id, 'Agent.Un@mcn.demo-gouv-qc.test'))).toEqual([space]);
    expect(await isMember(space, olivier.id)).toBe('editor');
  });

  it('ignores an expired, a revoked, an already accepted or a replaced invitation', async () => {
    const e = t.entente;
    const expiredSpace = await newSpace('Expirée');
    const expired = await invite(expiredSpace, 'expire@mcn.demo-gouv-qc.test');
    const past = new Date(Date.now() - 1000);
    await e.stores.control.db.updateTable('space_invitation_index').set({ expires_at: past }).where('id', '=', expired.invitation.id).execute();
    await e.stores.cells.QC.db.updateTable('space_invitations').set({ expires_at: past }).where('id', '=', expired.invitation.id).execute();
    expect(await acceptInvitationsAtSignIn(deps, event(olivier.id, 'expire@mcn.demo-gouv-qc.test'))).toEqual([]);

    const revokedSpace = await newSpace('Révoquée');
    const revoked = await invite(revokedSpace, 'revoque@mcn.demo-gouv-qc.test');
    expect((await api(owner, 'DELETE', `/api/spaces/${revokedSpace}/invitations/${revoked.invitation.id}`)).status).toBe(204);
    expect((await api(owner, 'DELETE', `/api/spaces/${revokedSpace}/invitations/${revoked.invitation.id}`)).status).toBe(404);
    expect(await acceptInvitationsAtSignIn(deps, event(olivier.id, 'revoque@mcn.demo-gouv-qc.test'))).toEqual([]);
    expect(await isMember(revokedSpace, olivier.id)).toBeNull();

    const acceptedSpace = await newSpace('Acceptée');
    await invite(acceptedSpace, 'partage@mcn.demo-gouv-qc.test', 'reader');
    expect(await acceptInvitationsAtSignIn(deps, event(emilie.id, 'partage@mcn.demo-gouv-qc.test'))).toEqual([acceptedSpace]);
    // Someone else later asserting the same address gets nothing from it.
    expect(await acceptInvitationsAtSignIn(deps, event(olivier.id, 'partage@mcn.demo-gouv-qc.test'))).toEqual([]);
    expect(await isMember(acceptedSpace, olivier.id)).toBeNull();

    // A second invitation to the same address replaces the first: only one can be accepted.
    const replacedSpace = await newSpace('Remplacée');
    await invite(replacedSpace, 'double@mcn.demo-gouv-qc.test', 'owner');
    await invite(replacedSpace, 'double@mcn.demo-gouv-qc.test', 'reader');
    expect(await acceptInvitationsAtSignIn(deps, event(olivier.id, 'double@mcn.demo-gouv-qc.test'))).toEqual([replacedSpace]);
    expect(await isMember(replacedSpace, olivier.id)).toBe('reader');

    const audit = await e.audit.list({ jurisdiction: 'QC', resourceType: 'space', resourceId: revokedSpace, limit: 10 });
    expect(audit.map((a) => a.action)).toContain('workspace.invitation.revoked');
  });

  it('refuses to invite a member twice, and only owners invite or revoke', async () => {
    const space = await newSpace('Doublon');
    const emilieSession = await t.signIn(emilie);
    await t.entente.stores.cells.QC.db.updateTable('agent_profiles').set({ email_verified: true }).where('principal_id', '=', emilie.id).execute();
    const added = await invite(space, emilie.email, 'editor');
    expect(added.member).toMatchObject({ principalId: emilie.id, role: 'editor' });
    const again = await api(owner, 'POST', `/api/spaces/${space}/invitations`, { email: emilie.email, role: 'owner' });
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('urn:entente:problem:already-member');
    expect((await api(emilieSession, 'POST', `/api/spaces/${space}/invitations`, { email: 'x@mcn.demo-gouv-qc.test', role: 'owner' })).status).toBe(403);
  });
});
