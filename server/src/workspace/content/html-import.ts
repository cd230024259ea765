import { type DefaultTreeAdapterMap, parse } from 'parse5';
import type { Mark } from './inline.ts';
import type { JSONContent } from './ydoc-json.ts';

/**
 * HTML → ProseMirror JSON of the editor's schema, by allow-list: the one way imported content
 * (Markdown through markdown-it, DOCX through mammoth, HTML files) reaches a document.
 *
 * Only nodes, marks and attributes of the schema are ever produced (web/src/features/workspace/
 * editor/extensions.ts: paragraph, heading, lists, task lists, blockquote, callout, code block,
 * horizontal rule, image, tables; bold, italic, strike, underline, code, link). Nothing of the
 * input is copied as markup: no attribute passes except those mapped here (so no event handler,
 * no style, no class), and:
 * - links keep only http, https and mailto targets, or what the caller maps (a relative link to
 *   another file of the same import). The target is read as a browser would — entities decoded by
 *   the parser, tabs, newlines and controls removed, spaces trimmed — so `JaVaScRiPt:`,
 *   `&#106;avascript:` or `  java\tscript:` are seen for what they are: the text stays, the link goes;
 * - images keep only what the caller maps (`image`): a `data:` raster image or a file of the same
 *   import, which the caller stores through images/; a remote address is never fetched;
 * - script, style, frames, objects, forms and their controls, SVG, MathML, media, meta and
 *   templates are dropped with what they contain.
 * Every drop is counted by kind for the import's report. Depth, node count and text length are
 * bounded (`HtmlImportLimits`): beyond them the file is refused as a whole (`ContentImportError`),
 * never half converted.
 */
export interface HtmlImportLimits {
  /** Elements nested inside each other. */
  maxDepth: number;
  /** Elements and text nodes of the input. */
  maxNodes: number;
  /** Characters of text kept. */
  maxTextLength: number;
}

export const DEFAULT_HTML_IMPORT_LIMITS: HtmlImportLimits = { maxDepth: 64, maxNodes: 100_000, maxTextLength: 2_000_000 };

/** Why something was left out, for the report (`imports.dropped.<kind>` in the catalog). */
export type DroppedKind =
  | 'script'
  | 'style'
  | 'frame'
  | 'form'
  | 'media'
  | 'meta'
  | 'unsafe_link'
  | 'unresolved_link'
  | 'remote_image'
  | 'unsupported_image'
  | 'unresolved_image'
  | 'image_limit';

/** What the caller makes of an image's `src`: the address to store in the document, or why not. */
export type ImageResolution = { src: string } | { dropped: DroppedKind };

export interface HtmlImportOptions {
  /** An image's (entity-decoded) `src` → stored address, or why it is dropped. Default: every image dropped. */
  image?: (src: string) => ImageResolution;
  /** A relative link (no scheme) → the address to keep, or null to keep only the text. */
  link?: (href: string) => string | null;
  limits?: Partial<HtmlImportLimits>;
}

export interface HtmlImportResult {
  json: JSONContent;
  dropped: Partial<Record<DroppedKind, number>>;
}

export class ContentImportError extends Error {
  readonly reason: 'too_deep' | 'too_many_nodes' | 'text_too_long';
  constructor(reason: ContentImportError['reason']) {
    super(`The content cannot be imported: ${reason}`);
    this.name = 'ContentImportError';
    this.reason = reason;
  }
}

type Node = DefaultTreeAdapterMap['childNode'];
type Element = DefaultTreeAdapterMap['element'];
type ParentNode = DefaultTreeAdapterMap['parentNode'];

/** Dropped with their content, by kind. */
const DROPPED: Record<string, DroppedKind | null> = {
  script: 'script',
  noscript: 'script',
  template: 'script',
  style: 'style',
  // A page's stylesheets and character set: not content, nothing to report.
  link: null,
  iframe: 'frame',
  frame: 'frame',
  frameset: 'frame',
  object: 'frame',
  embed: 'frame',
  applet: 'frame',
  portal: 'frame',
  input: 'form',
  button: 'form',
  select: 'form',
  textarea: 'form',
  datalist: 'form',
  output: 'form',
  svg: 'media',
  math: 'media',
  canvas: 'media',
  video: 'media',
  audio: 'media',
  picture: null,
  map: 'media',
  meta: 'meta',
  base: 'meta',
  // Not content: the page's own title, a dialog's controls.
  title: null,
  dialog: 'form',
};

