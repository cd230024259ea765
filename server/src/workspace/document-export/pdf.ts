import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { type CalloutTone, safeHref, stripControl } from '../content/html.ts';
import { attr } from '../content/inline.ts';
import type { JSONContent } from '../content/ydoc-json.ts';
import { fitImage, type WriterOptions } from './images.ts';
import { limitContentDepth } from '../../../../common/src/content-depth.ts';

/**
 * ProseMirror JSON → PDF, laid out in-process with pdfkit (no browser, no office suite): A4 with
 * 2 cm margins, DejaVu Sans and DejaVu Sans Mono embedded (subsets; they cover French, and the
 * ☑ ☐ of task lists), headings in sizes, bullet / numbered / task lists nested, tables drawn with
 * their borders and spans (header rows repeated after a page break), links clickable, images
 * at 96 dpi within the text width, code blocks on a grey background, page breaks where text runs
 * out. Tagged (PDF 1.7, a structure tree: H1…H6, P, L/LI/Lbl/LBody, Table/TR/TH/TD, Figure with
 * its alternative text, Code, BlockQuote), with the title shown in the viewer's title bar and
 * the document's language set.
 */
export type PdfOptions = WriterOptions;

const FONT_DIR = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONT_FILES = {
  Sans: 'DejaVuSans.ttf',
  'Sans-Bold': 'DejaVuSans-Bold.ttf',
  'Sans-Oblique': 'DejaVuSans-Oblique.ttf',
  'Sans-BoldOblique': 'DejaVuSans-BoldOblique.ttf',
  Mono: 'DejaVuSansMono.ttf',
  'Mono-Bold': 'DejaVuSansMono-Bold.ttf',
  'Mono-Oblique': 'DejaVuSansMono-Oblique.ttf',
  'Mono-BoldOblique': 'DejaVuSansMono-BoldOblique.ttf',
} as const;
type FontName = keyof typeof FONT_FILES;
let fontBytes: Map<FontName, Buffer> | null = null;
/** Read once per process: 8 files, 2.5 MB. */
function fonts(): Map<FontName, Buffer> {
  fontBytes ??= new Map(Object.entries(FONT_FILES).map(([name, file]) => [name as FontName, readFileSync(join(FONT_DIR, file))]));
  return fontBytes;
}

const MARGIN = 56.7; // 2 cm
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const LEFT = MARGIN;
const WIDTH = PAGE_WIDTH - 2 * MARGIN;
const BOTTOM = PAGE_HEIGHT - MARGIN;
const BODY_SIZE = 10.5;
const HEADING_SIZE = [20, 16, 14, 12.5, 11.5, 11];
const TEXT = '#1a1a1a';
const HEADING = '#1f3864';
const LINK = '#1f5fad';
const TONE_COLOUR: Record<CalloutTone, string> = { info: '#2f6fb5', warning: '#b7791f', success: '#2f855a', danger: '#c53030' };
const TONES: readonly CalloutTone[] = ['info', 'warning', 'success', 'danger'];
const BULLETS = ['•', '◦', '▪'];
const INDENT = 18;
const MAX_DEPTH = 12;

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

interface Run {
  text: string;
  bold: boolean;
  italic: boolean;
  code: boolean;
  underline: boolean;
  strike: boolean;
  link: string | null;
}

interface Box {
  x: number;
  width: number;
  depth: number;
  /** Base style of plain text here (quotations are italic). */
  italic?: boolean;
}

class Writer {
  readonly doc: Doc;
  readonly options: PdfOptions;
  constructor(doc: Doc, options: PdfOptions) {
    this.doc = doc;
    this.options = options;
  }

  /** Starts a new page when fewer than `height` points are left on this one. */
  room(height: number): void {
    if (this.doc.y + height > BOTTOM && this.doc.y > MARGIN + 1) {
      this.doc.addPage();
      this.doc.y = MARGIN;
    }
  }

  href(raw: string): string | null {
    return safeHref(this.options.link ? this.options.link(raw) : raw);
  }
}

