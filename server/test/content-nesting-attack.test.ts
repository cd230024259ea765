import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MAX_CONTENT_DEPTH } from '../../common/src/content-depth.ts';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { FRAGMENT_NAME, yDocToJson } from '../src/workspace/content/ydoc-json.ts';
import { sweepSearchIndex } from '../src/workspace/search/indexer.ts';
import { acknowledged, addDocument, addSpace, type Client, openClient, synced, ticketFor, until } from './collab-support.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/**
 * Issue 5, "Bad input": content nested thousands of levels deep (a quote in a list item in a
 * callout…, which the editor's schema allows) must never crash a reader. A hostile editor's
 * change that nests deeper than MAX_CONTENT_DEPTH is refused on the live socket, and a document
 * that holds such content anyway (an archive, content written before the limit) still exports in
 * every format, shows on its public page and is found by search — its deepest words included.
 */
let t: TestApp;
const [QC1] = DEMO_AGENTS as unknown as [(typeof DEMO_AGENTS)[number]];
let emilie: TestSession;
let spaceId: string;
const clients: Client[] = [];
const DEEP = 5_000;
const KINDS = ['blockquote', 'bulletList', 'listItem', 'callout', 'orderedList', 'listItem', 'taskList', 'taskItem', 'table', 'tableRow', 'tableCell'];

beforeAll(async () => {
  t = await startTestApp();
  emilie = await t.signIn(QC1);
  spaceId = await addSpace(t.entente, { jurisdiction: 'QC', classification: 'public', members: [{ principalId: QC1.id, role: 'owner' }] });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await t?.close();
});

const url = (path: string) => `${t.baseUrl}${path}`;
const api = (method: string, path: string, body?: unknown) =>
  fetch(url(path), {
    method,
    headers: { ...emilie.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** `levels` elements nested in each other under `parent`, a paragraph with its words at each level; the deepest says `deepest`. */
function nest(parent: Y.XmlFragment | Y.XmlElement, levels: number, deepest: string, kinds: string[] = KINDS): void {
  let current = parent;
  for (let i = 0; i < levels; i++) {
    const element = new Y.XmlElement(kinds[i % kinds.length] as string);
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(`niveau${i}`)]);
    current.insert(current.length, kinds.length > 1 ? [paragraph, element] : [element]);
    current = element;
  }
  const last = new Y.XmlElement('paragraph');
  last.insert(0, [new Y.XmlText(deepest)]);
  current.insert(current.length, [last]);
}

function open(documentId: string): Client {
  const client = openClient(t.baseUrl, documentId, () => ticketFor(t.baseUrl, emilie, documentId));
  clients.push(client);
  return client;
}

async function storedDepthAndText(ref: { documentId: string; spaceId: string; jurisdiction: 'QC' | 'FR' }) {
  const { state } = await t.entente.collab.store.load(ref);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  let depth = 0;
  const stack: [Y.XmlFragment | Y.XmlElement, number][] = [[doc.getXmlFragment(FRAGMENT_NAME), 0]];
  while (stack.length > 0) {
    const [node, d] = stack.pop() as [Y.XmlFragment | Y.XmlElement, number];
    depth = Math.max(depth, d);
    for (const child of node.toArray()) if (child instanceof Y.XmlElement) stack.push([child, d + 1]);
  }
  const text = JSON.stringify(yDocToJson(doc));
  doc.destroy();
  return { depth, text };
}

describe('content nested thousands of levels deep', () => {
  it('is refused on the live socket (too-deep); the document keeps what came before and stays editable', async () => {
    const ref = await addDocument(t.entente, spaceId, 'QC');
    const honest = open(ref.documentId);
    await synced(honest);
    // The limit itself is allowed: a change nesting exactly MAX_CONTENT_DEPTH levels is kept.
    honest.doc.transact(() => nest(honest.doc.getXmlFragment(FRAGMENT_NAME), MAX_CONTENT_DEPTH - 1, 'permis', ['blockquote']));
    await acknowledged(honest);

    const hostile = open(ref.documentId);
    await synced(hostile);
    hostile.doc.transact(() => nest(hostile.doc.getXmlFragment(FRAGMENT_NAME), DEEP, 'interdit'));
    await until(() => hostile.closes.includes('too-deep'), 15_000, 'too-deep close');

    // One level deeper than the limit, under what exists, is refused too (measured in the document).
    const edge = open(ref.documentId);
    await synced(edge);
    const fragment = edge.doc.getXmlFragment(FRAGMENT_NAME);
    let deepestQuote = fragment.get(0) as Y.XmlElement;
    for (;;) {
      const next = deepestQuote.toArray().find((c) => c instanceof Y.XmlElement && c.nodeName === 'blockquote') as Y.XmlElement | undefined;
      if (!next) break;
      deepestQuote = next;
    }
    // The deepest quote is at MAX_CONTENT_DEPTH - 1: a quote in it is at the limit, its paragraph one beyond.
    edge.doc.transact(() => {
      const quote = new Y.XmlElement('blockquote');
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('au-delà')]);
      quote.insert(0, [paragraph]);
      deepestQuote.insert(0, [quote]);
    });
    await until(() => edge.closes.includes('too-deep'), 15_000, 'too-deep close at the edge');

    const stored = await storedDepthAndText(ref);
    expect(stored.depth).toBe(MAX_CONTENT_DEPTH);
    expect(stored.text).toContain('permis');
    expect(stored.text).not.toContain('interdit');
    expect(stored.text).not.toContain('au-delà');

    // The honest editor is not affected and keeps editing.
    honest.doc.transact(() => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText('toujours là')]);
      honest.doc.getXmlFragment(FRAGMENT_NAME).insert(0, [p]);
    });
    await acknowledged(honest);
    expect((await storedDepthAndText(ref)).text).toContain('toujours là');
  }, 60_000);

  it('held by a document anyway: every export format, the public page, search and the content API work, the deepest text included', async () => {
    const ref = await addDocument(t.entente, spaceId, 'QC');
    await t.entente.stores.cells.QC.db.updateTable('documents').set({ title: 'Gigogne' }).where('id', '=', ref.documentId).execute();
    const doc = new Y.Doc();
    doc.transact(() => nest(doc.getXmlFragment(FRAGMENT_NAME), DEEP, 'zygomorphe'));
    // Written as an archive import or a document from before the limit would be (not through the socket).
    await t.entente.collab.store.initialise(ref, Y.encodeStateAsUpdate(doc));
    doc.destroy();

    for (const format of ['md', 'html', 'docx', 'odt', 'pdf']) {
      const response = await fetch(url(`/api/documents/${ref.documentId}/export?format=${format}`), { headers: emilie.headers });
      const body = Buffer.from(await response.arrayBuffer());
      expect(response.status, `${format}: ${body.toString('utf8').slice(0, 200)}`).toBe(200);
      expect(body.byteLength, format).toBeGreaterThan(500);
      if (format === 'md' || format === 'html') {
        // The deepest words are kept, as plain paragraphs at the limit.
        expect(body.toString('utf8'), format).toContain('zygomorphe');
        expect(body.toString('utf8'), format).toContain(`niveau${DEEP - 1}`);
      }
    }

    const created = await api('POST', `/api/documents/${ref.documentId}/share-links`, {
      role: 'reader',
      reach: 'public',
      expiresAt: new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString(),
    });
    expect(created.status).toBe(201);
    const token = (((await created.json()) as { url: string }).url.split('/').pop() as string) ?? '';
    const page = await fetch(url(`/p/${token}`));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Gigogne');
    expect(html).toContain('zygomorphe');

    for (const format of ['json', 'markdown', 'text']) {
      const content = await api('GET', `/api/documents/${ref.documentId}/content?format=${format}`);
      expect(content.status, format).toBe(200);
      expect(await content.text(), format).toContain('zygomorphe');
    }

    await sweepSearchIndex(t.entente.stores);
    await until(
      async () => {
        const answer = await api('GET', `/api/search?${new URLSearchParams({ q: 'zygomorphe' })}`);
        if (answer.status !== 200) return false;
        const results = ((await answer.json()) as { results: { documentId: string }[] }).results;
        return results.some((r) => r.documentId === ref.documentId);
      },
      30_000,
      'deepest word found by search',
      250, // each poll is a search, limited to 240 a minute per agent
    );

    // The server is still up and answering.
    expect((await fetch(url('/healthz'))).status).toBe(200);
  }, 120_000);
});
