import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { uuidv7 } from '../src/platform/ids.ts';
import { decodeMail } from '../src/platform/mail/mime.testing.ts';
import { sendNotificationEmail } from '../src/workspace/notifications/email.ts';
import { purgeBatch, spacePurgePlan } from '../src/workspace/spaces/delete-space.repo.ts';
import { type NotificationEvent, type NotificationsDeps, notify } from '../src/workspace/notifications/index.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';
import { addDocument, addSpace, setMember, until } from './collab-support.ts';

/**
 * Notifications as agents meet them: recorded in the recipient's home cell with ids only, listed
 * with the document's title read now from the space's cell (and hidden once access is gone),
 * marked read, mailed through a real SMTP server in the recipient's language by the job runner,
 * and shaped by each agent's preferences — and what another agent, a token without the right
 * scope or a forged request cannot do.
 */
const [camille, hugo, emilie, olivier] = DEMO_AGENTS as unknown as [(typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number]];

interface Received {
  to: string[];
  raw: string;
}
let smtp: SMTPServer;
const received: Received[] = [];
let t: TestApp;
let deps: NotificationsDeps;
let camilleS: TestSession;
let emilieS: TestSession;
let hugoS: TestSession;
let olivierS: TestSession;
/** A Québec space: Émilie owns it, Camille (France) edits, Hugo reads; Olivier is not a member. */
let spaceId: string;

// biome-ignore lint/suspicious/noExplicitAny: answers are checked by the assertions
async function api(session: TestSession | { authorization: string } | null, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = session ? ('headers' in session ? { ...session.headers } : { authorization: session.authorization }) : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${t.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

async function titled(title: string, options: Parameters<typeof addDocument>[3] = {}) {
  const ref = await addDocument(t.entente, spaceId, 'QC', options);
  await t.entente.stores.cells.QC.db.updateTable('documents').set({ title }).where('id', '=', ref.documentId).execute();
  return ref;
}

const event = (over: Partial<NotificationEvent> & Pick<NotificationEvent, 'documentId'>): NotificationEvent => ({
  kind: 'mention',
  recipientId: camille.id,
  actorId: emilie.id,
  spaceId,
  threadId: uuidv7(),
  commentId: uuidv7(),
  ...over,
});

const mailsTo = (address: string) => received.filter((m) => m.to.includes(address)).map((m) => decodeMail(m.raw));

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  // The job runner is on: mails go out off the request path, as in production.
  t = await startTestApp({ env: { ENTENTE_SMTP_URL: `smtp://127.0.0.1:${port}`, ENTENTE_MAIL_FROM: 'Entente <no-reply@entente.test>' } });
  deps = {
    stores: t.entente.stores,
    mailer: t.entente.mailer,
    logger: t.entente.logger,
    publicUrl: () => t.entente.config.publicUrl,
    commentExcerpt: async (ref) => `Extrait du commentaire ${ref.commentId.slice(-4)} — à relire avant jeudi.`,
  };
  [camilleS, emilieS, hugoS, olivierS] = await Promise.all([t.signIn(camille), t.signIn(emilie), t.signIn(hugo), t.signIn(olivier)]);
  spaceId = await addSpace(t.entente, {
    jurisdiction: 'QC',
    members: [
      { principalId: emilie.id, role: 'owner' },
      { principalId: camille.id, role: 'editor' },
      { principalId: hugo.id, role: 'reader' },
    ],
  });
});
afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
});

