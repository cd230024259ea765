import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  ImageRun,
  type ILevelsOptions,
  LevelFormat,
  Packer,
  Paragraph,
  type ParagraphChild,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { type CalloutTone, safeHref, stripControl } from '../content/html.ts';
import { attr, sortedMarks } from '../content/inline.ts';
import type { JSONContent } from '../content/ydoc-json.ts';
import { fitImage, type WriterOptions } from './images.ts';
import { limitContentDepth } from '../../../../common/src/content-depth.ts';

/**
 * ProseMirror JSON → Word (DOCX, Office Open XML) with the `docx` package, in Word's own styles so
 * that a reader's navigation pane, outline and style gallery work: Heading1…Heading6, Quote,
 * a « Code » paragraph style and « Code (caractères) » character style in a monospace font,
 * Hyperlink, ListParagraph numbering (bullets and numbers nested to nine levels, each ordered list
 * restarting at its own start), tables with a repeated header row and column / row spans,
 * images embedded (alt text as the description), callouts as bordered, shaded paragraphs whose
 * first line says the tone. Core properties: title, language (document defaults), creator.
 */
export interface DocxOptions extends WriterOptions {
  /** The core property « creator » (the application by default). */
  creator?: string;
}

const MONO = 'DejaVu Sans Mono';
const SANS = 'DejaVu Sans';
/** A4 with 2 cm margins: 17 cm of text, in points. */
const TEXT_WIDTH_PT = 481;
const MAX_IMAGE_HEIGHT_PT = 650;
const TONES: readonly CalloutTone[] = ['info', 'warning', 'success', 'danger'];
const TONE_COLOUR: Record<CalloutTone, { border: string; fill: string }> = {
  info: { border: '2F6FB5', fill: 'EAF2FB' },
  warning: { border: 'B7791F', fill: 'FDF5E6' },
  success: { border: '2F855A', fill: 'EAF6EF' },
  danger: { border: 'C53030', fill: 'FBEAEA' },
};
const BULLETS = ['•', '◦', '▪', '•', '◦', '▪', '•', '◦', '▪'];
const MAX_LEVEL = 8;

type Block = Paragraph | Table;

interface Ctx {
  /** List depth (0 = not in a list). */
  depth: number;
  /** Paragraph style for plain paragraphs here. */
  style?: string;
  tone?: CalloutTone;
  inTable: boolean;
  /** Text in bold throughout (header cells). */
  bold?: boolean;
}

class Writer {
  readonly options: DocxOptions;
  /** Ordered lists' numbering configurations, one per start value. */
  readonly orderedStarts = new Set<number>();
  instance = 0;

  constructor(options: DocxOptions) {
    this.options = options;
  }
}

