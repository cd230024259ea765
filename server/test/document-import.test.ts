import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { Document, ExternalHyperlink, HeadingLevel, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { Zip, type ZipInputFile, ZipPassThrough, zipSync } from 'fflate';
import { parse as parseHtml } from 'parse5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMessage } from '../../common/src/i18n/format.ts';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { setEmailVerified } from '../src/identity/profiles.repo.ts';
import type { JSONContent } from '../src/workspace/content/ydoc-json.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';
import { randomPng as png } from './support/png.ts';

/**
 * Importing Markdown, HTML and DOCX (one file, or a zip keeping its folders as the tree) through
 * the real server: what a user finds in the space afterwards — the documents, their content as the
 * editor will show it, their images — and what they do not find: any trace of a script, a half
 * import after a failure, a crash on hostile files. Access: editors and owners only, tokens with
 * api:write.
 */
let t: TestApp;
const [camille, hugo, emilie, olivier] = DEMO_AGENTS as [(typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0]];
const sessions = new Map<string, TestSession>();
type Agent = { id: string; email: string };
// biome-ignore lint/suspicious/noExplicitAny: a test reads answers loosely and asserts on them
type Loose = Record<string, any>;

beforeAll(async () => {
  t = await startTestApp();
  for (const agent of [camille, hugo, emilie, olivier]) {
    sessions.set(agent.id, await t.signIn(agent));
    // A verified address: an invitation makes the agent a member at once.
    await setEmailVerified(t.entente.stores.cells[agent.jurisdiction].db, agent.id, agent.email, true);
  }
});
afterAll(async () => {
  await t?.close();
});

async function json(agent: Agent | null, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${t.baseUrl}${url}`, {
    method,
    headers: { ...(agent ? sessions.get(agent.id)?.headers : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Loose };
}

async function space(members: [Agent, string][] = [], jurisdiction: 'FR' | 'QC' = 'FR') {
  const created = await json(camille, 'POST', '/api/spaces', { name: `Import ${Math.random().toString(36).slice(2, 8)}`, jurisdiction, minAssurance: 'low', classification: 'internal' });
  expect(created.status).toBe(201);
  for (const [agent, role] of members) {
    const invited = await json(camille, 'POST', `/api/spaces/${created.body.id}/invitations`, { email: agent.email, role });
    expect(invited.body.member?.role).toBe(role);
  }
  return created.body.id as string;
}

async function upload(agent: Agent | null, spaceId: string, name: string, bytes: Uint8Array, options: { parentId?: string; token?: string } = {}) {
  const query = new URLSearchParams({ name, ...(options.parentId ? { parentId: options.parentId } : {}) });
  const headers: Record<string, string> = options.token
    ? { authorization: `Bearer ${options.token}` }
    : { ...(agent ? sessions.get(agent.id)?.headers : {}) };
  const response = await fetch(`${t.baseUrl}/api/spaces/${spaceId}/imports?${query}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(bytes),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Loose };
}

