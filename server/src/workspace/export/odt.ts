import { strToU8, zipSync } from 'fflate';
import { attr, sortedMarks } from '../content/inline.ts';
import type { JSONContent } from '../content/ydoc-json.ts';
import { limitContentDepth } from '../../../../common/src/content-depth.ts';

/**
 * ProseMirror JSON (the editor's schema, Tiptap 3 names) → an OpenDocument text (ODF 1.3, `.odt`)
 * that LibreOffice, Word and every ODF reader open: the government-standard editable format of
 * both states (RGI in France; open formats in Québec's guidelines).
 *
 * Package (ODF 1.3 part 2): `mimetype` first, stored (uncompressed, no extra field), then
 * `META-INF/manifest.xml`, `content.xml`, `styles.xml` (named styles: « Heading 1 » to « Heading
 * 6 », « Text body », « Quotations », « Preformatted Text », lists, callouts…), `meta.xml` and the
 * images in `Pictures/`. Kept: headings, paragraphs, bold, italic, underline, strike, inline code,
 * links, hard breaks, bullet, ordered (with their start) and task lists nested to any depth,
 * tables (header rows, column and row spans), code blocks (spaces and tabs kept), blockquotes,
 * callouts (a bordered paragraph style per tone, its name in the first line), images (embedded,
 * sized from their pixels at 96 dpi, at most the text width), horizontal rules.
 *
 * Images are given by the caller (`images(src)`), already read: the writer does no I/O. An image
 * that is not given (an outside address, one not in the export) becomes a link with its
 * description — never a reference that a reader would fetch from the network.
 */
export interface OdtImage {
  bytes: Uint8Array;
  contentType: string;
}

export interface OdtOptions {
  title: string;
  /** BCP 47, e.g. `fr-FR`, `fr-CA`; default fr-FR. */
  language?: string;
  created?: Date;
  modified?: Date;
  images?: (src: string) => OdtImage | null;
  /** Rewrites link targets (e.g. a document of the same archive → its relative path). */
  link?: (href: string) => string;
}

const NS = {
  office: 'urn:oasis:names:tc:opendocument:xmlns:office:1.0',
  style: 'urn:oasis:names:tc:opendocument:xmlns:style:1.0',
  text: 'urn:oasis:names:tc:opendocument:xmlns:text:1.0',
  table: 'urn:oasis:names:tc:opendocument:xmlns:table:1.0',
  draw: 'urn:oasis:names:tc:opendocument:xmlns:drawing:1.0',
  fo: 'urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0',
  xlink: 'http://www.w3.org/1999/xlink',
  dc: 'http://purl.org/dc/elements/1.1/',
  meta: 'urn:oasis:names:tc:opendocument:xmlns:meta:1.0',
  svg: 'urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0',
} as const;

const ODT_MIME = 'application/vnd.oasis.opendocument.text';
/** A4 minus 2 cm margins. */
const TEXT_WIDTH_CM = 17;
const CALLOUT_LABEL: Record<string, string> = { info: 'Information', warning: 'Attention', success: 'Réussite', danger: 'Danger' };
const IMAGE_EXTENSION: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp' };

