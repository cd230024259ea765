import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { jsonToYDoc } from '../src/workspace/content/ydoc-json.ts';
import { publicViews } from '../src/workspace/sharing/public-links.ts';
import type { SharingDeps } from '../src/workspace/sharing/share-links.ts';
import { shareLinkToken } from '../src/workspace/sharing/tokens.ts';
import { addDocument, addSpace, type Client, openClient, requestTicket, setMember, storedText, synced, ticketFor, until } from './collab-support.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/**
 * Share links (issue 5), as their users and their attackers meet them: each reach, the role a
 * link gives (also on the live socket), revocation and expiry taking access away at once (an open
 * editor included), public pages (noindex, no script, images through the link, 404/410 pages),
 * malformed and guessed tokens, the audit of each access a link grants (and none for members'
 * own), and the API with personal access tokens.
 */
let t: TestApp;
const [FR1, FR2, QC1, QC2] = DEMO_AGENTS as unknown as [(typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number]];
// QC1 (Émilie) and QC2 (Olivier) are of the same organisation; FR1 (Camille) and FR2 (Hugo) of two others.
let emilie: TestSession;
let olivier: TestSession;
let camille: TestSession;
let hugo: TestSession;
let spaceId: string;
const clients: Client[] = [];

beforeAll(async () => {
  t = await startTestApp();
  [emilie, olivier, camille, hugo] = await Promise.all([t.signIn(QC1), t.signIn(QC2), t.signIn(FR1), t.signIn(FR2)]);
  // Émilie owns the space, Camille is an editor; Olivier and Hugo are not members.
  spaceId = await addSpace(t.entente, { jurisdiction: 'QC', classification: 'public', members: [{ principalId: QC1.id, role: 'owner' }, { principalId: FR1.id, role: 'editor' }] });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await t?.close();
});