/** Polls the import as the page does, until it ends. */
async function finished(agent: Agent, importId: string, token?: string): Promise<Loose> {
  for (let i = 0; i < 600; i++) {
    const response = await fetch(`${t.baseUrl}/api/imports/${importId}`, {
      headers: token ? { authorization: `Bearer ${token}` } : { cookie: sessions.get(agent.id)?.cookie ?? '' },
    });
    const body = (await response.json()) as Loose;
    expect(response.status).toBe(200);
    if (body.status === 'done' || body.status === 'failed') return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the import did not end');
}

async function importDone(agent: Agent, spaceId: string, name: string, bytes: Uint8Array, options: { parentId?: string } = {}) {
  const started = await upload(agent, spaceId, name, bytes, options);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  expect(started.headers.get('location')).toBe(`/api/imports/${started.body.id}`);
  return finished(agent, started.body.id);
}

async function documents(spaceId: string, agent: Agent = camille): Promise<Loose[]> {
  const listed = await json(agent, 'GET', `/api/spaces/${spaceId}/documents`);
  expect(listed.status).toBe(200);
  return listed.body.documents as Loose[];
}

async function content(spaceId: string, documentId: string, jurisdiction: 'FR' | 'QC' = 'FR'): Promise<{ json: JSONContent; markdown: string }> {
  return t.entente.collab.store.derived({ documentId, spaceId, jurisdiction });
}

function find(node: JSONContent, type: string): JSONContent[] {
  const out: JSONContent[] = [];
  const walk = (n: JSONContent) => {
    if (n.type === type) out.push(n);
    for (const c of n.content ?? []) walk(c);
  };
  walk(node);
  return out;
}

function linksOf(node: JSONContent): string[] {
  const out: string[] = [];
  const walk = (n: JSONContent) => {
    for (const m of n.marks ?? []) if (m.type === 'link') out.push(String(m.attrs?.href));
    for (const c of n.content ?? []) walk(c);
  };
  walk(node);
  return out;
}

const utf8 = (text: string) => new TextEncoder().encode(text);

function storedImages(jurisdiction: 'FR' | 'QC', spaceId: string): string[] {
  const root = path.join(t.entente.config.cells[jurisdiction].objects, 'spaces', spaceId, 'images');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
}

const MARKDOWN = `# Plan de travail

Un paragraphe avec du **gras**, de l’*italique*, du \`code\` et [un lien](https://www.numerique.gouv.fr/).

## Étapes

- Premier point
- Second point
  - Sous-point

1. Un
2. Deux

- [x] Fait
- [ ] À faire

| Pays | Ville |
| --- | --- |
| France | Paris |
| Québec | Montréal |

\`\`\`ts
const cloud = 'souverain';
\`\`\`

> [!WARNING]
> Données sensibles.

[piège](javascript:alert(1)) <script>alert(1)</script>
`;

describe('importing single files', () => {
  it('imports a Markdown file as a document keeping headings, lists, tasks, tables, links, code and callouts', async () => {
    const spaceId = await space();
    const result = await importDone(camille, spaceId, 'Plan de travail.md', utf8(MARKDOWN));
    expect(result.status).toBe('done');
    expect(result.imported).toBe(1);
    expect(result.total).toBe(1);
    expect(result.processed).toBe(1);
    const line = (result.report as Loose[])[0] as Loose;
    expect(line).toMatchObject({ path: 'Plan de travail.md', status: 'imported', title: 'Plan de travail' });
    const docs = await documents(spaceId);
    expect(docs.map((d) => d.title)).toEqual(['Plan de travail']);
    expect(docs[0]?.id).toBe(line?.documentId);
    const { json, markdown } = await content(spaceId, line?.documentId);
    expect(find(json, 'heading').map((h) => h.attrs?.level)).toEqual([1, 2]);
    expect(find(json, 'bulletList')).toHaveLength(2);
    expect(find(json, 'orderedList')).toHaveLength(1);
    expect(find(json, 'taskItem').map((i) => i.attrs?.checked)).toEqual([true, false]);
    expect(find(json, 'tableHeader')).toHaveLength(2);
    expect(find(json, 'codeBlock')[0]).toMatchObject({ attrs: { language: 'ts' }, content: [{ type: 'text', text: "const cloud = 'souverain';" }] });
    expect(find(json, 'callout')[0]?.attrs).toEqual({ tone: 'warning' });
    expect(linksOf(json)).toEqual(['https://www.numerique.gouv.fr/']);
    // markdown-it refuses the javascript: link and shows raw HTML as text: nothing of it is markup.
    expect(JSON.stringify(json)).not.toMatch(/javascript:alert\(1\)"|"href":"javascript/);
    expect(markdown).toContain('| France | Paris |');
  });

  it('imports HTML through the allow-list: the XSS corpus leaves no trace in the stored content', async () => {
    const spaceId = await space();
    const html = `<!doctype html><html><head><title>x</title><meta http-equiv="refresh" content="0;url=javascript:alert(1)">
      <style>body{background:url(javascript:alert(1))}</style><script>alert('head')</script></head>
      <body onload="alert(1)"><h1 onclick="alert(1)">Note <b>HTML</b></h1>
      <p>Texte <a href="https://www.quebec.ca/" onmouseover="alert(1)">lien sûr</a>
      <a href="javascript:alert(1)">js</a> <a href="JaVaScRiPt:alert(1)">js2</a>
      <a href="&#106;avascript&#58;alert(1)">js3</a> <a href="  java&#x09;script:alert(1)">js4</a>
      <a href="vbscript:msgbox(1)">vb</a> <a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a></p>
      <img src=x onerror="alert(1)"><img src="https://tracker.example/pixel.png">
      <svg onload="alert(1)"><circle r="1"/></svg><iframe src="https://evil.example/"></iframe>
      <form action="https://evil.example/"><input value="x" onfocus="alert(1)" autofocus><button>Envoyer</button></form>
      <object data="x.swf"></object><embed src="x.swf"><template><script>alert(2)</script></template>
      <ul><li>point <span style="color:red" onclick="alert(1)">un</span></li></ul></body></html>`;
    const result = await importDone(camille, spaceId, 'note.html', utf8(html));
    expect(result.status).toBe('done');
    const line = (result.report as Loose[])[0] as Loose;
    expect(line.status).toBe('imported');
    expect(line.dropped).toMatchObject({ script: 2, style: 1, meta: 1, frame: 3, form: 3, media: 1, remote_image: 1, unsafe_link: 6 });
    const { json, markdown } = await content(spaceId, line.documentId);
    const stored = JSON.stringify(json);
    expect(stored).not.toMatch(/javascript|vbscript|data:text|alert|onerror|onload|onclick|onmouseover|onfocus|evil\.example|tracker\.example|<script|style/i);
    expect(markdown).not.toMatch(/javascript|alert/i);
    expect(linksOf(json)).toEqual(['https://www.quebec.ca/']);
    expect(find(json, 'heading')[0]?.content?.map((n) => n.text).join('')).toBe('Note HTML');
    // The words stay: only the link went.
    expect(stored).toContain('js2');
  });

  it('imports a DOCX (built with the docx package) with its heading, list, table, link and image', async () => {
    const spaceId = await space();
    const picture = png(24, 16);
    const docx = await Packer.toBuffer(
      new Document({
        sections: [
          {
            children: [
              new Paragraph({ text: 'Rapport annuel', heading: HeadingLevel.HEADING_1 }),
              new Paragraph({ text: 'Contexte', heading: HeadingLevel.HEADING_2 }),
              new Paragraph({
                children: [
                  new TextRun({ text: 'Important', bold: true }),
                  new TextRun(' voir '),
                  new ExternalHyperlink({ link: 'https://www.economie.gouv.qc.ca/', children: [new TextRun({ text: 'le ministère', style: 'Hyperlink' })] }),
                  new TextRun(' et '),
                  new ExternalHyperlink({ link: 'javascript:alert(1)', children: [new TextRun('un piège')] }),
                ],
              }),
              new Paragraph({ text: 'Premier point', bullet: { level: 0 } }),
              new Paragraph({ text: 'Second point', bullet: { level: 0 } }),
              new Table({
                rows: [
                  new TableRow({ children: [new TableCell({ children: [new Paragraph('Pays')] }), new TableCell({ children: [new Paragraph('Ville')] })] }),
                  new TableRow({ children: [new TableCell({ children: [new Paragraph('France')] }), new TableCell({ children: [new Paragraph('Lyon')] })] }),
                ],
              }),
              new Paragraph({ children: [new ImageRun({ type: 'png', data: picture, transformation: { width: 24, height: 16 } })] }),
            ],
          },
        ],
      }),
    );
    const result = await importDone(camille, spaceId, 'Rapport annuel.docx', docx);
    expect(result.status, JSON.stringify(result.report)).toBe('done');
    const line = (result.report as Loose[])[0] as Loose;
    expect(line).toMatchObject({ status: 'imported', title: 'Rapport annuel' });
    expect(line.dropped).toMatchObject({ unsafe_link: 1 });
    const { json } = await content(spaceId, line.documentId);
    expect(find(json, 'heading').map((h) => h.attrs?.level)).toEqual([1, 2]);
    expect(find(json, 'listItem')).toHaveLength(2);
    expect(find(json, 'tableRow')).toHaveLength(2);
    expect(linksOf(json)).toEqual(['https://www.economie.gouv.qc.ca/']);
    const [image] = find(json, 'image');
    expect(String(image?.attrs?.src)).toMatch(/^\/api\/images\/[0-9a-f-]{36}$/);
    // The image was stored through images/: its owner reads the same bytes back.
    const read = await fetch(`${t.baseUrl}${image?.attrs?.src}`, { headers: { cookie: sessions.get(camille.id)?.cookie ?? '' } });
    expect(read.status).toBe(200);
    expect(read.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await read.arrayBuffer()).equals(picture)).toBe(true);
  });

  it('imports under a chosen parent document', async () => {
    const spaceId = await space();
    const parent = await json(camille, 'POST', `/api/spaces/${spaceId}/documents`, { title: 'Dossier' });
    const result = await importDone(camille, spaceId, 'enfant.md', utf8('# Enfant\n'), { parentId: parent.body.id });
    expect(result.status).toBe('done');
    const docs = await documents(spaceId);
    expect(docs.find((d) => d.title === 'enfant')?.parentId).toBe(parent.body.id);
  });
});