// biome-ignore lint/suspicious/noControlCharactersInRegex: characters XML 1.0 forbids are what is removed
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function xmlText(value: string): string {
  return value.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function xmlAttr(value: string): string {
  return xmlText(value).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

const nsDecls = (...names: (keyof typeof NS)[]) => names.map((n) => `xmlns:${n}="${NS[n]}"`).join(' ');

interface Picture {
  path: string;
  contentType: string;
  bytes: Uint8Array;
}

/** The state of one document being written: automatic styles handed out, pictures embedded. */
class Writer {
  readonly options: OdtOptions;
  readonly textStyles = new Map<string, string>();
  readonly pictures = new Map<string, Picture>();
  tables = 0;
  frames = 0;

  constructor(options: OdtOptions) {
    this.options = options;
  }

  /** The automatic text style for a set of marks (`T1`, `T2`…), or null for plain text. */
  textStyle(marks: string[]): string | null {
    const key = [...new Set(marks)].sort().join('+');
    if (key === '') return null;
    let name = this.textStyles.get(key);
    if (!name) {
      name = `T${this.textStyles.size + 1}`;
      this.textStyles.set(key, name);
    }
    return name;
  }

  picture(src: string): (Picture & { width: number; height: number }) | null {
    const image = this.options.images?.(src);
    if (!image) return null;
    const size = imageSize(image.bytes);
    if (!size) return null;
    let picture = this.pictures.get(src);
    if (!picture) {
      const ext = IMAGE_EXTENSION[image.contentType] ?? 'bin';
      picture = { path: `Pictures/${this.pictures.size + 1}.${ext}`, contentType: image.contentType, bytes: image.bytes };
      this.pictures.set(src, picture);
    }
    return { ...picture, ...size };
  }
}

interface BlockContext {
  /** The paragraph style for plain paragraphs here (body, table cell, quotation, callout…). */
  paragraphStyle: string;
}

const BODY: BlockContext = { paragraphStyle: 'Text_20_body' };

export function jsonToOdt(json: JSONContent, options: OdtOptions): Uint8Array {
  const writer = new Writer(options);
  // Depth bounded first: the writer recurses once per level (common/src/content-depth.ts).
  const body = blocks(limitContentDepth(json).content ?? [], BODY, writer) || `<text:p text:style-name="Text_20_body"/>`;
  const content = contentXml(body, writer);
  const files: Record<string, Uint8Array | [Uint8Array, { level: 0 | 6 }]> = {
    // First and stored: the ODF signature readers look for at byte 30 and 38.
    mimetype: [strToU8(ODT_MIME), { level: 0 }],
    'META-INF/manifest.xml': strToU8(manifestXml(writer)),
    'content.xml': strToU8(content),
    'styles.xml': strToU8(stylesXml(options.language ?? 'fr-FR')),
    'meta.xml': strToU8(metaXml(options)),
  };
  for (const picture of writer.pictures.values()) files[picture.path] = [picture.bytes, { level: 0 }];
  const mtime = options.modified ?? options.created ?? new Date();
  return zipSync(files, { level: 6, mtime });
}

// ── blocks ───────────────────────────────────────────────────────────────────────────────────

function blocks(nodes: JSONContent[], ctx: BlockContext, w: Writer): string {
  return nodes.map((node) => block(node, ctx, w)).join('');
}

function block(node: JSONContent, ctx: BlockContext, w: Writer): string {
  const content = node.content ?? [];
  switch (node.type) {
    case 'paragraph':
      return paragraph(ctx.paragraphStyle, content, w);
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(attr(node, 'level', 1)) || 1));
      return `<text:h text:style-name="Heading_20_${level}" text:outline-level="${level}">${inline(content, w)}</text:h>`;
    }
    case 'bulletList':
      return list('List_20_Bullet', content, ctx, w);
    case 'orderedList':
      return list('Numbering_20_123', content, ctx, w, Math.max(1, Number(attr(node, 'start', 1)) || 1));
    case 'taskList':
      return list('Task_20_List', content, ctx, w);
    case 'blockquote':
      return blocks(content, { paragraphStyle: 'Quotations' }, w);
    case 'callout': {
      const tone = ['info', 'warning', 'success', 'danger'].includes(String(attr(node, 'tone', 'info'))) ? String(attr(node, 'tone', 'info')) : 'info';
      const style = `Callout_20_${tone[0]?.toUpperCase()}${tone.slice(1)}`;
      // The tone in words, not only in colour (as in the editor).
      const label = `<text:p text:style-name="${style}_20_Label">${xmlText(CALLOUT_LABEL[tone] ?? tone)}</text:p>`;
      return label + blocks(content, { paragraphStyle: style }, w);
    }
    case 'codeBlock':
      return `<text:p text:style-name="Preformatted_20_Text">${preformatted(content.map((c) => c.text ?? '').join(''))}</text:p>`;
    case 'horizontalRule':
      return '<text:p text:style-name="Horizontal_20_Line"/>';
    case 'image':
      return `<text:p text:style-name="${ctx.paragraphStyle}">${image(node, w)}</text:p>`;
    case 'table':
      return table(node, w);
    case 'hardBreak':
      return '';
    default:
      // A node this writer does not know (a future one): its text rather than nothing.
      if (content.some((c) => c.type === 'text' || c.type === 'hardBreak' || c.type === 'image')) return paragraph(ctx.paragraphStyle, content, w);
      return blocks(content, ctx, w);
  }
}

