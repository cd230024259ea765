import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Cells } from '../../platform/cells/cells.ts';
import type { DataKey } from '../../platform/crypto/keyring.ts';
import type { CellDb } from '../../platform/db/types.ts';
import type { EventBus } from '../../platform/events/index.ts';
import type { Logger } from '../../platform/logger.ts';
import { jsonToMarkdown } from '../content/markdown.ts';
import { jsonToText } from '../content/text.ts';
import { type JSONContent, yDocToJson } from '../content/ydoc-json.ts';
import {
  bumpEpoch,
  deleteAbsorbedUpdates,
  findDerived,
  findDocumentEpoch,
  findSnapshotHead,
  insertUpdates,
  type NewUpdateRow,
  type SealedRow,
  selectState,
  writeSnapshotIfUnchanged,
} from './document-store.repo.ts';
import { APPEND_BATCH_WINDOW_MS } from './guard-rails.ts';
import { openDocumentBytes, sealDocumentBytes } from './sealed-update.ts';

/**
 * The durable content of documents, in the cell of each document's space (docs/collaboration.md).
 *
 * - The log (`document_updates`): every Yjs update the server accepted, encrypted with the space's
 *   data key. `append` resolves only once its row is committed: the collaboration server awaits
 *   it BEFORE applying and broadcasting an update, so anything a client saw acknowledged is on
 *   disk. Appends arriving together, or while the previous INSERT commits, go in one INSERT per
 *   cell (group commit).
 * - The snapshot (`document_snapshots`): the log compacted up to an id, with derived copies
 *   (ProseMirror JSON, Markdown, text). Compaction reads only the database (never a client's or
 *   a node's copy), so what it writes is exactly what was acknowledged.
 * - The epoch: replaced wholesale (import, space move, restore of a backup), a document gets a new
 *   epoch; entries of older epochs are never loaded, so a client holding an old copy cannot merge
 *   it back.
 */
export interface DocumentRef {
  documentId: string;
  spaceId: string;
  jurisdiction: Jurisdiction;
}

export const EPOCH_CHANGED_TOPIC = 'workspace.document.epoch_changed';

/** The document does not exist (or not in this space). */
export class DocumentNotFoundError extends Error {
  constructor(documentId: string) {
    super(`Document ${documentId} not found`);
    this.name = 'DocumentNotFoundError';
  }
}

interface PendingAppend {
  row: NewUpdateRow;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface CellQueue {
  pending: PendingAppend[];
  /** A flush is scheduled (cancel() clears it). */
  scheduled: { cancel(): void } | null;
  flushing: Promise<void> | null;
}

export interface DocumentStoreDeps {
  cells: Cells;
  logger: Logger;
  /** To publish `workspace.document.epoch_changed` from `replace` (the composition root passes it). */
  events?: EventBus;
  batchWindowMs?: number;
}

export class DocumentStore {
  readonly #cells: Cells;
  readonly #logger: Logger;
  readonly #events: EventBus | undefined;
  readonly #windowMs: number;
  readonly #queues = new Map<Jurisdiction, CellQueue>();
  /** Compactions in progress on this node, per document: callers share one run. */
  readonly #compacting = new Map<string, Promise<void>>();

  constructor(deps: DocumentStoreDeps) {
    this.#cells = deps.cells;
    this.#logger = deps.logger.child({ component: 'document-store' });
    this.#events = deps.events;
    this.#windowMs = deps.batchWindowMs ?? APPEND_BATCH_WINDOW_MS;
  }

  /** Durable (committed) when it resolves; batched over a few ms; encrypted with the space key. */
  async append(ref: DocumentRef, epoch: number, update: Uint8Array): Promise<void> {
    const key = await this.#spaceKey(ref);
    const row: NewUpdateRow = {
      document_id: ref.documentId,
      epoch,
      key_version: key.version,
      data: sealDocumentBytes(key, 'update', ref.documentId, epoch, update),
    };
    await new Promise<void>((resolve, reject) => {
      const queue = this.#queue(ref.jurisdiction);
      queue.pending.push({ row, resolve, reject });
      if (!queue.scheduled && !queue.flushing) queue.scheduled = this.#schedule(() => void this.#flush(ref.jurisdiction));
    });
  }