describe('importing a zip', () => {
  it('keeps folders as the documents tree, links between files, and images of the zip; reports the rest', async () => {
    const spaceId = await space();
    const picture = png(8, 8);
    const zip = zipSync({
      'Guide.md': utf8('# Guide\n\nVoir [l’installation](Guide/Installation.md) et [les notes](Annexes/Notes.html#haut).\n'),
      'Guide/Installation.md': utf8('# Installation\n\n![Schéma](img/schema.png)\n\n![Distant](https://example.org/x.png)\n\nRetour au [guide](../Guide.md).\n'),
      'Guide/img/schema.png': picture,
      'Annexes/Notes.html': utf8('<h1>Notes</h1><p>Une note <img src="../Guide/img/schema.png" alt="schéma"></p>'),
      'Annexes/Sous-dossier/Profond.md': utf8('Tout au fond.'),
      'Annexes/Sous-dossier/orpheline.gif': Buffer.from('GIF89a'),
      'lisez-moi.txt': utf8('texte'),
      'tableur.xlsx': utf8('PK'),
      '__MACOSX/._Guide.md': utf8('junk'),
    });
    const result = await importDone(camille, spaceId, 'documentation.zip', zip);
    expect(result.status, JSON.stringify(result.report)).toBe('done');
    expect(result.imported).toBe(4);
    const report = result.report as Loose[];
    const byPath = new Map(report.map((r) => [r.path, r]));
    expect(byPath.get('lisez-moi.txt')).toMatchObject({ status: 'skipped', reason: 'unsupported_type' });
    expect(byPath.get('tableur.xlsx')).toMatchObject({ status: 'skipped', reason: 'unsupported_type' });
    expect(byPath.get('Annexes/Sous-dossier/orpheline.gif')).toMatchObject({ status: 'skipped', reason: 'not_a_document' });
    expect(byPath.get('Guide/Installation.md')?.dropped).toEqual({ remote_image: 1 });
    expect([...byPath.keys()].some((p) => p.includes('__MACOSX'))).toBe(false);

    const docs = await documents(spaceId);
    const byTitle = new Map(docs.map((d) => [d.title, d]));
    expect([...byTitle.keys()].sort()).toEqual(['Annexes', 'Guide', 'Installation', 'Notes', 'Profond', 'Sous-dossier']);
    expect(byTitle.get('Guide')?.parentId).toBeNull();
    expect(byTitle.get('Annexes')?.parentId).toBeNull();
    expect(byTitle.get('Installation')?.parentId).toBe(byTitle.get('Guide')?.id);
    expect(byTitle.get('Notes')?.parentId).toBe(byTitle.get('Annexes')?.id);
    expect(byTitle.get('Sous-dossier')?.parentId).toBe(byTitle.get('Annexes')?.id);
    expect(byTitle.get('Profond')?.parentId).toBe(byTitle.get('Sous-dossier')?.id);

    const guide = await content(spaceId, byTitle.get('Guide')?.id);
    expect(linksOf(guide.json)).toEqual([`/espaces/${spaceId}/documents/${byTitle.get('Installation')?.id}`, `/espaces/${spaceId}/documents/${byTitle.get('Notes')?.id}`]);
    const installation = await content(spaceId, byTitle.get('Installation')?.id);
    expect(linksOf(installation.json)).toEqual([`/espaces/${spaceId}/documents/${byTitle.get('Guide')?.id}`]);
    const images = [...find(installation.json, 'image'), ...find((await content(spaceId, byTitle.get('Notes')?.id)).json, 'image')];
    expect(images).toHaveLength(2);
    // One image row per document that shows it (an image is read by those who reach its document).
    expect(new Set(images.map((i) => i.attrs?.src)).size).toBe(2);
    expect(storedImages('FR', spaceId)).toHaveLength(2);
  });

  it('refuses dangerous entry names one by one, and imports the others', async () => {
    const spaceId = await space();
    const zip = zipSync({
      'ok.md': utf8('bon'),
      '../evil.md': utf8('dehors'),
      'a/../../evil2.md': utf8('dehors'),
      '/absolute.md': utf8('absolu'),
      'C:/windows.md': utf8('lecteur'),
      'back\\slash.md': utf8('antislash'),
      'nul\u0000.md': utf8('nul'),
      [`${'d/'.repeat(12)}deep.md`]: utf8('trop profond'),
    });
    const result = await importDone(camille, spaceId, 'noms.zip', zip);
    expect(result.status).toBe('done');
    const report = result.report as Loose[];
    expect(report.filter((r) => r.reason === 'unsafe_path')).toHaveLength(6);
    expect(report.filter((r) => r.reason === 'folders_too_deep')).toHaveLength(1);
    expect(report.filter((r) => r.status === 'imported').map((r) => r.title)).toEqual(['ok']);
    expect((await documents(spaceId)).map((d) => d.title)).toEqual(['ok']);
    expect(existsSync(path.resolve(t.entente.config.dataDir, '..', 'evil.md'))).toBe(false);
  });

  it('refuses zip bombs: by ratio per entry, and by declared total before inflating anything', async () => {
    const spaceId = await space();
    const bomb = zipSync({ 'bombe.md': new Uint8Array(4 * 1024 * 1024), 'sain.md': utf8('sain') }, { level: 9 });
    expect(bomb.byteLength).toBeLessThan(100_000);
    const result = await importDone(camille, spaceId, 'bombe.zip', bomb);
    expect((result.report as Loose[]).find((r) => r.path === 'bombe.md')).toMatchObject({ status: 'failed', reason: 'compression_ratio' });
    expect((await documents(spaceId)).map((d) => d.title)).toEqual(['sain']);

    // A larger one: the zip reader refuses the whole archive from its directory.
    const big = await importDone(camille, spaceId, 'grosse-bombe.zip', zipSync({ 'b.md': new Uint8Array(20 * 1024 * 1024) }, { level: 9 }));
    expect(big).toMatchObject({ status: 'failed', error: 'compression_ratio' });

    // The central directory claims 3 GiB once inflated: refused from the directory alone.
    const small = Buffer.from(zipSync({ 'a.md': utf8('a') }));
    const cd = small.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    small.writeUInt32LE(0xc0000000, cd + 24);
    const total = await importDone(camille, spaceId, 'enorme.zip', small);
    expect(total).toMatchObject({ status: 'failed', error: 'archive_too_large' });
    expect(total.report).toEqual([{ path: 'enorme.zip', status: 'failed', reason: 'archive_too_large' }]);
  });
});

