import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { xmlProblems } from '../../../test/support/xml.ts';
import { RICH_DOCUMENT } from '../content/fixtures.ts';
import type { JSONContent } from '../content/ydoc-json.ts';
import { imageSize, jsonToOdt } from './odt.ts';

/** The OpenDocument writer: package structure, well-formed XML, every feature of the editor's schema kept. */

const png = await sharp({ create: { width: 640, height: 320, channels: 3, background: '#0063cb' } }).png().toBuffer();
const jpeg = await sharp({ create: { width: 33, height: 17, channels: 3, background: '#ffffff' } }).jpeg().toBuffer();
const webp = await sharp({ create: { width: 21, height: 9, channels: 3, background: '#ffffff' } }).webp().toBuffer();
const gif = await sharp({ create: { width: 5, height: 7, channels: 3, background: '#ffffff' } }).gif().toBuffer();

const text = (t: string, marks?: JSONContent['marks']): JSONContent => (marks ? { type: 'text', text: t, marks } : { type: 'text', text: t });
const p = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content });

/** Everything the editor makes, and the awkward cases: spans, nested lists, spaces, hostile text. */
const DOCUMENT: JSONContent = {
  type: 'doc',
  content: [
    ...(RICH_DOCUMENT.content ?? []),
    { type: 'heading', attrs: { level: 3 }, content: [text('Sous-titre <3> & « guillemets »')] },
    p(text('  deux espaces   trois\tune tabulation '), text('lien', [{ type: 'link', attrs: { href: 'https://www.numerique.gouv.fr/?a=1&b="2"' } }, { type: 'bold' }])),
    { type: 'image', attrs: { src: '/api/images/0198a000-0000-7000-8000-000000000001', alt: 'Carte « régions »', title: 'Légende' } },
    {
      type: 'bulletList',
      content: [
        {
          type: 'listItem',
          content: [
            p(text('un')),
            {
              type: 'bulletList',
              content: [{ type: 'listItem', content: [p(text('deux')), { type: 'orderedList', attrs: { start: 7 }, content: [{ type: 'listItem', content: [p(text('trois'))] }] }] }],
            },
          ],
        },
      ],
    },
    {
      type: 'table',
      content: [
        { type: 'tableRow', content: [{ type: 'tableHeader', attrs: { colspan: 2, rowspan: 1 }, content: [p(text('Large'))] }, { type: 'tableHeader', content: [p(text('C'))] }] },
        { type: 'tableRow', content: [{ type: 'tableCell', attrs: { colspan: 1, rowspan: 2 }, content: [p(text('Haut'))] }, { type: 'tableCell', content: [p(text('b2'))] }, { type: 'tableCell', content: [p(text('c2'))] }] },
        { type: 'tableRow', content: [{ type: 'tableCell', content: [p(text('b3'))] }, { type: 'tableCell', content: [p(text('c3'))] }] },
      ],
    },
    { type: 'callout', attrs: { tone: 'danger' }, content: [p(text('Ne pas diffuser.')), { type: 'bulletList', content: [{ type: 'listItem', content: [p(text('point'))] }] }] },
    { type: 'codeBlock', attrs: { language: null }, content: [text('if (a < b && c) {\n\treturn "x";\n    }')] },
    p(text('Caractères interdits en XML : \u0001\u0008\u000b fin \ud800 seul')),
    { type: 'futureNode', content: [text('texte d’un nœud inconnu')] },
    p(),
  ],
};

function odtParts(bytes: Uint8Array): Record<string, Uint8Array> {
  return unzipSync(bytes);
}