export async function documentToDocx(json: JSONContent, options: DocxOptions): Promise<Buffer> {
  const w = new Writer(options);
  // Depth bounded first: the writer recurses once per level (common/src/content-depth.ts).
  const children = blocks(limitContentDepth(json).content ?? [], { depth: 0, inTable: false }, w);
  const doc = new Document({
    title: stripControl(options.title),
    creator: options.creator ?? 'Entente',
    description: stripControl(options.title),
    styles: {
      default: {
        document: { run: { font: SANS, size: 21, language: { value: options.language } }, paragraph: { spacing: { after: 120, line: 276 } } },
        heading1: { run: { font: SANS, size: 36, bold: true, color: '1F3864' }, paragraph: { spacing: { before: 360, after: 160 }, keepNext: true } },
        heading2: { run: { font: SANS, size: 30, bold: true, color: '1F3864' }, paragraph: { spacing: { before: 300, after: 120 }, keepNext: true } },
        heading3: { run: { font: SANS, size: 26, bold: true, color: '1F3864' }, paragraph: { spacing: { before: 240, after: 100 }, keepNext: true } },
        heading4: { run: { font: SANS, size: 23, bold: true, color: '1F3864' }, paragraph: { spacing: { before: 200, after: 80 }, keepNext: true } },
        heading5: { run: { font: SANS, size: 21, bold: true, italics: true, color: '1F3864' }, paragraph: { spacing: { before: 200, after: 80 }, keepNext: true } },
        heading6: { run: { font: SANS, size: 21, italics: true, color: '1F3864' }, paragraph: { spacing: { before: 200, after: 80 }, keepNext: true } },
        hyperlink: { run: { color: '1F5FAD', underline: {} } },
        listParagraph: { paragraph: { spacing: { after: 60 } } },
      },
      paragraphStyles: [
        { id: 'Code', name: 'Code', basedOn: 'Normal', quickFormat: true, run: { font: MONO, size: 18 }, paragraph: { spacing: { after: 0, line: 240 }, shading: { type: ShadingType.CLEAR, fill: 'F3F4F6', color: 'auto' } } },
        {
          id: 'Quote',
          name: 'Quote',
          basedOn: 'Normal',
          quickFormat: true,
          run: { italics: true, color: '404040' },
          paragraph: { indent: { left: 567 }, border: { left: { style: BorderStyle.SINGLE, size: 18, color: 'A0A0A0', space: 8 } } },
        },
        ...TONES.map((tone) => ({
          id: `Callout${tone[0]?.toUpperCase()}${tone.slice(1)}`,
          name: `Encadré ${tone}`,
          basedOn: 'Normal',
          paragraph: {
            indent: { left: 284, right: 284 },
            shading: { type: ShadingType.CLEAR, fill: TONE_COLOUR[tone].fill, color: 'auto' },
            border: { left: { style: BorderStyle.SINGLE, size: 24, color: TONE_COLOUR[tone].border, space: 6 } },
          },
        })),
      ],
      characterStyles: [{ id: 'CodeChar', name: 'Code (caractères)', basedOn: 'DefaultParagraphFont', run: { font: MONO, size: 19, shading: { type: ShadingType.CLEAR, fill: 'F3F4F6', color: 'auto' } } }],
    },
    numbering: {
      config: [
        { reference: 'bullet', levels: levels(() => LevelFormat.BULLET, (i) => BULLETS[i] ?? '•') },
        { reference: 'task', levels: levels(() => LevelFormat.NONE, () => '') },
        ...[...w.orderedStarts].map((start) => ({
          reference: `ordered-${start}`,
          levels: levels((i) => (i % 3 === 1 ? LevelFormat.LOWER_LETTER : i % 3 === 2 ? LevelFormat.LOWER_ROMAN : LevelFormat.DECIMAL), (i) => `%${i + 1}.`, start),
        })),
      ],
    },
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 } } },
        children: children.length > 0 ? children : [new Paragraph({})],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

function levels(format: (level: number) => (typeof LevelFormat)[keyof typeof LevelFormat], text: (level: number) => string, start = 1): ILevelsOptions[] {
  return Array.from({ length: MAX_LEVEL + 1 }, (_, i) => ({
    level: i,
    format: format(i),
    text: text(i),
    // Only the outer level starts where the list said; nested levels count from 1.
    start: i === 0 ? start : 1,
    alignment: AlignmentType.LEFT,
    style: { paragraph: { indent: { left: 360 * (i + 1), hanging: 360 } } },
  }));
}

// ── blocks ───────────────────────────────────────────────────────────────────────────────────

function blocks(nodes: JSONContent[], ctx: Ctx, w: Writer): Block[] {
  return nodes.flatMap((node) => block(node, ctx, w));
}