describe('bad input: a clear error per file, no crash, nothing half imported', () => {
  it('reports deep nesting, malformed DOCX, non-UTF-8 text and oversized files', async () => {
    const spaceId = await space();
    const notDocx = zipSync({ 'hello.txt': utf8('not a document') });
    const zip = zipSync({
      'index.md': utf8('[bon](bon.md) et [profond](profond.html)'),
      'profond.html': utf8(`${'<div>'.repeat(3000)}x`),
      'liste.html': utf8(`${'<ul><li>'.repeat(100)}x`),
      'cassé.docx': randomBytes(2000),
      'vide.docx': notDocx,
      'binaire.md': Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0xc3, 0x28]),
      'grand.md': utf8(randomBytes(4.5 * 1024 * 1024).toString('base64')),
      'bon.md': utf8('# Bon'),
    });
    const result = await importDone(camille, spaceId, 'mauvais.zip', zip);
    expect(result.status).toBe('done');
    const reasons = Object.fromEntries((result.report as Loose[]).map((r) => [r.path, r.reason ?? r.status]));
    expect(reasons).toEqual({
      'grand.md': 'file_too_large',
      'profond.html': 'too_deep',
      'liste.html': 'too_deep',
      'cassé.docx': 'malformed_docx',
      'vide.docx': 'malformed_docx',
      'binaire.md': 'not_text',
      'bon.md': 'imported',
      'index.md': 'imported',
    });
    expect(result).toMatchObject({ imported: 2, failed: 6 });
    const docs = await documents(spaceId);
    expect(docs.map((d) => d.title).sort()).toEqual(['bon', 'index']);
    // The link to the file that failed went; its words stayed.
    const index = await content(spaceId, docs.find((d) => d.title === 'index')?.id);
    expect(linksOf(index.json)).toEqual([`/espaces/${spaceId}/documents/${docs.find((d) => d.title === 'bon')?.id}`]);
    expect(index.markdown).toContain('profond');
  });

  it('refuses a damaged zip, a file that is not a zip, an unsupported type and an oversized upload', async () => {
    const spaceId = await space();
    const notZip = await importDone(camille, spaceId, 'archive.zip', randomBytes(5000));
    expect(notZip).toMatchObject({ status: 'failed', error: 'not_a_zip' });
    const onlyBad = await importDone(camille, spaceId, 'seul.docx', randomBytes(100));
    expect(onlyBad).toMatchObject({ status: 'failed', error: 'nothing_imported' });
    expect(onlyBad.report).toEqual([{ path: 'seul.docx', status: 'failed', reason: 'malformed_docx' }]);

    const pdf = await upload(camille, spaceId, 'rapport.pdf', utf8('%PDF-1.7'));
    expect(pdf.status).toBe(415);
    expect(pdf.body.type).toBe('urn:entente:problem:import-type-unsupported');
    const traversal = await upload(camille, spaceId, '../../etc/passwd', utf8('x'));
    expect(traversal.status).toBe(415);

    // Declared over the limit: refused before a byte of the body is read.
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(`${t.baseUrl}/api/spaces/${spaceId}/imports?name=enorme.zip`, {
        method: 'POST',
        headers: { ...sessions.get(camille.id)?.headers, 'content-type': 'application/zip', 'content-length': String(60 * 1024 * 1024) },
      });
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.write(Buffer.alloc(1024));
    });
    expect(status).toBe(413);
    expect((await documents(spaceId)).length).toBe(0);
  });

  it('a failure in the middle (quota exceeded on the third image) leaves nothing: no document, no image', async () => {
    const spaceId = await space();
    const pictures = [png(64, 64), png(64, 64), png(64, 64)];
    const size = pictures[0]?.byteLength ?? 0;
    // Room for two images and a half.
    await t.entente.stores.control.db
      .insertInto('storage_quotas' as never)
      .values({ scope: 'space', owner_id: spaceId, limit_bytes: Math.floor(size * 2.5) } as never)
      .execute();
    const zip = zipSync({
      'Un.md': utf8('![un](un.png)'),
      'Deux.md': utf8('![deux](deux.png)'),
      'Trois.md': utf8('![trois](trois.png)'),
      'un.png': pictures[0] as Uint8Array,
      'deux.png': pictures[1] as Uint8Array,
      'trois.png': pictures[2] as Uint8Array,
    });
    const result = await importDone(camille, spaceId, 'quota.zip', zip);
    expect(result).toMatchObject({ status: 'failed', error: 'quota_exceeded', imported: 0 });
    expect((result.report as Loose[]).filter((r) => r.reason === 'rolled_back')).toHaveLength(3);
    expect(await documents(spaceId)).toEqual([]);
    expect((await json(camille, 'GET', `/api/spaces/${spaceId}/documents?trash=true`)).body.documents).toEqual([]);
    const rows = await t.entente.stores.cells.FR.db.selectFrom('document_images').select('id').where('space_id', '=', spaceId).execute();
    expect(rows).toEqual([]);
    expect(storedImages('FR', spaceId)).toEqual([]);
    // Without the limit, the same zip goes in whole.
    await t.entente.stores.control.db.deleteFrom('storage_quotas' as never).where('owner_id' as never, '=', spaceId as never).execute();
    const again = await importDone(camille, spaceId, 'quota.zip', zip);
    expect(again).toMatchObject({ status: 'done', imported: 3 });
    expect(storedImages('FR', spaceId)).toHaveLength(3);
  });
});

