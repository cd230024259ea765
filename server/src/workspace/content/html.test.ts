import { type DefaultTreeAdapterMap, parseFragment } from 'parse5';
import { describe, expect, it } from 'vitest';
import { RICH_DOCUMENT } from './fixtures.ts';
import { documentToHtml, safeHref, safeImageSrc } from './html.ts';
import type { JSONContent } from './ydoc-json.ts';

type Node = DefaultTreeAdapterMap['childNode'];
type Element = DefaultTreeAdapterMap['element'];

const doc = (...content: JSONContent[]): JSONContent => ({ type: 'doc', content });
const paragraph = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content });
const text = (value: string, ...marks: NonNullable<JSONContent['marks']>): JSONContent => ({ type: 'text', text: value, ...(marks.length ? { marks } : {}) });
const link = (href: string) => ({ type: 'link', attrs: { href } });

/** Every element of the fragment as a browser parses it (parse5 is the HTML5 parsing algorithm). */
function elements(html: string): Element[] {
  const out: Element[] = [];
  const walk = (nodes: Node[]) => {
    for (const node of nodes) {
      if ('tagName' in node) {
        out.push(node);
        walk(node.childNodes);
      }
    }
  };
  walk(parseFragment(html).childNodes);
  return out;
}

const ALLOWED_TAGS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 's', 'u', 'code', 'a', 'br', 'ul', 'ol', 'li', 'span', 'blockquote', 'aside', 'pre', 'hr', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td']);
const ALLOWED_ATTRS = new Set(['href', 'rel', 'class', 'src', 'alt', 'title', 'start', 'colspan', 'rowspan', 'scope', 'data-checked']);

/** What a sanitiser would check: only known elements and attributes, no script URL anywhere. */
function expectSafe(html: string) {
  for (const el of elements(html)) {
    expect(ALLOWED_TAGS, `element <${el.tagName}>`).toContain(el.tagName);
    for (const a of el.attrs) {
      expect(ALLOWED_ATTRS, `attribute ${a.name} on <${el.tagName}>`).toContain(a.name);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: what a browser drops from a URL
      if (a.name === 'href' || a.name === 'src') expect(a.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase()).not.toMatch(/^(javascript|vbscript|data:text|file):?/);
    }
  }
}