  /** Snapshot + log since, merged: the whole state (Y update) and the epoch. */
  async load(ref: DocumentRef): Promise<{ state: Uint8Array; epoch: number }> {
    const db = this.#db(ref);
    const { epoch, rows } = await selectState(db, ref.documentId, ref.spaceId);
    if (epoch === null) throw new DocumentNotFoundError(ref.documentId);
    const updates = await this.#openAll(ref, rows);
    return { state: this.#merge(ref, updates), epoch };
  }

  /** A new document's first content (seed, duplicate, import into a new document). */
  async initialise(ref: DocumentRef, state: Uint8Array): Promise<void> {
    const epoch = await findDocumentEpoch(this.#db(ref), ref.documentId, ref.spaceId);
    if (epoch === undefined) throw new DocumentNotFoundError(ref.documentId);
    await this.append(ref, epoch, state);
    // Derived copies right away: search and export see the new document's text.
    await this.compact(ref);
  }

  /** Content replaced wholesale: new epoch, old log and snapshot dropped; publishes epoch_changed. */
  async replace(ref: DocumentRef, state: Uint8Array): Promise<number> {
    const key = await this.#spaceKey(ref);
    const epoch = await this.#db(ref)
      .transaction()
      .execute(async (trx) => {
        const next = await bumpEpoch(trx, ref.documentId, ref.spaceId);
        if (next === undefined) throw new DocumentNotFoundError(ref.documentId);
        await insertUpdates(trx, [
          { document_id: ref.documentId, epoch: next, key_version: key.version, data: sealDocumentBytes(key, 'update', ref.documentId, next, state) },
        ]);
        return next;
      });
    await this.compact(ref);
    if (this.#events) {
      await this.#events.publish(EPOCH_CHANGED_TOPIC, { documentId: ref.documentId, spaceId: ref.spaceId, epoch });
    } else {
      this.#logger.warn({ documentId: ref.documentId }, 'epoch changed without an event bus: live copies are not told');
    }
    return epoch;
  }

  /** Derived copies of the latest compacted state (compacts first if the log is not empty). */
  async derived(ref: DocumentRef): Promise<{ json: JSONContent; markdown: string; text: string }> {
    await this.compact(ref);
    const db = this.#db(ref);
    const epoch = await findDocumentEpoch(db, ref.documentId, ref.spaceId);
    if (epoch === undefined) throw new DocumentNotFoundError(ref.documentId);
    const row = await findDerived(db, ref.documentId, epoch);
    if (row) {
      const json = (typeof row.content_json === 'string' ? JSON.parse(row.content_json) : row.content_json) as JSONContent;
      return { json, markdown: row.content_markdown, text: row.content_text };
    }
    // Never written to (no log, no snapshot): an empty document.
    return derivedOf(new Y.Doc());
  }

  /**
   * Folds the log into the snapshot, from the database only: snapshot + entries ≤ X → a new
   * snapshot up to X, then entries ≤ X deleted. The snapshot is written only if nobody compacted
   * meanwhile (compare-and-set on its position), in one short transaction with the deletion.
   */
  compact(ref: DocumentRef): Promise<void> {
    const running = this.#compacting.get(ref.documentId);
    if (running) return running.then(() => this.#compactOnce(ref));
    const run = this.#compactOnce(ref).finally(() => this.#compacting.delete(ref.documentId));
    this.#compacting.set(ref.documentId, run);
    return run;
  }

  /** Writes what is queued now (shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.#queues.keys()].map((j) => this.#flush(j)));
  }

  async #compactOnce(ref: DocumentRef): Promise<void> {
    const db = this.#db(ref);
    const previous = await findSnapshotHead(db, ref.documentId);
    const { epoch, rows } = await selectState(db, ref.documentId, ref.spaceId);
    if (epoch === null) throw new DocumentNotFoundError(ref.documentId);
    const updates = rows.filter((r) => r.kind === 'update');
    const current = previous && previous.epoch === epoch ? previous : undefined;
    if (current && updates.length === 0) return;
    const snapshotRow = rows.find((r) => r.kind === 'snapshot');
    // The snapshot we read with the log must be the one we compare against; if it moved between
    // the two reads, another compaction is running: let it finish the job.
    if ((snapshotRow?.id ?? null) !== (current?.upto_update_id ?? null)) return;
    const upto = updates.length > 0 ? (updates.at(-1) as SealedRow).id : (current?.upto_update_id ?? 0);

    const doc = new Y.Doc();
    for (const update of await this.#openAll(ref, rows)) applySafely(doc, update, this.#logger, ref);
    const state = Y.encodeStateAsUpdate(doc);
    const derived = derivedOf(doc);
    const hash = contentHash(derived.json);
    const key = await this.#spaceKey(ref);
    const sealed = sealDocumentBytes(key, 'snapshot', ref.documentId, epoch, state);

    await db.transaction().execute(async (trx) => {
      const written = await writeSnapshotIfUnchanged(
        trx,
        {
          document_id: ref.documentId,
          epoch,
          key_version: key.version,
          state: sealed,
          upto_update_id: upto,
          // Search and the assistant index the derived copies: unchanged text, no write.
          derived:
            current && current.content_hash === hash
              ? null
              : { content_json: derived.json, content_markdown: derived.markdown, content_text: derived.text, content_hash: hash },
        },
        // An old epoch's snapshot is replaced as if there were none to compare with, but only that one.
        previous,
      );
      if (!written) return;
      await deleteAbsorbedUpdates(trx, ref.documentId, epoch, upto);
    });
  }

  async #openAll(ref: DocumentRef, rows: readonly SealedRow[]): Promise<Uint8Array[]> {
    const db = this.#db(ref);
    const keys = new Map<number, DataKey>();
    const out: Uint8Array[] = [];
    for (const row of rows) {
      let key = keys.get(row.key_version);
      if (!key) {
        key = await this.#cells.get(ref.jurisdiction).keyring.getDataKey(db, { type: 'space', id: ref.spaceId }, row.key_version);
        keys.set(row.key_version, key);
      }
      out.push(openDocumentBytes(key, row.kind, ref.documentId, row.epoch, row.data));
    }
    return out;
  }

  #merge(ref: DocumentRef, updates: Uint8Array[]): Uint8Array {
    if (updates.length === 0) return Y.encodeStateAsUpdate(new Y.Doc());
    try {
      return Y.mergeUpdates(updates);
    } catch {
      // One entry does not parse (it should never have been accepted): keep everything else.
      const doc = new Y.Doc();
      for (const update of updates) applySafely(doc, update, this.#logger, ref);
      return Y.encodeStateAsUpdate(doc);
    }
  }

  #db(ref: DocumentRef): CellDb {
    return this.#cells.get(ref.jurisdiction).db;
  }

  #spaceKey(ref: DocumentRef): Promise<DataKey> {
    // On the plain handle (never a transaction): the key is then cached and certainly committed.
    return this.#cells.get(ref.jurisdiction).keyring.getOrCreateDataKey(this.#db(ref), { type: 'space', id: ref.spaceId });
  }

  /**
   * The first append after a quiet moment waits only for the end of the current event-loop turn
   * (appends of that turn share the INSERT) or the configured window; appends arriving while an
   * INSERT is in flight wait for it and go together in the next one, so batches grow with load
   * and an idle document pays no delay.
   */
  #schedule(run: () => void): { cancel(): void } {
    if (this.#windowMs > 0) {
      const timer = setTimeout(run, this.#windowMs);
      return { cancel: () => clearTimeout(timer) };
    }
    const immediate = setImmediate(run);
    return { cancel: () => clearImmediate(immediate) };
  }

  #queue(jurisdiction: Jurisdiction): CellQueue {
    let queue = this.#queues.get(jurisdiction);
    if (!queue) {
      queue = { pending: [], scheduled: null, flushing: null };
      this.#queues.set(jurisdiction, queue);
    }
    return queue;
  }

  /** Writes the queued entries of one cell in one INSERT; one write in flight per cell. */
  #flush(jurisdiction: Jurisdiction): Promise<void> {
    const queue = this.#queue(jurisdiction);
    queue.scheduled?.cancel();
    queue.scheduled = null;
    if (queue.flushing) return queue.flushing;
    if (queue.pending.length === 0) return Promise.resolve();
    const batch = queue.pending.splice(0, queue.pending.length);
    queue.flushing = (async () => {
      try {
        await insertUpdates(
          this.#cells.get(jurisdiction).db,
          batch.map((p) => p.row),
        );
        for (const p of batch) p.resolve();
      } catch (error) {
        this.#logger.error({ err: error, jurisdiction, entries: batch.length }, 'document updates could not be logged');
        for (const p of batch) p.reject(error);
      } finally {
        queue.flushing = null;
        // What arrived while we were writing goes in the next INSERT, at once: it already waited.
        if (queue.pending.length > 0) void this.#flush(jurisdiction);
      }
    })();
    return queue.flushing;
  }
}

function applySafely(doc: Y.Doc, update: Uint8Array, logger: Logger, ref: DocumentRef): void {
  try {
    Y.applyUpdate(doc, update);
  } catch (error) {
    logger.error({ err: error, documentId: ref.documentId }, 'a logged update does not apply; skipped');
  }
}

export function derivedOf(doc: Y.Doc): { json: JSONContent; markdown: string; text: string } {
  const json = yDocToJson(doc);
  return { json, markdown: jsonToMarkdown(json), text: jsonToText(json) };
}

export function contentHash(json: JSONContent): string {
  return createHash('sha256').update(JSON.stringify(json)).digest('hex');
}