// ── Hostile DOCX, malformed HTML, types not supported yet (issue 5 review) ──

const WORD_NAMESPACE = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const DOCX_PACKAGE: Record<string, string> = {
  '[Content_Types].xml':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  '_rels/.rels':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
};
const documentXml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${WORD_NAMESPACE}"><w:body>${body}</w:body></w:document>`;
const wordParagraph = (text: string) => `<w:p><w:r><w:t>${text}</w:t></w:r></w:p>`;

/** The smallest DOCX mammoth reads: the package's two files and `word/document.xml` around `body`. */
function docxOf(body: string): Uint8Array {
  return zipSync({ ...Object.fromEntries(Object.entries(DOCX_PACKAGE).map(([name, text]) => [name, utf8(text)])), 'word/document.xml': utf8(documentXml(body)) });
}

/**
 * A DOCX whose `word/document.xml` inflates to `inflatedMiB` MiB (a paragraph, then spaces) from
 * about a thousandth of that. Its DEFLATE stream is one compressed 16 MiB block of spaces repeated
 * (so the test never holds the inflated bytes), written through fflate's streaming Zip with the
 * size in the headers given by `declared`: the true size (an honest bomb: its ratio gives it away),
 * or a small lie (a bomb that only a reader stopping at the declared size catches).
 */
function docxBomb(inflatedMiB: number, declared: 'true' | number): Uint8Array {
  const MiB = 1024 * 1024;
  const head = Buffer.from(documentXml(wordParagraph('Bombe')).replace('</w:body></w:document>', ''));
  const tail = Buffer.from('</w:body></w:document>');
  const spaces = Buffer.alloc(16 * MiB, 0x20);
  const copies = Math.ceil(inflatedMiB / 16);
  // Each piece ends on a byte boundary (sync flush) and refers to nothing before it: they chain.
  const block = zlib.deflateRawSync(spaces, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  const data = Buffer.concat([zlib.deflateRawSync(head, { finishFlush: zlib.constants.Z_SYNC_FLUSH }), ...Array<Buffer>(copies).fill(block), zlib.deflateRawSync(tail)]);
  let crc = zlib.crc32(head);
  if (declared === 'true') {
    for (let i = 0; i < copies; i++) crc = zlib.crc32(spaces, crc);
    crc = zlib.crc32(tail, crc);
  }
  const chunks: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    chunks.push(chunk);
  });
  for (const [name, text] of Object.entries(DOCX_PACKAGE)) {
    const file = new ZipPassThrough(name);
    zip.add(file);
    file.push(utf8(text), true);
  }
  const entry: ZipInputFile = { filename: 'word/document.xml', compression: 8, crc, size: declared === 'true' ? head.length + copies * spaces.length + tail.length : declared };
  zip.add(entry);
  entry.ondata?.(null, data, true);
  zip.end();
  return Buffer.concat(chunks);
}

/** What a browser would run in an HTML text: its elements, event handler attributes and addresses. */
function activeParts(html: string): { elements: string[]; handlers: string[]; urls: string[] } {
  const out = { elements: [] as string[], handlers: [] as string[], urls: [] as string[] };
  // biome-ignore lint/suspicious/noExplicitAny: parse5's tree, walked loosely
  const walk = (node: any) => {
    if (node.tagName) out.elements.push(node.tagName);
    for (const attribute of node.attrs ?? []) {
      if (/^on/i.test(attribute.name)) out.handlers.push(attribute.name);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'srcset', 'poster', 'data'].includes(attribute.name)) out.urls.push(attribute.value);
    }
    for (const child of node.childNodes ?? []) walk(child);
    if (node.content) walk(node.content);
  };
  walk(parseHtml(html));
  return out;
}

/** The stored editor JSON: node types, every attribute name, and every link or image address. */
function storedParts(json: JSONContent): { types: Set<string>; attributes: Set<string>; urls: string[] } {
  const out = { types: new Set<string>(), attributes: new Set<string>(), urls: [] as string[] };
  const walk = (node: JSONContent) => {
    if (node.type) out.types.add(node.type);
    for (const key of Object.keys(node.attrs ?? {})) out.attributes.add(key);
    if (node.type === 'image') out.urls.push(String(node.attrs?.src));
    for (const mark of node.marks ?? []) {
      for (const key of Object.keys(mark.attrs ?? {})) out.attributes.add(key);
      if (mark.type === 'link') out.urls.push(String(mark.attrs?.href));
    }
    for (const child of node.content ?? []) walk(child);
  };
  walk(json);
  return out;
}

/** Each reason of a report line reads as words in French, Québec French and English (not as its key). */
function expectMessages(reasons: string[]) {
  for (const reason of reasons) {
    for (const locale of ['fr-FR', 'fr-CA', 'en'] as const) expect(formatMessage(locale, `imports.reason.${reason}`), `${locale} ${reason}`).not.toBe(`imports.reason.${reason}`);
  }
}

