import * as Y from 'yjs';
import { limitContentDepth } from '../../../../common/src/content-depth.ts';
import { DocumentNotFoundError, type DocumentRef, type DocumentStore } from '../../workspace/collab/document-store.ts';
import { jsonToText } from '../../workspace/content/text.ts';
import { type JSONContent, yDocToJson } from '../../workspace/content/ydoc-json.ts';

/**
 * The document's current text, read from the collaboration store (every acknowledged edit is
 * stored before it is applied: this is what the editors see, not the search index, which may lag).
 * An action's text must come from the document it names: the document's classification decides
 * which models may receive it, so a text of another (say, classified) document must not travel
 * under a lower-level document's name.
 *
 * `text`: plain text as the search and the assistant read it (a summary's input). `letters`: the
 * text nodes only, every whitespace removed — what a selection is compared with. The editor's
 * selection (ProseMirror `textBetween` with block separators) and the stored text differ in their
 * separators (blank lines, tabs between table cells, hard breaks, images' alternative text): once
 * whitespace is gone and leaves are left out, a selection of the document is a substring.
 */
export interface DocumentText {
  text: string;
  letters: string;
}

export async function currentTextOf(store: DocumentStore, ref: DocumentRef): Promise<DocumentText> {
  let state: Uint8Array;
  try {
    ({ state } = await store.load(ref));
  } catch (error) {
    if (error instanceof DocumentNotFoundError) return { text: '', letters: '' }; // created, never written
    throw error;
  }
  const ydoc = new Y.Doc();
  try {
    Y.applyUpdate(ydoc, state);
    const json = limitContentDepth(yDocToJson(ydoc));
    return { text: jsonToText(json), letters: withoutWhitespace(textNodes(json)) };
  } finally {
    ydoc.destroy();
  }
}

/** Whether `selection` is a passage of the document (whitespace aside). */
export function isPassageOf(selection: string, doc: DocumentText): boolean {
  const wanted = withoutWhitespace(selection);
  return wanted !== '' && doc.letters.includes(wanted);
}

const withoutWhitespace = (text: string) => text.normalize('NFC').replace(/\s+/gu, '');

/** The text nodes' text, in document order (iteratively: no recursion on deep content). */
function textNodes(root: JSONContent): string {
  const out: string[] = [];
  const stack: JSONContent[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as JSONContent;
    if (node.type === 'text') out.push(node.text ?? '');
    const children = node.content ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as JSONContent);
  }
  return out.join('');
}