function block(node: JSONContent, ctx: Ctx, w: Writer): Block[] {
  const content = node.content ?? [];
  switch (node.type) {
    case 'paragraph':
      return [new Paragraph({ style: ctx.style, children: inline(content, w, ctx.bold), ...indentFor(ctx) })];
    case 'heading': {
      const level = Math.min(6, Math.max(1, Math.trunc(Number(attr(node, 'level', 1))) || 1));
      const heading = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6][level - 1];
      return [new Paragraph({ heading, children: inline(content, w) })];
    }
    case 'bulletList':
      return list(content, 'bullet', ctx, w);
    case 'orderedList': {
      const start = Math.min(100_000, Math.max(0, Math.trunc(Number(attr(node, 'start', 1))) || 1));
      w.orderedStarts.add(start);
      return list(content, `ordered-${start}`, ctx, w);
    }
    case 'taskList':
      return list(content, 'task', ctx, w);
    case 'blockquote':
      return blocks(content, { ...ctx, style: 'Quote' }, w);
    case 'callout': {
      const raw = String(attr(node, 'tone', 'info'));
      const tone: CalloutTone = TONES.includes(raw as CalloutTone) ? (raw as CalloutTone) : 'info';
      const style = `Callout${tone[0]?.toUpperCase()}${tone.slice(1)}`;
      // The tone in words, not only in colour.
      const label = new Paragraph({ style, children: [new TextRun({ text: stripControl(w.options.calloutLabel(tone)), bold: true })] });
      return [label, ...blocks(content, { ...ctx, style, tone }, w)];
    }
    case 'codeBlock': {
      const text = stripControl(content.map((c) => c.text ?? '').join(''));
      const lines = text.split('\n');
      // One paragraph, lines separated by breaks: it stays one block in Word; spaces are kept (xml:space preserve).
      return [new Paragraph({ style: 'Code', children: lines.map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : undefined })), ...indentFor(ctx) })];
    }
    case 'horizontalRule':
      return [new Paragraph({ border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: 'A0A0A0', space: 1 } }, children: [] })];
    case 'image':
      return [new Paragraph({ style: ctx.style, children: image(node, w), ...indentFor(ctx) })];
    case 'table':
      return table(node, w);
    case 'hardBreak':
      return [];
    default:
      if (content.some((c) => c.type === 'text' || c.type === 'hardBreak' || c.type === 'image')) return [new Paragraph({ style: ctx.style, children: inline(content, w) })];
      return blocks(content, ctx, w);
  }
}

/** Paragraphs inside a list item after its first: indented under the item's text. */
function indentFor(ctx: Ctx): { indent?: { left: number } } {
  return ctx.depth > 0 ? { indent: { left: 360 * ctx.depth } } : {};
}

function list(items: JSONContent[], reference: string, ctx: Ctx, w: Writer): Block[] {
  const level = Math.min(MAX_LEVEL, ctx.depth);
  // A new instance for each list: numbering restarts (two ordered lists in a row count from their start each).
  w.instance += 1;
  const instance = w.instance;
  const inner: Ctx = { ...ctx, depth: ctx.depth + 1 };
  return items.flatMap((item) => {
    let content = item.content ?? [];
    if (item.type === 'taskItem') {
      // Word lists have no checkbox: the box is a character at the start of the item's text.
      const box = attr<unknown>(item, 'checked', false) === true ? '☑ ' : '☐ ';
      const [first, ...rest] = content;
      content =
        first?.type === 'paragraph'
          ? [{ ...first, content: [{ type: 'text', text: box }, ...(first.content ?? [])] }, ...rest]
          : [{ type: 'paragraph', content: [{ type: 'text', text: box }] }, ...content];
    }
    const [first, ...rest] = content;
    const head: Block[] =
      first && (first.type === 'paragraph' || first.type === 'heading')
        ? [new Paragraph({ style: ctx.style, numbering: { reference, level, instance }, children: inline(first.content ?? [], w) })]
        : [new Paragraph({ style: ctx.style, numbering: { reference, level, instance }, children: [] }), ...(first ? block(first, inner, w) : [])];
    return [...head, ...blocks(rest, inner, w)];
  });
}

