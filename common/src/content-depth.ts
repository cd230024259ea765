/**
 * How deep a document's content may nest, for every reader of it (server renderers, exports,
 * search, the web's read-only view) and every writer the server controls (collaboration, imports).
 *
 * The editor's schema allows unbounded nesting (a quote in a list item in a quote…), so a hostile
 * editor or file could write content thousands of levels deep, and any code that walks it by
 * recursion would overflow its stack. Nothing legitimate comes near: the HTML import already
 * refuses more than 64 nested elements (content/html-import.ts), and 64 levels of blocks is far
 * beyond what anyone reads. So:
 * - the collaboration server refuses a change that puts an element deeper than this;
 * - every reader first passes content through `limitContentDepth`, which keeps deeper content's
 *   text as plain paragraphs at the limit: the text is never lost, nothing recurses deeper.
 *
 * Depth counts element nodes: a top-level block is at depth 1, a paragraph in a list item of a
 * top-level list at depth 3. Text runs are leaves and do not count.
 */
export const MAX_CONTENT_DEPTH = 64;

/** The shape of ProseMirror JSON this module needs (structurally the editor's JSONContent). */
export interface DepthNode {
  type?: string;
  attrs?: Record<string, unknown>;
  content?: DepthNode[];
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  text?: string;
}

/** Inline leaves a flattened paragraph keeps (with their marks); other leaves stay as blocks. */
const INLINE_LEAVES = new Set(['text', 'hardBreak']);

/**
 * The depth of the deepest element under `root` (root itself at 0), without recursion; stops
 * counting once past `cap`.
 */
export function contentDepth(root: DepthNode, cap = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const stack: [DepthNode, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [DepthNode, number];
    for (const child of node.content ?? []) {
      if (!child || typeof child !== 'object' || INLINE_LEAVES.has(child.type ?? '')) continue;
      const d = depth + 1;
      if (d > deepest) deepest = d;
      if (deepest > cap) return deepest;
      if (Array.isArray(child.content) && child.content.length > 0) stack.push([child, d]);
    }
  }
  return deepest;
}

/**
 * `root` unchanged when no element is deeper than `max`; otherwise a copy where each element at
 * depth `max - 2` that holds more than inline content is replaced, in its parent, by plain
 * paragraphs with the text of each text block under it (marks kept, in document order; block
 * leaves such as images and rules kept as they are) — inside a list item, task item, row or cell
 * when the parent is a list or a table, so the copy is still valid content no deeper than `max`.
 * Never recursive: safe on content of any depth.
 */
export function limitContentDepth<T extends DepthNode>(root: T, max: number = MAX_CONTENT_DEPTH): T {
  if (contentDepth(root, max) <= max) return root;
  // Two levels of room: paragraphs put into a list or a table need an item, row or cell around them.
  const flattenAt = Math.max(1, max - 2);
  const copy: DepthNode = { ...root };
  // Each entry: a source node, its copy (whose content is rebuilt), and the copy's depth.
  const stack: [DepthNode, DepthNode, number][] = [[root, copy, 0]];
  while (stack.length > 0) {
    const [source, target, depth] = stack.pop() as [DepthNode, DepthNode, number];
    if (!Array.isArray(source.content)) continue;
    const content: DepthNode[] = [];
    for (const child of source.content) {
      if (!child || typeof child !== 'object') continue;
      const hasBlocks = Array.isArray(child.content) && child.content.some((c) => c && typeof c === 'object' && !INLINE_LEAVES.has(c.type ?? ''));
      if (depth + 1 >= flattenAt && hasBlocks) {
        const paragraphs = flattened(child);
        if (paragraphs.length > 0) for (const node of wrapFor(source.type, paragraphs)) content.push(node);
        continue;
      }
      const next: DepthNode = { ...child };
      content.push(next);
      if (Array.isArray(child.content)) stack.push([child, next, depth + 1]);
    }
    target.content = content;
  }
  return copy as T;
}

/**
 * The flattened paragraphs as children of a parent of type `parentType`: inside the item, row or
 * cell the schema expects there (so that the editor and every writer read them as usual), else
 * as they are.
 */
function wrapFor(parentType: string | undefined, paragraphs: DepthNode[]): DepthNode[] {
  switch (parentType) {
    case 'bulletList':
    case 'orderedList':
      return [{ type: 'listItem', content: paragraphs }];
    case 'taskList':
      return [{ type: 'taskItem', attrs: { checked: false }, content: paragraphs }];
    case 'table':
      return [{ type: 'tableRow', content: [{ type: 'tableCell', content: paragraphs }] }];
    case 'tableRow':
      return [{ type: 'tableCell', content: paragraphs }];
    default:
      return paragraphs;
  }
}

/** The text blocks under `node` as paragraphs, in document order (iterative, pre-order). */
function flattened(node: DepthNode): DepthNode[] {
  const out: DepthNode[] = [];
  let inline: DepthNode[] = [];
  const flush = () => {
    if (inline.length > 0) out.push({ type: 'paragraph', content: inline });
    inline = [];
  };
  // Blocks are visited in order; a block's direct inline leaves form one paragraph.
  const stack: DepthNode[] = [node];
  while (stack.length > 0) {
    const current = stack.pop() as DepthNode;
    const children = Array.isArray(current.content) ? current.content : [];
    if (children.length === 0) {
      // A leaf block (image, rule) stays; an empty container disappears.
      if (current !== node && current.type !== undefined && !INLINE_LEAVES.has(current.type) && current.content === undefined) {
        flush();
        out.push({ ...current });
      }
      continue;
    }
    const textblock = children.some((c) => c && typeof c === 'object' && INLINE_LEAVES.has(c.type ?? ''));
    if (textblock) {
      flush();
      // The inline leaves of this block, including those of unknown inline wrappers, in order.
      const inner: DepthNode[] = [...children].reverse();
      while (inner.length > 0) {
        const c = inner.pop() as DepthNode;
        if (!c || typeof c !== 'object') continue;
        if (c.type === 'text' && typeof c.text === 'string' && c.text !== '') inline.push(c.marks ? { type: 'text', text: c.text, marks: c.marks } : { type: 'text', text: c.text });
        else if (c.type === 'hardBreak') inline.push({ type: 'hardBreak' });
        else if (Array.isArray(c.content)) for (let i = c.content.length - 1; i >= 0; i--) inner.push(c.content[i] as DepthNode);
      }
      flush();
      continue;
    }
    for (let i = children.length - 1; i >= 0; i--) {
      const c = children[i];
      if (c && typeof c === 'object') stack.push(c);
    }
  }
  flush();
  return out;
}