const BLOCK_CONTAINERS = new Set([
  'html',
  'body',
  'head',
  'div',
  'section',
  'article',
  'main',
  'header',
  'footer',
  'nav',
  'aside',
  'figure',
  'figcaption',
  'details',
  'summary',
  'dl',
  'dt',
  'dd',
  'address',
  'center',
  'fieldset',
  'legend',
  'hgroup',
  'search',
]);

const MARK_TAGS: Record<string, string> = {
  strong: 'bold',
  b: 'bold',
  em: 'italic',
  i: 'italic',
  cite: 'italic',
  dfn: 'italic',
  s: 'strike',
  del: 'strike',
  strike: 'strike',
  u: 'underline',
  ins: 'underline',
  code: 'code',
  kbd: 'code',
  samp: 'code',
  tt: 'code',
};

const HEADINGS: Record<string, number> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };
/** Tabs, newlines and controls are removed by browsers before they read a URL's scheme. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
const URL_INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u2060\ufeff]/g;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const MAX_ATTR_TEXT = 500;
const MAX_SPAN = 100;
const LANGUAGE = /^[a-z0-9][a-z0-9+#._-]{0,31}$/i;

export function htmlToJson(html: string, options: HtmlImportOptions = {}): HtmlImportResult {
  const limits = { ...DEFAULT_HTML_IMPORT_LIMITS, ...options.limits };
  const converter = new Converter(options, limits);
  // A whole page or a fragment: the parser builds html/head/body around a fragment anyway.
  const tree = parse(html);
  const blocks = finishBlocks(converter.blocksOf(tree, [], 0));
  // The schema's document holds at least one block.
  return { json: { type: 'doc', content: blocks.length > 0 ? blocks : [{ type: 'paragraph' }] }, dropped: converter.dropped };
}

/** Safe link target for an http(s)/mailto address, or null. Exported for the tests and the importer. */
export function safeHref(raw: string): string | null {
  const href = raw.replace(URL_INVISIBLE, '').trim();
  if (href === '') return null;
  const scheme = SCHEME.exec(href)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') {
    try {
      const url = new URL(href);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch {
      return null;
    }
  }
  if (scheme === 'mailto') return /^mailto:[^\s<>"]+$/i.test(href) ? href : null;
  return null;
}

/** The scheme of a link or image address as a browser reads it (null: relative). */
export function schemeOf(raw: string): string | null {
  const href = raw.replace(URL_INVISIBLE, '').trim();
  if (href.startsWith('//')) return 'https';
  return SCHEME.exec(href)?.[1]?.toLowerCase() ?? null;
}

class Converter {
  readonly dropped: Partial<Record<DroppedKind, number>> = {};
  readonly #options: HtmlImportOptions;
  readonly #limits: HtmlImportLimits;
  #nodes = 0;
  #text = 0;

  constructor(options: HtmlImportOptions, limits: HtmlImportLimits) {
    this.#options = options;
    this.#limits = limits;
  }

  drop(kind: DroppedKind): void {
    this.dropped[kind] = (this.dropped[kind] ?? 0) + 1;
  }

  /** The block nodes made of `parent`'s children. */
  blocksOf(parent: ParentNode, marks: Mark[], depth: number): JSONContent[] {
    const out = new Blocks();
    for (const child of parent.childNodes) this.#block(child, out, marks, depth + 1);
    return out.finish();
  }

  #count(depth: number): void {
    if (depth > this.#limits.maxDepth) throw new ContentImportError('too_deep');
    if (++this.#nodes > this.#limits.maxNodes) throw new ContentImportError('too_many_nodes');
  }

  #addText(value: string, out: Blocks, marks: Mark[], preformatted = false): void {
    const text = preformatted ? value : value.replace(/[\t\n\f\r ]+/g, ' ');
    if (text === '') return;
    this.#text += text.length;
    if (this.#text > this.#limits.maxTextLength) throw new ContentImportError('text_too_long');
    out.inline.push(textNode(text, marks));
  }

  #block(node: Node, out: Blocks, marks: Mark[], depth: number): void {
    this.#count(depth);
    if (node.nodeName === '#text') {
      this.#addText((node as DefaultTreeAdapterMap['textNode']).value, out, marks);
      return;
    }
    if (!('tagName' in node)) return; // comments, doctype
    const element = node as Element;
    const tag = element.tagName.toLowerCase();
    // Foreign content (SVG, MathML) is dropped whole, whatever its tag names.
    if (element.namespaceURI !== 'http://www.w3.org/1999/xhtml') {
      this.drop('media');
      return;
    }
    if (tag in DROPPED) {
      const kind = DROPPED[tag];
      if (tag === 'picture') {
        this.#children(element, out, marks, depth);
        return;
      }
      // `<meta charset>` is harmless noise; `<meta http-equiv="refresh">` and the like are reported.
      if (tag === 'meta' && attribute(element, 'http-equiv') === null) return;
      if (kind) this.drop(kind);
      return;
    }
    if (tag === 'form') {
      // The form goes (its controls are dropped one by one); the words around them stay.
      this.drop('form');
      out.flush();
      this.#children(element, out, marks, depth);
      out.flush();
      return;
    }
    if (tag === 'br') {
      out.inline.push({ type: 'hardBreak' });
      return;
    }
    if (tag === 'img') {
      this.#image(element, out);
      return;
    }
    const heading = HEADINGS[tag];
    if (heading) {
      out.flush();
      const inner = new Blocks();
      this.#children(element, inner, marks, depth);
      // A heading is one line of text: blocks inside it are flattened, images follow it.
      const { inline, lifted } = inner.flatten();
      const content = trimInline(inline);
      if (content.length > 0) out.blocks.push({ type: 'heading', attrs: { level: heading }, content });
      out.blocks.push(...lifted);
      return;
    }
    switch (tag) {
      case 'p':
        out.flush();
        this.#children(element, out, marks, depth);
        out.flush();
        return;
      case 'ul':
      case 'ol':
        out.flush();
        this.#list(element, out, marks, depth);
        return;
      case 'li':
        // A list item outside a list (malformed input): its content as blocks.
        out.flush();
        this.#children(element, out, marks, depth);
        out.flush();
        return;
      case 'blockquote': {
        out.flush();
        const content = this.blocksOf(element, marks, depth);
        if (content.length > 0) out.blocks.push({ type: 'blockquote', content });
        return;
      }
      case 'pre':
        out.flush();
        this.#codeBlock(element, out, depth);
        return;
      case 'hr':
        out.flush();
        out.blocks.push({ type: 'horizontalRule' });
        return;
      case 'table':
        out.flush();
        this.#table(element, out, marks, depth);
        return;
      case 'a':
        this.#link(element, out, marks, depth);
        return;
    }
    const mark = MARK_TAGS[tag];
    if (mark) {
      // Inline code excludes every other mark in the editor's schema.
      const next = mark === 'code' ? [{ type: 'code' }] : marks.some((m) => m.type === 'code' || m.type === mark) ? marks : [...marks, { type: mark }];
      this.#children(element, out, next, depth);
      return;
    }
    if (BLOCK_CONTAINERS.has(tag)) {
      out.flush();
      this.#children(element, out, marks, depth);
      out.flush();
      return;
    }
    // Any other element (span, font, mark, sup, abbr, an unknown tag…): its content only.
    this.#children(element, out, marks, depth);
  }

  #children(element: Element, out: Blocks, marks: Mark[], depth: number): void {
    for (const child of element.childNodes) this.#block(child, out, marks, depth + 1);
  }

  #image(element: Element, out: Blocks): void {
    const src = attribute(element, 'src');
    if (!src) return;
    const resolved = this.#options.image?.(src) ?? { dropped: schemeOf(src) === 'http' || schemeOf(src) === 'https' ? 'remote_image' : 'unresolved_image' };
    if ('dropped' in resolved) {
      this.drop(resolved.dropped);
      // The description stays readable where the picture was.
      const alt = attribute(element, 'alt')?.trim();
      if (alt) out.inline.push(textNode(`[${alt.slice(0, MAX_ATTR_TEXT)}]`, []));
      return;
    }
    out.flush();
    const attrs: Record<string, unknown> = { src: resolved.src };
    const alt = attribute(element, 'alt');
    const title = attribute(element, 'title');
    if (alt) attrs.alt = alt.slice(0, MAX_ATTR_TEXT);
    if (title) attrs.title = title.slice(0, MAX_ATTR_TEXT);
    out.blocks.push({ type: 'image', attrs });
  }

  #link(element: Element, out: Blocks, marks: Mark[], depth: number): void {
    const raw = attribute(element, 'href');
    let href: string | null = null;
    if (raw !== null && raw.trim() !== '' && !raw.trim().startsWith('#')) {
      const scheme = schemeOf(raw);
      if (scheme === null) {
        href = this.#options.link?.(raw.replace(URL_INVISIBLE, '').trim()) ?? null;
        if (href === null) this.drop('unresolved_link');
      } else {
        href = safeHref(raw.trim().startsWith('//') ? `https:${raw.trim()}` : raw);
        if (href === null) this.drop('unsafe_link');
      }
    }
    const code = marks.some((m) => m.type === 'code');
    const next = href && !code ? [...marks.filter((m) => m.type !== 'link'), { type: 'link', attrs: { href } }] : marks;
    this.#children(element, out, next, depth);
  }

  #list(element: Element, out: Blocks, marks: Mark[], depth: number): void {
    const ordered = element.tagName.toLowerCase() === 'ol';
    const items: JSONContent[] = [];
    let task = true;
    for (const child of element.childNodes) {
      this.#count(depth + 1);
      if (child.nodeName === '#text' && (child as DefaultTreeAdapterMap['textNode']).value.trim() === '') continue;
      const inner = new Blocks();
      let checked: boolean | null = null;
      if ('tagName' in child && (child as Element).tagName.toLowerCase() === 'li') {
        const li = child as Element;
        checked = checkboxOf(li);
        this.#children(li, inner, marks, depth + 1);
      } else {
        this.#block(child, inner, marks, depth + 1);
      }
      const content = inner.finish();
      if (checked === null) task = false;
      // A list item starts with a paragraph in the editor's schema.
      if (content[0]?.type !== 'paragraph') content.unshift({ type: 'paragraph' });
      items.push({ type: 'listItem', attrs: { checked }, content });
    }
    if (items.length === 0) return;
    if (task) {
      out.blocks.push({ type: 'taskList', content: items.map((item) => ({ type: 'taskItem', attrs: { checked: item.attrs?.checked === true }, content: item.content })) });
      return;
    }
    const plain = items.map((item) => ({ type: 'listItem', content: item.content }));
    if (ordered) {
      const start = Number.parseInt(attribute(element, 'start') ?? '1', 10);
      out.blocks.push({ type: 'orderedList', attrs: { start: Number.isFinite(start) ? Math.min(1_000_000, Math.max(0, start)) : 1 }, content: plain });
    } else {
      out.blocks.push({ type: 'bulletList', content: plain });
    }
  }

  #codeBlock(element: Element, out: Blocks, depth: number): void {
    const parts: string[] = [];
    let language: string | null = null;
    const walk = (node: Node, level: number) => {
      this.#count(level);
      if (node.nodeName === '#text') {
        parts.push((node as DefaultTreeAdapterMap['textNode']).value);
        return;
      }
      if (!('tagName' in node)) return;
      const el = node as Element;
      const tag = el.tagName.toLowerCase();
      if (tag in DROPPED && tag !== 'picture') {
        const kind = DROPPED[tag];
        if (kind) this.drop(kind);
        return;
      }
      if (tag === 'br') {
        parts.push('\n');
        return;
      }
      if (tag === 'code' && language === null) {
        const match = /(?:^|\s)(?:language|lang)-(\S+)/.exec(attribute(el, 'class') ?? '');
        if (match?.[1] && LANGUAGE.test(match[1])) language = match[1];
      }
      for (const child of el.childNodes) walk(child, level + 1);
    };
    for (const child of element.childNodes) walk(child, depth + 1);
    // The parser drops the newline right after <pre>; markdown-it ends blocks with one.
    const text = parts.join('').replace(/\n$/, '');
    this.#text += text.length;
    if (this.#text > this.#limits.maxTextLength) throw new ContentImportError('text_too_long');
    const block: JSONContent = { type: 'codeBlock', attrs: { language } };
    if (text !== '') block.content = [{ type: 'text', text }];
    out.blocks.push(block);
  }

  #table(element: Element, out: Blocks, marks: Mark[], depth: number): void {
    const rows: JSONContent[] = [];
    const captions: JSONContent[] = [];
    const addRow = (tr: Element, level: number, header: boolean) => {
      const cells: JSONContent[] = [];
      for (const cell of tr.childNodes) {
        this.#count(level + 1);
        if (!('tagName' in cell)) continue;
        const td = cell as Element;
        const tag = td.tagName.toLowerCase();
        if (tag !== 'td' && tag !== 'th') continue;
        const content = this.blocksOf(td, marks, level + 1);
        if (content.length === 0) content.push({ type: 'paragraph' });
        cells.push({
          type: tag === 'th' || header ? 'tableHeader' : 'tableCell',
          attrs: { colspan: span(attribute(td, 'colspan')), rowspan: span(attribute(td, 'rowspan')) },
          content,
        });
      }
      if (cells.length > 0) rows.push({ type: 'tableRow', content: cells });
    };
    for (const child of element.childNodes) {
      this.#count(depth + 1);
      if (!('tagName' in child)) continue;
      const el = child as Element;
      const tag = el.tagName.toLowerCase();
      if (tag === 'caption') captions.push(...this.blocksOf(el, marks, depth + 1));
      else if (tag === 'tr') addRow(el, depth + 1, false);
      else if (tag === 'thead' || tag === 'tbody' || tag === 'tfoot') {
        for (const tr of el.childNodes) {
          this.#count(depth + 2);
          if ('tagName' in tr && (tr as Element).tagName.toLowerCase() === 'tr') addRow(tr as Element, depth + 2, tag === 'thead');
        }
      }
    }
    out.blocks.push(...captions);
    if (rows.length > 0) out.blocks.push({ type: 'table', content: rows });
  }
}

