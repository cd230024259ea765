import * as Y from 'yjs';

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

export function yDocToJson(doc: Y.Doc): JSONContent {
  return { type: 'doc', content: fragmentToJson(doc.getXmlFragment(FRAGMENT_NAME)) };
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

export function fragmentToJson(fragment: Y.XmlFragment | Y.XmlElement): JSONContent[] {
  const out: JSONContent[] = [];
  for (const child of fragment.toArray()) {
    if (child instanceof Y.XmlText) out.push(...textToJson(child));
    else if (child instanceof Y.XmlElement) out.push(elementToJson(child));
    // Y.XmlHook and other types are never written by the editor: ignored.
  }
  return out;
}

function elementToJson(element: Y.XmlElement): JSONContent {
  const node: JSONContent = { type: element.nodeName };
  const attrs = element.getAttributes() as Record<string, unknown>;
  if (Object.keys(attrs).length > 0) node.attrs = attrs;
  const content = fragmentToJson(element);
  if (content.length > 0) node.content = content;
  return node;
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
