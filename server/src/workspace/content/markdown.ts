import { attr, type Mark, sameMark, sortedMarks } from './inline.ts';
import type { JSONContent } from './ydoc-json.ts';
import { limitContentDepth } from '../../../../common/src/content-depth.ts';

/**
 * ProseMirror JSON (Tiptap 3 node and mark names) → GitHub-flavoured Markdown: pipe tables,
 * task lists `- [ ]`, callouts as `> [!NOTE]` blockquotes (GitHub's alerts), images
 * `![alt](src "title")`. Text is escaped so that what a user typed (`*`, `#`, `|`…) comes back
 * as text, not as formatting. Underline has no Markdown form: `<u>…</u>`, which GFM renders. Italic is `*` (an intraword
 * `_` does not close).
 * Used for export, the assistant, search and the version diff.
 */
export function jsonToMarkdown(json: JSONContent): string {
  // Depth bounded first: the writer below recurses once per level (common/src/content-depth.ts).
  const out = blocks(limitContentDepth(json).content ?? [], { inTable: false });
  return out === '' ? '' : `${out}\n`;
}

const CALLOUT_ALERT: Record<string, string> = { info: 'NOTE', warning: 'WARNING', success: 'TIP', danger: 'CAUTION' };

interface Context {
  inTable: boolean;
}

function blocks(nodes: JSONContent[], ctx: Context, tight = false): string {
  const parts: string[] = [];
  nodes.forEach((node, i) => {
    const text = block(node, ctx);
    if (i > 0) {
      // Inside a list item a nested list follows its paragraph directly (keeps the list tight).
      const isList = node.type === 'bulletList' || node.type === 'orderedList' || node.type === 'taskList';
      parts.push(tight && isList ? '\n' : '\n\n');
    }
    parts.push(text);
  });
  return parts.join('');
}

function block(node: JSONContent, ctx: Context): string {
  const content = node.content ?? [];
  switch (node.type) {
    case 'paragraph':
      return escapeLineStarts(inline(content, ctx));
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(attr(node, 'level', 1)) || 1));
      // A heading is one line: hard breaks become spaces.
      return `${'#'.repeat(level)} ${inline(content, ctx).replace(/\\\n/g, ' ')}`.trimEnd();
    }
    case 'bulletList':
      return list(content, ctx, () => '- ');
    case 'orderedList': {
      const start = Number(attr(node, 'start', 1)) || 1;
      return list(content, ctx, (i) => `${start + i}. `);
    }
    case 'taskList':
      return list(content, ctx, (_i, item) => (attr(item, 'checked', false) ? '- [x] ' : '- [ ] '), 2);
    case 'blockquote':
      return quote(blocks(content, ctx));
    case 'callout': {
      const alert = CALLOUT_ALERT[attr(node, 'tone', 'info')] ?? 'NOTE';
      const body = blocks(content, ctx);
      return quote(body === '' ? `[!${alert}]` : `[!${alert}]\n${body}`);
    }
    case 'codeBlock':
      return codeBlock(node);
    case 'horizontalRule':
      return '---';
    case 'table':
      return table(node);
    case 'image':
      return image(node);
    case 'hardBreak':
      return '';
    default:
      // Unknown block (a future node): keep its text rather than lose it.
      if (content.some((c) => c.type === 'text' || c.type === 'hardBreak' || c.type === 'image')) return escapeLineStarts(inline(content, ctx));
      return blocks(content, ctx);
  }
}

function list(items: JSONContent[], ctx: Context, marker: (i: number, item: JSONContent) => string, indentWidth?: number): string {
  return items
    .map((item, i) => {
      const prefix = marker(i, item);
      const indent = ' '.repeat(indentWidth ?? prefix.length);
      const body = blocks(item.content ?? [], ctx, true);
      const lines = body.split('\n');
      return lines.map((line, j) => (j === 0 ? `${prefix}${line}` : line === '' ? '' : `${indent}${line}`)).join('\n').trimEnd();
    })
    .join('\n');
}

function quote(body: string): string {
  return body
    .split('\n')
    .map((line) => (line === '' ? '>' : `> ${line}`))
    .join('\n');
}