describe('notify', () => {
  it('records ids only, in the recipient’s home cell, never in the space’s cell', async () => {
    const ref = await titled('Feuille de route confidentielle');
    const result = await notify(deps, event({ documentId: ref.documentId, kind: 'share' }));
    expect(result).toMatchObject({ inApp: true, email: false });
    const id = result.notificationId as string;
    // Camille's home is France: her notification is there, not in the Québec cell of the space.
    const row = await t.entente.stores.cells.FR.db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ recipient_id: camille.id, actor_id: emilie.id, kind: 'share', space_id: spaceId, document_id: ref.documentId });
    expect(JSON.stringify(row)).not.toContain('Feuille de route');
    expect(await t.entente.stores.cells.QC.db.selectFrom('notifications').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined();
  });

  it('tells nobody of their own action, nor anyone who cannot read the document', async () => {
    const ref = await titled('Note');
    const restricted = await titled('Note restreinte', { restricted: true, access: [{ principalId: hugo.id, role: 'reader' }] });
    const trashed = await titled('Note jetée');
    await t.entente.stores.cells.QC.db.updateTable('documents').set({ trashed_at: new Date(), trashed_by: emilie.id }).where('id', '=', trashed.documentId).execute();
    const before = await countAll();
    expect(await notify(deps, event({ documentId: ref.documentId, recipientId: emilie.id }))).toMatchObject({ notificationId: null, skipped: 'self' });
    expect(await notify(deps, event({ documentId: ref.documentId, recipientId: olivier.id }))).toMatchObject({ skipped: 'no_access' });
    expect(await notify(deps, event({ documentId: restricted.documentId, recipientId: camille.id }))).toMatchObject({ skipped: 'no_access' });
    expect(await notify(deps, event({ documentId: trashed.documentId }))).toMatchObject({ skipped: 'no_access' });
    // The document is not in the space the event names.
    expect(await notify(deps, event({ documentId: ref.documentId, spaceId: uuidv7() }))).toMatchObject({ skipped: 'no_access' });
    expect(await notify(deps, event({ documentId: ref.documentId, recipientId: uuidv7() }))).toMatchObject({ skipped: 'unknown_recipient' });
    expect(await notify(deps, { ...event({ documentId: ref.documentId }), recipientId: "x' or 1=1 --" })).toMatchObject({ skipped: 'invalid' });
    expect(await notify(deps, { ...event({ documentId: ref.documentId }), kind: 'spam' as never })).toMatchObject({ skipped: 'invalid' });
    expect(await countAll()).toBe(before);
    // Hugo, on the restricted document's list, is told.
    expect((await notify(deps, event({ documentId: restricted.documentId, recipientId: hugo.id, kind: 'share' }))).notificationId).not.toBeNull();
  });
});

/** A notification whose mail is pending and whose job was never enqueued: the test runs the mail itself. */
async function pendingRow(documentId: string, recipientId: string, home: 'FR' | 'QC'): Promise<string> {
  const id = uuidv7();
  await t.entente.stores.cells[home].db
    .insertInto('notifications')
    .values({ id, recipient_id: recipientId, kind: 'mention', actor_id: emilie.id, space_id: spaceId, document_id: documentId, thread_id: null, comment_id: uuidv7(), in_app: true, email_status: 'pending' })
    .execute();
  return id;
}

async function countAll(): Promise<number> {
  let n = 0;
  for (const j of ['FR', 'QC'] as const) {
    const row = await t.entente.stores.cells[j].db.selectFrom('notifications').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    n += Number(row.n);
  }
  return n;
}

