import type { CellDb } from '../../platform/db/types.ts';
import type { AssuranceLevel } from '../../identity/federation/upstream.ts';
import type { ImageType } from './images.tables.ts';
import './images.tables.ts';
import '../workspace.tables.ts';

/** All SQL of document images (cell of the space). */

export interface NewImageRow {
  id: string;
  space_id: string;
  content_type: ImageType;
  size: number;
  sha256: string;
  created_by: string;
}

export async function insertImage(db: CellDb, row: NewImageRow): Promise<void> {
  await db.insertInto('document_images').values(row).execute();
}

export interface ImageForReading {
  id: string;
  space_id: string;
  content_type: ImageType;
  size: number;
  sha256: string;
  min_assurance: AssuranceLevel;
}

/** An image among the given spaces (those the reader is a member of), with its space's minimum level. */
export async function findImageAmong(db: CellDb, imageId: string, spaceIds: readonly string[]): Promise<ImageForReading | undefined> {
  if (spaceIds.length === 0) return undefined;
  return db
    .selectFrom('document_images as i')
    .innerJoin('spaces as s', 's.id', 'i.space_id')
    .select(['i.id', 'i.space_id', 'i.content_type', 'i.size', 'i.sha256', 's.min_assurance'])
    .where('i.id', '=', imageId)
    .where('i.space_id', 'in', spaceIds)
    .executeTakeFirst();
}