describe('bad input: hostile DOCX', () => {
  it('refuses a DOCX nested 10 000 elements deep and DOCX decompression bombs, each on its own line, within seconds; the others go in', async () => {
    const spaceId = await space([[emilie, 'editor']]);
    const fine = docxOf(wordParagraph('Bonjour'));
    const deepBody = `${'<w:sdt><w:sdtContent>'.repeat(5000)}${wordParagraph('Au fond')}${'</w:sdtContent></w:sdt>'.repeat(5000)}`;
    const deep = docxOf(deepBody);
    // The same behind 100 000 spaces (no XML declaration): the first inflated chunks are only white space.
    const spaced = zipSync({
      ...Object.fromEntries(Object.entries(DOCX_PACKAGE).map(([name, text]) => [name, utf8(text)])),
      'word/document.xml': utf8(`${' '.repeat(100_000)}${documentXml(deepBody).replace(/^<\?xml[^>]*>/, '')}`),
    });
    // 64 MiB once inflated from about 64 KiB, sizes declared truly: refused from the directory.
    const honest = docxBomb(64, 'true');
    // 1 GiB once inflated from about 1 MiB, declared as 1000 bytes: nothing in the directory gives it away.
    const lying = docxBomb(1024, 1000);
    expect(honest.byteLength).toBeLessThan(100_000);
    expect(lying.byteLength).toBeLessThan(1_100_000);

    const started = Date.now();
    const result = await importDone(emilie, spaceId, 'word.zip', zipSync({ 'bon.docx': fine, 'profond.docx': deep, 'profond-espaces.docx': spaced, 'bombe.docx': honest, 'bombe-menteuse.docx': lying, 'note.md': utf8('# Note') }, { level: 0 }));
    // Before the depth check mammoth recursed until the stack overflowed; before the checked
    // inflation, the lying bomb alone took about 20 s and a gigabyte of memory.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.status).toBe('done');
    const reasons = Object.fromEntries((result.report as Loose[]).map((r) => [r.path, r.reason ?? r.status]));
    expect(reasons).toEqual({
      'bon.docx': 'imported',
      'note.md': 'imported',
      'profond.docx': 'too_deep',
      'profond-espaces.docx': 'too_deep',
      'bombe.docx': 'compression_ratio',
      'bombe-menteuse.docx': 'malformed_docx',
    });
    expect(result).toMatchObject({ imported: 2, failed: 4 });
    expectMessages(['too_deep', 'compression_ratio', 'malformed_docx']);
    expect((await documents(spaceId)).map((d) => d.title).sort()).toEqual(['bon', 'note']);
    const bon = (result.report as Loose[]).find((r) => r.path === 'bon.docx') as Loose;
    expect((await content(spaceId, bon.documentId)).markdown).toContain('Bonjour');

    // Each alone: the whole import fails, its one line says why, nothing is created.
    for (const [name, bytes, reason] of [
      ['profond.docx', deep, 'too_deep'],
      ['bombe-menteuse.docx', lying, 'malformed_docx'],
    ] as const) {
      const at = Date.now();
      const alone = await importDone(emilie, spaceId, name, bytes);
      expect(Date.now() - at, name).toBeLessThan(10_000);
      expect(alone).toMatchObject({ status: 'failed', error: 'nothing_imported', imported: 0 });
      expect(alone.report).toEqual([{ path: name, status: 'failed', reason }]);
    }
    expect((await documents(spaceId)).map((d) => d.title).sort()).toEqual(['bon', 'note']);
  }, 60_000);

  it('still imports a DOCX nested as deep as real ones are (tables in tables)', async () => {
    const spaceId = await space([[emilie, 'editor']]);
    // Eight tables one in another: about 30 levels of XML, far from any limit.
    const nested = `${'<w:tbl><w:tr><w:tc>'.repeat(8)}${wordParagraph('Cellule')}${'</w:tc></w:tr></w:tbl><w:p/>'.repeat(8)}`;
    const result = await importDone(emilie, spaceId, 'tableaux.docx', docxOf(nested));
    expect(result.status, JSON.stringify(result.report)).toBe('done');
    expect((await content(spaceId, result.report[0].documentId)).markdown).toContain('Cellule');
  });
});

describe('bad input: malformed HTML', () => {
  const files: Record<string, string> = {
    'non-fermees.html': '<h1>Titre <p>Un <b>gras <i>italique <a href="javascript:alert(1)">piège<p>suite <ul><li>un<li>deux <table><tr><td>cellule <script>alert(1)',
    'orphelines.html': '</div></div></span><p>Texte</span></p></div></td></tr></table></body></html><p onclick=alert(1)>fin</p></div>',
    'sans-guillemets.html':
      '<a href=javascript:alert(1) onclick=alert(1)>x</a> <a href=https://www.service-public.fr/ title=ok>sûr</a> <img src=x onerror=alert(1)> <p style=color:red onmouseover=alert(1)>texte</p> <a href= JaVaScRiPt:alert(1)>y</a> <a href=jav&#x09;ascript:alert(1)>z</a>',
    'tableaux.html':
      '<p>Avant</p><table></table><table><tbody></tbody></table><table><caption>Vide</caption></table><table><tr></tr></table><table><thead></thead><tr><td></td></tr></table><table><tr><th></th></tr><tr></tr></table><p>Après</p>',
    'mutations.html':
      '<scr<script>ipt>alert(1)</script><<img src=x onerror=alert(1)//> <img """><script>alert(2)</script>"> <div <a href=javascript:alert(3)>w</a> <!--<img src=x onerror=alert(4)>--> <noscript><p title="</noscript><img src=x onerror=alert(5)>"></noscript> <svg><p><style><img src=x onerror=alert(6)></style></p></svg> <math><mtext><table><mglyph><style><img src=x onerror=alert(7)></style></mglyph></table></mtext></math> <p>reste <!-- commentaire jamais fermé <script>alert(8)</script>',
  };

  it('imports unclosed tags, stray closing tags, unquoted attributes and empty tables without a crash, and without anything active in the content or its HTML export', async () => {
    const spaceId = await space([[olivier, 'editor']]);
    // Random bytes below 0x80: valid UTF-8, full of NULs and control characters.
    const ascii = Buffer.from(randomBytes(4096).map((b) => b & 0x7f));
    const result = await importDone(olivier, spaceId, 'abimes.zip', zipSync({ ...Object.fromEntries(Object.entries(files).map(([n, h]) => [n, utf8(h)])), 'binaire.html': randomBytes(4096), 'ascii.html': ascii }));
    expect(result.status, JSON.stringify(result.report)).toBe('done');
    const byPath = new Map((result.report as Loose[]).map((r) => [r.path, r]));
    // Not UTF-8: refused on its own line, with a reason in both languages.
    expect(byPath.get('binaire.html')).toMatchObject({ status: 'failed', reason: 'not_text' });
    expectMessages(['not_text']);
    for (const name of [...Object.keys(files), 'ascii.html']) expect(byPath.get(name)?.status, `${name} ${JSON.stringify(byPath.get(name))}`).toBe('imported');

    const expected: Record<string, string[]> = {
      'non-fermees.html': ['Titre', 'piège', 'suite', 'deux', 'cellule'],
      'orphelines.html': ['Texte', 'fin'],
      'sans-guillemets.html': ['sûr', 'texte', 'y', 'z'],
      'tableaux.html': ['Avant', 'Après'],
      'mutations.html': ['reste'],
      'ascii.html': [],
    };
    for (const [name, words] of Object.entries(expected)) {
      const line = byPath.get(name) as Loose;
      const { json, markdown } = await content(spaceId, line.documentId);
      for (const word of words) expect(markdown, `${name}: ${word}`).toContain(word);
      const stored = storedParts(json);
      expect([...stored.types].filter((type) => /script|style|frame|svg|math|object|embed/i.test(type)), name).toEqual([]);
      expect([...stored.attributes].filter((a) => /^on|^style$/i.test(a)), name).toEqual([]);
      for (const address of stored.urls) expect(address, name).toMatch(/^(https:\/\/|\/api\/images\/|\/espaces\/)/);

      const exported = await fetch(`${t.baseUrl}/api/documents/${line.documentId}/export?format=html`, { headers: { cookie: sessions.get(camille.id)?.cookie ?? '' } });
      expect(exported.status, name).toBe(200);
      const active = activeParts(await exported.text());
      expect(active.elements.filter((e) => ['script', 'iframe', 'frame', 'object', 'embed', 'svg', 'math', 'form', 'base', 'noscript'].includes(e)), name).toEqual([]);
      expect(active.handlers, name).toEqual([]);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: a browser ignores them in a scheme, so must the check
      for (const address of active.urls) expect(address.replace(/[\s\u0000-\u001f]/g, ''), name).not.toMatch(/^(javascript|vbscript|data):/i);
    }
    // The empty tables went (a table without a row has no place in the editor); the words around stayed.
    const tables = await content(spaceId, (byPath.get('tableaux.html') as Loose).documentId);
    expect(find(tables.json, 'table').every((table) => find(table, 'tableRow').length > 0)).toBe(true);
    // The safe link among the unquoted attributes survived, the others did not.
    const unquoted = await content(spaceId, (byPath.get('sans-guillemets.html') as Loose).documentId);
    expect(linksOf(unquoted.json)).toEqual(['https://www.service-public.fr/']);
  });

  it('a single HTML file of binary garbage is refused, nothing created', async () => {
    const spaceId = await space([[olivier, 'editor']]);
    const result = await importDone(olivier, spaceId, 'page.html', randomBytes(10_000));
    expect(result).toMatchObject({ status: 'failed', error: 'nothing_imported' });
    expect(result.report).toEqual([{ path: 'page.html', status: 'failed', reason: 'not_text' }]);
    expect(await documents(spaceId)).toEqual([]);
  });
});

