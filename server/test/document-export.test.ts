import { readdir } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import { type DefaultTreeAdapterMap, parse } from 'parse5';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Actor } from '../src/identity/actor.ts';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { setEmailVerified } from '../src/identity/profiles.repo.ts';
import { AppError } from '../src/platform/errors.ts';
import { contentDisposition } from '../src/platform/http/content-disposition.ts';
import { RICH_DOCUMENT } from '../src/workspace/content/fixtures.ts';
import { type JSONContent, jsonToYDoc } from '../src/workspace/content/ydoc-json.ts';
import { exportSpace } from '../src/workspace/document-export/document-export.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';
import { withOwnTmpDir, zipEntries } from './support/zip-entries.ts';

/**
 * Export of documents and spaces through the real server (PGlite, or PostgreSQL with
 * ENTENTE_TEST_DATABASE_URL): every format keeps headings, lists, tables, links, images and code —
 * checked inside each file (Markdown text, HTML parsed, DOCX and ODT XML unzipped, PDF objects) —;
 * readers may export, non-members and those a restriction keeps out get 404, the trash stays out,
 * a space over the limits gets a clear problem, tokens with api:read work, and each export is audited.
 */
let t: TestApp;
const [camille, hugo, , olivier] = DEMO_AGENTS as [(typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0]];
const sessions = new Map<string, TestSession>();
type Agent = { id: string; email?: string };

let spaceId: string;
let parentId: string;
let childId: string;
let restrictedId: string;
let trashedId: string;
let imageUrl: string;
let redPng: Buffer;

