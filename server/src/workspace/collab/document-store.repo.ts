import { sql } from 'kysely';
import type { CellDb } from '../../platform/db/types.ts';
import '../workspace.tables.ts';

/** All SQL of the document store (cell database of the document's space). */

export interface SealedRow {
  kind: 'snapshot' | 'update';
  /** The log id of an update; `upto_update_id` for the snapshot. */
  id: number;
  epoch: number;
  key_version: number;
  data: Uint8Array;
}

export interface NewUpdateRow {
  document_id: string;
  epoch: number;
  key_version: number;
  data: Uint8Array;
}

/** One INSERT for a batch of log entries (several documents of one cell). */
export async function insertUpdates(db: CellDb, rows: readonly NewUpdateRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('document_updates').values(rows.map((r) => ({ ...r }))).execute();
}

export async function findDocumentEpoch(db: CellDb, documentId: string, spaceId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('documents')
    .select('epoch')
    .where('id', '=', documentId)
    .where('space_id', '=', spaceId)
    .executeTakeFirst();
  return row?.epoch;
}

/**
 * The document's current epoch, its snapshot of that epoch and the log entries after it, in ONE
 * statement: a statement sees one consistent state of the database, so a compaction committing
 * meanwhile (new snapshot + deletion of the entries it absorbed) cannot make us miss entries.
 */
export async function selectState(
  db: CellDb,
  documentId: string,
  spaceId: string,
): Promise<{ epoch: number | null; rows: SealedRow[] }> {
  const result = await sql<{ doc_epoch: number | null; kind: 'snapshot' | 'update' | null; id: number | null; epoch: number | null; key_version: number | null; data: Uint8Array | null }>`
    with d as (select epoch from documents where id = ${documentId} and space_id = ${spaceId}),
    s as (
      select upto_update_id, epoch, key_version, state from document_snapshots
      where document_id = ${documentId} and epoch = (select epoch from d)
    )
    select (select epoch from d) as doc_epoch, x.kind, x.id, x.epoch, x.key_version, x.data
    from (select 1) as one
    left join (
      select 'snapshot' as kind, 0 as ord, upto_update_id as id, epoch, key_version, state as data from s
      union all
      select 'update' as kind, 1 as ord, u.id, u.epoch, u.key_version, u.data from document_updates u
      where u.document_id = ${documentId}
        and u.epoch = (select epoch from d)
        and u.id > coalesce((select upto_update_id from s), 0)
    ) as x on true
    order by x.ord, x.id
  `.execute(db);
  const epoch = result.rows[0]?.doc_epoch ?? null;
  const rows: SealedRow[] = [];
  for (const r of result.rows) {
    if (r.kind === null || r.id === null || r.epoch === null || r.key_version === null || r.data === null) continue;
    rows.push({ kind: r.kind, id: Number(r.id), epoch: r.epoch, key_version: r.key_version, data: r.data });
  }
  return { epoch: epoch === null ? null : Number(epoch), rows };
}

export interface SnapshotHead {
  epoch: number;
  upto_update_id: number;
  content_hash: string;
}

export async function findSnapshotHead(db: CellDb, documentId: string): Promise<SnapshotHead | undefined> {
  const row = await db
    .selectFrom('document_snapshots')
    .select(['epoch', 'upto_update_id', 'content_hash'])
    .where('document_id', '=', documentId)
    .executeTakeFirst();
  return row ? { epoch: row.epoch, upto_update_id: Number(row.upto_update_id), content_hash: row.content_hash } : undefined;
}

export interface SnapshotWrite {
  document_id: string;
  epoch: number;
  key_version: number;
  state: Uint8Array;
  upto_update_id: number;
  /** null: the derived copies are unchanged (same content hash), keep them. */
  derived: { content_json: unknown; content_markdown: string; content_text: string; content_hash: string } | null;
}

/**
 * Writes the snapshot only if the one we started from is still there (same epoch and position, or
 * none): compactions racing on two nodes cannot overwrite a newer snapshot with an older one.
 * Returns false when we lost the race (nothing written).
 */
export async function writeSnapshotIfUnchanged(db: CellDb, write: SnapshotWrite, previous: SnapshotHead | undefined): Promise<boolean> {
  if (!previous) {
    if (!write.derived) throw new Error('a first snapshot needs its derived copies');
    const inserted = await db
      .insertInto('document_snapshots')
      .values({
        document_id: write.document_id,
        epoch: write.epoch,
        key_version: write.key_version,
        state: write.state,
        upto_update_id: String(write.upto_update_id),
        content_json: JSON.stringify(write.derived.content_json),
        content_markdown: write.derived.content_markdown,
        content_text: write.derived.content_text,
        content_hash: write.derived.content_hash,
      })
      .onConflict((oc) => oc.column('document_id').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  const base = {
    epoch: write.epoch,
    key_version: write.key_version,
    state: write.state,
    upto_update_id: String(write.upto_update_id),
    updated_at: new Date(),
  };
  const values = write.derived
    ? {
        ...base,
        content_json: JSON.stringify(write.derived.content_json),
        content_markdown: write.derived.content_markdown,
        content_text: write.derived.content_text,
        content_hash: write.derived.content_hash,
      }
    : base;
  const updated = await db
    .updateTable('document_snapshots')
    .set(values)
    .where('document_id', '=', write.document_id)
    .where('epoch', '=', previous.epoch)
    .where('upto_update_id', '=', String(previous.upto_update_id))
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Drops the log entries a snapshot absorbed, and any left from older epochs. */
export async function deleteAbsorbedUpdates(db: CellDb, documentId: string, epoch: number, uptoId: number): Promise<void> {
  await db
    .deleteFrom('document_updates')
    .where('document_id', '=', documentId)
    .where((eb) => eb.or([eb('epoch', '<', epoch), eb.and([eb('epoch', '=', epoch), eb('id', '<=', String(uptoId))])]))
    .execute();
}

export async function countLoggedUpdates(db: CellDb, documentId: string): Promise<number> {
  const row = await db
    .selectFrom('document_updates')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('document_id', '=', documentId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findDerived(db: CellDb, documentId: string, epoch: number) {
  return db
    .selectFrom('document_snapshots')
    .select(['content_json', 'content_markdown', 'content_text'])
    .where('document_id', '=', documentId)
    .where('epoch', '=', epoch)
    .executeTakeFirst();
}

/** New epoch: +1, returned; the old epoch's log and snapshot are dropped (same transaction). */
export async function bumpEpoch(trx: CellDb, documentId: string, spaceId: string): Promise<number | undefined> {
  const row = await trx
    .updateTable('documents')
    .set((eb) => ({ epoch: eb('epoch', '+', 1), updated_at: new Date() }))
    .where('id', '=', documentId)
    .where('space_id', '=', spaceId)
    .returning('epoch')
    .executeTakeFirst();
  if (!row) return undefined;
  await trx.deleteFrom('document_updates').where('document_id', '=', documentId).execute();
  await trx.deleteFrom('document_snapshots').where('document_id', '=', documentId).execute();
  return row.epoch;
}
