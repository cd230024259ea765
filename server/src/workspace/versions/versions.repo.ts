import { sql } from 'kysely';
import type { CellDb } from '../../platform/db/types.ts';
import type { DocumentVersionsTable } from '../workspace.tables.ts';

/** All SQL of a document's history (the cell database of the document's space). */

export type VersionKind = DocumentVersionsTable['kind'];

export interface VersionSummaryRow {
  id: string;
  kind: VersionKind;
  name: string | null;
  created_by: string | null;
  created_at: Date;
}

export interface VersionRow extends VersionSummaryRow {
  epoch: number;
  key_version: number;
  state: Uint8Array;
  content_text: string;
}

export interface NewVersionRow {
  id: string;
  document_id: string;
  epoch: number;
  kind: VersionKind;
  name: string | null;
  key_version: number;
  state: Uint8Array;
  content_text: string;
  created_by: string | null;
  /** Default: the database's now(). Automatic versions give the instant they were decided at. */
  created_at?: Date;
}

const SUMMARY = ['id', 'kind', 'name', 'created_by', 'created_at'] as const;
const FULL = [...SUMMARY, 'epoch', 'key_version', 'state', 'content_text'] as const;

export async function insertVersion(db: CellDb, row: NewVersionRow): Promise<VersionSummaryRow> {
  return db.insertInto('document_versions').values(row).returning(SUMMARY).executeTakeFirstOrThrow();
}

/** Newest first (ids are UUID v7: they break ties between versions of the same instant). */
export async function listVersionRows(db: CellDb, documentId: string, limit: number): Promise<VersionSummaryRow[]> {
  return db
    .selectFrom('document_versions')
    .select(SUMMARY)
    .where('document_id', '=', documentId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function findVersionRow(db: CellDb, documentId: string, versionId: string): Promise<VersionRow | undefined> {
  return db.selectFrom('document_versions').select(FULL).where('document_id', '=', documentId).where('id', '=', versionId).executeTakeFirst();
}

/** The latest version of any kind (what an automatic version is compared with). */
export async function findLatestVersionRow(db: CellDb, documentId: string): Promise<VersionRow | undefined> {
  return db
    .selectFrom('document_versions')
    .select(FULL)
    .where('document_id', '=', documentId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function latestAutoVersionAt(db: CellDb, documentId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('document_versions')
    .select((eb) => eb.fn.max('created_at').as('at'))
    .where('document_id', '=', documentId)
    .where('kind', '=', 'auto')
    .executeTakeFirst();
  return row?.at ? new Date(row.at as Date | string) : null;
}

/**
 * Locks the document's row for the rest of the transaction, so that two nodes deciding at the
 * same time whether to record an automatic version take turns (the second sees the first's).
 */
export async function lockDocument(trx: CellDb, documentId: string, spaceId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('documents')
    .select('id')
    .where('id', '=', documentId)
    .where('space_id', '=', spaceId)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Documents (not in the trash) whose content changed since `since`: an entry in their log, or a
 * snapshot written (compaction empties the log, the snapshot's time stays).
 */
export async function findDocumentsChangedSince(db: CellDb, since: Date, limit: number): Promise<{ id: string; space_id: string }[]> {
  return db
    .selectFrom('documents as d')
    .select(['d.id', 'd.space_id'])
    .where('d.trashed_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('document_updates as u').select(sql<number>`1`.as('one')).whereRef('u.document_id', '=', 'd.id').where('u.created_at', '>', since)),
        eb.exists(eb.selectFrom('document_snapshots as s').select(sql<number>`1`.as('one')).whereRef('s.document_id', '=', 'd.id').where('s.updated_at', '>', since)),
      ]),
    )
    .orderBy('d.id')
    .limit(limit)
    .execute();
}