async function call(agent: Agent | null, method: string, url: string, body?: unknown) {
  const response = await fetch(`${t.baseUrl}${url}`, {
    method,
    headers: { ...(agent ? sessions.get(agent.id)?.headers : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: a test reads answers loosely and asserts on them
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, any> };
}

async function download(agent: Agent | null, url: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${t.baseUrl}${url}`, { headers: { ...(agent ? { cookie: sessions.get(agent.id)?.cookie ?? '' } : {}), ...headers } });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

async function setContent(documentId: string, json: JSONContent) {
  const ydoc = jsonToYDoc(json);
  await t.entente.collab.applyServerUpdate({ documentId, spaceId, jurisdiction: 'FR' }, Y.encodeStateAsUpdate(ydoc));
  ydoc.destroy();
}

/** The fixture with the space's own image in place of the outside one, and a link to the child page. */
function richContent(): JSONContent {
  const content = structuredClone(RICH_DOCUMENT.content ?? []).map((node) =>
    node.type === 'image' ? { ...node, attrs: { ...node.attrs, src: imageUrl } } : node,
  );
  content.push({
    type: 'paragraph',
    content: [{ type: 'text', text: 'Voir l’annexe', marks: [{ type: 'link', attrs: { href: `/espaces/${spaceId}/documents/${childId}` } }] }],
  });
  return { type: 'doc', content };
}

beforeAll(async () => {
  t = await startTestApp();
  for (const agent of [camille, hugo, olivier]) {
    sessions.set(agent.id, await t.signIn(agent));
    // A verified address makes an invitation a membership at once.
    await setEmailVerified(t.entente.stores.cells[agent.jurisdiction].db, agent.id, agent.email, true);
  }
  const created = await call(camille, 'POST', '/api/spaces', { name: 'Exports « été »', jurisdiction: 'FR', minAssurance: 'low', classification: 'internal' });
  expect(created.status).toBe(201);
  spaceId = created.body.id;
  expect((await call(camille, 'POST', `/api/spaces/${spaceId}/invitations`, { email: hugo.email, role: 'reader' })).body.member?.role).toBe('reader');
  const doc = async (title: string, parent?: string) => {
    const made = await call(camille, 'POST', `/api/spaces/${spaceId}/documents`, { title, ...(parent ? { parentId: parent } : {}) });
    expect(made.status).toBe(201);
    return made.body.id as string;
  };
  parentId = await doc('Compte rendu (été) / 2026');
  childId = await doc('Annexe', parentId);
  restrictedId = await doc('Notes RH confidentielles');
  trashedId = await doc('Brouillon jeté');
  redPng = await sharp({ create: { width: 40, height: 20, channels: 3, background: { r: 200, g: 20, b: 20 } } }).png().toBuffer();
  const uploaded = await fetch(`${t.baseUrl}/api/documents/${parentId}/images`, {
    method: 'POST',
    headers: { ...sessions.get(camille.id)?.headers, 'content-type': 'image/png' },
    body: new Uint8Array(redPng),
  });
  expect(uploaded.status).toBe(201);
  imageUrl = ((await uploaded.json()) as { url: string }).url;
  await setContent(parentId, richContent());
  await setContent(childId, { type: 'doc', content: [{ type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Annexe technique' }] }] });
  await setContent(restrictedId, { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Salaires' }] }] });
  await setContent(trashedId, { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Jeté' }] }] });
  expect((await call(camille, 'PUT', `/api/documents/${restrictedId}/access`, { restricted: true, entries: [] })).status).toBe(200);
  expect((await call(camille, 'POST', `/api/documents/${trashedId}/trash`)).status).toBe(200);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const unzipText = (bytes: Uint8Array, name: string) => {
  const files = unzipSync(bytes);
  const file = files[name];
  if (!file) throw new Error(`${name} missing; has ${Object.keys(files).join(', ')}`);
  return strFromU8(file);
};

describe('document export: each format keeps headings, lists, tables, links, images and code', () => {
  it('Markdown', async () => {
    const got = await download(hugo, `/api/documents/${parentId}/export?format=md`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const md = got.bytes.toString('utf8');
    expect(md).toContain('# Groupe de travail « nuage »');
    expect(md).toContain('- Second point\n  3. Sous-point');
    expect(md).toContain('- [x] Fait');
    expect(md).toContain('| État | Ville |');
    expect(md).toContain('[un lien](https://www.quebec.ca/)');
    expect(md).toContain('```ts\nconst a = 1;');
    // Outside the application, the image and the link to a page need the instance's address.
    expect(md).toContain(`![Carte](${t.baseUrl}${imageUrl} "La carte")`);
    expect(md).toContain(`[Voir l’annexe](${t.baseUrl}/espaces/${spaceId}/documents/${childId})`);
  });

  it('HTML: a standalone page with the image embedded', async () => {
    const got = await download(hugo, `/api/documents/${parentId}/export?format=html`);
    expect(got.status).toBe(200);
    const html = got.bytes.toString('utf8');
    const tags: DefaultTreeAdapterMap['element'][] = [];
    const walk = (node: DefaultTreeAdapterMap['parentNode']) => {
      for (const child of node.childNodes) {
        if ('tagName' in child) {
          tags.push(child);
          walk(child);
        }
      }
    };
    walk(parse(html));
    const attrOf = (el: DefaultTreeAdapterMap['element'] | undefined, name: string) => el?.attrs.find((a) => a.name === name)?.value;
    expect(attrOf(tags.find((e) => e.tagName === 'html'), 'lang')).toBe('fr-FR');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<title>Compte rendu (été) / 2026</title>');
    expect(tags.filter((e) => e.tagName === 'h1')).toHaveLength(1);
    expect(tags.some((e) => e.tagName === 'ol' && attrOf(e, 'start') === '3')).toBe(true);
    expect(tags.filter((e) => e.tagName === 'th')).toHaveLength(2);
    expect(tags.some((e) => e.tagName === 'a' && attrOf(e, 'href') === 'https://www.quebec.ca/')).toBe(true);
    expect(tags.some((e) => e.tagName === 'code' && attrOf(e, 'class') === 'language-ts')).toBe(true);
    const img = tags.find((e) => e.tagName === 'img');
    expect(attrOf(img, 'alt')).toBe('Carte');
    expect(attrOf(img, 'src')).toBe(`data:image/png;base64,${redPng.toString('base64')}`);
    expect(html).toContain('<strong>Attention</strong>');
  });

  it('DOCX: Word styles, numbering, a table with its header row, a hyperlink, the image, code', async () => {
    const got = await download(hugo, `/api/documents/${parentId}/export?format=docx`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const xml = unzipText(got.bytes, 'word/document.xml');
    expect(xml).toMatch(/<w:pStyle w:val="Heading1"\/><\/w:pPr><w:r><w:t xml:space="preserve">Groupe de travail « nuage »<\/w:t>/);
    expect((xml.match(/<w:numPr>/g) ?? []).length).toBe(5); // 2 bullets, 1 nested number, 2 tasks
    expect(xml).toContain('<w:ilvl w:val="1"/>'); // the nested list
    expect(xml).toContain('<w:tblHeader/>');
    expect(xml).toContain('Paris | Lyon');
    expect(xml).toContain('<w:hyperlink');
    expect(xml).toContain('<w:pStyle w:val="Code"/>');
    expect(xml).toContain('<w:rStyle w:val="CodeChar"/>');
    expect(xml).toContain('descr="Carte"');
    const rels = unzipText(got.bytes, 'word/_rels/document.xml.rels');
    expect(rels).toContain('Target="https://www.quebec.ca/"');
    expect(rels).toContain(`Target="${t.baseUrl}/espaces/${spaceId}/documents/${childId}"`);
    const media = Object.keys(unzipSync(got.bytes)).filter((n) => n.startsWith('word/media/'));
    expect(media).toHaveLength(1);
    expect(Buffer.from(unzipSync(got.bytes)[media[0] as string] as Uint8Array).equals(redPng)).toBe(true);
    expect(unzipText(got.bytes, 'docProps/core.xml')).toContain('<dc:title>Compte rendu (été) / 2026</dc:title>');
    expect(unzipText(got.bytes, 'word/styles.xml')).toContain('w:val="fr-FR"');
  });

  it('ODT: headings, lists, table, link, picture, preformatted text', async () => {
    const got = await download(hugo, `/api/documents/${parentId}/export?format=odt`);
    expect(got.status).toBe(200);
    expect(got.bytes.subarray(30, 38).toString('latin1')).toBe('mimetype');
    const xml = unzipText(got.bytes, 'content.xml');
    expect(xml).toContain('<text:h text:style-name="Heading_20_1" text:outline-level="1">Groupe de travail « nuage »</text:h>');
    expect(xml).toContain('<text:list text:style-name="List_20_Bullet">');
    expect(xml).toContain('<table:table-header-rows>');
    expect(xml).toContain('xlink:href="https://www.quebec.ca/"');
    expect(xml).toContain('<draw:image xlink:href="Pictures/1.png"');
    expect(xml).toContain('Preformatted_20_Text');
    expect(Buffer.from(unzipSync(got.bytes)['Pictures/1.png'] as Uint8Array).equals(redPng)).toBe(true);
  });

  it('PDF: A4 pages, DejaVu embedded, tagged, clickable links, the image, title and language', async () => {
    const got = await download(hugo, `/api/documents/${parentId}/export?format=pdf`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    const pdf = got.bytes.toString('latin1');
    expect(pdf.startsWith('%PDF-1.7')).toBe(true);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    expect((pdf.match(/\/Type \/Page\n/g) ?? []).length).toBeGreaterThanOrEqual(1);
    expect(pdf).toContain('/MediaBox [0 0 595.28 841.89]');
    expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\n/);
    expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSansMono\n/);
    expect(pdf).toContain('/FontFile2');
    expect(pdf).toContain('/URI (https://www.quebec.ca/)');
    expect(pdf).toContain('/Subtype /Image');
    expect(pdf).toContain('/Lang (fr-FR)');
    expect(pdf).toContain('/DisplayDocTitle true');
    expect(pdf).toContain('/StructTreeRoot');
    for (const tag of ['H1', 'P', 'L', 'LI', 'Table', 'TH', 'TD', 'Figure', 'Code', 'BlockQuote']) expect(pdf, tag).toContain(`/S /${tag}\n`);
    expect(pdf).toContain('/Alt (Carte)');
    // The title, in the info dictionary as a text string (UTF-16BE with its BOM: it is not ASCII).
    const utf16 = (text: string) => Buffer.from(text, 'utf16le').swap16();
    expect(pdf).toMatch(/\/Title \d+ 0 R/);
    expect(got.bytes.includes(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16('Compte rendu ')]))).toBe(true);
    expect(got.bytes.includes(utf16('été'))).toBe(true);
  });

  it('names the file after the title, sanitised, with its exact name in filename*', async () => {
    const got = await download(hugo, `/api/documents/${parentId}/export?format=pdf`);
    expect(got.headers.get('content-disposition')).toBe(
      `attachment; filename="Compte rendu (ete) _ 2026.pdf"; filename*=UTF-8''Compte%20rendu%20%28%C3%A9t%C3%A9%29%20_%202026.pdf`,
    );
    expect(got.headers.get('cache-control')).toContain('no-store');
    expect(contentDisposition('attachment', 'a"b\\c;d%.md')).toBe(`attachment; filename="a_b_c_d_.md"; filename*=UTF-8''a_b_c%3Bd%25.md`);
  });

  it('is audited with the format', async () => {
    const events = await t.entente.stores.cells.FR.db
      .selectFrom('audit_events')
      .select(['action', 'actor_id', 'details'])
      .where('action', '=', 'workspace.document.exported')
      .where('resource_id', '=', parentId)
      .execute();
    expect(events.length).toBeGreaterThanOrEqual(5);
    expect(events.every((e) => e.actor_id === hugo.id)).toBe(true);
    expect(new Set(events.map((e) => (e.details as { format: string }).format))).toEqual(new Set(['md', 'html', 'docx', 'odt', 'pdf']));
  });
});