export function documentToPdf(json: JSONContent, options: PdfOptions): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    pdfVersion: '1.7',
    tagged: true,
    lang: options.language,
    displayTitle: true,
    compress: true,
    info: { Title: stripControl(options.title), Creator: 'Entente', Producer: 'Entente (pdfkit)' },
  });
  for (const [name, bytes] of fonts()) doc.registerFont(name, bytes);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const w = new Writer(doc, options);
  const root = doc.struct('Document');
  doc.addStructure(root);
  doc.font('Sans').fontSize(BODY_SIZE).fillColor(TEXT);
  // Depth bounded first: the writer recurses once per level (common/src/content-depth.ts).
  blocks(limitContentDepth(json).content ?? [], { x: LEFT, width: WIDTH, depth: 0 }, root, w);
  root.end();
  doc.end();
  return done;
}

// ── blocks ───────────────────────────────────────────────────────────────────────────────────

function blocks(nodes: JSONContent[], box: Box, parent: Struct, w: Writer): void {
  for (const node of nodes) block(node, box, parent, w);
}

/** Adds a structure element whose content is what `draw` puts on the page. */
function tagged(parent: Struct, type: string, w: Writer, draw: () => void, options: { alt?: string } = {}): void {
  parent.add(w.doc.struct(type, options, () => draw()));
}

function block(node: JSONContent, box: Box, parent: Struct, w: Writer): void {
  const { doc } = w;
  const content = node.content ?? [];
  switch (node.type) {
    case 'paragraph': {
      const runs = runsOf(content, w);
      w.room(BODY_SIZE * 1.4);
      tagged(parent, 'P', w, () => drawRuns(runs, box, w, { size: BODY_SIZE }));
      doc.y += 5;
      return;
    }
    case 'heading': {
      const level = Math.min(6, Math.max(1, Math.trunc(Number(attr(node, 'level', 1))) || 1));
      const size = HEADING_SIZE[level - 1] ?? BODY_SIZE;
      doc.y += size * 0.6;
      // Never a heading alone at the foot of a page.
      w.room(size * 1.4 + BODY_SIZE * 3);
      tagged(parent, `H${level}`, w, () => drawRuns(runsOf(content, w), box, w, { size, bold: true, color: HEADING }));
      doc.y += size * 0.35;
      return;
    }
    case 'bulletList':
    case 'orderedList':
    case 'taskList':
      list(node, box, parent, w);
      return;
    case 'blockquote': {
      const el = doc.struct('BlockQuote');
      parent.add(el);
      bar(box, '#a0a0a0', w, () => blocks(content, { ...box, x: box.x + 14, width: box.width - 14, italic: true }, el, w));
      el.end();
      return;
    }
    case 'callout': {
      const raw = String(attr(node, 'tone', 'info'));
      const tone: CalloutTone = TONES.includes(raw as CalloutTone) ? (raw as CalloutTone) : 'info';
      const el = doc.struct('Div');
      parent.add(el);
      bar(box, TONE_COLOUR[tone], w, () => {
        const inner = { ...box, x: box.x + 14, width: box.width - 14 };
        w.room(BODY_SIZE * 3);
        // The tone in words, not only in colour.
        tagged(el, 'P', w, () => drawRuns([plainRun(w.options.calloutLabel(tone), { bold: true })], inner, w, { size: BODY_SIZE, color: TONE_COLOUR[tone] }));
        doc.y += 3;
        blocks(content, inner, el, w);
      });
      el.end();
      return;
    }
    case 'codeBlock':
      codeBlock(content.map((c) => c.text ?? '').join(''), box, parent, w);
      return;
    case 'horizontalRule':
      w.room(14);
      doc.save().moveTo(box.x, doc.y + 6).lineTo(box.x + box.width, doc.y + 6).lineWidth(0.75).strokeColor('#a0a0a0').stroke().restore();
      doc.y += 14;
      return;
    case 'image':
      image(node, box, parent, w);
      return;
    case 'table':
      table(node, box, parent, w);
      return;
    case 'hardBreak':
      return;
    default:
      if (content.some((c) => c.type === 'text' || c.type === 'hardBreak' || c.type === 'image')) {
        block({ type: 'paragraph', content }, box, parent, w);
        return;
      }
      blocks(content, box, parent, w);
  }
}

/** Draws `inner`, then a vertical bar beside what it drew (on each page it covers). */
function bar(box: Box, colour: string, w: Writer, inner: () => void): void {
  const { doc } = w;
  const startPage = pageIndex(doc);
  const startY = doc.y;
  inner();
  const endPage = pageIndex(doc);
  // The bar is drawn only when the block stayed on one page (drawing on an earlier page is not possible once it is left).
  if (startPage === endPage) doc.save().rect(box.x + 2, startY, 3, Math.max(0, doc.y - startY - 3)).fill(colour).restore();
}