/** Blocks being collected, with the inline content of the paragraph in progress. */
class Blocks {
  readonly blocks: JSONContent[] = [];
  inline: JSONContent[] = [];

  /** Ends the paragraph in progress (if it holds anything but spaces). */
  flush(): void {
    const content = trimInline(this.inline);
    this.inline = [];
    if (content.length > 0) this.blocks.push({ type: 'paragraph', content });
  }

  finish(): JSONContent[] {
    this.flush();
    return this.blocks;
  }

  /** Everything as one line of inline content, and the images found (for a heading). */
  flatten(): { inline: JSONContent[]; lifted: JSONContent[] } {
    const inline: JSONContent[] = [];
    const lifted: JSONContent[] = [];
    const add = (nodes: JSONContent[]) => {
      for (const node of nodes) {
        if (node.type === 'text' || node.type === 'hardBreak') inline.push(node);
        else if (node.type === 'image') lifted.push(node);
        else if (node.content) {
          if (inline.length > 0) inline.push(textNode(' ', []));
          add(node.content);
        }
      }
    };
    add(this.blocks);
    if (inline.length > 0 && this.inline.length > 0) inline.push(textNode(' ', []));
    inline.push(...this.inline);
    return { inline: inline.filter((n) => n.type === 'text'), lifted };
  }
}

