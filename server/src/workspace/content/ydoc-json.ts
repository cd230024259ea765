import * as Y from 'yjs';
import { limitContentDepth } from '../../../../common/src/content-depth.ts';

/**
 * ProseMirror JSON ⇄ Yjs, with the exact encoding Tiptap 3's Collaboration extension uses
 * (`@tiptap/y-tiptap`, a y-prosemirror fork), so that a document written here opens unchanged in
 * the editor and an editor's document reads back here:
 *
 * - the document is the `Y.XmlFragment` named `default`;
 * - an element node is a `Y.XmlElement` whose nodeName is the node type and whose attributes are
 *   the node's attrs (null attrs are not stored: the editor's schema restores their defaults);
 * - each run of adjacent text nodes is one `Y.XmlText`; a mark is a formatting attribute whose
 *   key is the mark name and whose value is the mark's attrs object (`{}` for bold, italic…).
 *   Marks that may overlap themselves are keyed `name--hash` by y-tiptap: the suffix is dropped
 *   when reading.
 *
 * No schema is applied here (the server must not depend on the editor): the JSON is trusted to be
 * the editor's, and unknown nodes survive the round trip unchanged.
 */
export interface JSONContent {
  type?: string;
  attrs?: Record<string, unknown>;
  content?: JSONContent[];
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  text?: string;
}

/** The fragment Tiptap's Collaboration extension binds to by default. */
export const FRAGMENT_NAME = 'default';

const HASHED_MARK = /^(.*)--[a-zA-Z0-9+/=]{8}$/;

/**
 * The document as JSON, never deeper than MAX_CONTENT_DEPTH (common/src/content-depth.ts): deeper
 * content, which only a hostile client writes, comes back as its text in plain paragraphs, so that
 * every reader of this JSON (exports, search, public pages, versions) stays within the limit.
 */
export function yDocToJson(doc: Y.Doc): JSONContent {
  return limitContentDepth({ type: 'doc', content: fragmentToJson(doc.getXmlFragment(FRAGMENT_NAME)) });
}

/** Fills the `default` fragment of `doc` with `json`'s content (replacing what it held). */
export function jsonToYDoc(json: JSONContent, doc: Y.Doc = new Y.Doc()): Y.Doc {
  doc.transact(() => replaceFragmentContent(doc.getXmlFragment(FRAGMENT_NAME), json.content ?? []));
  return doc;
}

/** Replaces a fragment's children by `nodes` (call inside a transaction to make it one change). */
export function replaceFragmentContent(fragment: Y.XmlFragment, nodes: JSONContent[]): void {
  if (fragment.length > 0) fragment.delete(0, fragment.length);
  fragment.insert(0, nodesToTypes(nodes));
}

/** The children of a fragment or element as JSON, at any depth: iterative, never recursive. */
export function fragmentToJson(fragment: Y.XmlFragment | Y.XmlElement): JSONContent[] {
  const root: JSONContent[] = [];
  const stack: [Y.XmlFragment | Y.XmlElement, JSONContent[]][] = [[fragment, root]];
  while (stack.length > 0) {
    const [parent, out] = stack.pop() as [Y.XmlFragment | Y.XmlElement, JSONContent[]];
    for (const child of parent.toArray()) {
      if (child instanceof Y.XmlText) {
        for (const node of textToJson(child)) out.push(node);
      } else if (child instanceof Y.XmlElement) {
        const node: JSONContent = { type: child.nodeName };
        const attrs = child.getAttributes() as Record<string, unknown>;
        if (Object.keys(attrs).length > 0) node.attrs = attrs;
        out.push(node);
        if (child.length > 0) {
          const content: JSONContent[] = [];
          node.content = content;
          stack.push([child, content]);
        }
      }
      // Y.XmlHook and other types are never written by the editor: ignored.
    }
  }
  dropEmptyContent(root);
  return root;
}

/** An element whose children gave nothing (only empty text) has no `content`, as the editor writes it. */
function dropEmptyContent(nodes: JSONContent[]): void {
  const stack: JSONContent[] = [...nodes];
  while (stack.length > 0) {
    const node = stack.pop() as JSONContent;
    if (!node.content) continue;
    if (node.content.length === 0) delete node.content;
    else for (const child of node.content) stack.push(child);
  }
}

function textToJson(text: Y.XmlText): JSONContent[] {
  const out: JSONContent[] = [];
  for (const op of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    // Embeds are never written by the editor; an empty string is not a valid text node.
    if (typeof op.insert !== 'string' || op.insert === '') continue;
    const node: JSONContent = { type: 'text', text: op.insert };
    const marks = Object.entries(op.attributes ?? {}).map(([key, value]) => {
      const mark: { type: string; attrs?: Record<string, unknown> } = { type: HASHED_MARK.exec(key)?.[1] ?? key };
      if (value && typeof value === 'object' && Object.keys(value).length > 0) mark.attrs = value as Record<string, unknown>;
      return mark;
    });
    if (marks.length > 0) node.marks = marks;
    out.push(node);
  }
  return out;
}

function nodesToTypes(nodes: JSONContent[]): (Y.XmlElement | Y.XmlText)[] {
  const out: (Y.XmlElement | Y.XmlText)[] = [];
  let run: JSONContent[] = [];
  const flush = () => {
    if (run.length > 0) out.push(textRunToType(run));
    run = [];
  };
  for (const node of nodes) {
    if (node.type === 'text') {
      if (node.text) run.push(node);
      continue;
    }
    flush();
    out.push(elementToType(node));
  }
  flush();
  return out;
}

function elementToType(node: JSONContent): Y.XmlElement {
  const element = new Y.XmlElement(node.type ?? 'paragraph');
  for (const [key, value] of Object.entries(node.attrs ?? {})) {
    // As y-tiptap: null means "the default", which the editor's schema fills in.
    if (value !== null && value !== undefined && key !== 'ychange') element.setAttribute(key, value as string);
  }
  element.insert(0, nodesToTypes(node.content ?? []));
  return element;
}

function textRunToType(run: JSONContent[]): Y.XmlText {
  const text = new Y.XmlText();
  text.applyDelta(
    run.map((node) => {
      const attributes: Record<string, unknown> = {};
      for (const mark of node.marks ?? []) attributes[mark.type] = mark.attrs ?? {};
      return { insert: node.text, attributes };
    }),
  );
  return text;
}