function pageIndex(doc: Doc): number {
  // biome-ignore lint/suspicious/noExplicitAny: pdfkit's page list is not in its types
  return ((doc as any)._pageBuffer?.length ?? 0) + ((doc as any)._pageBufferStart ?? 0);
}

function list(node: JSONContent, box: Box, parent: Struct, w: Writer): void {
  const { doc } = w;
  const items = (node.content ?? []).filter((i) => i.type === 'listItem' || i.type === 'taskItem');
  const start = Math.min(1e6, Math.max(0, Math.trunc(Number(attr(node, 'start', 1))) || 1));
  const depth = Math.min(MAX_DEPTH, box.depth);
  const el = doc.struct('L');
  parent.add(el);
  const indent = node.type === 'orderedList' ? Math.max(INDENT, 8 + 6 * String(start + items.length).length) : INDENT;
  items.forEach((item, i) => {
    const marker =
      node.type === 'orderedList' ? `${start + i}.` : node.type === 'taskList' ? (attr<unknown>(item, 'checked', false) === true ? '☑' : '☐') : (BULLETS[depth % BULLETS.length] ?? '•');
    const li = doc.struct('LI');
    el.add(li);
    const content = item.content ?? [];
    const [first, ...rest] = content;
    const inner: Box = { ...box, x: box.x + indent, width: box.width - indent, depth: depth + 1 };
    w.room(BODY_SIZE * 1.4);
    const y = doc.y;
    li.add(
      doc.struct('Lbl', {}, () => {
        doc.font(node.type === 'taskList' ? 'Sans' : 'Sans').fontSize(BODY_SIZE).fillColor(TEXT);
        doc.text(marker, box.x, y, { width: indent - 3, lineBreak: false });
      }),
    );
    doc.y = y;
    const body = doc.struct('LBody');
    li.add(body);
    if (first && (first.type === 'paragraph' || first.type === 'heading')) {
      tagged(body, 'P', w, () => drawRuns(runsOf(first.content ?? [], w), inner, w, { size: BODY_SIZE, italic: box.italic }));
      doc.y += 2;
    } else if (first) {
      doc.y += BODY_SIZE * 1.3;
      block(first, inner, body, w);
    } else {
      doc.y += BODY_SIZE * 1.3;
    }
    blocks(rest, inner, body, w);
    body.end();
    li.end();
  });
  el.end();
  doc.y += 3;
}

function codeBlock(text: string, box: Box, parent: Struct, w: Writer): void {
  const { doc } = w;
  const size = 9;
  const lines = stripControl(text).replace(/\t/g, '    ').split('\n');
  doc.y += 2;
  tagged(parent, 'Code', w, () => {
    doc.font('Mono').fontSize(size);
    for (const line of lines) {
      const height = doc.heightOfString(line || ' ', { width: box.width - 12, lineGap: 1 });
      w.room(height + 2);
      const y = doc.y;
      doc.save().rect(box.x, y, box.width, height + 2).fill('#f3f4f6').restore();
      doc.fillColor(TEXT).font('Mono').fontSize(size).text(line || ' ', box.x + 6, y + 1, { width: box.width - 12, lineGap: 1 });
      doc.y = y + height + 2;
    }
  });
  doc.font('Sans').fontSize(BODY_SIZE);
  doc.y += 7;
}

function image(node: JSONContent, box: Box, parent: Struct, w: Writer): void {
  const { doc } = w;
  const src = String(attr(node, 'src', ''));
  const alt = stripControl(String(attr(node, 'alt', '')));
  const picture = src ? w.options.images?.(src) : null;
  if (!picture) {
    if (alt) block({ type: 'paragraph', content: [{ type: 'text', text: `[${alt}]`, marks: [{ type: 'italic' }] }] }, box, parent, w);
    return;
  }
  const size = fitImage(picture, box.width, BOTTOM - MARGIN - 20);
  w.room(size.height + 4);
  const y = doc.y;
  tagged(parent, 'Figure', w, () => doc.image(picture.bytes, box.x, y, { width: size.width, height: size.height }), { alt: alt || 'image' });
  doc.y = y + size.height + 8;
}

// ── tables ───────────────────────────────────────────────────────────────────────────────────

interface PlacedCell {
  node: JSONContent;
  row: number;
  col: number;
  colspan: number;
  rowspan: number;
  header: boolean;
  runs: Run[];
}