function textNode(text: string, marks: Mark[]): JSONContent {
  return marks.length > 0 ? { type: 'text', text, marks: marks.map((m) => ({ ...m })) } : { type: 'text', text };
}

/** Leading and trailing spaces and breaks removed, adjacent spaces merged across runs. */
function trimInline(nodes: JSONContent[]): JSONContent[] {
  const out: JSONContent[] = [];
  for (const node of nodes) {
    if (node.type === 'text') {
      let text = node.text ?? '';
      const previous = out[out.length - 1];
      const afterSpace = out.length === 0 || previous?.type === 'hardBreak' || (previous?.type === 'text' && previous.text?.endsWith(' '));
      if (afterSpace && !isCode(node)) text = text.replace(/^ +/, '');
      if (text === '') continue;
      out.push({ ...node, text });
    } else {
      out.push(node);
    }
  }
  while (out.length > 0) {
    const last = out[out.length - 1] as JSONContent;
    if (last.type === 'hardBreak') {
      out.pop();
      continue;
    }
    if (last.type === 'text' && !isCode(last)) {
      const text = (last.text ?? '').replace(/ +$/, '');
      if (text === '') {
        out.pop();
        continue;
      }
      last.text = text;
    }
    break;
  }
  return out;
}

const isCode = (node: JSONContent) => node.marks?.some((m) => m.type === 'code') === true;