describe('who may export', () => {
  it('a non-member gets 404 for the document and the space, as for what does not exist', async () => {
    for (const url of [`/api/documents/${parentId}/export?format=pdf`, `/api/spaces/${spaceId}/export?format=md`]) {
      const got = await download(olivier, url);
      expect(got.status).toBe(404);
      expect(got.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('a restricted document is 404 to a member it is not open to', async () => {
    expect((await download(hugo, `/api/documents/${restrictedId}/export?format=md`)).status).toBe(404);
    expect((await download(camille, `/api/documents/${restrictedId}/export?format=md`)).status).toBe(200);
  });

  it('refuses without a session, and an unknown format', async () => {
    expect((await download(null, `/api/documents/${parentId}/export?format=pdf`)).status).toBe(401);
    const bad = await download(hugo, `/api/documents/${parentId}/export?format=exe`);
    expect(bad.status).toBe(400);
    expect((await download(hugo, `/api/documents/not-a-uuid/export?format=pdf`)).status).toBe(400);
  });

  it('both routes are in the OpenAPI description, with their formats', async () => {
    const spec = (await call(null, 'GET', '/api/openapi.json')).body;
    for (const route of ['/api/documents/{documentId}/export', '/api/spaces/{spaceId}/export']) {
      const get = spec.paths?.[route]?.get;
      expect(get, route).toBeDefined();
      const format = get.parameters.find((p: { name: string }) => p.name === 'format');
      expect(format.schema.enum).toEqual(['pdf', 'docx', 'odt', 'md', 'html']);
    }
  });

  it('works with a personal access token holding api:read', async () => {
    const made = await call(hugo, 'POST', '/api/me/tokens', { label: 'export script', scopes: ['api:read'], expiresInDays: 1 });
    expect(made.status).toBe(201);
    const bearer = { authorization: `Bearer ${made.body.token}` };
    const doc = await download(null, `/api/documents/${parentId}/export?format=docx`, bearer);
    expect(doc.status).toBe(200);
    expect(unzipText(doc.bytes, 'word/document.xml')).toContain('Groupe de travail');
    const zip = await download(null, `/api/spaces/${spaceId}/export?format=md`, bearer);
    expect(zip.status).toBe(200);
    expect((await download(null, `/api/documents/${parentId}/export?format=pdf`, { authorization: 'Bearer ent_pat_nope' })).status).toBe(401);
  });
});

describe('space export', () => {
  it('writes the tree as folders, images beside Markdown, links between pages relative; restricted and trashed pages left out', async () => {
    const got = await download(hugo, `/api/spaces/${spaceId}/export?format=md`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/zip');
    expect(got.headers.get('content-disposition')).toContain(`filename*=UTF-8''Exports%20%C2%AB%20%C3%A9t%C3%A9%20%C2%BB%20%28md%29.zip`);
    const files = await zipEntries(got.bytes);
    const imageId = imageUrl.split('/').pop();
    expect([...files.keys()].sort()).toEqual(
      ['Exports « été »/Compte rendu (été) _ 2026.md', 'Exports « été »/Compte rendu (été) _ 2026/Annexe.md', `Exports « été »/_images/${imageId}.png`].sort(),
    );
    const parent = files.get('Exports « été »/Compte rendu (été) _ 2026.md')?.toString('utf8') ?? '';
    expect(parent).toContain(`![Carte](_images/${imageId}.png "La carte")`);
    expect(parent).toContain('[Voir l’annexe](<Compte%20rendu%20(%C3%A9t%C3%A9)%20_%202026/Annexe.md>)');
    expect(files.get(`Exports « été »/_images/${imageId}.png`)?.equals(redPng)).toBe(true);
    // The owner's export has the restricted page; nobody's has the trash.
    const owners = await zipEntries((await download(camille, `/api/spaces/${spaceId}/export?format=md`)).bytes);
    expect([...owners.keys()]).toContain('Exports « été »/Notes RH confidentielles.md');
    expect([...owners.keys()].some((k) => k.includes('Brouillon'))).toBe(false);
  });

  it('writes every document in the chosen format (PDF, DOCX)', async () => {
    const pdf = await zipEntries((await download(hugo, `/api/spaces/${spaceId}/export?format=pdf`)).bytes);
    expect([...pdf.keys()].sort()).toEqual(['Exports « été »/Compte rendu (été) _ 2026.pdf', 'Exports « été »/Compte rendu (été) _ 2026/Annexe.pdf']);
    for (const bytes of pdf.values()) expect(bytes.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    const docx = await zipEntries((await download(hugo, `/api/spaces/${spaceId}/export?format=docx`)).bytes);
    const parent = docx.get('Exports « été »/Compte rendu (été) _ 2026.docx') as Buffer;
    expect(unzipText(parent, 'word/_rels/document.xml.rels')).toContain('Target="Compte%20rendu%20(%C3%A9t%C3%A9)%20_%202026/Annexe.docx"');
    const events = await t.entente.stores.cells.FR.db.selectFrom('audit_events').select(['details']).where('action', '=', 'workspace.space.exported').where('resource_id', '=', spaceId).execute();
    expect(events.map((e) => (e.details as { format: string; via: string }).format)).toEqual(expect.arrayContaining(['md', 'pdf', 'docx']));
  });

  const PARENT = 'Exports « été »/Compte rendu (été) _ 2026';
  const CHILD = 'Exports « été »/Compte rendu (été) _ 2026/Annexe';
  const RESTRICTED = 'Exports « été »/Notes RH confidentielles';
  /** The relative link from the parent's file to the child's, as the parent holds it. */
  const childLink = (extension: string) => `Compte%20rendu%20(%C3%A9t%C3%A9)%20_%202026/Annexe.${extension}`;

  it('writes every document in HTML: one page per document of the tree, each a parsable page with its headings', async () => {
    // Camille, the owner (Hugo has spent his space exports of the minute): the restricted page is hers too.
    const got = await download(camille, `/api/spaces/${spaceId}/export?format=html`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/zip');
    const files = await zipEntries(got.bytes);
    // No `_images/` folder: HTML pages embed their images.
    expect([...files.keys()].sort()).toEqual([`${PARENT}.html`, `${CHILD}.html`, `${RESTRICTED}.html`].sort());
    const page = (name: string) => {
      const html = (files.get(name) as Buffer).toString('utf8');
      const elements: DefaultTreeAdapterMap['element'][] = [];
      const walk = (node: DefaultTreeAdapterMap['parentNode']) => {
        for (const child of node.childNodes) {
          if ('tagName' in child) {
            elements.push(child);
            walk(child);
          }
        }
      };
      walk(parse(html, { onParseError: (error) => expect.fail(`${name}: ${error.code} at ${error.startLine}:${error.startCol}`) }));
      const text = (el: DefaultTreeAdapterMap['element']): string =>
        el.childNodes.map((n) => ('value' in n && n.nodeName === '#text' ? n.value : 'tagName' in n ? text(n) : '')).join('');
      return { html, elements, text, attr: (el: DefaultTreeAdapterMap['element'] | undefined, a: string) => el?.attrs.find((x) => x.name === a)?.value };
    };
    const parent = page(`${PARENT}.html`);
    expect(parent.html.toLowerCase().startsWith('<!doctype html>')).toBe(true);
    expect(parent.text(parent.elements.find((e) => e.tagName === 'title') as DefaultTreeAdapterMap['element'])).toBe('Compte rendu (été) / 2026');
    expect(parent.elements.filter((e) => e.tagName === 'h1').map(parent.text)).toEqual(['Groupe de travail « nuage »']);
    expect(parent.attr(parent.elements.find((e) => e.tagName === 'img'), 'src')).toBe(`data:image/png;base64,${redPng.toString('base64')}`);
    expect(parent.elements.some((e) => e.tagName === 'a' && parent.attr(e, 'href') === childLink('html'))).toBe(true);
    const child = page(`${CHILD}.html`);
    expect(child.elements.filter((e) => e.tagName === 'h1').map(child.text)).toEqual(['Annexe technique']);
    const restricted = page(`${RESTRICTED}.html`);
    expect(restricted.elements.filter((e) => /^h[1-6]$/.test(e.tagName))).toEqual([]);
    expect(restricted.elements.filter((e) => e.tagName === 'p').map(restricted.text)).toEqual(['Salaires']);
  });

  it('writes every document in ODT: one package per document of the tree, mimetype first, its headings in content.xml', async () => {
    const got = await download(camille, `/api/spaces/${spaceId}/export?format=odt`);
    expect(got.status).toBe(200);
    const files = await zipEntries(got.bytes);
    expect([...files.keys()].sort()).toEqual([`${PARENT}.odt`, `${CHILD}.odt`, `${RESTRICTED}.odt`].sort());
    const headings = (name: string) => {
      const bytes = files.get(name) as Buffer;
      // An OpenDocument package: its first entry is `mimetype`, stored, with the type as its data.
      expect(bytes.readUInt32LE(0)).toBe(0x04034b50);
      expect(bytes.readUInt16LE(8)).toBe(0); // stored, not deflated
      expect(bytes.subarray(30, 38).toString('latin1')).toBe('mimetype');
      expect(bytes.subarray(38, 38 + 39).toString('latin1')).toBe('application/vnd.oasis.opendocument.text');
      const unzipped = unzipSync(bytes);
      expect(Object.keys(unzipped)).toEqual(expect.arrayContaining(['mimetype', 'content.xml', 'styles.xml', 'META-INF/manifest.xml']));
      const xml = strFromU8(unzipped['content.xml'] as Uint8Array);
      expect(xml.startsWith('<?xml')).toBe(true);
      return { xml, headings: [...xml.matchAll(/<text:h [^>]*>([^<]*)<\/text:h>/g)].map((m) => m[1]) };
    };
    const parent = headings(`${PARENT}.odt`);
    expect(parent.headings).toEqual(['Groupe de travail « nuage »']);
    expect(unzipSync(files.get(`${PARENT}.odt`) as Buffer)['Pictures/1.png']).toBeDefined();
    // ODF resolves a relative link from inside the package: one level up, then the child's file.
    expect(parent.xml).toContain(`xlink:href="../${childLink('odt')}"`);
    expect(headings(`${CHILD}.odt`).headings).toEqual(['Annexe technique']);
    const restricted = headings(`${RESTRICTED}.odt`);
    expect(restricted.headings).toEqual([]);
    expect(restricted.xml).toContain('Salaires');
    const events = await t.entente.stores.cells.FR.db.selectFrom('audit_events').select(['details']).where('action', '=', 'workspace.space.exported').where('resource_id', '=', spaceId).execute();
    expect(events.map((e) => (e.details as { format: string }).format)).toEqual(expect.arrayContaining(['html', 'odt']));
  });

  it('a space over the limits gets a clear problem, and leaves no temporary file', async () => {
    // A temporary folder of this test's own (os.tmpdir() reads TMPDIR at each call; each test file
    // is its own process): other files and processes export into the shared one at the same time,
    // so counting there could not tell whose folder it saw.
    await withOwnTmpDir(async (own) => {
      const deps = {
        stores: t.entente.stores,
        cells: t.entente.cells,
        audit: t.entente.audit,
        logger: t.entente.logger,
        content: () => t.entente.collab.store,
        publicUrl: () => new URL(t.baseUrl),
      };
      const refused = await exportSpace({ ...deps, exportLimits: { maxSpaceDocuments: 1 } }, hugoActor(), spaceId, 'md', { ip: null, requestId: 'test' }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(AppError);
      expect((refused as AppError).slug).toBe('export_too_large');
      expect((refused as AppError).status).toBe(413);
      const tooBig = await exportSpace({ ...deps, exportLimits: { maxSpaceBytes: 10 } }, hugoActor(), spaceId, 'md', { ip: null, requestId: 'test' }).catch((e: unknown) => e);
      expect((tooBig as AppError).slug).toBe('export_too_large');
      expect(await readdir(own)).toEqual([]);
    });
  });
});

/** Hugo as the HTTP layer would give him to the use case (a session, no federation level). */
function hugoActor(): Actor {
  return {
    principalId: hugo.id,
    homeJurisdiction: hugo.jurisdiction,
    sessionId: (sessions.get(hugo.id) as TestSession).sessionId,
    assuranceLevel: null,
    upstream: null,
    memberships: new Map(),
    platformRoles: new Set(),
    via: 'session',
    scopes: null,
  };
}