function paragraph(style: string, content: JSONContent[], w: Writer): string {
  const inner = inline(content, w);
  return inner === '' ? `<text:p text:style-name="${style}"/>` : `<text:p text:style-name="${style}">${inner}</text:p>`;
}

function list(style: string, items: JSONContent[], ctx: BlockContext, w: Writer, start = 1): string {
  const body = items
    .map((item, i) => {
      let content = item.content ?? [];
      if (item.type === 'taskItem') {
        // ODF lists have no check boxes: the box is a character at the start of the item's text.
        const box = attr(item, 'checked', false) ? '☑ ' : '☐ ';
        const [first, ...rest] = content;
        content =
          first?.type === 'paragraph'
            ? [{ ...first, content: [{ type: 'text', text: box }, ...(first.content ?? [])] }, ...rest]
            : [{ type: 'paragraph', content: [{ type: 'text', text: box }] }, ...content];
      }
      const startValue = i === 0 && start !== 1 ? ` text:start-value="${start}"` : '';
      const inner = blocks(content, { paragraphStyle: ctx.paragraphStyle === 'Text_20_body' ? 'List_20_Contents' : ctx.paragraphStyle }, w);
      return `<text:list-item${startValue}>${inner || '<text:p text:style-name="List_20_Contents"/>'}</text:list-item>`;
    })
    .join('');
  return `<text:list text:style-name="${style}">${body}</text:list>`;
}

function table(node: JSONContent, w: Writer): string {
  const rows = (node.content ?? []).filter((r) => r.type === 'tableRow');
  if (rows.length === 0) return '';
  w.tables += 1;
  const name = `Tableau${w.tables}`;
  // Lay the cells out on a grid: row spans from above cover cells of the rows below, which ODF
  // writes as <table:covered-table-cell/> at their place.
  const covered = new Map<number, Set<number>>();
  const cover = (r: number, c: number) => {
    const set = covered.get(r) ?? new Set<number>();
    covered.set(r, set);
    set.add(c);
  };
  const laidOut = rows.map((row, r) => {
    const out: string[] = [];
    let col = 0;
    const skipCovered = () => {
      while (covered.get(r)?.has(col)) {
        out.push('<table:covered-table-cell/>');
        col += 1;
      }
    };
    for (const cell of row.content ?? []) {
      skipCovered();
      const colspan = Math.min(1000, Math.max(1, Number(attr(cell, 'colspan', 1)) || 1));
      const rowspan = Math.min(1000, Math.max(1, Number(attr(cell, 'rowspan', 1)) || 1));
      const header = cell.type === 'tableHeader';
      const spans = `${colspan > 1 ? ` table:number-columns-spanned="${colspan}"` : ''}${rowspan > 1 ? ` table:number-rows-spanned="${rowspan}"` : ''}`;
      const inner = blocks(cell.content ?? [], { paragraphStyle: header ? 'Table_20_Heading' : 'Table_20_Contents' }, w);
      out.push(
        `<table:table-cell table:style-name="${name}.Cell" office:value-type="string"${spans}>${inner || `<text:p text:style-name="${header ? 'Table_20_Heading' : 'Table_20_Contents'}"/>`}</table:table-cell>`,
      );
      for (let dc = 1; dc < colspan; dc++) out.push('<table:covered-table-cell/>');
      for (let dr = 1; dr < rowspan; dr++) for (let dc = 0; dc < colspan; dc++) cover(r + dr, col + dc);
      col += colspan;
    }
    skipCovered();
    return { out, width: col, header: (row.content ?? []).length > 0 && (row.content ?? []).every((c) => c.type === 'tableHeader') };
  });
  const width = Math.max(1, ...laidOut.map((r) => r.width));
  const rowXml = (r: (typeof laidOut)[number]) => {
    const pad = Array.from({ length: width - r.width }, () => `<table:table-cell table:style-name="${name}.Cell" office:value-type="string"><text:p text:style-name="Table_20_Contents"/></table:table-cell>`);
    return `<table:table-row>${r.out.join('')}${pad.join('')}</table:table-row>`;
  };
  // Leading rows made only of header cells repeat on each page.
  let headerRows = 0;
  while (headerRows < laidOut.length && laidOut[headerRows]?.header) headerRows++;
  const head = headerRows > 0 ? `<table:table-header-rows>${laidOut.slice(0, headerRows).map(rowXml).join('')}</table:table-header-rows>` : '';
  const rest = laidOut.slice(headerRows).map(rowXml).join('');
  return `<table:table table:name="${name}" table:style-name="${name}"><table:table-column table:style-name="${name}.Column" table:number-columns-repeated="${width}"/>${head}${rest}</table:table>`;
}