function attribute(element: Element, name: string): string | null {
  return element.attrs.find((a) => a.name === name)?.value ?? null;
}

function span(value: string | null): number {
  const n = Number.parseInt(value ?? '1', 10);
  return Number.isFinite(n) ? Math.min(MAX_SPAN, Math.max(1, n)) : 1;
}

/** A list item that starts with a checkbox (a task): its state; null otherwise. */
function checkboxOf(li: Element): boolean | null {
  for (const child of li.childNodes) {
    if (child.nodeName === '#text' && (child as DefaultTreeAdapterMap['textNode']).value.trim() === '') continue;
    let el = 'tagName' in child ? (child as Element) : null;
    // `<li><p><input type=checkbox> …` as some converters write it.
    if (el?.tagName.toLowerCase() === 'p' || el?.tagName.toLowerCase() === 'label') {
      el = (el.childNodes.find((c) => 'tagName' in c) as Element | undefined) ?? null;
    }
    if (el?.tagName.toLowerCase() === 'input' && attribute(el, 'type')?.toLowerCase() === 'checkbox') return attribute(el, 'checked') !== null;
    return null;
  }
  return null;
}

/**
 * GitHub-flavoured conventions markdown-it leaves as text: task lists (`- [ ] …`, `- [x] …`) and
 * alerts (`> [!NOTE]` … → a callout), as our own Markdown export writes them.
 */
