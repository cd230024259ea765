import * as Y from 'yjs';
import type { Entente } from '../../src/entente.ts';

/**
 * A comment anchor on a document's stored text, as the editor makes it: Yjs relative positions of
 * the first paragraph-like element whose text holds `words` (base64, as the comments API takes).
 */
export async function storedAnchorOf(entente: Entente, ref: { documentId: string; spaceId: string; jurisdiction: 'FR' | 'QC' }, words: string): Promise<{ start: string; end: string }> {
  const { state } = await entente.collab.store.load(ref);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const fragment = doc.getXmlFragment('default');
  for (let i = 0; i < fragment.length; i++) {
    const node = fragment.get(i);
    const text = node instanceof Y.XmlElement ? node.get(0) : null;
    if (!(text instanceof Y.XmlText)) continue;
    const at = text.toString().indexOf(words);
    if (at < 0) continue;
    const encode = (index: number, assoc: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, index, assoc))).toString('base64');
    return { start: encode(at, 0), end: encode(at + words.length, -1) };
  }
  throw new Error(`« ${words} » is not in the document`);
}