function image(node: JSONContent, w: Writer): string {
  const src = String(attr(node, 'src', ''));
  const alt = String(attr(node, 'alt', '') ?? '');
  const title = attr<string | null>(node, 'title', null);
  const picture = w.picture(src);
  if (!picture) {
    const label = alt || title || src;
    return src ? `<text:a xlink:type="simple" xlink:href="${xmlAttr(linkTarget(src, w))}">${xmlText(`[${label}]`)}</text:a>` : xmlText(alt ? `[${alt}]` : '');
  }
  w.frames += 1;
  // 96 dpi, at most the text width, proportions kept.
  let widthCm = (picture.width / 96) * 2.54;
  let heightCm = (picture.height / 96) * 2.54;
  if (widthCm > TEXT_WIDTH_CM) {
    heightCm *= TEXT_WIDTH_CM / widthCm;
    widthCm = TEXT_WIDTH_CM;
  }
  const description = alt ? `<svg:title>${xmlText(alt)}</svg:title>` : '';
  const longDescription = title ? `<svg:desc>${xmlText(title)}</svg:desc>` : '';
  return (
    `<draw:frame draw:style-name="Image" draw:name="Image${w.frames}" text:anchor-type="as-char" svg:width="${widthCm.toFixed(3)}cm" svg:height="${heightCm.toFixed(3)}cm" draw:z-index="0">` +
    `<draw:image xlink:href="${picture.path}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad" draw:mime-type="${picture.contentType}"/>` +
    `${description}${longDescription}</draw:frame>`
  );
}

function linkTarget(href: string, w: Writer): string {
  return w.options.link ? w.options.link(href) : href;
}

// ── inline ───────────────────────────────────────────────────────────────────────────────────

/**
 * Text runs with their marks. A link wraps the adjacent runs that share it; the other marks make
 * an automatic text style per combination. White space is written so that ODF keeps it: ODF
 * collapses runs of spaces like HTML, so every space after a space (or at the start) is `<text:s/>`.
 */
function inline(nodes: JSONContent[], w: Writer): string {
  let out = '';
  let linkOpen: string | null = null;
  const space = { last: true };
  const closeLink = () => {
    if (linkOpen !== null) out += '</text:a>';
    linkOpen = null;
  };
  for (const node of nodes) {
    const marks = sortedMarks(node.marks);
    const link = node.type === 'text' ? marks.find((m) => m.type === 'link') : undefined;
    const href = link ? String(link.attrs?.href ?? '') : null;
    if (href !== linkOpen) {
      closeLink();
      if (href !== null) {
        out += `<text:a xlink:type="simple" xlink:href="${xmlAttr(linkTarget(href, w))}" text:style-name="Internet_20_link">`;
        linkOpen = href;
      }
    }
    if (node.type === 'hardBreak') {
      out += '<text:line-break/>';
      space.last = true;
      continue;
    }
    if (node.type === 'image') {
      closeLink();
      out += image(node, w);
      space.last = false;
      continue;
    }
    if (node.type !== 'text' || !node.text) continue;
    const style = w.textStyle(marks.filter((m) => m.type !== 'link').map((m) => m.type).filter((t) => ['bold', 'italic', 'underline', 'strike', 'code'].includes(t)));
    const text = spaced(node.text, space);
    out += style ? `<text:span text:style-name="${style}">${text}</text:span>` : text;
  }
  closeLink();
  return out;
}