const ALERT = /^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*/i;
const ALERT_TONE: Record<string, string> = { NOTE: 'info', IMPORTANT: 'info', TIP: 'success', WARNING: 'warning', CAUTION: 'danger' };
const TASK = /^\[( |x|X)\]\s+/;

function finishBlocks(blocks: JSONContent[]): JSONContent[] {
  return blocks.flatMap(finishBlock);
}

function finishBlock(node: JSONContent): JSONContent[] {
  const content = node.content?.flatMap((child) => (child.type === 'text' ? [child] : finishBlock(child)));
  const next: JSONContent = content ? { ...node, content } : { ...node };
  if (next.type === 'bulletList' && content && content.some((item) => TASK.test(firstText(item) ?? ''))) {
    // Consecutive task items become a task list, the others stay a bullet list (CommonMark joins
    // `- a` and `- [ ] b` separated by a blank line into one list).
    const lists: JSONContent[] = [];
    for (const item of content) {
      const task = TASK.test(firstText(item) ?? '');
      const type = task ? 'taskList' : 'bulletList';
      let list = lists[lists.length - 1];
      if (list?.type !== type) {
        list = { type, content: [] };
        lists.push(list);
      }
      if (task) {
        const checked = /^\[(x|X)\]/.test(firstText(item) ?? '');
        list.content?.push({ type: 'taskItem', attrs: { checked }, content: stripFirstText(item, TASK).content });
      } else {
        list.content?.push(item);
      }
    }
    return lists;
  }
  if (next.type === 'blockquote' && content) {
    const match = ALERT.exec(firstText(next) ?? '');
    if (match?.[1]) {
      const body = stripFirstText(next, ALERT).content ?? [];
      const blocks = body.filter((b, i) => !(i === 0 && b.type === 'paragraph' && (b.content?.length ?? 0) === 0));
      return [{ type: 'callout', attrs: { tone: ALERT_TONE[match[1].toUpperCase()] ?? 'info' }, content: blocks.length > 0 ? blocks : [{ type: 'paragraph' }] }];
    }
  }
  return [next];
}

/** The text at the very start of a block (its first paragraph's first text run). */
function firstText(node: JSONContent): string | null {
  const first = node.content?.[0];
  if (!first) return null;
  if (first.type === 'text') return first.text ?? null;
  return first.type === 'paragraph' ? (first.content?.[0]?.type === 'text' ? (first.content[0].text ?? null) : null) : null;
}

function stripFirstText(node: JSONContent, pattern: RegExp): JSONContent {
  const [first, ...rest] = node.content ?? [];
  if (first?.type !== 'paragraph') return node;
  const [text, ...inline] = first.content ?? [];
  const remaining = (text?.text ?? '').replace(pattern, '').replace(/^\s+/, '');
  const paragraph: JSONContent = { type: 'paragraph', content: [...(remaining ? [{ ...text, text: remaining }] : []), ...inline] };
  // A hard break right after the marker (`[!NOTE]` on its own line) goes with it.
  if (paragraph.content?.[0]?.type === 'hardBreak') paragraph.content.shift();
  if ((paragraph.content?.length ?? 0) === 0) delete paragraph.content;
  return { ...node, content: [paragraph, ...rest] };
}
