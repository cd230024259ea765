import * as Y from 'yjs';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Cells } from '../../platform/cells/cells.ts';
import { openDocumentBytes, sealDocumentBytes } from '../collab/sealed-update.ts';
import { type JSONContent, replaceFragmentContent, FRAGMENT_NAME, yDocToJson } from '../content/ydoc-json.ts';
import type { VersionRow } from './versions.repo.ts';

/**
 * A version's bytes: the document's whole Yjs state when it was taken, encrypted with the space's
 * data key like the log and the snapshots (same scheme, purpose `version`, bound to the document
 * and the epoch it was taken in).
 */
export interface DocumentRef {
  documentId: string;
  spaceId: string;
  jurisdiction: Jurisdiction;
}

export async function sealVersionState(cells: Cells, ref: DocumentRef, epoch: number, state: Uint8Array): Promise<{ key_version: number; state: Uint8Array }> {
  const cell = cells.get(ref.jurisdiction);
  // On the plain handle, never inside a transaction (PGlite has one connection).
  const key = await cell.keyring.getOrCreateDataKey(cell.db, { type: 'space', id: ref.spaceId });
  return { key_version: key.version, state: sealDocumentBytes(key, 'version', ref.documentId, epoch, state) };
}

export async function openVersionState(cells: Cells, ref: DocumentRef, row: Pick<VersionRow, 'key_version' | 'epoch' | 'state'>): Promise<Uint8Array> {
  const cell = cells.get(ref.jurisdiction);
  const key = await cell.keyring.getDataKey(cell.db, { type: 'space', id: ref.spaceId }, row.key_version);
  return openDocumentBytes(key, 'version', ref.documentId, row.epoch, row.state);
}

export function stateToJson(state: Uint8Array): JSONContent {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const json = yDocToJson(doc);
  doc.destroy();
  return json;
}

/**
 * The Yjs update that turns the document `current` into `target`'s content: applied on top of the
 * live document, it is a new change like any other (everyone connected receives it; history is
 * kept), not a rewrite. Only the fragment's children are replaced, as one transaction.
 */
export function restoreUpdate(current: Uint8Array, target: JSONContent): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, current);
  const before = Y.encodeStateVector(doc);
  doc.transact(() => replaceFragmentContent(doc.getXmlFragment(FRAGMENT_NAME), target.content ?? []));
  const update = Y.encodeStateAsUpdate(doc, before);
  doc.destroy();
  return update;
}