describe('bad input: types not supported (yet)', () => {
  /** An OpenDocument text as LibreOffice lays it out: `mimetype` first and stored, then its XML. */
  const odt = () =>
    zipSync({
      mimetype: [utf8('application/vnd.oasis.opendocument.text'), { level: 0 }],
      'META-INF/manifest.xml': utf8('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>'),
      'content.xml': utf8(
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>Compte rendu</text:p></office:text></office:body></office:document-content>',
      ),
    });

  const problemOf = async (agent: Agent, spaceId: string, name: string, bytes: Uint8Array, language: string) => {
    const response = await fetch(`${t.baseUrl}/api/spaces/${spaceId}/imports?${new URLSearchParams({ name })}`, {
      method: 'POST',
      headers: { ...sessions.get(agent.id)?.headers, 'content-type': 'application/octet-stream', 'accept-language': language },
      body: new Uint8Array(bytes),
    });
    return { status: response.status, language: response.headers.get('content-language'), body: (await response.json()) as Loose };
  };

  it('an .odt upload is refused as not supported yet, in French and in English; nothing is imported', async () => {
    const spaceId = await space([[hugo, 'editor']]);
    const fr = await problemOf(hugo, spaceId, 'Compte rendu.odt', odt(), 'fr-FR');
    expect(fr.status).toBe(415);
    expect(fr.body.type).toBe('urn:entente:problem:import-type-not-yet-supported');
    expect(fr.language).toBe('fr-FR');
    expect(fr.body.title).toMatch(/pas encore/i);
    expect(fr.body.detail).toContain('.odt');
    expect(fr.body.detail).toContain('.docx');
    const en = await problemOf(hugo, spaceId, 'Compte rendu.ODT', odt(), 'en');
    expect(en.status).toBe(415);
    expect(en.body.type).toBe('urn:entente:problem:import-type-not-yet-supported');
    expect(en.language).toBe('en');
    expect(en.body.title).toMatch(/not .*yet/i);
    expect(en.body.detail).toContain('.odt');
    expect(await documents(spaceId)).toEqual([]);
    const rows = await t.entente.stores.cells.FR.db.selectFrom('document_imports').select('id').where('space_id', '=', spaceId).execute();
    expect(rows).toEqual([]);
  });

  it('an upload of another type is refused with the types that are accepted, in French and in English', async () => {
    const spaceId = await space([[hugo, 'editor']]);
    for (const [name, bytes] of [
      ['tableur.xlsx', utf8('PK')],
      ['photo.png', png(4, 4)],
      ['sans-extension', utf8('# Titre')],
    ] as const) {
      const fr = await problemOf(hugo, spaceId, name, bytes, 'fr-FR');
      expect(fr.status, name).toBe(415);
      expect(fr.body.type).toBe('urn:entente:problem:import-type-unsupported');
      expect(fr.body.detail).toBe('Seuls ces types de fichiers s’importent : .md, .markdown, .html, .htm, .docx, .zip.');
      const en = await problemOf(hugo, spaceId, name, bytes, 'en');
      expect(en.body.detail).toBe('Only these file types can be imported: .md, .markdown, .html, .htm, .docx, .zip.');
    }
    expect(await documents(spaceId)).toEqual([]);
  });

  it('in a zip: an .odt is a failed line saying ODT is not supported yet, other types are skipped, the rest goes in', async () => {
    const spaceId = await space([[hugo, 'editor']]);
    const result = await importDone(hugo, spaceId, 'dossier.zip', zipSync({ 'Compte rendu.odt': odt(), 'notes.txt': utf8('texte'), 'bon.md': utf8('# Bon') }));
    expect(result).toMatchObject({ status: 'done', imported: 1, failed: 1 });
    const byPath = new Map((result.report as Loose[]).map((r) => [r.path, r]));
    expect(byPath.get('Compte rendu.odt')).toEqual({ path: 'Compte rendu.odt', status: 'failed', reason: 'odt_not_supported_yet' });
    expect(byPath.get('notes.txt')).toEqual({ path: 'notes.txt', status: 'skipped', reason: 'unsupported_type' });
    expectMessages(['odt_not_supported_yet', 'unsupported_type']);
    expect(formatMessage('fr-FR', 'imports.reason.odt_not_supported_yet')).toMatch(/pas encore/);
    expect(formatMessage('en', 'imports.reason.odt_not_supported_yet')).toMatch(/not .*yet/);
    expect((await documents(spaceId)).map((d) => d.title)).toEqual(['bon']);
  });
});

