import { sql } from 'kysely';
import type { CellDb } from '../../platform/db/types.ts';
import type { AssuranceLevel } from '../../identity/federation/upstream.ts';
import type { ImageType } from './images.tables.ts';
import './images.tables.ts';
import '../workspace.tables.ts';

/** All SQL of document images (cell of the space). */

export interface NewImageRow {
  id: string;
  space_id: string;
  document_id: string;
  content_type: ImageType;
  size: number;
  sha256: string;
  created_by: string;
}

/**
 * Records the image only if its document is still in its space and out of the trash (it may have
 * been trashed or deleted while the bytes streamed); false when it was not recorded.
 */
export async function insertImageIntoLiveDocument(db: CellDb, row: NewImageRow): Promise<boolean> {
  const result = await db
    .insertInto('document_images')
    .columns(['id', 'space_id', 'document_id', 'content_type', 'size', 'sha256', 'created_by'])
    .expression(
      db
        .selectFrom('documents')
        .select([
          sql<string>`${row.id}::uuid`.as('id'),
          'space_id',
          'id as document_id',
          sql<ImageType>`${row.content_type}`.as('content_type'),
          sql<number>`${row.size}::integer`.as('size'),
          sql<string>`${row.sha256}`.as('sha256'),
          sql<string>`${row.created_by}::uuid`.as('created_by'),
        ])
        .where('id', '=', row.document_id)
        .where('space_id', '=', row.space_id)
        .where('trashed_at', 'is', null),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export interface ImageForReading {
  id: string;
  space_id: string;
  /** Null only for rows from before documents owned images (development data): the space rule. */
  document_id: string | null;
  content_type: ImageType;
  size: number;
  sha256: string;
  min_assurance: AssuranceLevel;
}

/**
 * An image among the given spaces (those the reader is a member of), with its document and its
 * space's minimum level: the caller still checks the document.
 */
export async function findImageAmong(db: CellDb, imageId: string, spaceIds: readonly string[]): Promise<ImageForReading | undefined> {
  if (spaceIds.length === 0) return undefined;
  return db
    .selectFrom('document_images as i')
    .innerJoin('spaces as s', 's.id', 'i.space_id')
    .select(['i.id', 'i.space_id', 'i.document_id', 'i.content_type', 'i.size', 'i.sha256', 's.min_assurance'])
    .where('i.id', '=', imageId)
    .where('i.space_id', 'in', spaceIds)
    .executeTakeFirst();
}