describe('ODT writer', () => {
  const odt = jsonToOdt(DOCUMENT, {
    title: 'Rapport « nuage » & co',
    language: 'fr-CA',
    created: new Date('2026-03-31T10:00:00Z'),
    modified: new Date('2026-04-01T12:30:00Z'),
    images: (src) => (src === '/api/images/0198a000-0000-7000-8000-000000000001' ? { bytes: png, contentType: 'image/png' } : null),
    link: (href) => (href.startsWith('/espaces/') ? '../Autre.odt' : href),
  });
  const parts = odtParts(odt);

  it('is a package ODF readers recognise: mimetype first, stored, at byte 30, then the manifest', () => {
    const buf = Buffer.from(odt);
    expect(buf.readUInt32LE(0)).toBe(0x04034b50);
    expect(buf.readUInt16LE(8)).toBe(0); // stored
    expect(buf.readUInt16LE(26)).toBe('mimetype'.length);
    expect(buf.readUInt16LE(28)).toBe(0); // no extra field
    expect(buf.toString('latin1', 30, 38)).toBe('mimetype');
    expect(buf.toString('latin1', 38, 38 + 39)).toBe('application/vnd.oasis.opendocument.text');
    expect(Object.keys(parts)).toEqual(['mimetype', 'META-INF/manifest.xml', 'content.xml', 'styles.xml', 'meta.xml', 'Pictures/1.png']);
    const manifest = strFromU8(parts['META-INF/manifest.xml'] as Uint8Array);
    for (const name of ['content.xml', 'styles.xml', 'meta.xml']) expect(manifest).toContain(`manifest:full-path="${name}"`);
    expect(manifest).toContain('manifest:full-path="Pictures/1.png" manifest:media-type="image/png"');
    expect(Buffer.from(parts['Pictures/1.png'] as Uint8Array).equals(png)).toBe(true);
  });

  it('writes well-formed XML with every prefix declared, whatever the text held', () => {
    for (const name of ['META-INF/manifest.xml', 'content.xml', 'styles.xml', 'meta.xml']) {
      expect(xmlProblems(strFromU8(parts[name] as Uint8Array)), name).toEqual([]);
    }
    const meta = strFromU8(parts['meta.xml'] as Uint8Array);
    expect(meta).toContain('<dc:title>Rapport « nuage » &amp; co</dc:title>');
    expect(meta).toContain('<dc:language>fr-CA</dc:language>');
    expect(meta).toContain('<meta:creation-date>2026-03-31T10:00:00Z</meta:creation-date>');
  });

  it('keeps headings, marks, links, lists, tables, code, quotes, callouts, images and rules', () => {
    const content = strFromU8(parts['content.xml'] as Uint8Array);
    const styles = strFromU8(parts['styles.xml'] as Uint8Array);
    // Named heading styles, used with their outline level.
    for (let level = 1; level <= 6; level++) expect(styles).toContain(`style:name="Heading_20_${level}" style:display-name="Heading ${level}"`);
    expect(content).toContain('<text:h text:style-name="Heading_20_1" text:outline-level="1">Groupe de travail « nuage »</text:h>');
    expect(content).toContain('<text:h text:style-name="Heading_20_3" text:outline-level="3">Sous-titre &lt;3&gt; &amp; « guillemets »</text:h>');
    // Marks: an automatic style per combination, bold+italic together.
    const styleOf = (word: string) => new RegExp(`<text:span text:style-name="(T\\d+)">${word}</text:span>`).exec(content)?.[1];
    const props = (name: string | undefined) => new RegExp(`style:name="${name}" style:family="text"><style:text-properties ([^/]*)/>`).exec(content)?.[1] ?? '';
    expect(props(styleOf('gras'))).toContain('fo:font-weight="bold"');
    expect(props(styleOf('italique'))).toContain('fo:font-style="italic"');
    expect(props(styleOf('barré'))).toContain('style:text-line-through-style="solid"');
    expect(props(styleOf('souligné'))).toContain('style:text-underline-style="solid"');
    expect(props(styleOf('code'))).toContain('Liberation Mono');
    expect(props(styleOf('gras et italique'))).toMatch(/font-weight="bold".*font-style="italic"|font-style="italic".*font-weight="bold"/);
    // Links, with & and quotes escaped, and rewritten when asked.
    expect(content).toContain('<text:a xlink:type="simple" xlink:href="https://www.quebec.ca/" text:style-name="Internet_20_link">un lien</text:a>');
    expect(content).toContain('xlink:href="https://www.numerique.gouv.fr/?a=1&amp;b=&quot;2&quot;"');
    expect(content).toContain('<text:line-break/>');
    // Spaces ODF would collapse are kept, tabs too.
    expect(content).toContain('<text:p text:style-name="Text_20_body"><text:s text:c="2"/>deux espaces <text:s text:c="2"/>trois<text:tab/>une tabulation <text:a');
    // Lists nested three deep, the ordered one starting at 7; task items with their box.
    expect(content).toMatch(/<text:list text:style-name="List_20_Bullet"><text:list-item><text:p[^>]*>un<\/text:p><text:list text:style-name="List_20_Bullet"><text:list-item><text:p[^>]*>deux<\/text:p><text:list text:style-name="Numbering_20_123"><text:list-item text:start-value="7">/);
    expect(content).toContain('☑ Fait');
    expect(content).toContain('☐ À faire');
    expect(content).toContain('text:start-value="3"');
    // Tables: header rows, spans with covered cells where they reach.
    expect(content).toContain('<table:table-header-rows>');
    expect(content).toContain('table:number-columns-spanned="2"');
    expect(content).toContain('table:number-rows-spanned="2"');
    const spanned = /<table:table table:name="Tableau2".*?<\/table:table>/s.exec(content)?.[0] ?? '';
    expect(spanned.match(/<table:covered-table-cell\/>/g)).toHaveLength(2);
    expect(spanned).toContain('table:number-columns-repeated="3"');
    // Code: one preformatted paragraph, line breaks, tabs and leading spaces kept, text escaped.
    expect(content).toContain('<text:p text:style-name="Preformatted_20_Text">if (a &lt; b &amp;&amp; c) {<text:line-break/><text:tab/>return "x";<text:line-break/><text:s text:c="4"/>}</text:p>');
    expect(content).toContain('text:style-name="Quotations">Une citation');
    // Callouts: their tone in words, then their blocks in the tone's style.
    expect(content).toContain('<text:p text:style-name="Callout_20_Danger_20_Label">Danger</text:p><text:p text:style-name="Callout_20_Danger">Ne pas diffuser.</text:p>');
    expect(content).toContain('<text:p text:style-name="Callout_20_Warning_20_Label">Attention</text:p>');
    expect(content).toContain('<text:p text:style-name="Horizontal_20_Line"/>');
    // The embedded image: its pixels at 96 dpi fit the 17 cm text width; alt text as title.
    expect(content).toMatch(/<draw:frame draw:style-name="Image" draw:name="Image1" text:anchor-type="as-char" svg:width="16\.933cm" svg:height="8\.467cm"/);
    expect(content).toContain('<draw:image xlink:href="Pictures/1.png"');
    expect(content).toContain('<svg:title>Carte « régions »</svg:title><svg:desc>Légende</svg:desc>');
    // An image from elsewhere is not fetched: a link with its description.
    expect(content).toContain('<text:a xlink:type="simple" xlink:href="https://example.org/carte.png">[Carte]</text:a>');
    // Unknown nodes keep their text; forbidden characters are gone.
    expect(content).toContain('texte d’un nœud inconnu');
    expect(content).toContain('Caractères interdits en XML : <text:s/>fin <text:s/>seul');
  });

  it('defines every style it uses', () => {
    const content = strFromU8(parts['content.xml'] as Uint8Array);
    const styles = strFromU8(parts['styles.xml'] as Uint8Array);
    const defined = new Set([...`${content}${styles}`.matchAll(/style:name="([^"]+)"/g)].map((m) => m[1]));
    const used = new Set([...content.matchAll(/(?:text|draw|table):style-name="([^"]+)"/g)].map((m) => m[1]));
    for (const name of used) expect(defined.has(name), name).toBe(true);
  });

  it('writes an empty document as one empty paragraph', () => {
    const parts = odtParts(jsonToOdt({ type: 'doc' }, { title: 'Vide' }));
    expect(strFromU8(parts['content.xml'] as Uint8Array)).toContain('<office:text><text:p text:style-name="Text_20_body"/></office:text>');
    expect(Object.keys(parts)).not.toContain('Pictures/1.png');
  });

  it('reads image sizes from PNG, JPEG, GIF and WebP headers, and nothing else', () => {
    expect(imageSize(png)).toEqual({ width: 640, height: 320 });
    expect(imageSize(jpeg)).toEqual({ width: 33, height: 17 });
    expect(imageSize(webp)).toEqual({ width: 21, height: 9 });
    expect(imageSize(gif)).toEqual({ width: 5, height: 7 });
    expect(imageSize(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(imageSize(Buffer.alloc(0))).toBeNull();
  });

  const soffice = (() => {
    for (const bin of ['soffice', 'libreoffice']) {
      try {
        execFileSync('which', [bin], { stdio: 'ignore' });
        return bin;
      } catch {}
    }
    return null;
  })();

  it.skipIf(!soffice)('converts to PDF with LibreOffice (when installed)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'odt-'));
    try {
      writeFileSync(path.join(dir, 'rapport.odt'), odt);
      execFileSync(soffice as string, ['--headless', '--convert-to', 'pdf', '--outdir', dir, path.join(dir, 'rapport.odt')], { timeout: 120_000, stdio: 'ignore' });
      expect(readFileSync(path.join(dir, 'rapport.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
