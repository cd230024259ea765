import { attr, type Mark, sameMark, sortedMarks } from './inline.ts';
import type { JSONContent } from './ydoc-json.ts';
import { limitContentDepth } from '../../../../common/src/content-depth.ts';

/**
 * ProseMirror JSON (the editor's schema, Tiptap 3 names) → a safe HTML fragment, for the HTML
 * export, mails and any other place that shows a document outside the editor.
 *
 * Safe by construction: the input is structured JSON, never HTML, so nothing of it passes raw —
 * every text run and every attribute value is escaped, only known elements are written, with
 * attributes from a fixed list. Links keep only http, https, mailto and relative targets
 * (`javascript:`, `data:`, `vbscript:`… become plain text). Images appear only where the caller
 * maps their `src` (`images`) to what the output may show (a `data:` URI of a raster image, a
 * relative path, an http(s) address); an unmapped image is its description in brackets, so that a
 * reader's mail client never fetches anything from a document's content.
 *
 * Covered: paragraphs, headings 1–6, bold, italic, underline, strike, inline code, links, hard
 * breaks, bullet / ordered (with start) / task lists nested to any depth, tables (header rows in
 * `<thead>`, column and row spans), code blocks (`class="language-…"`), blockquotes, callouts
 * (an `<aside>` whose tone is said in words, not colour alone), images and horizontal rules.
 */
export interface HtmlOptions {
  /** The address to show for an image's `src`, or null to leave the image out (its alt text stays). */
  images?: (src: string) => string | null;
  /** Rewrites link targets (e.g. a document of the same archive → its relative path). */
  link?: (href: string) => string;
  /** The words for a callout's tone; French by default. */
  calloutLabel?: (tone: CalloutTone) => string;
}

export type CalloutTone = 'info' | 'warning' | 'success' | 'danger';

const CALLOUT_TONES: readonly CalloutTone[] = ['info', 'warning', 'success', 'danger'];
const CALLOUT_LABEL_FR: Record<CalloutTone, string> = { info: 'Information', warning: 'Attention', success: 'Réussite', danger: 'Danger' };
/** Bounds a span so that a hostile `colspan: 1e9` cannot make a reader allocate a huge grid. */
const MAX_SPAN = 1000;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Removes what XML 1.0 and HTML refuse: control characters (but tab, newline, return) and lone surrogates. */
export function stripControl(text: string): string {
  return text.replace(CONTROL, '');
}