describe('an import whose node died', () => {
  it('is rolled back when read after its heartbeat stopped: its documents go, it says interrupted', async () => {
    const spaceId = await space();
    const created = await json(camille, 'POST', `/api/spaces/${spaceId}/documents`, { title: 'À moitié importé' });
    const id = '019ac9f0-0000-7000-8000-00000000dead';
    await t.entente.stores.cells.FR.db
      .insertInto('document_imports' as never)
      .values({
        id,
        space_id: spaceId,
        created_by: camille.id,
        file_name: 'coupé.zip',
        status: 'creating',
        created_documents: JSON.stringify([created.body.id]),
        heartbeat_at: new Date(Date.now() - 20 * 60_000),
      } as never)
      .execute();
    const read = await json(camille, 'GET', `/api/imports/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ status: 'failed', error: 'interrupted' });
    expect(await documents(spaceId)).toEqual([]);
  });
});

describe('who may import', () => {
  it('editors and owners import; commenters and readers are refused, non-members get 404', async () => {
    const spaceId = await space([
      [hugo, 'reader'],
      [emilie, 'editor'],
      [olivier, 'commenter'],
    ]);
    expect((await upload(hugo, spaceId, 'a.md', utf8('a'))).status).toBe(403);
    expect((await upload(olivier, spaceId, 'a.md', utf8('a'))).status).toBe(403);
    expect((await upload(null, spaceId, 'a.md', utf8('a'))).status).toBe(401);
    const other = await space();
    expect((await upload(emilie, other, 'a.md', utf8('a'))).status).toBe(404);
    const started = await upload(emilie, spaceId, 'Émilie.md', utf8('# Bonjour'));
    expect(started.status).toBe(202);
    const done = await finished(emilie, started.body.id);
    expect(done.status).toBe('done');
    // Only the agent who started it follows it: the owner and the reader get 404.
    expect((await json(camille, 'GET', `/api/imports/${started.body.id}`)).status).toBe(404);
    expect((await json(hugo, 'GET', `/api/imports/${started.body.id}`)).status).toBe(404);
    // A withdrawn role: the import is no longer shown to its author.
    const members = await json(camille, 'PUT', `/api/spaces/${spaceId}/members/${emilie.id}`, { role: 'reader' });
    expect(members.status).toBe(200);
    expect((await json(emilie, 'GET', `/api/imports/${started.body.id}`)).status).toBe(404);
    expect((await upload(emilie, spaceId, 'b.md', utf8('b'))).status).toBe(403);
  });

  it('under a parent: refused when the agent cannot edit it or it is in the trash', async () => {
    const spaceId = await space([[emilie, 'editor']]);
    const parent = (await json(camille, 'POST', `/api/spaces/${spaceId}/documents`, { title: 'Restreint' })).body.id as string;
    const restricted = await json(camille, 'PUT', `/api/documents/${parent}/access`, { restricted: true, entries: [] });
    expect(restricted.status).toBe(200);
    expect((await upload(emilie, spaceId, 'a.md', utf8('a'), { parentId: parent })).status).toBe(404);
    // The owner's import under it is restricted like it.
    const done = await importDone(camille, spaceId, 'secret.md', utf8('secret'), { parentId: parent });
    const docs = await documents(spaceId);
    expect(docs.find((d) => d.id === done.report[0].documentId)?.restricted).toBe(true);
    expect((await documents(spaceId, emilie)).some((d) => d.title === 'secret')).toBe(false);
    await json(camille, 'POST', `/api/documents/${parent}/trash`);
    expect((await upload(camille, spaceId, 'a.md', utf8('a'), { parentId: parent })).status).toBe(409);
  });

  it('works with a personal access token: api:write imports, api:read follows but cannot import', async () => {
    const spaceId = await space();
    const token = async (scopes: string[]) => (await json(camille, 'POST', '/api/me/tokens', { label: `Import ${scopes.join(' ')}`, scopes, expiresInDays: 1 })).body.token as string;
    const write = await token(['api:write']);
    const read = await token(['api:read']);
    const started = await upload(null, spaceId, 'jeton.md', utf8('# Par jeton'), { token: write });
    expect(started.status).toBe(202);
    const done = await finished(camille, started.body.id, read);
    expect(done.status).toBe('done');
    expect((await upload(null, spaceId, 'refus.md', utf8('x'), { token: read })).status).toBe(403);
    const openapi = (await json(null, 'GET', '/api/openapi.json')).body;
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/api/spaces/{spaceId}/imports', '/api/imports/{importId}']));
  });

  it('records workspace.document.imported in the audit log, per document', async () => {
    const spaceId = await space();
    const done = await importDone(camille, spaceId, 'audit.zip', zipSync({ 'x.md': utf8('x'), 'y/z.md': utf8('z') }));
    const ids = (await documents(spaceId)).map((d) => d.id);
    expect(ids).toHaveLength(3);
    const events = await t.entente.stores.cells.FR.db
      .selectFrom('audit_events' as never)
      .select(['resource_id' as never, 'actor_id' as never])
      .where('action' as never, '=', 'workspace.document.imported' as never)
      .where('resource_id' as never, 'in', ids as never)
      .execute();
    expect(events).toHaveLength(3);
    expect(done.status).toBe('done');
  });
});