const url = (path: string) => `${t.baseUrl}${path}`;
const json = (session: TestSession | null, method: string, path: string, body?: unknown) =>
  fetch(url(path), {
    method,
    headers: { ...(session?.headers ?? {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

interface LinkView {
  id: string;
  role: string;
  reach: string;
  url: string | null;
  state: string;
  expiresAt: string | null;
  allowIndexing: boolean;
}

async function createLink(session: TestSession, documentId: string, body: Record<string, unknown>): Promise<LinkView> {
  const response = await json(session, 'POST', `/api/documents/${documentId}/share-links`, body);
  if (response.status !== 201) throw new Error(`link refused: ${response.status} ${await response.text()}`);
  return (await response.json()) as LinkView;
}

const tokenOf = (link: LinkView) => (link.url ?? '').split('/').pop() as string;
const redeem = (session: TestSession | null, token: string) => json(session, 'POST', '/api/share-links/redeem', { token });
const inAMonth = () => new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();

async function documentWith(text: string, options: { jurisdiction?: 'FR' | 'QC'; space?: string; image?: (documentId: string) => Promise<string> } = {}) {
  const ref = await addDocument(t.entente, options.space ?? spaceId, options.jurisdiction ?? 'QC');
  await t.entente.stores.cells[ref.jurisdiction].db.updateTable('documents').set({ title: 'Compte rendu du comité' }).where('id', '=', ref.documentId).execute();
  const image = options.image ? await options.image(ref.documentId) : null;
  const content = [
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Ordre du jour' }] },
    { type: 'paragraph', content: [{ type: 'text', text }] },
    ...(image ? [{ type: 'image', attrs: { src: image, alt: 'Schéma' } }] : []),
  ];
  await t.entente.collab.store.initialise(ref, Y.encodeStateAsUpdate(jsonToYDoc({ type: 'doc', content })));
  return ref;
}

async function auditOf(linkId: string, jurisdiction: 'FR' | 'QC' = 'QC') {
  return t.entente.stores.cells[jurisdiction].db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'actor_id', 'details'])
    .where('resource_id', '=', linkId)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
}

describe('creating and listing links', () => {
  it('lets owners and editors create links up to their role, and refuses readers, strangers and link-holders', async () => {
    const doc = await documentWith('Texte');
    await setMember(t.entente, spaceId, QC2.id, 'reader');
    try {
      // A reader of the space manages no link; a stranger learns nothing (404).
      expect((await json(olivier, 'POST', `/api/documents/${doc.documentId}/share-links`, { role: 'reader', reach: 'members' })).status).toBe(403);
      expect((await json(olivier, 'GET', `/api/documents/${doc.documentId}/share-links`)).status).toBe(403);
    } finally {
      await setMember(t.entente, spaceId, QC2.id, null);
    }
    expect((await json(hugo, 'GET', `/api/documents/${doc.documentId}/share-links`)).status).toBe(404);
    expect((await json(hugo, 'POST', `/api/documents/${doc.documentId}/share-links`, { role: 'reader', reach: 'public', expiresAt: inAMonth() })).status).toBe(404);

    const editorLink = await createLink(camille, doc.documentId, { role: 'editor', reach: 'authenticated' });
    expect(editorLink).toMatchObject({ role: 'editor', reach: 'authenticated', state: 'active', expiresAt: null });
    expect(editorLink.url).toMatch(new RegExp(`^${t.baseUrl}/partage/[A-Za-z0-9_-]{43}$`));
    // Owners are capped at editor too: a link never makes an owner.
    expect((await json(emilie, 'POST', `/api/documents/${doc.documentId}/share-links`, { role: 'owner', reach: 'members' })).status).toBe(400);

    // Hugo, editor through that link, may not pass the document on further.
    expect((await redeem(hugo, tokenOf(editorLink))).status).toBe(200);
    expect((await json(hugo, 'POST', `/api/documents/${doc.documentId}/share-links`, { role: 'reader', reach: 'public', expiresAt: inAMonth() })).status).toBe(404);
    expect((await json(hugo, 'GET', `/api/documents/${doc.documentId}/share-links`)).status).toBe(404);

    // Listing gives the same, copyable address again; the token itself is nowhere in the cell.
    const listed = (await (await json(emilie, 'GET', `/api/documents/${doc.documentId}/share-links`)).json()) as { links: LinkView[] };
    expect(listed.links.map((l) => l.url)).toEqual([editorLink.url]);
    const rows = await t.entente.stores.cells.QC.db.selectFrom('share_links').selectAll().where('id', '=', editorLink.id).execute();
    expect(JSON.stringify(rows)).not.toContain(tokenOf(editorLink));
    expect(tokenOf(editorLink)).toBe(shareLinkToken(t.entente.secret, editorLink.id));
  });

  it('validates public links: read-only, with an expiry within a year, only in a space classified public', async () => {
    const doc = await documentWith('Texte');
    const post = (body: Record<string, unknown>) => json(emilie, 'POST', `/api/documents/${doc.documentId}/share-links`, body);
    const codes = async (response: Response) => ((await response.json()) as { errors?: { code: string }[] }).errors?.map((e) => e.code);
    let response = await post({ role: 'reader', reach: 'public' });
    expect(response.status).toBe(400);
    expect(await codes(response)).toContain('share_link_public_expiry');
    response = await post({ role: 'editor', reach: 'public', expiresAt: inAMonth() });
    expect(await codes(response)).toContain('share_link_public_role');
    response = await post({ role: 'reader', reach: 'public', expiresAt: new Date(Date.now() + 400 * 24 * 3600 * 1000).toISOString() });
    expect(await codes(response)).toContain('share_link_expiry');
    response = await post({ role: 'reader', reach: 'public', expiresAt: new Date(Date.now() - 1000).toISOString() });
    expect(await codes(response)).toContain('share_link_expiry');
    response = await post({ role: 'reader', reach: 'members', allowIndexing: true });
    expect(await codes(response)).toContain('share_link_indexing');
    expect((await post({ role: 'reader', reach: 'everyone' })).status).toBe(400);
    expect((await post({ role: 'reader', reach: 'members', extra: 1 })).status).toBe(400);

    // Only a space classified « Publique (liens publics permis) » takes public links: an
    // « Interne » one refuses them too (it used to take them; UI review), a « Restreinte » one as ever.
    const made = await post({ role: 'reader', reach: 'public', expiresAt: inAMonth() });
    expect(made.status).toBe(201);
    const page = url(`/p/${tokenOf((await made.json()) as LinkView)}`);
    expect((await fetch(page)).status).toBe(200);
    for (const classification of ['internal', 'restricted'] as const) {
      await t.entente.stores.cells.QC.db.updateTable('spaces').set({ classification }).where('id', '=', spaceId).execute();
      try {
        response = await post({ role: 'reader', reach: 'public', expiresAt: inAMonth() });
        expect(response.status, classification).toBe(409);
        expect(((await response.json()) as { type: string }).type).toBe('urn:entente:problem:share-link-public-refused');
        // A link made while the space was public stops serving its page.
        expect((await fetch(page)).status, classification).not.toBe(200);
      } finally {
        await t.entente.stores.cells.QC.db.updateTable('spaces').set({ classification: 'public' }).where('id', '=', spaceId).execute();
      }
    }
    expect((await fetch(page)).status).toBe(200);
  });
});

describe('reaches', () => {
  it('members: a member gets the link’s role, a non-member is refused', async () => {
    const doc = await documentWith('Texte');
    await setMember(t.entente, spaceId, QC2.id, 'reader');
    try {
      const link = await createLink(emilie, doc.documentId, { role: 'commenter', reach: 'members' });
      expect((await (await json(olivier, 'GET', `/api/documents/${doc.documentId}`)).json()) as { role: string }).toMatchObject({ role: 'reader' });
      const opened = await redeem(olivier, tokenOf(link));
      expect(opened.status).toBe(200);
      expect(await opened.json()).toMatchObject({ documentId: doc.documentId, role: 'commenter', reach: 'members', member: true, publicUrl: null });
      expect((await (await json(olivier, 'GET', `/api/documents/${doc.documentId}`)).json()) as { role: string }).toMatchObject({ role: 'commenter' });
      const refused = await redeem(hugo, tokenOf(link));
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { type: string }).type).toBe('urn:entente:problem:share-link-reach');
      expect((await json(hugo, 'GET', `/api/documents/${doc.documentId}`)).status).toBe(404);
      // Removed from the space, the member loses what the link gave too.
      await setMember(t.entente, spaceId, QC2.id, null);
      expect((await json(olivier, 'GET', `/api/documents/${doc.documentId}`)).status).toBe(404);
    } finally {
      await setMember(t.entente, spaceId, QC2.id, null);
    }
  });

  it('organisation: an agent of the creator’s organisation gets the document (and only it), another organisation’s is refused', async () => {
    const doc = await documentWith('Texte');
    const sibling = await documentWith('Autre page');
    const link = await createLink(emilie, doc.documentId, { role: 'reader', reach: 'organisation' });
    expect((await json(olivier, 'GET', `/api/documents/${doc.documentId}`)).status).toBe(404);
    const opened = await redeem(olivier, tokenOf(link));
    expect(opened.status).toBe(200);
    expect(await opened.json()).toMatchObject({ role: 'reader', member: false });
    const detail = await json(olivier, 'GET', `/api/documents/${doc.documentId}`);
    expect(detail.status).toBe(200);
    expect(await detail.json()).toMatchObject({ id: doc.documentId, role: 'reader', title: 'Compte rendu du comité' });
    // Only that document: not the space's tree, not its other pages.
    expect((await json(olivier, 'GET', `/api/spaces/${spaceId}/documents`)).status).toBe(404);
    expect((await json(olivier, 'GET', `/api/documents/${sibling.documentId}`)).status).toBe(404);
    expect((await redeem(camille, tokenOf(link))).status).toBe(403);
    expect((await redeem(hugo, tokenOf(link))).status).toBe(403);
  });

  it('authenticated: any signed-in agent of either state, with the document’s images; nobody without a session', async () => {
    const upload = async (documentId: string) => {
      const response = await fetch(url(`/api/documents/${documentId}/images`), { method: 'POST', headers: { ...camille.headers, 'content-type': 'image/gif' }, body: new Uint8Array(GIF) });
      return `/api/images/${((await response.json()) as { id: string }).id}`;
    };
    let imageUrl = '';
    const doc = await documentWith('Texte', { image: async (id) => (imageUrl = await upload(id)) });
    const other = await documentWith('Autre');
    const otherImage = await upload(other.documentId);
    const link = await createLink(camille, doc.documentId, { role: 'reader', reach: 'authenticated' });
    expect((await fetch(url(imageUrl), { headers: { cookie: hugo.cookie } })).status).toBe(404);
    expect((await redeem(hugo, tokenOf(link))).status).toBe(200);
    expect((await json(hugo, 'GET', `/api/documents/${doc.documentId}`)).status).toBe(200);
    expect((await fetch(url(imageUrl), { headers: { cookie: hugo.cookie } })).status).toBe(200);
    expect((await fetch(url(otherImage), { headers: { cookie: hugo.cookie } })).status).toBe(404);
    expect((await redeem(null, tokenOf(link))).status).toBe(401);
  });
});

describe('comments through a link', () => {
  /** An anchor on `words` of the stored document, as the editor makes it (Yjs relative positions). */
  async function anchorOn(ref: { documentId: string; spaceId: string; jurisdiction: 'FR' | 'QC' }, words: string) {
    const { state } = await t.entente.collab.store.load(ref);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    const texts = doc
      .getXmlFragment('default')
      .toArray()
      .map((node) => (node instanceof Y.XmlElement ? node.get(0) : null))
      .filter((node): node is Y.XmlText => node instanceof Y.XmlText);
    const text = texts.find((node) => node.toString().includes(words));
    if (!text) throw new Error(`no « ${words} » in the document`);
    const at = text.toString().indexOf(words);
    const encode = (index: number, assoc: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, index, assoc))).toString('base64');
    return { start: encode(at, 0), end: encode(at + words.length, -1) };
  }

  it('a commenter link lets a non-member comment through the API (signed-in agents and organisation reaches); a reader link gets 403', async () => {
    const words = 'Québec en mars';
    const commented = await documentWith(`Le comité se réunit à ${words}.`);
    const readOnly = await documentWith(`Le comité se réunit à ${words}.`);
    const anchor = await anchorOn(commented, words);
    const readOnlyAnchor = await anchorOn(readOnly, words);
    // Hugo (another organisation, another state) through a link for any signed-in agent; Olivier
    // (Émilie's organisation) through an organisation link. Neither is a member of the space.
    const cases: [TestSession, 'authenticated' | 'organisation', string][] = [
      [hugo, 'authenticated', FR2.id],
      [olivier, 'organisation', QC2.id],
    ];
    for (const [holder, reach, principalId] of cases) {
      const commenter = await createLink(emilie, commented.documentId, { role: 'commenter', reach });
      const reader = await createLink(emilie, readOnly.documentId, { role: 'reader', reach });
      // Before opening the links: the documents are not theirs to see, let alone comment.
      expect((await json(holder, 'POST', `/api/documents/${commented.documentId}/comments`, { anchor, quote: words, body: 'Avant le lien' })).status, reach).toBe(404);
      expect(await (await redeem(holder, tokenOf(commenter))).json()).toMatchObject({ role: 'commenter', reach, member: false });
      expect(await (await redeem(holder, tokenOf(reader))).json()).toMatchObject({ role: 'reader', reach, member: false });

      const posted = await json(holder, 'POST', `/api/documents/${commented.documentId}/comments`, { anchor, quote: words, body: `Commentaire par lien (${reach})` });
      expect(posted.status, reach).toBe(201);
      const written = (await posted.json()) as { thread: { id: string }; comment: { id: string; authorId: string; body: string } };
      expect(written.comment).toMatchObject({ authorId: principalId, body: `Commentaire par lien (${reach})` });
      const replied = await json(holder, 'POST', `/api/documents/${commented.documentId}/comment-threads/${written.thread.id}/replies`, { body: 'Et une réponse' });
      expect(replied.status, reach).toBe(201);
      // The owner sees it in the document's threads; the holder is told it may comment.
      const listed = (await (await json(emilie, 'GET', `/api/documents/${commented.documentId}/comments`)).json()) as { threads: { id: string; comments: { authorId: string; body: string }[] }[] };
      expect(listed.threads.find((thread) => thread.id === written.thread.id)?.comments.map((c) => [c.authorId, c.body])).toEqual([
        [principalId, `Commentaire par lien (${reach})`],
        [principalId, 'Et une réponse'],
      ]);
      expect(((await (await json(holder, 'GET', `/api/documents/${commented.documentId}/comments`)).json()) as { canComment: boolean }).canComment).toBe(true);
      // The comment is an access the link granted: audited as such.
      const used = (await auditOf(commenter.id)).filter((e) => e.action === 'workspace.share_link.used' && (e.details as { action?: string }).action === 'comment');
      expect(used.map((e) => [e.outcome, e.actor_id])).toEqual([
        ['success', principalId],
        ['success', principalId],
      ]);

      // The reader link: the holder reads the document and its comments, writes none.
      expect((await json(holder, 'GET', `/api/documents/${readOnly.documentId}`)).status, reach).toBe(200);
      const listedReadOnly = await json(holder, 'GET', `/api/documents/${readOnly.documentId}/comments`);
      expect(listedReadOnly.status).toBe(200);
      expect(((await listedReadOnly.json()) as { canComment: boolean }).canComment).toBe(false);
      const refused = await json(holder, 'POST', `/api/documents/${readOnly.documentId}/comments`, { anchor: readOnlyAnchor, quote: words, body: 'Interdit' });
      expect(refused.status, reach).toBe(403);
      expect(((await refused.json()) as { type: string }).type).toBe('urn:entente:problem:forbidden');
      const ownThread = (await (await json(emilie, 'POST', `/api/documents/${readOnly.documentId}/comments`, { anchor: readOnlyAnchor, quote: words, body: 'Fil de la propriétaire' })).json()) as { thread: { id: string } };
      expect((await json(holder, 'POST', `/api/documents/${readOnly.documentId}/comment-threads/${ownThread.thread.id}/replies`, { body: 'Interdit aussi' })).status, reach).toBe(403);
      const threads = (await (await json(emilie, 'GET', `/api/documents/${readOnly.documentId}/comments`)).json()) as { threads: { comments: { authorId: string }[] }[] };
      expect(threads.threads.flatMap((thread) => thread.comments).some((c) => c.authorId === principalId)).toBe(false);
    }
  });
});