describe('the list, read and unread', () => {
  it('shows the newest first with the title read now, the author and the link; paged; marks read; counts unread', async () => {
    await api(olivierS, 'POST', '/api/notifications/read-all');
    // Olivier joins as a reader: a fresh list of his own.
    await setMember(t.entente, spaceId, olivier.id, 'reader');
    const ref = await titled('Compte rendu du comité');
    const ids: string[] = [];
    for (const kind of ['share', 'comment', 'reply'] as const) {
      ids.push((await notify(deps, event({ documentId: ref.documentId, recipientId: olivier.id, actorId: camille.id, kind }))).notificationId as string);
    }
    expect((await api(olivierS, 'GET', '/api/notifications/unread-count')).json).toEqual({ unreadCount: 3 });

    // Renamed after the notification: the list says the title as it is now.
    await t.entente.stores.cells.QC.db.updateTable('documents').set({ title: 'Compte rendu du comité (v2)' }).where('id', '=', ref.documentId).execute();
    const first = await api(olivierS, 'GET', '/api/notifications?limit=2');
    expect(first.status).toBe(200);
    expect(first.json.unreadCount).toBe(3);
    expect(first.json.notifications.map((n: { id: string }) => n.id)).toEqual([ids[2], ids[1]]);
    expect(first.json.notifications[0]).toMatchObject({
      kind: 'reply',
      read: false,
      available: true,
      title: 'Compte rendu du comité (v2)',
      actor: { principalId: camille.id, givenName: camille.givenName, familyName: camille.familyName },
      path: expect.stringMatching(new RegExp(`^/espaces/${spaceId}/documents/${ref.documentId}#commentaire-[0-9a-f-]{36}$`)),
      // No such comment in the space's cell: nothing to quote.
      excerpt: null,
    });
    const second = await api(olivierS, 'GET', `/api/notifications?limit=2&before=${first.json.nextBefore}`);
    expect(second.json.notifications.map((n: { id: string }) => n.id)).toEqual([ids[0]]);
    expect(second.json.nextBefore).toBeNull();

    const marked = await api(olivierS, 'POST', `/api/notifications/${ids[1]}/read`);
    expect(marked).toEqual({ status: 200, json: { unreadCount: 2 } });
    // Marking again changes nothing and still answers.
    expect((await api(olivierS, 'POST', `/api/notifications/${ids[1]}/read`)).json).toEqual({ unreadCount: 2 });
    const all = await api(olivierS, 'POST', '/api/notifications/read-all');
    expect(all.json).toEqual({ marked: 2, unreadCount: 0 });
    expect((await api(olivierS, 'GET', '/api/notifications')).json.notifications.every((n: { read: boolean }) => n.read)).toBe(true);
  });

  it('shows a notification as no longer available once the recipient cannot read the document', async () => {
    const ref = await titled('Budget 2027 — hypothèses');
    const id = (await notify(deps, event({ documentId: ref.documentId, recipientId: hugo.id, kind: 'comment' }))).notificationId;
    const shown = async () => (await api(hugoS, 'GET', '/api/notifications')).json.notifications.find((n: { id: string }) => n.id === id);
    expect(await shown()).toMatchObject({ available: true, title: 'Budget 2027 — hypothèses' });

    // The document becomes restricted, without Hugo on its list.
    await t.entente.stores.cells.QC.db.updateTable('documents').set({ restricted: true }).where('id', '=', ref.documentId).execute();
    const hidden = await shown();
    expect(hidden).toMatchObject({ available: false, title: null, path: null, excerpt: null });
    expect(JSON.stringify(hidden)).not.toContain('Budget');

    // Back, then Hugo leaves the space: the same.
    await t.entente.stores.cells.QC.db.updateTable('documents').set({ restricted: false }).where('id', '=', ref.documentId).execute();
    expect(await shown()).toMatchObject({ available: true });
    await setMember(t.entente, spaceId, hugo.id, null);
    expect(await shown()).toMatchObject({ available: false, title: null });
    await setMember(t.entente, spaceId, hugo.id, 'reader');
  });

  it('keeps each agent to their own notifications', async () => {
    const ref = await titled('Note privée');
    const camilleOnly = (await notify(deps, event({ documentId: ref.documentId }))).notificationId as string;
    // Another agent's id answers exactly like an unknown one.
    const theirs = await api(hugoS, 'POST', `/api/notifications/${camilleOnly}/read`);
    const unknown = await api(hugoS, 'POST', `/api/notifications/${uuidv7()}/read`);
    expect(theirs.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(theirs.json.type).toBe(unknown.json.type);
    expect((await api(hugoS, 'GET', '/api/notifications?limit=50')).json.notifications.map((n: { id: string }) => n.id)).not.toContain(camilleOnly);
    // Hugo's « mark all read » leaves Camille's unread.
    await api(hugoS, 'POST', '/api/notifications/read-all');
    const row = await t.entente.stores.cells.FR.db.selectFrom('notifications').select('read_at').where('id', '=', camilleOnly).executeTakeFirstOrThrow();
    expect(row.read_at).toBeNull();
  });

  it('refuses anonymous callers, forged requests and malformed input', async () => {
    expect((await api(null, 'GET', '/api/notifications')).status).toBe(401);
    expect((await api(null, 'GET', '/api/notifications/unread-count')).status).toBe(401);
    // A cookie without its CSRF token cannot mark anything.
    const noCsrf = await fetch(`${t.baseUrl}/api/notifications/read-all`, { method: 'POST', headers: { cookie: camilleS.cookie, origin: new URL(t.baseUrl).origin } });
    expect(noCsrf.status).toBe(403);
    expect((await api(camilleS, 'POST', '/api/notifications/not-an-id/read')).status).toBe(400);
    expect((await api(camilleS, 'GET', '/api/notifications?limit=100000')).status).toBe(400);
    expect((await api(camilleS, 'GET', "/api/notifications?before=' or 1=1 --")).status).toBe(400);
    expect((await api(camilleS, 'GET', '/api/notifications?limit=1&extra=1')).status).toBe(400);
    const openapi = await api(null, 'GET', '/api/openapi.json');
    expect(Object.keys(openapi.json.paths)).toEqual(
      expect.arrayContaining(['/api/notifications', '/api/notifications/unread-count', '/api/notifications/{id}/read', '/api/notifications/read-all', '/api/me/notification-preferences']),
    );
  });

  it('works with a personal access token: api:read reads, api:write marks', async () => {
    const readToken = (await api(emilieS, 'POST', '/api/me/tokens', { label: 'lecture', scopes: ['api:read'], expiresInDays: 1 })).json.token as string;
    const writeToken = (await api(emilieS, 'POST', '/api/me/tokens', { label: 'écriture', scopes: ['api:read', 'api:write'], expiresInDays: 1 })).json.token as string;
    const ref = await titled('Note');
    await notify(deps, event({ documentId: ref.documentId, recipientId: emilie.id, actorId: camille.id, kind: 'comment' }));
    const read = await api({ authorization: `Bearer ${readToken}` }, 'GET', '/api/notifications');
    expect(read.status).toBe(200);
    expect(read.json.unreadCount).toBeGreaterThan(0);
    expect((await api({ authorization: `Bearer ${readToken}` }, 'POST', '/api/notifications/read-all')).status).toBe(403);
    const write = await api({ authorization: `Bearer ${writeToken}` }, 'POST', '/api/notifications/read-all');
    expect(write.status).toBe(200);
    expect((await api({ authorization: `Bearer ${readToken}` }, 'GET', '/api/notifications/unread-count')).json).toEqual({ unreadCount: 0 });
  });
});

describe('a document shared with an agent', () => {
  it('tells those newly listed on a restricted document, once, and nobody else', async () => {
    const ref = await titled('Note du comité restreint');
    const listed = async (who: TestSession) =>
      (await api(who, 'GET', '/api/notifications?limit=50')).json.notifications.filter((n: { kind: string; documentId: string }) => n.kind === 'share' && n.documentId === ref.documentId);
    const put = (entries: { principalId: string; role: string }[]) => api(emilieS, 'PUT', `/api/documents/${ref.documentId}/access`, { restricted: true, entries });

    expect((await put([{ principalId: hugo.id, role: 'reader' }])).status).toBe(200);
    await until(async () => (await listed(hugoS)).length === 1);
    // Listing him again (with someone else added) does not tell him twice; Camille, left out, hears nothing.
    expect((await put([{ principalId: hugo.id, role: 'reader' }, { principalId: emilie.id, role: 'owner' }])).status).toBe(200);
    expect(await listed(hugoS)).toHaveLength(1);
    expect(await listed(camilleS)).toHaveLength(0);
  });
});

describe('preferences', () => {
  it('defaults to mail for mentions and replies only, and follows each agent’s choices', async () => {
    const defaults = await api(hugoS, 'GET', '/api/me/notification-preferences');
    expect(defaults.json.preferences).toEqual([
      { kind: 'mention', inApp: true, email: true },
      { kind: 'reply', inApp: true, email: true },
      { kind: 'comment', inApp: true, email: false },
      { kind: 'share', inApp: true, email: false },
    ]);
    const changed = await api(hugoS, 'PUT', '/api/me/notification-preferences', {
      preferences: [
        { kind: 'comment', inApp: false, email: false },
        { kind: 'share', inApp: false, email: true },
      ],
    });
    expect(changed.status).toBe(200);
    expect(changed.json.preferences).toContainEqual({ kind: 'comment', inApp: false, email: false });
    expect(changed.json.preferences).toContainEqual({ kind: 'mention', inApp: true, email: true });
    // Stored in Hugo's home cell (France), not anywhere else.
    expect(await t.entente.stores.cells.FR.db.selectFrom('notification_preferences').select('kind').where('principal_id', '=', hugo.id).execute()).toHaveLength(2);
    expect(await t.entente.stores.cells.QC.db.selectFrom('notification_preferences').select('kind').where('principal_id', '=', hugo.id).execute()).toHaveLength(0);
    // Another agent's preferences are untouched.
    expect((await api(camilleS, 'GET', '/api/me/notification-preferences')).json.preferences).toEqual(defaults.json.preferences);

    const ref = await titled('Note des préférences');
    expect(await notify(deps, event({ documentId: ref.documentId, recipientId: hugo.id, kind: 'comment' }))).toMatchObject({ notificationId: null, skipped: 'preferences' });
    // By mail only: recorded (it drives the mail) but not listed nor counted.
    const mailOnly = await notify(deps, event({ documentId: ref.documentId, recipientId: hugo.id, kind: 'share' }));
    expect(mailOnly).toMatchObject({ inApp: false, email: true });
    const listed = await api(hugoS, 'GET', '/api/notifications?limit=50');
    expect(listed.json.notifications.map((n: { id: string }) => n.id)).not.toContain(mailOnly.notificationId);
    await until(async () => mailsTo(hugo.email).some((m) => m.headers.get('subject')?.includes('Note des préférences')), 20_000, 'the mail-only notification’s mail');

    for (const body of [
      { preferences: [{ kind: 'spam', inApp: true, email: true }] },
      { preferences: [{ kind: 'mention', inApp: 'yes', email: true }] },
      { preferences: [{ kind: 'mention', inApp: true, email: true, extra: 1 }] },
      { preferences: [] },
      { preferences: Array.from({ length: 5 }, () => ({ kind: 'mention', inApp: true, email: true })) },
      {},
    ]) {
      expect((await api(hugoS, 'PUT', '/api/me/notification-preferences', body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await api(null, 'PUT', '/api/me/notification-preferences', { preferences: [{ kind: 'mention', inApp: false, email: false }] })).status).toBe(401);
  });
});

describe('a deleted space', () => {
  it('takes its notifications in its own cell with it (the purge reads every table with a space_id)', async () => {
    const other = await addSpace(t.entente, { jurisdiction: 'QC', members: [{ principalId: emilie.id, role: 'owner' }, { principalId: olivier.id, role: 'reader' }] });
    const doc = await addDocument(t.entente, other, 'QC');
    const kept = await titled('Note gardée');
    const gone = (await notify(deps, event({ documentId: doc.documentId, spaceId: other, recipientId: olivier.id, kind: 'share' }))).notificationId as string;
    const stays = (await notify(deps, event({ documentId: kept.documentId, recipientId: olivier.id, actorId: camille.id, kind: 'share' }))).notificationId as string;
    const step = (await spacePurgePlan(t.entente.stores.cells.QC.db)).find((s) => s.table === 'notifications');
    expect(step).toBeDefined();
    if (step) while ((await purgeBatch(t.entente.stores.cells.QC.db, step, other, 100)) > 0);
    const ids = (await t.entente.stores.cells.QC.db.selectFrom('notifications').select('id').where('id', 'in', [gone, stays]).execute()).map((r) => r.id);
    expect(ids).toEqual([stays]);
  });
});

describe('personal data', () => {
  it('« Télécharger mes données » carries the agent’s notifications and preferences, ids only', async () => {
    const ref = await titled('Titre qui ne doit pas sortir');
    const id = (await notify(deps, event({ documentId: ref.documentId, recipientId: olivier.id, actorId: camille.id, kind: 'share' }))).notificationId;
    const response = await fetch(`${t.baseUrl}/api/me/export`, { headers: olivierS.headers });
    expect(response.status).toBe(200);
    const body = await response.json();
    const mine = body.workspace.notifications.find((x: { id: string }) => x.id === id);
    expect(mine).toMatchObject({ kind: 'share', spaceId, documentId: ref.documentId, inApp: true, emailStatus: null, readAt: null });
    expect(body.workspace.notificationPreferences).toContainEqual({ kind: 'mention', inApp: true, email: true });
    expect(JSON.stringify(body.workspace.notifications)).not.toContain('Titre qui ne doit pas sortir');
    expect(JSON.stringify(body.workspace.notifications)).not.toContain(camille.id);
  });
});

describe('mails through SMTP', () => {
  it('sends a mention by mail, off the request path, in the recipient’s language, with the title and the link', async () => {
    const ref = await titled('Stratégie <b>cloud</b> commune');
    const result = await notify(deps, event({ documentId: ref.documentId, recipientId: olivier.id, actorId: emilie.id, kind: 'mention' }));
    expect(result).toMatchObject({ inApp: true, email: true });
    await until(() => mailsTo(olivier.email).some((m) => m.headers.get('subject')?.includes('Stratégie')), 20_000, 'Olivier’s mail');
    const mail = mailsTo(olivier.email).find((m) => m.headers.get('subject')?.includes('Stratégie'));
    // Olivier reads English.
    expect(mail?.headers.get('subject')).toBe(`${emilie.givenName} ${emilie.familyName} mentioned you in “Stratégie <b>cloud</b> commune”`);
    const text = mail?.parts.get('text/plain') ?? '';
    expect(text).toContain(`${t.baseUrl}/espaces/${spaceId}/documents/${ref.documentId}#commentaire-`);
    // The title cannot inject markup into the HTML version.
    expect(mail?.parts.get('text/html')).toContain('Stratégie &lt;b&gt;cloud&lt;/b&gt; commune');
    // The row knows it was sent: the job run again sends nothing.
    const status = async () =>
      (await t.entente.stores.cells.QC.db.selectFrom('notifications').select('email_status').where('id', '=', result.notificationId as string).executeTakeFirstOrThrow()).email_status;
    // The SMTP server has the mail a moment before the job records it as sent.
    await until(async () => (await status()) === 'sent', 10_000, 'the mail recorded as sent');
    const count = mailsTo(olivier.email).length;
    expect(await sendNotificationEmail(deps, 'QC', result.notificationId as string)).toBe('done');
    expect(mailsTo(olivier.email)).toHaveLength(count);
  });

  it('writes to Émilie in Québec French and to Camille in French', async () => {
    const ref = await titled('Plan de formation');
    await notify(deps, event({ documentId: ref.documentId, recipientId: emilie.id, actorId: camille.id, kind: 'reply' }));
    await notify(deps, event({ documentId: ref.documentId, recipientId: camille.id, actorId: emilie.id, kind: 'reply' }));
    await until(() => mailsTo(emilie.email).some((m) => m.headers.get('subject')?.includes('Plan de formation')), 20_000, 'Émilie’s mail');
    await until(() => mailsTo(camille.email).some((m) => m.headers.get('subject')?.includes('Plan de formation')), 20_000, 'Camille’s mail');
    expect(mailsTo(emilie.email).find((m) => m.headers.get('subject')?.includes('Plan de formation'))?.headers.get('subject')).toBe(
      `${camille.givenName} ${camille.familyName} a répondu dans « Plan de formation »`,
    );
    expect(mailsTo(camille.email).find((m) => m.headers.get('subject')?.includes('Plan de formation'))?.parts.get('text/plain')).toContain('Pour lire et répondre');
  });

  it('quotes a short excerpt of the comment, on one line', async () => {
    const ref = await titled('Note citée');
    const id = await pendingRow(ref.documentId, olivier.id, 'QC');
    const quoting: NotificationsDeps = { ...deps, commentExcerpt: async () => `Première ligne\n\nseconde ${'très '.repeat(80)}longue` };
    expect(await sendNotificationEmail(quoting, 'QC', id)).toBe('sent');
    const text = mailsTo(olivier.email).find((m) => m.headers.get('subject')?.includes('Note citée'))?.parts.get('text/plain') ?? '';
    expect(text).toContain('Première ligne seconde très très');
    expect(text).not.toContain('longue');
    expect(text).toContain('…');
  });

  it('sends nothing once the recipient cannot read the document, and no excerpt where the space asks for a higher assurance', async () => {
    // A pending row whose job has not run yet (written directly): access goes before the job runs.
    const ref = await titled('Note retirée');
    const id = await pendingRow(ref.documentId, camille.id, 'FR');
    await t.entente.stores.cells.QC.db.updateTable('documents').set({ restricted: true }).where('id', '=', ref.documentId).execute();
    const before = received.length;
    expect(await sendNotificationEmail(deps, 'FR', id)).toBe('skipped');
    expect(received.length).toBe(before);

    const guarded = await addSpace(t.entente, {
      jurisdiction: 'FR',
      minAssurance: 'substantial',
      members: [
        { principalId: camille.id, role: 'owner' },
        { principalId: olivier.id, role: 'commenter' },
      ],
    });
    const doc = await addDocument(t.entente, guarded, 'FR');
    await t.entente.stores.cells.FR.db.updateTable('documents').set({ title: 'Dossier sensible' }).where('id', '=', doc.documentId).execute();
    const guardedId = uuidv7();
    await t.entente.stores.cells.QC.db
      .insertInto('notifications')
      .values({ id: guardedId, recipient_id: olivier.id, kind: 'mention', actor_id: camille.id, space_id: guarded, document_id: doc.documentId, thread_id: null, comment_id: uuidv7(), in_app: true, email_status: 'pending' })
      .execute();
    expect(await sendNotificationEmail(deps, 'QC', guardedId)).toBe('sent');
    const text = mailsTo(olivier.email).find((m) => m.headers.get('subject')?.includes('Dossier sensible'))?.parts.get('text/plain') ?? '';
    expect(text).not.toContain('à relire avant jeudi');
    expect(text).toContain('Dossier sensible');
  });
});

describe('from comments (helper C’s comments, wired as in production)', () => {
  const anchor = () => {
    const doc = new Y.Doc();
    const text = doc.getXmlFragment('default');
    const at = (i: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, i))).toString('base64');
    return { start: at(0), end: at(0) };
  };

  it('a mention in a comment tells the mentioned agent in the app and by mail, with the excerpt; a reply tells the thread', async () => {
    const space = await addSpace(t.entente, {
      jurisdiction: 'QC',
      members: [
        { principalId: camille.id, role: 'editor' },
        { principalId: emilie.id, role: 'owner' },
        { principalId: olivier.id, role: 'reader' },
      ],
    });
    const doc = await addDocument(t.entente, space, 'QC');
    await t.entente.stores.cells.QC.db.updateTable('documents').set({ title: 'Relevé de décisions' }).where('id', '=', doc.documentId).execute();

    const created = await api(camilleS, 'POST', `/api/documents/${doc.documentId}/comments`, {
      anchor: anchor(),
      quote: 'décisions',
      body: `<@${olivier.id}> peux-tu valider la formulation du point 3 ?`,
    });
    expect(created.status).toBe(201);
    const threadId = created.json.thread.id as string;

    // In the app: Olivier's list, with the comment's excerpt read from the space's cell.
    const listed = await api(olivierS, 'GET', '/api/notifications?limit=50');
    const mention = listed.json.notifications.find((x: { threadId: string }) => x.threadId === threadId);
    expect(mention).toMatchObject({ kind: 'mention', title: 'Relevé de décisions', actor: { principalId: camille.id } });
    expect(mention.excerpt).toContain('peux-tu valider la formulation du point 3');
    expect(mention.excerpt).toContain(`@${olivier.givenName} ${olivier.familyName}`);
    expect(mention.path).toBe(`/espaces/${space}/documents/${doc.documentId}#commentaire-${threadId}`);

    // By mail, in English, through the SMTP server, with the excerpt and the link.
    await until(() => mailsTo(olivier.email).some((m) => m.headers.get('subject')?.includes('Relevé de décisions')), 20_000, 'the mention’s mail');
    const text = mailsTo(olivier.email).find((m) => m.headers.get('subject')?.includes('Relevé de décisions'))?.parts.get('text/plain') ?? '';
    expect(text).toContain(`${camille.givenName} ${camille.familyName} mentioned you in a comment`);
    expect(text).toContain('peux-tu valider la formulation du point 3');
    expect(text).toContain(`${t.baseUrl}/espaces/${space}/documents/${doc.documentId}#commentaire-${threadId}`);

    // Émilie replies: Camille, who opened the thread, is told (by mail too: replies are on by default).
    const reply = await api(emilieS, 'POST', `/api/documents/${doc.documentId}/comment-threads/${threadId}/replies`, { body: 'Je m’en occupe demain.' });
    expect(reply.status).toBe(201);
    const camilles = await api(camilleS, 'GET', '/api/notifications?limit=50');
    expect(camilles.json.notifications.find((x: { threadId: string; kind: string }) => x.threadId === threadId && x.kind === 'reply')).toMatchObject({
      actor: { principalId: emilie.id },
      excerpt: 'Je m’en occupe demain.',
    });
    await until(() => mailsTo(camille.email).some((m) => m.headers.get('subject')?.includes('a répondu dans « Relevé de décisions »')), 20_000, 'the reply’s mail');
  });
});