/** Text with ODF white space: runs of spaces as `<text:s text:c="n"/>`, tabs, line breaks. */
function spaced(text: string, state: { last: boolean }): string {
  let out = '';
  let pending = 0;
  const flush = () => {
    if (pending > 0) out += pending === 1 ? '<text:s/>' : `<text:s text:c="${pending}"/>`;
    pending = 0;
  };
  for (const ch of text.replace(INVALID_XML, '')) {
    if (ch === ' ') {
      if (state.last) pending += 1;
      else out += ' ';
      state.last = true;
      continue;
    }
    flush();
    if (ch === '\t') {
      out += '<text:tab/>';
      state.last = true;
    } else if (ch === '\n') {
      out += '<text:line-break/>';
      state.last = true;
    } else if (ch === '\r') {
      // dropped: \r\n is one line break
    } else {
      out += ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch;
      state.last = false;
    }
  }
  flush();
  return out;
}

function preformatted(code: string): string {
  return spaced(code, { last: true });
}

// ── package parts ────────────────────────────────────────────────────────────────────────────

const TEXT_PROPERTIES: Record<string, string> = {
  bold: 'fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold"',
  italic: 'fo:font-style="italic" style:font-style-asian="italic" style:font-style-complex="italic"',
  underline: 'style:text-underline-style="solid" style:text-underline-width="auto" style:text-underline-color="font-color"',
  strike: 'style:text-line-through-style="solid" style:text-line-through-type="single"',
  code: 'style:font-name="Liberation Mono" fo:background-color="#f1f3f5"',
};

function contentXml(body: string, w: Writer): string {
  const textStyles = [...w.textStyles]
    .map(([key, name]) => `<style:style style:name="${name}" style:family="text"><style:text-properties ${key.split('+').map((m) => TEXT_PROPERTIES[m]).join(' ')}/></style:style>`)
    .join('');
  const tableStyles = Array.from({ length: w.tables }, (_, i) => {
    const name = `Tableau${i + 1}`;
    return (
      `<style:style style:name="${name}" style:family="table"><style:table-properties style:width="${TEXT_WIDTH_CM}cm" table:align="margins" fo:margin-top="0.1cm" fo:margin-bottom="0.25cm"/></style:style>` +
      `<style:style style:name="${name}.Column" style:family="table-column"><style:table-column-properties style:use-optimal-column-width="true"/></style:style>` +
      `<style:style style:name="${name}.Cell" style:family="table-cell"><style:table-cell-properties fo:padding="0.1cm" fo:border="0.5pt solid #767676"/></style:style>`
    );
  }).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<office:document-content ${nsDecls('office', 'style', 'text', 'table', 'draw', 'fo', 'xlink', 'svg')} office:version="1.3">` +
    '<office:font-face-decls>' +
    FONT_FACES +
    '</office:font-face-decls>' +
    `<office:automatic-styles>${textStyles}${tableStyles}</office:automatic-styles>` +
    `<office:body><office:text>${body}</office:text></office:body>` +
    '</office:document-content>\n'
  );
}

const FONT_FACES =
  '<style:font-face style:name="Liberation Sans" svg:font-family="&apos;Liberation Sans&apos;" style:font-family-generic="swiss" style:font-pitch="variable"/>' +
  '<style:font-face style:name="Liberation Mono" svg:font-family="&apos;Liberation Mono&apos;" style:font-family-generic="modern" style:font-pitch="fixed"/>';

function manifestXml(w: Writer): string {
  const pictures = [...w.pictures.values()].map((p) => `<manifest:file-entry manifest:full-path="${p.path}" manifest:media-type="${p.contentType}"/>`).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">' +
    `<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="${ODT_MIME}"/>` +
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>' +
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>' +
    '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>' +
    pictures +
    '</manifest:manifest>\n'
  );
}

function metaXml(options: OdtOptions): string {
  const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const created = options.created ? `<meta:creation-date>${iso(options.created)}</meta:creation-date>` : '';
  const modified = options.modified ? `<dc:date>${iso(options.modified)}</dc:date>` : '';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<office:document-meta ${nsDecls('office', 'meta', 'dc')} office:version="1.3"><office:meta>` +
    '<meta:generator>Entente</meta:generator>' +
    `<dc:title>${xmlText(options.title)}</dc:title>` +
    `<dc:language>${xmlText(options.language ?? 'fr-FR')}</dc:language>` +
    created +
    modified +
    '</office:meta></office:document-meta>\n'
  );
}

