import { getSchema, Node as TiptapNode } from '@tiptap/core';
import Image from '@tiptap/extension-image';
import { TaskItem, TaskList } from '@tiptap/extension-list';
import { Table, TableCell, TableHeader, TableRow } from '@tiptap/extension-table';
import { Node } from '@tiptap/pm/model';
import StarterKit from '@tiptap/starter-kit';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { ContentImportError, htmlToJson, safeHref } from './html-import.ts';
import { jsonToMarkdown } from './markdown.ts';
import { RICH_DOCUMENT } from './fixtures.ts';
import type { JSONContent } from './ydoc-json.ts';

/*
 * The importer's allow-list against the editor's real schema (Tiptap 3, as ydoc-json.test.ts):
 * whatever HTML comes in, what comes out is a valid document of that schema — and nothing that
 * could run in a reader's browser.
 */
const Callout = TiptapNode.create({ name: 'callout', group: 'block', content: 'block+', addAttributes: () => ({ tone: { default: 'info' } }) });
const schema = getSchema([StarterKit, TaskList, TaskItem.configure({ nested: true }), Table, TableRow, TableHeader, TableCell, Image, Callout]);

function valid(json: JSONContent): Node {
  const node = Node.fromJSON(schema, json);
  node.check();
  return node;
}

const markdown = new MarkdownIt({ html: false, linkify: true });
const imageOk = (src: string) => (src.startsWith('data:image/png') ? { src: '/api/images/00000000-0000-7000-8000-000000000001' } : { dropped: 'remote_image' as const });