describe('roles on the live socket, revocation and expiry', () => {
  it('a reader link cannot write through /collab; an editor link can; revoking closes the open editor at once', async () => {
    const doc = await documentWith('Texte');
    const readerLink = await createLink(emilie, doc.documentId, { role: 'reader', reach: 'authenticated' });
    expect((await redeem(hugo, tokenOf(readerLink))).status).toBe(200);
    const ticket = await requestTicket(t.baseUrl, hugo, doc.documentId);
    expect(await ticket.json()).toMatchObject({ role: 'reader', readOnly: true });
    const before = await storedText(t.entente, doc);
    const reader = openClient(t.baseUrl, doc.documentId, () => ticketFor(t.baseUrl, hugo, doc.documentId));
    clients.push(reader);
    await synced(reader);
    reader.text.insert(0, 'écrit par un lecteur');
    await new Promise((r) => setTimeout(r, 800));
    expect(await storedText(t.entente, doc)).toBe(before);

    const editorLink = await createLink(emilie, doc.documentId, { role: 'editor', reach: 'organisation' });
    expect((await redeem(olivier, tokenOf(editorLink))).status).toBe(200);
    const editor = openClient(t.baseUrl, doc.documentId, () => ticketFor(t.baseUrl, olivier, doc.documentId));
    clients.push(editor);
    await synced(editor);
    editor.text.insert(0, 'Ajout par lien');
    await until(async () => (await storedText(t.entente, doc)).includes('Ajout par lien'), 10_000, 'edit stored');

    const revoked = await json(emilie, 'DELETE', `/api/share-links/${editorLink.id}`);
    expect(revoked.status).toBe(204);
    await until(() => editor.closes.includes('access-revoked'), 5_000, 'editor closed on revocation');
    expect((await json(olivier, 'GET', `/api/documents/${doc.documentId}`)).status).toBe(404);
    expect((await requestTicket(t.baseUrl, olivier, doc.documentId)).status).toBe(404);
    const again = await redeem(olivier, tokenOf(editorLink));
    expect(again.status).toBe(410);
    expect(((await again.json()) as { type: string }).type).toBe('urn:entente:problem:share-link-gone');
    // Listed as revoked, without an address; revoking twice changes nothing.
    const listed = (await (await json(emilie, 'GET', `/api/documents/${doc.documentId}/share-links`)).json()) as { links: LinkView[] };
    expect(listed.links.find((l) => l.id === editorLink.id)).toMatchObject({ state: 'revoked', url: null });
    expect((await json(emilie, 'DELETE', `/api/share-links/${editorLink.id}`)).status).toBe(204);
  });

  it('only the document’s managers revoke; an expired link gives nothing', async () => {
    const doc = await documentWith('Texte');
    const link = await createLink(emilie, doc.documentId, { role: 'reader', reach: 'authenticated', expiresAt: inAMonth() });
    expect((await redeem(hugo, tokenOf(link))).status).toBe(200);
    // The holder of the link (reader, non-member) cannot revoke it; nor can anyone for an unknown id.
    expect((await json(hugo, 'DELETE', `/api/share-links/${link.id}`)).status).toBe(404);
    expect((await json(emilie, 'DELETE', '/api/share-links/019ac9f0-0000-7000-8000-00000000dead')).status).toBe(404);
    expect((await json(hugo, 'GET', `/api/documents/${doc.documentId}`)).status).toBe(200);
    await t.entente.stores.cells.QC.db.updateTable('share_links').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', link.id).execute();
    expect((await json(hugo, 'GET', `/api/documents/${doc.documentId}`)).status).toBe(404);
    expect((await redeem(hugo, tokenOf(link))).status).toBe(410);
    const listed = (await (await json(emilie, 'GET', `/api/documents/${doc.documentId}/share-links`)).json()) as { links: LinkView[] };
    expect(listed.links[0]).toMatchObject({ state: 'expired' });
  });
});