function codeBlock(node: JSONContent): string {
  const text = (node.content ?? []).map((c) => c.text ?? '').join('');
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const language = String(attr(node, 'language', '')).replace(/[`\s]/g, '');
  return `${fence}${language}\n${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${fence}`;
}

function image(node: JSONContent): string {
  const alt = escapeText(String(attr(node, 'alt', '')));
  const src = String(attr(node, 'src', ''));
  const title = attr<string | null>(node, 'title', null);
  const target = /[\s()<>]/.test(src) ? `<${src.replace(/[<>]/g, encodeURIComponent)}>` : src;
  return `![${alt}](${target}${title ? ` "${title.replace(/(["\\])/g, '\\$1')}"` : ''})`;
}

function table(node: JSONContent): string {
  const rows = (node.content ?? []).map((row) =>
    (row.content ?? []).flatMap((cell) => {
      const text = cellText(cell);
      // GFM has no spans: a spanning cell is followed by empty cells so that columns stay aligned.
      const span = Math.max(1, Number(attr(cell, 'colspan', 1)) || 1);
      return [text, ...Array<string>(span - 1).fill('')];
    }),
  );
  if (rows.length === 0) return '';
  const width = Math.max(1, ...rows.map((r) => r.length));
  const line = (cells: string[]) => `| ${[...cells, ...Array<string>(width - cells.length).fill('')].join(' | ')} |`;
  const [header = [], ...body] = rows;
  return [line(header), `|${' --- |'.repeat(width)}`, ...body.map(line)].join('\n');
}

function cellText(cell: JSONContent): string {
  // A pipe-table cell is one line: its blocks and hard breaks become <br>.
  return (cell.content ?? [])
    .map((b) => {
      if (b.type === 'paragraph' || b.type === 'heading') return inline(b.content ?? [], { inTable: true });
      return blocks([b], { inTable: true }).replace(/\n/g, '<br>');
    })
    .join('<br>')
    .replace(/\s+$/, '');
}

/** Inline content with marks opened and closed as a stack, whitespace kept outside delimiters. */
function inline(nodes: JSONContent[], ctx: Context): string {
  let out = '';
  const open: Mark[] = [];
  const closeTo = (keep: number) => {
    while (open.length > keep) out += closer(open.pop() as Mark);
  };
  const commonPrefix = (marks: Mark[]) => {
    let n = 0;
    while (n < open.length && n < marks.length && sameMark(open[n] as Mark, marks[n] as Mark)) n++;
    return n;
  };
  // Code is not a delimiter pair that can stay open across nodes: it wraps one node's text.
  const outerMarks = (node: JSONContent | undefined) =>
    node?.type === 'text' ? sortedMarks(node.marks).filter((m) => m.type !== 'code') : [];
  nodes.forEach((node, i) => {
    if (node.type !== 'text') {
      closeTo(0);
      if (node.type === 'hardBreak') out += ctx.inTable ? '<br>' : '\\\n';
      else if (node.type === 'image') out += image(node);
      return;
    }
    const text = node.text ?? '';
    if (text === '') return;
    const outer = outerMarks(node);
    const isCode = (node.marks ?? []).some((m) => m.type === 'code');
    // GFM does not read `** x**` as bold: spaces at either end go outside the delimiters.
    const lead = /^\s*/.exec(text)?.[0] ?? '';
    const core = text.slice(lead.length).trimEnd();
    const trail = text.slice(lead.length + core.length);
    closeTo(commonPrefix(outer));
    if (core === '') {
      // Only spaces: no delimiters opened around nothing.
      out += escapeText(text, ctx);
      return;
    }
    out += escapeText(lead, ctx);
    for (const mark of outer.slice(open.length)) {
      out += opener(mark);
      open.push(mark);
    }
    out += isCode ? codeSpan(core) : escapeText(core, ctx);
    if (trail) {
      closeTo(commonPrefix(outerMarks(nodes[i + 1])));
      out += escapeText(trail, ctx);
    }
  });
  closeTo(0);
  return out;
}

function opener(mark: Mark): string {
  switch (mark.type) {
    case 'bold':
      return '**';
    case 'italic':
      return '*';
    case 'strike':
      return '~~';
    case 'underline':
      return '<u>';
    case 'link':
      return '[';
    default:
      return '';
  }
}

function closer(mark: Mark): string {
  switch (mark.type) {
    case 'bold':
      return '**';
    case 'italic':
      return '*';
    case 'strike':
      return '~~';
    case 'underline':
      return '</u>';
    case 'link': {
      const href = String(mark.attrs?.href ?? '');
      const target = /[\s()<>]/.test(href) ? `<${href.replace(/[<>]/g, encodeURIComponent)}>` : href;
      return `](${target})`;
    }
    default:
      return '';
  }
}

function codeSpan(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

/**
 * Backslash-escapes what GFM would read as formatting inside a line. `&` only where it would
 * start an entity, so that "R&D" stays readable.
 */
export function escapeText(text: string, ctx: Context = { inTable: false }): string {
  let out = text.replace(/[\\`*_[\]<>~]/g, '\\$&').replace(/&(?=#?[a-zA-Z0-9]+;)/g, '\\&');
  if (ctx.inTable) out = out.replace(/\|/g, '\\|');
  return out;
}

/** Escapes what would start a block (heading, list, quote, rule) at the beginning of a line. */
function escapeLineStarts(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line
        .replace(/^(\s*)(#{1,6})(?=\s|$)/, '$1\\$2')
        .replace(/^(\s*)([-+=|])/, '$1\\$2')
        .replace(/^(\s*\d{1,9})([.)])(?=\s|$)/, '$1\\$2')
        // Four leading spaces would make an indented code block.
        .replace(/^ {4,}/, (spaces) => `&#32;${spaces.slice(1)}`),
    )
    .join('\n');
}