describe('HTML → ProseMirror JSON by allow-list', () => {
  it('keeps headings, marks, links, lists, tables, code, quotes and images, as a valid document', () => {
    const html = `<h1>Titre <em>un</em></h1><p>Du <strong>gras</strong>, de l’<i>italique</i>, <s>barré</s>, <u>souligné</u>, <code>code</code> et
      <a href="https://www.quebec.ca/">un lien</a>.<br>Suite</p>
      <ul><li>Un<ul><li>Sous-point</li></ul></li><li><p>Deux</p></li></ul>
      <ol start="3"><li>Trois</li></ol>
      <blockquote><p>Citation</p></blockquote>
      <pre><code class="language-ts">const a = 1;\nconst b = 2;\n</code></pre><hr>
      <table><thead><tr><th>État</th><th>Ville</th></tr></thead><tbody><tr><td>France</td><td colspan="2">Paris</td></tr></tbody></table>
      <p>Avant <img src="data:image/png;base64,AAAA" alt="Carte"> après</p>`;
    const { json, dropped } = htmlToJson(html, { image: imageOk });
    valid(json);
    expect(dropped).toEqual({});
    const types = (json.content ?? []).map((n) => n.type);
    expect(types).toEqual(['heading', 'paragraph', 'bulletList', 'orderedList', 'blockquote', 'codeBlock', 'horizontalRule', 'table', 'paragraph', 'image', 'paragraph']);
    expect(json.content?.[0]).toEqual({ type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Titre ' }, { type: 'text', text: 'un', marks: [{ type: 'italic' }] }] });
    const paragraph = json.content?.[1]?.content ?? [];
    expect(paragraph.find((n) => n.text === 'un lien')?.marks).toEqual([{ type: 'link', attrs: { href: 'https://www.quebec.ca/' } }]);
    expect(paragraph.some((n) => n.type === 'hardBreak')).toBe(true);
    expect(json.content?.[3]?.attrs).toEqual({ start: 3 });
    expect(json.content?.[5]).toEqual({ type: 'codeBlock', attrs: { language: 'ts' }, content: [{ type: 'text', text: 'const a = 1;\nconst b = 2;' }] });
    expect(json.content?.[7]?.content?.[0]?.content?.[0]?.type).toBe('tableHeader');
    expect(json.content?.[7]?.content?.[1]?.content?.[1]?.attrs).toEqual({ colspan: 2, rowspan: 1 });
    expect(json.content?.[9]).toEqual({ type: 'image', attrs: { src: '/api/images/00000000-0000-7000-8000-000000000001', alt: 'Carte' } });
  });

  it('reads back our own Markdown export: task lists, callouts and every node of the editor', () => {
    // Our export, plus an ordered sub-list CommonMark reads as one (a list starting at 3 cannot
    // interrupt a paragraph: the export's form stays text there).
    const md = `${jsonToMarkdown(RICH_DOCUMENT)}\n1. Premier\n2. Second\n`;
    const { json } = htmlToJson(markdown.render(md), { image: () => ({ src: '/api/images/x' }) });
    valid(json);
    const types = new Set<string>();
    const walk = (n: JSONContent) => {
      if (n.type) types.add(n.type);
      for (const c of n.content ?? []) walk(c);
      for (const m of n.marks ?? []) types.add(`mark:${m.type}`);
    };
    walk(json);
    for (const type of ['heading', 'bulletList', 'orderedList', 'taskList', 'taskItem', 'blockquote', 'codeBlock', 'horizontalRule', 'table', 'tableHeader', 'callout', 'image', 'hardBreak']) {
      expect(types, type).toContain(type);
    }
    for (const mark of ['bold', 'italic', 'strike', 'code', 'link']) expect(types).toContain(`mark:${mark}`);
    const tasks = json.content?.find((n) => n.type === 'taskList');
    expect(tasks?.content?.map((i) => i.attrs?.checked)).toEqual([true, false]);
    expect(tasks?.content?.[0]?.content?.[0]?.content?.[0]?.text).toBe('Fait');
    const callout = json.content?.find((n) => n.type === 'callout');
    expect(callout?.attrs).toEqual({ tone: 'warning' });
    expect(callout?.content?.[0]?.content?.[0]?.text).toBe('Attention à la résidence des données.');
  });

  // The XSS corpus: each is imported, the result must be a valid document with no trace of the attack.
  const corpus: [string, string][] = [
    ['script', '<p>a</p><script>alert(1)</script><p>b</p>'],
    ['onerror', '<img src=x onerror="alert(1)">'],
    ['onerror on data image', '<img src="data:image/png;base64,AAAA" onerror="alert(1)" onload="alert(2)">'],
    ['javascript link', '<a href="javascript:alert(1)">x</a>'],
    ['mixed case', '<a href="JaVaScRiPt:alert(1)">x</a>'],
    ['entities', '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>'],
    ['hex entities', '<a href="&#x6A;avascript&#x3A;alert(1)">x</a>'],
    ['named entities', '<a href="javascript&colon;alert(1)">x</a>'],
    ['spaces and tab', '<a href="  java\tscript:alert(1)">x</a>'],
    ['newline', '<a href="java\nscript:alert(1)">x</a>'],
    ['vbscript', '<a href="vbscript:msgbox(1)">x</a>'],
    ['data html link', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'],
    ['data html image', '<img src="data:text/html,<script>alert(1)</script>">'],
    ['svg onload', '<svg onload="alert(1)"><script>alert(2)</script></svg>'],
    ['svg image', '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">'],
    ['iframe', '<iframe src="https://evil.example/"></iframe><iframe srcdoc="<script>alert(1)</script>"></iframe>'],
    ['style', '<style>body{background:url(javascript:alert(1))}</style><p style="background:url(javascript:alert(1))">x</p>'],
    ['object embed', '<object data="x.swf"></object><embed src="x.swf">'],
    ['form', '<form action="javascript:alert(1)"><input name=a onfocus=alert(1) autofocus><button formaction="javascript:alert(1)">go</button></form>'],
    ['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><p>x</p>'],
    ['base', '<base href="javascript:alert(1)//"><a href="x">x</a>'],
    ['event on anything', '<p onclick="alert(1)" onmouseover="alert(2)"><b onmouseover=alert(3)>x</b></p>'],
    ['template', '<template><script>alert(1)</script></template>'],
    ['noscript', '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'],
    ['math', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>'],
    ['remote image', '<img src="https://evil.example/track.png">'],
    ['protocol-relative image', '<img src="//evil.example/track.png">'],
    ['comment', '<!-- <script>alert(1)</script> --><p>x</p>'],
    ['attribute breakout', '<a href="https://ok.example/" title="&quot;><script>alert(1)</script>">x</a>'],
    ['nested quotes', '<p>"><script>alert(1)</script></p>'],
  ];
  const DANGEROUS = /javascript:|vbscript:|data:text|onerror|onload|onclick|onmouseover|onfocus|srcdoc|<script|evil\.example|svg\+xml|<iframe/i;

  it.each(corpus)('sanitises %s', (_name, html) => {
    const { json } = htmlToJson(html, { image: imageOk, link: () => null });
    valid(json);
    const stored = JSON.stringify(json);
    // Text may say "<script>" (it is text, escaped wherever shown) only where the input had it as text.
    const attrs = JSON.stringify(collectAttrs(json));
    expect(attrs).not.toMatch(DANGEROUS);
    expect(stored).not.toMatch(/javascript:|vbscript:|onerror=|onload=|data:text/i);
  });

  it('reports what it drops, by kind', () => {
    const { dropped } = htmlToJson(corpus.map(([, html]) => html).join(''), { image: imageOk, link: () => null });
    expect(dropped.script).toBeGreaterThanOrEqual(3);
    expect(dropped.unsafe_link).toBeGreaterThanOrEqual(9);
    expect(dropped.remote_image).toBeGreaterThanOrEqual(3);
    expect(dropped.frame).toBeGreaterThanOrEqual(3);
    expect(dropped.form).toBeGreaterThanOrEqual(1);
    expect(dropped.meta).toBe(2); // the refresh and the base
    expect(dropped.style).toBeGreaterThanOrEqual(1);
  });

  it('keeps http, https and mailto links; maps relative ones through the caller', () => {
    expect(safeHref('https://example.org/a?b#c')).toBe('https://example.org/a?b#c');
    expect(safeHref('MAILTO:agent@example.org')).toBe('MAILTO:agent@example.org');
    expect(safeHref('ftp://example.org/')).toBeNull();
    const { json, dropped } = htmlToJson('<p><a href="autre.md">interne</a> <a href="ailleurs.md">perdu</a> <a href="#ancre">ancre</a></p>', {
      link: (href) => (href === 'autre.md' ? '/espaces/s/documents/d' : null),
    });
    const texts = json.content?.[0]?.content ?? [];
    expect(texts.find((n) => n.text === 'interne')?.marks).toEqual([{ type: 'link', attrs: { href: '/espaces/s/documents/d' } }]);
    expect(texts.find((n) => n.text === 'perdu')?.marks).toBeUndefined();
    expect(dropped.unresolved_link).toBe(1);
  });

  it('refuses deep nesting, too many nodes and too much text as a whole, without crashing', () => {
    const deep = `${'<div>'.repeat(5000)}x${'</div>'.repeat(5000)}`;
    expect(() => htmlToJson(deep)).toThrow(ContentImportError);
    expect(() => htmlToJson(`${'<ul><li>'.repeat(200)}x`)).toThrow(expect.objectContaining({ reason: 'too_deep' }));
    expect(() => htmlToJson('<p>x</p>'.repeat(60_000))).toThrow(expect.objectContaining({ reason: 'too_many_nodes' }));
    expect(() => htmlToJson(`<p>${'a'.repeat(3_000_000)}</p>`)).toThrow(expect.objectContaining({ reason: 'text_too_long' }));
  });

  it('makes a valid document of malformed HTML', () => {
    const samples = [
      '<p><div>bloc dans un paragraphe</div></p>',
      '<table><td>cellule sans ligne<tr><th>',
      '<ul>texte nu<li>item</ul><li>orphelin',
      '<h2><p>paragraphe dans un titre</p><img src="data:image/png;base64,AA"></h2>',
      '<b><i>mal</b> fermé</i>',
      '<pre><b>gras</b> dans du code<br>ligne</pre>',
      '<li><ul></ul></li><ol start="-5"><li>x</li></ol><ol start="abc"><li>y</li></ol>',
      '',
      '<code><b>code gras</b></code><a href="https://a.example"><code>lien code</code></a>',
      '<table></table><blockquote></blockquote><ul></ul>',
    ];
    for (const html of samples) valid(htmlToJson(html, { image: imageOk }).json);
  });
});

function collectAttrs(node: JSONContent, out: unknown[] = []): unknown[] {
  if (node.attrs) out.push(node.attrs);
  for (const mark of node.marks ?? []) if (mark.attrs) out.push(mark.attrs);
  for (const child of node.content ?? []) collectAttrs(child, out);
  return out;
}
