/**
 * The copies of documents this browser keeps in IndexedDB, one database per document and epoch:
 * `entente-doc-<documentId>-e<epoch>`. A copy of an older epoch is never opened next to a newer
 * one (that would merge old content back); when it still holds edits the server never confirmed,
 * it is kept as a draft (« brouillon ») the agent can read and copy from, otherwise it is deleted.
 *
 * Whether a copy holds unconfirmed edits is a flag in localStorage, set on the first local edit
 * and cleared when the server has acknowledged every update (see session.ts).
 */
const PREFIX = 'entente-doc-';
const UNSYNCED = 'entente-unsynced:';

export const copyName = (documentId: string, epoch: number) => `${PREFIX}${documentId}-e${epoch}`;

export function markUnsynced(name: string): void {
  try {
    if (localStorage.getItem(UNSYNCED + name) !== '1') localStorage.setItem(UNSYNCED + name, '1');
  } catch {
    // storage refused (private mode): the copy is still in IndexedDB, only the draft marker is lost
  }
}

export function markSynced(name: string): void {
  try {
    localStorage.removeItem(UNSYNCED + name);
  } catch {
    // nothing to clear
  }
}

export function isUnsynced(name: string): boolean {
  try {
    return localStorage.getItem(UNSYNCED + name) === '1';
  } catch {
    return false;
  }
}

export interface Draft {
  name: string;
  documentId: string;
  epoch: number;
}

/** This browser's copies of `documentId` from another epoch than `epoch`. */
async function otherEpochs(documentId: string, epoch: number): Promise<Draft[]> {
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return [];
  const databases = await indexedDB.databases();
  const pattern = new RegExp(`^${PREFIX}${documentId.replace(/[^0-9a-f-]/gi, '')}-e(\\d+)$`);
  const found: Draft[] = [];
  for (const db of databases) {
    const match = db.name ? pattern.exec(db.name) : null;
    if (match?.[1] && Number(match[1]) !== epoch) found.push({ name: db.name as string, documentId, epoch: Number(match[1]) });
  }
  return found;
}

export function deleteCopy(name: string): Promise<void> {
  markSynced(name);
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => resolve();
    request.onblocked = () => resolve();
  });
}

/**
 * The drafts of `documentId` left from other epochs: copies with unconfirmed edits are kept and
 * returned; copies without are deleted (the server has everything they held).
 */
export async function sortOtherEpochs(documentId: string, epoch: number): Promise<Draft[]> {
  const drafts: Draft[] = [];
  for (const copy of await otherEpochs(documentId, epoch)) {
    if (isUnsynced(copy.name)) drafts.push(copy);
    else await deleteCopy(copy.name);
  }
  return drafts.sort((a, b) => b.epoch - a.epoch);
}