function listLevels(kind: 'bullet' | 'number' | 'task'): string {
  const levels: string[] = [];
  for (let level = 1; level <= 10; level++) {
    const indent = (0.635 * level).toFixed(3);
    const props = `<style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="${indent}cm" fo:text-indent="-0.635cm" fo:margin-left="${indent}cm"/></style:list-level-properties>`;
    if (kind === 'bullet') {
      const char = ['•', '◦', '▪'][(level - 1) % 3];
      levels.push(`<text:list-level-style-bullet text:level="${level}" text:bullet-char="${char}">${props}</text:list-level-style-bullet>`);
    } else if (kind === 'number') {
      levels.push(`<text:list-level-style-number text:level="${level}" style:num-suffix="." style:num-format="1">${props}</text:list-level-style-number>`);
    } else {
      // No label: the box is written at the start of each item.
      levels.push(`<text:list-level-style-number text:level="${level}" style:num-format="">${props}</text:list-level-style-number>`);
    }
  }
  return levels.join('');
}

const HEADING_SIZES = ['20pt', '16pt', '14pt', '13pt', '12pt', '11pt'];
const CALLOUT_COLOURS: Record<string, { border: string; background: string }> = {
  Info: { border: '#0063cb', background: '#e8edff' },
  Warning: { border: '#b34000', background: '#ffe9e6' },
  Success: { border: '#18753c', background: '#b8fec9' },
  Danger: { border: '#ce0500', background: '#ffe9e9' },
};