function table(node: JSONContent, box: Box, parent: Struct, w: Writer): void {
  const { doc } = w;
  const rows = (node.content ?? []).filter((r) => r.type === 'tableRow');
  if (rows.length === 0) return;
  // The grid: row spans from above take the places they cover in the rows below.
  const taken = new Map<number, Set<number>>();
  const placed: PlacedCell[][] = rows.map((row, r) => {
    const out: PlacedCell[] = [];
    let col = 0;
    for (const cell of row.content ?? []) {
      while (taken.get(r)?.has(col)) col++;
      const colspan = Math.min(50, Math.max(1, Math.trunc(Number(attr(cell, 'colspan', 1))) || 1));
      const rowspan = Math.min(rows.length - r, Math.max(1, Math.trunc(Number(attr(cell, 'rowspan', 1))) || 1));
      const runs: Run[] = [];
      (cell.content ?? []).forEach((b, i) => {
        if (i > 0) lineBreak(runs);
        runs.push(...runsOf(flattenForCell(b), w));
      });
      out.push({ node: cell, row: r, col, colspan, rowspan, header: cell.type === 'tableHeader', runs });
      for (let dr = 1; dr < rowspan; dr++) for (let dc = 0; dc < colspan; dc++) (taken.get(r + dr) ?? taken.set(r + dr, new Set()).get(r + dr))?.add(col + dc);
      col += colspan;
    }
    return out;
  });
  const columns = Math.max(1, ...placed.map((cells, r) => Math.max(0, ...cells.map((c) => c.col + c.colspan), ...[...(taken.get(r) ?? [])].map((c) => c + 1))));
  const colWidth = box.width / columns;
  const pad = 4;
  const size = BODY_SIZE - 1;
  const maxRow = BOTTOM - MARGIN - 40;
  const textHeight = (cell: PlacedCell) => {
    const text = cell.runs.map((r) => r.text).join('') || ' ';
    doc.font(cell.header ? 'Sans-Bold' : 'Sans').fontSize(size);
    return doc.heightOfString(text, { width: colWidth * cell.colspan - 2 * pad, lineGap: 1 }) + 2 * pad;
  };
  const heights = placed.map((cells) => Math.min(maxRow, Math.max(size + 2 * pad, ...cells.filter((c) => c.rowspan === 1).map(textHeight))));
  for (const cells of placed) {
    for (const c of cells.filter((c) => c.rowspan > 1)) {
      const have = heights.slice(c.row, c.row + c.rowspan).reduce((a, b) => a + b, 0);
      const need = Math.min(maxRow, textHeight(c));
      const last = c.row + c.rowspan - 1;
      if (need > have) heights[last] = (heights[last] ?? 0) + need - have;
    }
  }
  let headerRows = 0;
  while (headerRows < rows.length && (placed[headerRows] ?? []).length > 0 && (placed[headerRows] ?? []).every((c) => c.header)) headerRows++;

  const el = doc.struct('Table');
  parent.add(el);
  const drawRow = (r: number) => {
    const y = doc.y;
    const tr = doc.struct('TR');
    el.add(tr);
    for (const cell of placed[r] ?? []) {
      const x = box.x + cell.col * colWidth;
      const width = cell.colspan * colWidth;
      const height = heights.slice(r, r + cell.rowspan).reduce((a, b) => a + b, 0);
      tr.add(
        doc.struct(cell.header ? 'TH' : 'TD', {}, () => {
          if (cell.header) doc.save().rect(x, y, width, height).fill('#e8ecf2').restore();
          doc.save().rect(x, y, width, height).lineWidth(0.5).strokeColor('#8a8a8a').stroke().restore();
          doc.y = y + pad;
          drawRuns(cell.runs, { x: x + pad, width: width - 2 * pad, depth: 0 }, w, { size, bold: cell.header, clipHeight: height - 2 * pad });
        }),
      );
    }
    // Places covered by a span from above still get their border drawn by the spanning cell.
    tr.end();
    doc.y = y + (heights[r] ?? 0);
  };
  for (let r = 0; r < rows.length; r++) {
    const need = heights.slice(r, r + Math.max(1, ...(placed[r] ?? []).map((c) => c.rowspan))).reduce((a, b) => a + b, 0);
    if (doc.y + need > BOTTOM && doc.y > MARGIN + 1) {
      doc.addPage();
      doc.y = MARGIN;
      // The header rows again at the top of the new page.
      if (r >= headerRows) for (let h = 0; h < headerRows; h++) drawRow(h);
    }
    drawRow(r);
  }
  el.end();
  doc.x = box.x;
  doc.y += 8;
}