describe('public pages', () => {
  it('serve the document read-only, with noindex, no script, a strict CSP, and images through the link', async () => {
    const image = GIF;
    // The image is uploaded into the document before its content refers to it.
    let imageId = '';
    const doc = await documentWith('Le comité se réunit <script>alert(1)</script> jeudi.', {
      image: async (ref) => {
        const uploaded = await fetch(url(`/api/documents/${ref}/images`), { method: 'POST', headers: { ...emilie.headers, 'content-type': 'image/gif' }, body: new Uint8Array(image) });
        expect(uploaded.status).toBe(201);
        imageId = ((await uploaded.json()) as { id: string }).id;
        return `/api/images/${imageId}`;
      },
    });
    const link = await createLink(emilie, doc.documentId, { role: 'reader', reach: 'public', expiresAt: inAMonth() });
    expect(link.url).toMatch(new RegExp(`^${t.baseUrl}/p/[A-Za-z0-9_-]{43}$`));
    const token = tokenOf(link);

    const page = await fetch(url(`/p/${token}`), { headers: { 'accept-language': 'en' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src/);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toMatch(/^<!doctype html>\s*<html lang="en">/);
    // Asked for in English, the page's words are; the document's own stay marked as its space's French.
    expect(html).toContain('<h1 lang="fr-CA">Compte rendu du comité</h1>');
    expect(html).toContain('<article lang="fr-CA">');
    expect(html).toContain('<meta name="robots" content="noindex, nofollow">');
    expect(html).toContain('Compte rendu du comité');
    expect(html).toContain('Le comité se réunit &lt;script&gt;alert(1)&lt;/script&gt; jeudi.');
    expect(html.toLowerCase()).not.toContain('<script');
    expect(html).toContain(`/p/${token}/images/${imageId}`);
    expect(html).not.toContain('/api/images/');

    const served = await fetch(url(`/p/${token}/images/${imageId}`));
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(image)).toBe(true);
    // Another document's image, even of the same space, is not served through this link.
    const other = await documentWith('Autre');
    const foreign = await fetch(url(`/api/documents/${other.documentId}/images`), { method: 'POST', headers: { ...emilie.headers, 'content-type': 'image/gif' }, body: new Uint8Array(image) });
    const foreignId = ((await foreign.json()) as { id: string }).id;
    expect((await fetch(url(`/p/${token}/images/${foreignId}`))).status).toBe(404);

    // Public links are never redeemed into the app: the app is sent to the page.
    const redeemed = await redeem(hugo, token);
    expect(await redeemed.json()).toMatchObject({ reach: 'public', publicUrl: `/p/${token}` });
    expect((await json(hugo, 'GET', `/api/documents/${doc.documentId}`)).status).toBe(404);

    // Revoked: a 410 page in French and English, still noindex; its images go too.
    expect((await json(emilie, 'DELETE', `/api/share-links/${link.id}`)).status).toBe(204);
    const gone = await fetch(url(`/p/${token}`));
    expect(gone.status).toBe(410);
    const goneHtml = await gone.text();
    expect(goneHtml).toContain('Lien de partage expiré ou révoqué');
    expect(goneHtml).toContain('Share link expired or revoked');
    expect(goneHtml).not.toContain('Le comité');
    expect(gone.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    expect((await fetch(url(`/p/${token}/images/${imageId}`))).status).toBe(410);
  });

  it('lets the owner allow indexing, in French by default', async () => {
    const doc = await documentWith('Texte public');
    const link = await createLink(emilie, doc.documentId, { role: 'reader', reach: 'public', expiresAt: inAMonth(), allowIndexing: true });
    const page = await fetch(url(`/p/${tokenOf(link)}`));
    expect(page.status).toBe(200);
    expect(page.headers.get('x-robots-tag')).toBe('index, follow');
    const html = await page.text();
    expect(html).toContain('<meta name="robots" content="index, follow">');
    expect(html).toMatch(/<html lang="fr-FR">/);
    expect(html).toContain('Document partagé en lecture seule');
  });

  it('answers malformed, guessed and non-public tokens without giving anything away', async () => {
    const guessed = 'A'.repeat(43);
    for (const token of [guessed, 'court', '%3Cscript%3E', '..%2F..%2Fetc%2Fpasswd', 'x'.repeat(150)]) {
      const response = await fetch(url(`/p/${token}`));
      expect(response.status, token).toBe(404);
      expect(await response.text()).toContain('Share link not found');
    }
    // Far too long: refused before any lookup (a 4xx, never a 5xx).
    expect([400, 404, 414]).toContain((await fetch(url(`/p/${'x'.repeat(5_000)}`))).status);
    expect((await redeem(hugo, guessed)).status).toBe(404);
    expect((await redeem(hugo, "' or 1=1 --")).status).toBe(404);
    expect((await redeem(hugo, 'x'.repeat(10_000))).status).toBe(400);
    expect((await json(hugo, 'POST', '/api/share-links/redeem', { token: 42 })).status).toBe(400);
    // A link for signed-in agents opened at the public address goes to the app's page.
    const doc = await documentWith('Texte');
    const link = await createLink(emilie, doc.documentId, { role: 'reader', reach: 'authenticated' });
    const redirected = await fetch(url(`/p/${tokenOf(link)}`), { redirect: 'manual' });
    expect(redirected.status).toBe(303);
    expect(redirected.headers.get('location')).toBe(`/partage/${tokenOf(link)}`);
  });
});

describe('spaces deleted and moved away', () => {
  it('a deleted space’s links open nothing, in the app or on the public page', async () => {
    const doomed = await addSpace(t.entente, { jurisdiction: 'QC', classification: 'public', members: [{ principalId: QC1.id, role: 'owner' }] });
    const doc = await documentWith('Texte', { space: doomed });
    const inApp = await createLink(emilie, doc.documentId, { role: 'reader', reach: 'authenticated' });
    const pub = await createLink(emilie, doc.documentId, { role: 'reader', reach: 'public', expiresAt: inAMonth() });
    expect((await redeem(hugo, tokenOf(inApp))).status).toBe(200);
    const name = (await t.entente.stores.cells.QC.db.selectFrom('spaces').select('name').where('id', '=', doomed).executeTakeFirstOrThrow()).name;
    expect((await json(emilie, 'DELETE', `/api/spaces/${doomed}`, { confirmName: name })).status).toBe(204);
    expect((await json(hugo, 'GET', `/api/documents/${doc.documentId}`)).status).toBe(404);
    expect([404, 410]).toContain((await redeem(hugo, tokenOf(inApp))).status);
    expect([404, 410]).toContain((await fetch(url(`/p/${tokenOf(pub)}`))).status);
  });
});

describe('audit', () => {
  it('records creation, each use (refusals too) and revocation in the space’s cell', async () => {
    const doc = await documentWith('Texte');
    const link = await createLink(emilie, doc.documentId, { role: 'reader', reach: 'organisation' });
    await redeem(olivier, tokenOf(link));
    await redeem(olivier, tokenOf(link));
    await redeem(hugo, tokenOf(link));
    await json(emilie, 'DELETE', `/api/share-links/${link.id}`);
    await redeem(olivier, tokenOf(link));
    const events = await auditOf(link.id);
    expect(events.map((e) => [e.action, e.outcome, e.actor_id])).toEqual([
      ['workspace.share_link.created', 'success', QC1.id],
      ['workspace.share_link.used', 'success', QC2.id],
      ['workspace.share_link.used', 'success', QC2.id],
      ['workspace.share_link.used', 'denied', FR2.id],
      ['workspace.share_link.revoked', 'success', QC1.id],
      ['workspace.share_link.used', 'denied', QC2.id],
    ]);

    const pub = await createLink(emilie, doc.documentId, { role: 'reader', reach: 'public', expiresAt: inAMonth() });
    for (let i = 0; i < 5; i++) expect((await fetch(url(`/p/${tokenOf(pub)}`))).status).toBe(200);
    // Reloads from one address within a minute: the first recorded at once, anonymously, with the
    // address hashed; the four others are counted and recorded when the minute ends (below).
    const views = (await auditOf(pub.id)).filter((e) => e.action === 'workspace.share_link.used');
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ outcome: 'success', actor_id: null, details: expect.objectContaining({ via: 'public', action: 'read', count: 1 }) });
    expect(JSON.stringify(views[0])).not.toContain('127.0.0.1');
  });

  it('counts every public view: an event per minute, link and address, whose counts add up to the views', async () => {
    const doc = await documentWith('Texte');
    const pub = await createLink(emilie, doc.documentId, { role: 'reader', reach: 'public', expiresAt: inAMonth() });
    // The route's own counter flushes each minute and at shutdown; this one is flushed by the test.
    const views = publicViews({ ...t.entente, publicUrl: () => new URL(t.baseUrl), content: () => t.entente.collab.store } as unknown as SharingDeps);
    try {
      const from = (ip: string) => ({ ip, requestId: `req-${ip}` });
      for (let i = 0; i < 7; i++) await views.page(tokenOf(pub), 'fr-FR', from('198.51.100.7'));
      for (let i = 0; i < 2; i++) await views.page(tokenOf(pub), 'fr-FR', from('203.0.113.9'));
      expect((await auditOf(pub.id)).filter((e) => e.action === 'workspace.share_link.used')).toHaveLength(2);
      await views.flush();
      const events = (await auditOf(pub.id)).filter((e) => e.action === 'workspace.share_link.used');
      const details = events.map((e) => e.details as { address: string; count: number; action: string; from: string; to: string });
      const byAddress = Map.groupBy(details, (d) => d.address);
      expect(byAddress.size).toBe(2);
      expect([...byAddress.values()].map((list) => list.reduce((n, d) => n + d.count, 0)).sort()).toEqual([2, 7]);
      expect(events.every((e) => e.actor_id === null && e.outcome === 'success')).toBe(true);
      expect(JSON.stringify(events)).not.toMatch(/198\.51\.100\.7|203\.0\.113\.9/);
      // Nothing pending is recorded twice.
      await views.flush();
      expect((await auditOf(pub.id)).filter((e) => e.action === 'workspace.share_link.used')).toHaveLength(events.length);
    } finally {
      views.stop();
    }
  });

  it('records each access a link grants to a signed-in agent: read, versions, export, ticket, comment', async () => {
    const doc = await documentWith('Le comité se réunit à Québec.');
    const link = await createLink(emilie, doc.documentId, { role: 'editor', reach: 'authenticated' });
    expect((await redeem(hugo, tokenOf(link))).status).toBe(200);
    const used = async () =>
      (await auditOf(link.id)).filter((e) => e.action === 'workspace.share_link.used' && (e.details as { reason?: string }).reason !== 'opened');
    const last = async () => (await used()).at(-1) as { actor_id: string; details: Record<string, unknown> };

    expect((await json(hugo, 'GET', `/api/documents/${doc.documentId}/content?format=markdown`)).status).toBe(200);
    expect(await last()).toMatchObject({ actor_id: FR2.id, details: { documentId: doc.documentId, action: 'read', via: 'app', reach: 'authenticated', role: 'editor' } });
    expect((await json(hugo, 'GET', `/api/documents/${doc.documentId}/versions`)).status).toBe(200);
    expect((await last()).details).toMatchObject({ action: 'read', versions: 'list' });
    expect((await json(hugo, 'GET', `/api/documents/${doc.documentId}/export?format=md`)).status).toBe(200);
    expect((await last()).details).toMatchObject({ action: 'export', format: 'md' });
    expect((await requestTicket(t.baseUrl, hugo, doc.documentId)).status).toBe(200);
    expect((await last()).details).toMatchObject({ action: 'ticket', editing: true });
    const anchor = await storedAnchor(doc, 'Québec');
    const commented = await json(hugo, 'POST', `/api/documents/${doc.documentId}/comments`, { anchor, quote: 'Québec', body: 'Par le lien' });
    expect(commented.status).toBe(201);
    expect((await last()).details).toMatchObject({ action: 'comment', commentId: ((await commented.json()) as { comment: { id: string } }).comment.id });
    expect((await used()).map((e) => (e.details as { action: string }).action)).toEqual(['read', 'read', 'export', 'ticket', 'comment']);

    // A reader link gives a read-only socket, and says so.
    const readerLink = await createLink(emilie, doc.documentId, { role: 'reader', reach: 'authenticated' });
    expect((await redeem(olivier, tokenOf(readerLink))).status).toBe(200);
    expect(await (await requestTicket(t.baseUrl, olivier, doc.documentId)).json()).toMatchObject({ readOnly: true });
    expect((await auditOf(readerLink.id)).at(-1)).toMatchObject({ actor_id: QC2.id, details: expect.objectContaining({ action: 'ticket', editing: false }) });
  });

  it('records nothing for a member’s own access, and only what the link adds for a member who holds one', async () => {
    const doc = await documentWith('Le comité se réunit à Québec.');
    const count = async () =>
      Number(
        (
          await t.entente.stores.cells.QC.db
            .selectFrom('audit_events')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('action', '=', 'workspace.share_link.used')
            .execute()
        )[0]?.n,
      );
    const link = await createLink(emilie, doc.documentId, { role: 'commenter', reach: 'members' });
    const before = await count();
    // Camille, editor of the space, with no link: reads, exports, edits live, comments.
    expect((await json(camille, 'GET', `/api/documents/${doc.documentId}/content`)).status).toBe(200);
    expect((await json(camille, 'GET', `/api/documents/${doc.documentId}/versions`)).status).toBe(200);
    expect((await json(camille, 'GET', `/api/documents/${doc.documentId}/export?format=md`)).status).toBe(200);
    expect((await requestTicket(t.baseUrl, camille, doc.documentId)).status).toBe(200);
    const anchor = await storedAnchor(doc, 'Québec');
    expect((await json(camille, 'POST', `/api/documents/${doc.documentId}/comments`, { anchor, quote: 'Québec', body: 'Membre' })).status).toBe(201);
    expect(await count()).toBe(before);

    // Olivier, reader of the space, opens the commenter link: reading is his own right (nothing
    // recorded), commenting is what the link gives (recorded).
    await setMember(t.entente, spaceId, QC2.id, 'reader');
    try {
      expect((await redeem(olivier, tokenOf(link))).status).toBe(200);
      const opened = await count();
      expect((await json(olivier, 'GET', `/api/documents/${doc.documentId}/content`)).status).toBe(200);
      expect(await count()).toBe(opened);
      expect((await json(olivier, 'POST', `/api/documents/${doc.documentId}/comments`, { anchor, quote: 'Québec', body: 'Lecteur' })).status).toBe(201);
      expect(await count()).toBe(opened + 1);
      expect((await auditOf(link.id)).at(-1)).toMatchObject({ actor_id: QC2.id, details: expect.objectContaining({ action: 'comment', reach: 'members', role: 'commenter' }) });
    } finally {
      await setMember(t.entente, spaceId, QC2.id, null);
    }
  });
});