function table(node: JSONContent, w: Writer): Block[] {
  const rows = (node.content ?? []).filter((r) => r.type === 'tableRow');
  if (rows.length === 0) return [];
  const isHeader = (row: JSONContent) => (row.content ?? []).length > 0 && (row.content ?? []).every((c) => c.type === 'tableHeader');
  let headerRows = 0;
  while (headerRows < rows.length && isHeader(rows[headerRows] as JSONContent)) headerRows++;
  // Word wants the same number of grid columns in every row: short rows get empty cells.
  const widthOf = (row: JSONContent) => (row.content ?? []).reduce((n, c) => n + span(attr(c, 'colspan', 1)), 0);
  const covered = new Map<number, number>();
  rows.forEach((row, r) => {
    for (const cell of row.content ?? []) {
      const rs = span(attr(cell, 'rowspan', 1));
      for (let d = 1; d < rs && r + d < rows.length; d++) covered.set(r + d, (covered.get(r + d) ?? 0) + span(attr(cell, 'colspan', 1)));
    }
  });
  const columns = Math.max(1, ...rows.map((row, r) => widthOf(row) + (covered.get(r) ?? 0)));
  const tableRows = rows.map((row, r) => {
    const cells = (row.content ?? []).map((cell) => {
      const header = cell.type === 'tableHeader';
      const children = blocks(cell.content ?? [], { depth: 0, inTable: true, bold: header }, w);
      return new TableCell({
        children: children.length > 0 ? children : [new Paragraph({})],
        columnSpan: span(attr(cell, 'colspan', 1)),
        rowSpan: Math.min(rows.length - r, span(attr(cell, 'rowspan', 1))),
        ...(header ? { shading: { type: ShadingType.CLEAR, fill: 'E8ECF2', color: 'auto' } } : {}),
      });
    });
    const missing = columns - widthOf(row) - (covered.get(r) ?? 0);
    for (let i = 0; i < missing; i++) cells.push(new TableCell({ children: [new Paragraph({})] }));
    return new TableRow({ children: cells, tableHeader: r < headerRows, cantSplit: true });
  });
  return [
    new Table({ rows: tableRows, width: { size: 100, type: WidthType.PERCENTAGE }, columnWidths: Array(columns).fill(Math.floor(9638 / columns)) }),
    // Two tables in a row would merge into one in Word: a paragraph keeps them apart.
    new Paragraph({ children: [] }),
  ];
}

function span(value: unknown): number {
  return Math.min(63, Math.max(1, Math.trunc(Number(value)) || 1));
}

function image(node: JSONContent, w: Writer): ParagraphChild[] {
  const src = String(attr(node, 'src', ''));
  const alt = stripControl(String(attr(node, 'alt', '')));
  const title = stripControl(String(attr(node, 'title', '') ?? ''));
  const picture = src ? w.options.images?.(src) : null;
  if (!picture) return alt ? [new TextRun({ text: `[${alt}]`, italics: true })] : [];
  const { width, height } = fitImage(picture, TEXT_WIDTH_PT, MAX_IMAGE_HEIGHT_PT);
  // docx sizes images in pixels at 96 dpi.
  return [
    new ImageRun({
      type: picture.contentType === 'image/png' ? 'png' : 'jpg',
      data: picture.bytes,
      transformation: { width: Math.round((width * 96) / 72), height: Math.round((height * 96) / 72) },
      altText: { name: alt || 'image', title: title || alt, description: alt },
    }),
  ];
}

// ── inline ───────────────────────────────────────────────────────────────────────────────────

function inline(nodes: JSONContent[], w: Writer, bold = false): ParagraphChild[] {
  const out: ParagraphChild[] = [];
  let link: { href: string; runs: ParagraphChild[] } | null = null;
  const flush = () => {
    if (!link) return;
    const target = safeHref(w.options.link ? w.options.link(link.href) : link.href);
    // A refused target keeps its text, without the link.
    if (target === null) out.push(...link.runs);
    else out.push(new ExternalHyperlink({ link: target, children: link.runs }));
    link = null;
  };
  for (const node of nodes) {
    const marks = sortedMarks(node.marks);
    const linkMark = node.type === 'text' ? marks.find((m) => m.type === 'link') : undefined;
    const href = linkMark ? String(linkMark.attrs?.href ?? '') : null;
    if ((link as { href: string } | null)?.href !== href) flush();
    if (href !== null && !link) link = { href, runs: [] };
    const sink = (link as { runs: ParagraphChild[] } | null)?.runs ?? out;
    if (node.type === 'hardBreak') {
      flush();
      out.push(new TextRun({ break: 1 }));
      continue;
    }
    if (node.type === 'image') {
      flush();
      out.push(...image(node, w));
      continue;
    }
    if (node.type !== 'text') continue;
    const text = stripControl(node.text ?? '');
    if (text === '') continue;
    const has = (type: string) => marks.some((m) => m.type === type);
    sink.push(
      new TextRun({
        text,
        bold: bold || has('bold') || undefined,
        italics: has('italic') || undefined,
        strike: has('strike') || undefined,
        underline: has('underline') ? {} : undefined,
        style: has('code') ? 'CodeChar' : href !== null ? 'Hyperlink' : undefined,
      }),
    );
  }
  flush();
  return out;
}