/** A cell's block as inline content (lists and quotes in a cell become lines of text). */
function flattenForCell(node: JSONContent): JSONContent[] {
  if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'codeBlock') return node.content ?? [];
  if (node.type === 'image') return [node];
  const out: JSONContent[] = [];
  for (const child of node.content ?? []) {
    if (out.length > 0) out.push({ type: 'hardBreak' });
    out.push(...flattenForCell(child));
  }
  return out;
}

// ── inline ───────────────────────────────────────────────────────────────────────────────────

/** A hard line break: drawRuns ends the line there (see why there). */
function lineBreak(runs: Run[]): void {
  runs.push(plainRun('\n'));
}

function plainRun(text: string, over: Partial<Run> = {}): Run {
  return { text, bold: false, italic: false, code: false, underline: false, strike: false, link: null, ...over };
}

function runsOf(nodes: JSONContent[], w: Writer): Run[] {
  const runs: Run[] = [];
  for (const node of nodes) {
    if (node.type === 'hardBreak') {
      lineBreak(runs);
      continue;
    }
    if (node.type === 'image') {
      const alt = String(attr(node, 'alt', ''));
      if (alt) runs.push(plainRun(`[${alt}]`, { italic: true }));
      continue;
    }
    if (node.type !== 'text') {
      runs.push(...runsOf(node.content ?? [], w));
      continue;
    }
    const text = stripControl(node.text ?? '').replace(/\t/g, '    ');
    if (text === '') continue;
    const has = (type: string) => (node.marks ?? []).some((m) => m.type === type);
    const linkMark = (node.marks ?? []).find((m) => m.type === 'link');
    runs.push({
      text,
      bold: has('bold'),
      italic: has('italic'),
      code: has('code'),
      underline: has('underline'),
      strike: has('strike'),
      link: linkMark ? w.href(String(linkMark.attrs?.href ?? '')) : null,
    });
  }
  return runs;
}

function fontFor(run: Run, base: { bold?: boolean; italic?: boolean }): FontName {
  const family = run.code ? 'Mono' : 'Sans';
  const bold = run.bold || base.bold;
  const italic = run.italic || base.italic;
  return `${family}${bold && italic ? '-BoldOblique' : bold ? '-Bold' : italic ? '-Oblique' : ''}` as FontName;
}

/**
 * Draws runs of text as one paragraph (pdfkit's `continued` text: one line wrapper across the
 * runs, so that fonts change mid-line and lines wrap at the box's width). Links are clickable.
 * Each hard break ends the continued text and starts a new one at the box's left edge: pdfkit
 * keeps the horizontal offset of continued text across a "\n" inside it.
 */
function drawRuns(runs: Run[], box: Box, w: Writer, style: { size: number; bold?: boolean; italic?: boolean; color?: string; clipHeight?: number }): void {
  const { doc } = w;
  const lines: Run[][] = [[]];
  for (const run of runs) {
    if (run.text === '\n') lines.push([]);
    else if (run.text !== '') lines.at(-1)?.push(run);
  }
  const base = { bold: style.bold, italic: style.italic ?? box.italic };
  const top = doc.y;
  for (const line of lines) {
    const room = style.clipHeight === undefined ? undefined : style.clipHeight - (doc.y - top);
    if (room !== undefined && room < style.size) break;
    if (line.length === 0) {
      doc.y += style.size * 1.3;
      continue;
    }
    line.forEach((run, i) => {
      doc.font(fontFor(run, base)).fontSize(run.code ? style.size * 0.92 : style.size).fillColor(run.link ? LINK : (style.color ?? TEXT));
      const options: PDFKit.Mixins.TextOptions = {
        width: box.width,
        continued: i < line.length - 1,
        lineGap: 2,
        // Explicit on every run: pdfkit carries options over from the previous continued run.
        link: run.link ?? undefined,
        underline: run.underline || run.link !== null,
        strike: run.strike,
        ...(room !== undefined ? { height: room, ellipsis: true } : {}),
      };
      if (i === 0) doc.text(run.text, box.x, doc.y, options);
      else doc.text(run.text, options);
    });
  }
  doc.x = box.x;
  doc.fillColor(TEXT);
}
