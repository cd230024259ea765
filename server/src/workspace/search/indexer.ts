import * as Y from 'yjs';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { enqueue, type JobRunner } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/logger.ts';
import { DocumentNotFoundError, type DocumentRef, type DocumentStore } from '../collab/document-store.ts';
import { jsonToText } from '../content/text.ts';
import { yDocToJson } from '../content/ydoc-json.ts';
import { withoutMarkers } from './query.ts';
import { BODY_MAX_CHARS, deleteSearchRow, findDocumentToIndex, sweepCell, upsertSearchRow } from './search.repo.ts';

/**
 * Keeps each cell's `document_search` rows in step with the documents, two ways:
 *
 * - live: when the collaboration server has stored a burst of changes (Hocuspocus's store debounce,
 *   2 s after the last keystroke, at most 10 s), or a change came from the server (version restore),
 *   a job `workspace.search.index` reads the document's CURRENT content through the document store
 *   (snapshot + log, decrypted in memory) — no compaction needed — and rewrites its row. One job per
 *   document per second whichever node asks (idempotency key).
 * - sweep: every 5 s `workspace.search.sweep` catches up in SQL with what the live path does not
 *   see among documents and snapshots changed in the last minutes: new documents (seed, import),
 *   renames, snapshots newer than the row; every 10 minutes `workspace.search.sweep_all` does the
 *   same over every document (rows that arrived with old dates: a space moved in).
 *
 * Trash, restrictions and memberships are never copied here: queries read them at search time.
 */
export const INDEX_JOB = 'workspace.search.index';
export const SWEEP_JOB = 'workspace.search.sweep';
export const SWEEP_INTERVAL_MS = 5_000;
/** The frequent pass looks at what changed in this window (several intervals: a late job misses nothing). */
const RECENT_SECONDS = 300;
/** Every document, whatever its dates (rows copied by a space move or an import keep old ones). */
export const FULL_SWEEP_JOB = 'workspace.search.sweep_all';
const FULL_SWEEP_INTERVAL_MS = 600_000;
/** Documents per sweep statement (each its own short statement: PGlite has one connection). */
const SWEEP_BATCH = 500;
const SWEEP_MAX_BATCHES = 40;

export interface SearchIndexDeps {
  stores: Stores;
  content: () => DocumentStore;
  logger: Logger;
}

/** The text indexed for a document's content: no highlight markers, capped. */
export function indexableText(text: string): string {
  return withoutMarkers(text).slice(0, BODY_MAX_CHARS);
}

/** Rewrites one document's row from its current title and content (the live path; also tests and bench). */
export async function indexDocument(deps: SearchIndexDeps, ref: { documentId: string; jurisdiction: Jurisdiction }): Promise<void> {
  const db = deps.stores.cells[ref.jurisdiction].db;
  const doc = await findDocumentToIndex(db, ref.documentId);
  if (!doc) {
    await deleteSearchRow(db, ref.documentId);
    return;
  }
  let text: string;
  try {
    const { state } = await deps.content().load({ documentId: doc.id, spaceId: doc.space_id, jurisdiction: ref.jurisdiction });
    const ydoc = new Y.Doc();
    Y.applyUpdate(ydoc, state);
    text = jsonToText(yDocToJson(ydoc));
    ydoc.destroy();
  } catch (error) {
    if (error instanceof DocumentNotFoundError) return; // deleted meanwhile: its row went with it
    throw error;
  }
  await upsertSearchRow(db, doc, indexableText(text));
}

/** Asks for a document to be indexed soon (called after its changes were stored). Never throws. */
export function scheduleIndex(deps: Pick<SearchIndexDeps, 'stores' | 'logger'>, ref: DocumentRef): void {
  const now = Date.now();
  void enqueue(deps.stores.control.db, {
    type: INDEX_JOB,
    payload: { documentId: ref.documentId, jurisdiction: ref.jurisdiction },
    runAt: new Date(now + 200),
    idempotencyKey: `${INDEX_JOB}:${ref.documentId}:${Math.floor(now / 1_000)}`,
    maxAttempts: 3,
  }).catch((error: unknown) => deps.logger.warn({ err: error, documentId: ref.documentId }, 'search indexing not scheduled'));
}

/**
 * One catch-up pass over every cell; returns how many rows it wrote. `recentSeconds`: only what
 * changed that recently (the frequent pass, cheap on a large cell); null: every document.
 */
export async function sweepSearchIndex(stores: Stores, recentSeconds: number | null = null): Promise<number> {
  let written = 0;
  for (const cell of Object.values(stores.cells)) {
    for (let batch = 0; batch < SWEEP_MAX_BATCHES; batch++) {
      const n = await sweepCell(cell.db, SWEEP_BATCH, recentSeconds);
      written += n;
      if (n < SWEEP_BATCH) break;
    }
  }
  return written;
}

export function registerSearchIndexing(jobs: JobRunner, deps: SearchIndexDeps): void {
  jobs.register(INDEX_JOB, async ({ payload }) => {
    const p = payload as { documentId?: unknown; jurisdiction?: unknown };
    if (typeof p.documentId !== 'string' || (p.jurisdiction !== 'FR' && p.jurisdiction !== 'QC')) return;
    await indexDocument(deps, { documentId: p.documentId, jurisdiction: p.jurisdiction });
  });
  jobs.register(SWEEP_JOB, async () => {
    const written = await sweepSearchIndex(deps.stores, RECENT_SECONDS);
    if (written > 0) deps.logger.debug({ written }, 'search index caught up');
  });
  jobs.register(FULL_SWEEP_JOB, async () => {
    const written = await sweepSearchIndex(deps.stores);
    if (written > 0) deps.logger.info({ written }, 'search index caught up (full pass)');
  });
  jobs.every(SWEEP_JOB, SWEEP_INTERVAL_MS);
  jobs.every(FULL_SWEEP_JOB, FULL_SWEEP_INTERVAL_MS);
}