/** An anchor (Yjs relative positions) in the document's stored text, as the editor makes it. */
async function storedAnchor(ref: { documentId: string; spaceId: string; jurisdiction: 'FR' | 'QC' }, words: string) {
  const { state } = await t.entente.collab.store.load(ref);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const paragraph = doc.getXmlFragment('default').get(1) as Y.XmlElement;
  const text = paragraph.get(0) as Y.XmlText;
  const at = text.toString().indexOf(words);
  const encode = (index: number, assoc: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, index, assoc))).toString('base64');
  return { start: encode(at, 0), end: encode(at + words.length, -1) };
}

describe('personal access tokens', () => {
  it('list with api:read and create with api:write; api:read cannot create', async () => {
    const doc = await documentWith('Texte');
    const mint = async (scopes: string[]) => {
      const response = await json(emilie, 'POST', '/api/me/tokens', { label: `Partage ${scopes.join(' ')}`, scopes, expiresInDays: 7 });
      return ((await response.json()) as { token: string }).token;
    };
    const [readToken, writeToken] = [await mint(['api:read']), await mint(['api:write'])];
    const bearer = (token: string, method: string, body?: unknown) =>
      fetch(url(`/api/documents/${doc.documentId}/share-links`), {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    const created = await bearer(writeToken, 'POST', { role: 'reader', reach: 'members' });
    expect(created.status).toBe(201);
    const listed = await bearer(readToken, 'GET');
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { links: LinkView[] }).links).toHaveLength(1);
    expect((await bearer(readToken, 'POST', { role: 'reader', reach: 'members' })).status).toBe(403);
  });

  it('appear in the OpenAPI document', async () => {
    const spec = (await (await fetch(url('/api/openapi.json'))).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/documents/{documentId}/share-links', '/api/share-links/{linkId}', '/api/share-links/redeem']));
  });
});

const GIF = Buffer.concat([
  Buffer.from('GIF89a', 'latin1'),
  Buffer.from([1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x21, 0xf9, 4, 1, 0, 0, 0, 0, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3b]),
]);