describe('documentToHtml', () => {
  it('writes every node and mark of the editor schema', () => {
    const html = documentToHtml(RICH_DOCUMENT, { images: (src) => (src === 'https://example.org/carte.png' ? 'images/carte.png' : null) });
    expectSafe(html);
    expect(html).toContain('<h1>Groupe de travail « nuage »</h1>');
    expect(html).toContain(
      '<p>Texte <strong>gras</strong>, <em>italique</em>, <s>barré</s>, <code>code</code>, <u>souligné</u> et <a href="https://www.quebec.ca/" rel="noopener noreferrer">un lien</a>.<br>Ligne suivante, <strong><em>gras et italique</em></strong></p>',
    );
    expect(html).toContain('<ul>\n<li><p>Premier point</p></li>\n<li><p>Second point</p>\n<ol start="3">\n<li><p>Sous-point</p></li>\n</ol></li>\n</ul>');
    expect(html).toContain('<li class="task-item" data-checked="true"><span class="task-box">☑</span> <p>Fait</p></li>');
    expect(html).toContain('<li class="task-item" data-checked="false"><span class="task-box">☐</span> <p>À faire</p></li>');
    expect(html).toContain('<blockquote>\n<p>Une citation</p>\n</blockquote>');
    expect(html).toContain('<pre><code class="language-ts">const a = 1;\nconst b = `x`;</code></pre>');
    expect(html).toContain('<hr>');
    expect(html).toContain('<img src="images/carte.png" alt="Carte" title="La carte">');
    expect(html).toContain('<thead>\n<tr><th scope="col"><p>État</p></th><th scope="col"><p>Ville</p></th></tr>\n</thead>');
    expect(html).toContain('<tbody>\n<tr><td><p>France</p></td><td><p>Paris | Lyon</p></td></tr>\n</tbody>');
    expect(html).toContain('<aside class="callout callout-warning">\n<p class="callout-label"><strong>Attention</strong></p>\n<p>Attention à la résidence des données.</p>\n</aside>');
  });

  it('keeps one link across runs with different emphasis, and spans in tables', () => {
    const html = documentToHtml(
      doc(
        paragraph(text('un ', link('https://a.test/')), text('lien', link('https://a.test/'), { type: 'bold' }), text(' fin')),
        {
          type: 'table',
          content: [
            { type: 'tableRow', content: [{ type: 'tableCell', attrs: { colspan: 2, rowspan: 3 }, content: [paragraph(text('x'))] }] },
            { type: 'tableRow', content: [{ type: 'tableHeader', attrs: { colspan: '1e12' }, content: [paragraph(text('y'))] }] },
          ],
        },
      ),
    );
    expect(html).toContain('<a href="https://a.test/" rel="noopener noreferrer">un <strong>lien</strong></a> fin');
    expect(html).toContain('<td colspan="2" rowspan="3">');
    // A hostile span is bounded; a header cell in a body row is a row header.
    expect(html).toContain('<th scope="row" colspan="1000">');
    expectSafe(html);
  });

  it('maps links with the caller’s function and drops images the caller does not map', () => {
    const content = doc(paragraph(text('voir', link('/documents/abc'))), { type: 'image', attrs: { src: '/api/images/1', alt: 'Plan « B »' } });
    const html = documentToHtml(content, { link: (href) => (href === '/documents/abc' ? 'abc.html' : href) });
    expect(html).toContain('<a href="abc.html" rel="noopener noreferrer">voir</a>');
    expect(html).toContain('<span class="image-missing">[Plan « B »]</span>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('/api/images/1');
  });

  describe('hostile content', () => {
    it('writes <script> and markup typed as text as text', () => {
      const html = documentToHtml(
        doc(
          { type: 'heading', attrs: { level: 2 }, content: [text('<script>alert(1)</script>')] },
          paragraph(text('<img src=x onerror=alert(1)> & &amp; "quotes" \'single\'')),
          { type: 'codeBlock', attrs: { language: 'js"><script>alert(1)</script>' }, content: [text('</code></pre><script>alert(2)</script>')] },
        ),
      );
      expectSafe(html);
      expect(elements(html).map((e) => e.tagName)).toEqual(['h2', 'p', 'pre', 'code']);
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &amp;amp;');
      // The language keeps only the characters of a language name.
      expect(html).toContain('<code class="language-jsscriptalert1script">');
    });

    it.each([
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'java\nscript:alert(1)',
      '\u0001javascript:alert(1)',
      'vbscript:msgbox(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      ':alert(1)',
    ])('refuses the link target %j and keeps its text', (href) => {
      const html = documentToHtml(doc(paragraph(text('cliquez', link(href)))));
      expectSafe(html);
      expect(html).toBe('<p><span class="link-removed">cliquez</span></p>');
      expect(safeHref(href)).toBeNull();
    });

    it('refuses a hostile target returned by the caller’s link function', () => {
      const html = documentToHtml(doc(paragraph(text('x', link('https://ok.test/')))), { link: () => 'javascript:alert(1)' });
      expect(html).toBe('<p><span class="link-removed">x</span></p>');
    });

    it('keeps http, https, mailto and relative targets', () => {
      for (const href of ['https://a.test/?q=1&r=2', 'http://a.test', 'mailto:a@b.test', '/documents/x', 'page.html#s', '#top', '?q=a:b']) {
        expect(safeHref(href)).toBe(href);
      }
      expect(documentToHtml(doc(paragraph(text('q', link('https://a.test/?q=1&r=2"x')))))).toContain('href="https://a.test/?q=1&amp;r=2&quot;x"');
    });

    it('escapes attribute injection in image descriptions, titles and mapped sources', () => {
      const html = documentToHtml(doc({ type: 'image', attrs: { src: 'a', alt: '" onerror="alert(1)', title: "' onload='alert(2)" } }), { images: () => 'img/a.png" onerror="x' });
      expectSafe(html);
      const [p, img] = elements(html);
      expect(p?.tagName).toBe('p');
      expect(img?.attrs).toEqual([
        { name: 'src', value: 'img/a.png" onerror="x' },
        { name: 'alt', value: '" onerror="alert(1)' },
        { name: 'title', value: "' onload='alert(2)" },
      ]);
    });

    it('shows an image only from a raster data: URI, http(s) or a relative path', () => {
      expect(safeImageSrc('data:image/png;base64,iVBORw0KGgo=')).toBe('data:image/png;base64,iVBORw0KGgo=');
      expect(safeImageSrc('data:image/svg+xml;base64,PHN2Zz4=')).toBeNull();
      expect(safeImageSrc('data:text/html;base64,PHNjcmlwdD4=')).toBeNull();
      expect(safeImageSrc('javascript:alert(1)')).toBeNull();
      expect(safeImageSrc('mailto:a@b.test')).toBeNull();
      const html = documentToHtml(doc({ type: 'image', attrs: { src: 'a', alt: 'A' } }), { images: () => 'javascript:alert(1)' });
      expect(html).toBe('<p class="image"><span class="image-missing">[A]</span></p>');
    });

    it('removes control characters and lone surrogates, and survives malformed nodes', () => {
      const html = documentToHtml(
        doc(
          paragraph(text('a\u0000b\u0007c\ud800d')),
          { type: 'heading', attrs: { level: '9"><script>' }, content: [text('t')] },
          { type: 'orderedList', attrs: { start: '"><script>' }, content: [{ type: 'listItem', content: [paragraph(text('i'))] }] },
          { type: 'callout', attrs: { tone: '"><script>' }, content: [paragraph(text('c'))] },
          { type: 'mystery', content: [text('kept')] },
          { type: 'taskItem', content: [paragraph(text('orphan'))] },
        ),
      );
      expectSafe(html);
      expect(html).toContain('<p>abcd</p>');
      expect(html).toContain('<h1>t</h1>');
      expect(html).toContain('<ol>');
      expect(html).toContain('<aside class="callout callout-info">');
      expect(html).toContain('<p>kept</p>');
      expect(html).toContain('<p>orphan</p>');
    });
  });
});