/** Text content: `&`, `<`, `>` escaped, control characters and lone surrogates removed. */
export function escapeHtml(text: string): string {
  return stripControl(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value, to be written between double quotes. */
export function escapeHtmlAttr(value: string): string {
  return escapeHtml(value).replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const SAFE_LINK_SCHEMES = new Set(['http', 'https', 'mailto']);

/**
 * The link target if it is http(s), mailto or relative, else null. The scheme is read as a
 * browser would: after removing the ASCII whitespace and control characters it ignores
 * (`java\tscript:` is `javascript:`).
 */
export function safeHref(href: string): string | null {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: browsers drop these when parsing a URL
  const cleaned = href.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (cleaned === '') return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: see above
  const probe = cleaned.replace(/[\u0000-\u0020]/g, '');
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(probe)?.[1]?.toLowerCase();
  if (scheme !== undefined) return SAFE_LINK_SCHEMES.has(scheme) ? cleaned : null;
  // A colon before any `/`, `?` or `#` that does not make a valid scheme (`:x`, `1a:x`) is
  // refused too rather than guessed at.
  if (/^[^/?#]*:/.test(probe)) return null;
  return cleaned;
}

/** An image address the output may show: a raster `data:` URI, http(s) or relative; else null. */
export function safeImageSrc(src: string): string | null {
  const cleaned = src.trim();
  // SVG is left out on purpose: it can carry scripts.
  if (/^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]*$/i.test(cleaned)) return cleaned;
  const href = safeHref(cleaned);
  return href === null || /^mailto:/i.test(href) ? null : href;
}

interface Writer {
  options: HtmlOptions;
}

export function documentToHtml(doc: JSONContent, options: HtmlOptions = {}): string {
  // Depth bounded first: the writer below recurses once per level (common/src/content-depth.ts).
  return blocks(limitContentDepth(doc).content ?? [], { options });
}

function blocks(nodes: JSONContent[], w: Writer): string {
  return nodes.map((node) => block(node, w)).join('\n');
}

function block(node: JSONContent, w: Writer): string {
  const content = node.content ?? [];
  switch (node.type) {
    case 'paragraph':
      return `<p>${inline(content, w)}</p>`;
    case 'heading': {
      const level = Math.min(6, Math.max(1, Math.trunc(Number(attr(node, 'level', 1))) || 1));
      return `<h${level}>${inline(content, w)}</h${level}>`;
    }
    case 'bulletList':
      return `<ul>\n${listItems(content, w)}\n</ul>`;
    case 'orderedList': {
      const start = Math.trunc(Number(attr(node, 'start', 1)));
      const startAttr = Number.isFinite(start) && start !== 1 ? ` start="${Math.max(-1e9, Math.min(1e9, start))}"` : '';
      return `<ol${startAttr}>\n${listItems(content, w)}\n</ol>`;
    }
    case 'taskList':
      return `<ul class="task-list">\n${listItems(content, w)}\n</ul>`;
    case 'listItem':
    case 'taskItem':
      // Outside a list (malformed content): its blocks.
      return blocks(content, w);
    case 'blockquote':
      return `<blockquote>\n${blocks(content, w)}\n</blockquote>`;
    case 'callout': {
      const raw = attr(node, 'tone', 'info');
      const tone: CalloutTone = CALLOUT_TONES.includes(raw as CalloutTone) ? (raw as CalloutTone) : 'info';
      const label = w.options.calloutLabel?.(tone) ?? CALLOUT_LABEL_FR[tone];
      // The tone in words (as in the editor), not only in colour.
      return `<aside class="callout callout-${tone}">\n<p class="callout-label"><strong>${escapeHtml(label)}</strong></p>\n${blocks(content, w)}\n</aside>`;
    }
    case 'codeBlock': {
      const language = String(attr(node, 'language', '')).replace(/[^A-Za-z0-9_+#.-]/g, '').slice(0, 40);
      const text = content.map((c) => c.text ?? '').join('');
      return `<pre><code${language ? ` class="language-${escapeHtmlAttr(language)}"` : ''}>${escapeHtml(text)}</code></pre>`;
    }
    case 'horizontalRule':
      return '<hr>';
    case 'image':
      return `<p class="image">${image(node, w)}</p>`;
    case 'table':
      return table(node, w);
    case 'hardBreak':
      return '';
    case 'text':
      return `<p>${inline([node], w)}</p>`;
    default:
      // A node this writer does not know (a future one): its text rather than nothing.
      if (content.some((c) => c.type === 'text' || c.type === 'hardBreak' || c.type === 'image')) return `<p>${inline(content, w)}</p>`;
      return blocks(content, w);
  }
}

function listItems(items: JSONContent[], w: Writer): string {
  return items
    .map((item) => {
      if (item.type === 'taskItem') {
        const checked = attr<unknown>(item, 'checked', false) === true;
        // A character, not an <input>: mail clients strip form controls, and it reads the same.
        return `<li class="task-item" data-checked="${checked}"><span class="task-box">${checked ? '☑' : '☐'}</span> ${blocks(item.content ?? [], w)}</li>`;
      }
      return `<li>${blocks(item.content ?? [], w)}</li>`;
    })
    .join('\n');
}

function span(value: unknown): number {
  return Math.min(MAX_SPAN, Math.max(1, Math.trunc(Number(value)) || 1));
}

function table(node: JSONContent, w: Writer): string {
  const rows = (node.content ?? []).filter((r) => r.type === 'tableRow');
  if (rows.length === 0) return '';
  const isHeaderRow = (row: JSONContent) => (row.content ?? []).length > 0 && (row.content ?? []).every((c) => c.type === 'tableHeader');
  let headerRows = 0;
  while (headerRows < rows.length && isHeaderRow(rows[headerRows] as JSONContent)) headerRows++;
  const rowHtml = (row: JSONContent, inHead: boolean) => {
    const cells = (row.content ?? []).map((cell) => {
      const tag = cell.type === 'tableHeader' ? 'th' : 'td';
      const colspan = span(attr(cell, 'colspan', 1));
      const rowspan = span(attr(cell, 'rowspan', 1));
      const scope = tag === 'th' ? (inHead ? ' scope="col"' : ' scope="row"') : '';
      const spans = `${colspan > 1 ? ` colspan="${colspan}"` : ''}${rowspan > 1 ? ` rowspan="${rowspan}"` : ''}`;
      return `<${tag}${scope}${spans}>${blocks(cell.content ?? [], w)}</${tag}>`;
    });
    return `<tr>${cells.join('')}</tr>`;
  };
  const head = headerRows > 0 ? `<thead>\n${rows.slice(0, headerRows).map((r) => rowHtml(r, true)).join('\n')}\n</thead>\n` : '';
  const body = rows.length > headerRows ? `<tbody>\n${rows.slice(headerRows).map((r) => rowHtml(r, false)).join('\n')}\n</tbody>\n` : '';
  return `<table>\n${head}${body}</table>`;
}

function image(node: JSONContent, w: Writer): string {
  const src = String(attr(node, 'src', ''));
  const alt = String(attr(node, 'alt', ''));
  const title = attr<string | null>(node, 'title', null);
  const mapped = src ? w.options.images?.(src) : null;
  const shown = mapped ? safeImageSrc(mapped) : null;
  if (shown === null) return alt ? `<span class="image-missing">[${escapeHtml(alt)}]</span>` : '';
  const titleAttr = title ? ` title="${escapeHtmlAttr(String(title))}"` : '';
  return `<img src="${escapeHtmlAttr(shown)}" alt="${escapeHtmlAttr(alt)}"${titleAttr}>`;
}

function linkHref(href: string, w: Writer): string | null {
  const target = w.options.link ? w.options.link(href) : href;
  return safeHref(target);
}

function opener(mark: Mark, w: Writer): string {
  switch (mark.type) {
    case 'bold':
      return '<strong>';
    case 'italic':
      return '<em>';
    case 'strike':
      return '<s>';
    case 'underline':
      return '<u>';
    case 'code':
      return '<code>';
    case 'link': {
      const href = linkHref(String(mark.attrs?.href ?? ''), w);
      // A refused target: the text stays, without a link.
      return href === null ? '<span class="link-removed">' : `<a href="${escapeHtmlAttr(href)}" rel="noopener noreferrer">`;
    }
    // ── editor AI actions (helper D2): AI-generated text keeps its machine-readable mark in HTML ──
    case 'aiGenerated': {
      const data = (['model', 'action', 'at'] as const)
        .map((name) => [name, mark.attrs?.[name]] as const)
        .filter(([, value]) => typeof value === 'string' && value !== '')
        .map(([name, value]) => ` data-ai-${name}="${escapeHtmlAttr(String(value).slice(0, 256))}"`)
        .join('');
      return `<span class="ai-generated" data-ai-generated=""${data}>`;
    }
    // ── end editor AI actions ──
    default:
      return '<span>';
  }
}

function closer(mark: Mark, w: Writer): string {
  switch (mark.type) {
    case 'bold':
      return '</strong>';
    case 'italic':
      return '</em>';
    case 'strike':
      return '</s>';
    case 'underline':
      return '</u>';
    case 'code':
      return '</code>';
    case 'link':
      return linkHref(String(mark.attrs?.href ?? ''), w) === null ? '</span>' : '</a>';
    default:
      return '</span>';
  }
}

/** Text runs with their marks opened and closed as a stack, so that a link spanning runs stays one `<a>`. */
function inline(nodes: JSONContent[], w: Writer): string {
  let out = '';
  const open: Mark[] = [];
  const closeTo = (keep: number) => {
    while (open.length > keep) out += closer(open.pop() as Mark, w);
  };
  for (const node of nodes) {
    if (node.type === 'hardBreak') {
      out += '<br>';
      continue;
    }
    if (node.type === 'image') {
      out += image(node, w);
      continue;
    }
    if (node.type !== 'text') {
      // An unknown inline node: its text.
      closeTo(0);
      out += inline(node.content ?? [], w);
      continue;
    }
    const text = node.text ?? '';
    if (text === '') continue;
    const marks = sortedMarks(node.marks);
    let common = 0;
    while (common < open.length && common < marks.length && sameMark(open[common] as Mark, marks[common] as Mark)) common++;
    closeTo(common);
    for (const mark of marks.slice(common)) {
      out += opener(mark, w);
      open.push(mark);
    }
    out += escapeHtml(text);
  }
  closeTo(0);
  return out;
}