function stylesXml(language: string): string {
  const [lang = 'fr', country = 'FR'] = language.split('-');
  const paragraph = (name: string, display: string, parent: string, props: string, text = '', extra = '') =>
    `<style:style style:name="${name}" style:display-name="${display}" style:family="paragraph" style:parent-style-name="${parent}"${extra}>${props ? `<style:paragraph-properties ${props}/>` : ''}${text ? `<style:text-properties ${text}/>` : ''}</style:style>`;
  const headings = HEADING_SIZES.map((size, i) =>
    paragraph(`Heading_20_${i + 1}`, `Heading ${i + 1}`, 'Heading', '', `fo:font-size="${size}" fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold"`, ` style:next-style-name="Text_20_body" style:default-outline-level="${i + 1}" style:class="text"`),
  ).join('');
  const callouts = Object.entries(CALLOUT_COLOURS)
    .map(([tone, c]) => {
      const box = `fo:margin-left="0.3cm" fo:margin-right="0cm" fo:margin-top="0cm" fo:margin-bottom="0cm" fo:padding="0.2cm" fo:border-left="2.5pt solid ${c.border}" fo:border-right="none" fo:border-top="none" fo:border-bottom="none" fo:background-color="${c.background}" style:join-border="true"`;
      return (
        paragraph(`Callout_20_${tone}`, `Callout ${tone}`, 'Text_20_body', box) +
        paragraph(`Callout_20_${tone}_20_Label`, `Callout ${tone} label`, `Callout_20_${tone}`, '', 'fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold"')
      );
    })
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<office:document-styles ${nsDecls('office', 'style', 'text', 'table', 'draw', 'fo', 'xlink', 'svg')} office:version="1.3">` +
    `<office:font-face-decls>${FONT_FACES}</office:font-face-decls>` +
    '<office:styles>' +
    `<style:default-style style:family="paragraph"><style:paragraph-properties fo:orphans="2" fo:widows="2"/><style:text-properties style:font-name="Liberation Sans" fo:font-size="11pt" fo:language="${xmlAttr(lang)}" fo:country="${xmlAttr(country)}"/></style:default-style>` +
    '<style:style style:name="Standard" style:family="paragraph" style:class="text"/>' +
    paragraph('Text_20_body', 'Text body', 'Standard', 'fo:margin-top="0cm" fo:margin-bottom="0.25cm" fo:line-height="115%"', '', ' style:class="text"') +
    paragraph('Heading', 'Heading', 'Standard', 'fo:margin-top="0.42cm" fo:margin-bottom="0.21cm" fo:keep-with-next="always"', 'fo:font-size="14pt"', ' style:next-style-name="Text_20_body" style:class="text"') +
    headings +
    paragraph('List_20_Contents', 'List Contents', 'Text_20_body', 'fo:margin-bottom="0.1cm"') +
    paragraph('Quotations', 'Quotations', 'Text_20_body', 'fo:margin-left="1cm" fo:margin-right="1cm" fo:padding-left="0.2cm" fo:border-left="1.5pt solid #929292" fo:border-right="none" fo:border-top="none" fo:border-bottom="none"', 'fo:font-style="italic"') +
    paragraph('Preformatted_20_Text', 'Preformatted Text', 'Standard', 'fo:margin-top="0cm" fo:margin-bottom="0.25cm" fo:padding="0.2cm" fo:background-color="#f1f3f5" fo:border="0.5pt solid #d0d0d0"', 'style:font-name="Liberation Mono" fo:font-size="10pt"') +
    paragraph('Table_20_Contents', 'Table Contents', 'Standard', 'fo:margin-bottom="0cm"') +
    paragraph('Table_20_Heading', 'Table Heading', 'Table_20_Contents', '', 'fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold"') +
    paragraph('Horizontal_20_Line', 'Horizontal Line', 'Standard', 'fo:margin-top="0cm" fo:margin-bottom="0.5cm" fo:padding="0cm" fo:border-bottom="0.75pt double #808080" fo:border-top="none" fo:border-left="none" fo:border-right="none"', 'fo:font-size="6pt"') +
    callouts +
    '<style:style style:name="Internet_20_link" style:display-name="Internet link" style:family="text"><style:text-properties fo:color="#000091" style:text-underline-style="solid" style:text-underline-width="auto" style:text-underline-color="font-color"/></style:style>' +
    '<style:style style:name="Image" style:family="graphic"><style:graphic-properties style:vertical-pos="top" style:vertical-rel="baseline"/></style:style>' +
    `<text:list-style style:name="List_20_Bullet" style:display-name="List Bullet">${listLevels('bullet')}</text:list-style>` +
    `<text:list-style style:name="Numbering_20_123" style:display-name="Numbering 123">${listLevels('number')}</text:list-style>` +
    `<text:list-style style:name="Task_20_List" style:display-name="Task List">${listLevels('task')}</text:list-style>` +
    '</office:styles>' +
    '<office:automatic-styles><style:page-layout style:name="A4"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" style:print-orientation="portrait" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2cm" fo:margin-right="2cm"/></style:page-layout></office:automatic-styles>' +
    '<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="A4"/></office:master-styles>' +
    '</office:document-styles>\n'
  );
}

// ── image dimensions ─────────────────────────────────────────────────────────────────────────

/** Width and height in pixels of a PNG, JPEG, GIF or WebP, read from its header; null otherwise. */
export function imageSize(bytes: Uint8Array): { width: number; height: number } | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ok = (width: number, height: number) => (width > 0 && height > 0 && width < 100_000 && height < 100_000 ? { width, height } : null);
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && b.toString('latin1', 12, 16) === 'IHDR') return ok(b.readUInt32BE(16), b.readUInt32BE(20));
  if (b.length >= 10 && (b.toString('latin1', 0, 6) === 'GIF87a' || b.toString('latin1', 0, 6) === 'GIF89a')) return ok(b.readUInt16LE(6), b.readUInt16LE(8));
  if (b.length >= 30 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') {
    const chunk = b.toString('latin1', 12, 16);
    if (chunk === 'VP8X') return ok(1 + b.readUIntLE(24, 3), 1 + b.readUIntLE(27, 3));
    if (chunk === 'VP8 ' && b.length >= 30) return ok(b.readUInt16LE(26) & 0x3fff, b.readUInt16LE(28) & 0x3fff);
    if (chunk === 'VP8L' && b.length >= 25) {
      const bits = b.readUInt32LE(21);
      return ok((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1);
    }
    return null;
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    // Walk the JPEG segments to the first start-of-frame marker.
    let p = 2;
    while (p + 9 < b.length) {
      if (b[p] !== 0xff) return null;
      const marker = b[p + 1] as number;
      if (marker === 0xff) {
        p += 1;
        continue;
      }
      if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
        p += 2;
        continue;
      }
      const length = b.readUInt16BE(p + 2);
      const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isFrame) return ok(b.readUInt16BE(p + 7), b.readUInt16BE(p + 5));
      p += 2 + length;
    }
  }
  return null;
}
