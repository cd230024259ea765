import type { Selectable } from 'kysely';
import type { CellDb } from '../../platform/db/types.ts';
import type { FileUploadPartsTable, FileUploadsTable, UploadStatus } from './files.tables.ts';
import './files.tables.ts';

/** All SQL of tus uploads and their parts (the space's cell). */

export type UploadRow = Selectable<FileUploadsTable>;
export type PartRow = Selectable<FileUploadPartsTable>;

export async function insertUpload(db: CellDb, row: Omit<UploadRow, 'created_at' | 'updated_at' | 'offset' | 'status' | 'result_file_id' | 'result_version_id' | 'signature'>): Promise<void> {
  await db.insertInto('file_uploads').values({ ...row, offset: 0, status: 'uploading' }).execute();
}

/** The upload if this agent created it (anyone else gets nothing: 404). */
export async function findOwnUpload(db: CellDb, id: string, principalId: string): Promise<UploadRow | undefined> {
  return db.selectFrom('file_uploads').selectAll().where('id', '=', id).where('created_by', '=', principalId).executeTakeFirst();
}

/** Which spaces' cells hold an upload with this id created by this agent (one at most). */
export async function findOwnUploadSpace(db: CellDb, id: string, principalId: string): Promise<string | undefined> {
  const row = await db.selectFrom('file_uploads').select('space_id').where('id', '=', id).where('created_by', '=', principalId).executeTakeFirst();
  return row?.space_id;
}

export async function listParts(db: CellDb, uploadId: string): Promise<PartRow[]> {
  return db.selectFrom('file_upload_parts').selectAll().where('upload_id', '=', uploadId).orderBy('offset').execute();
}

/**
 * Records a stored part if the upload is still at `offset` (another PATCH at the same offset may
 * have won meanwhile: then false, and the caller deletes its object). Extends the expiry.
 */
export async function commitPart(db: CellDb, part: PartRow, expiresAt: Date): Promise<boolean> {
  const result = await db
    .updateTable('file_uploads')
    .set((eb) => ({ offset: eb('offset', '+', part.length), expires_at: expiresAt, updated_at: new Date() }))
    .where('id', '=', part.upload_id)
    .where('offset', '=', part.offset)
    .where('status', '=', 'uploading')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  await db.insertInto('file_upload_parts').values(part).execute();
  return true;
}

/** The upload is finished (its file or version is committed in the same transaction); false if another request finished it first. */
export async function completeUpload(
  db: CellDb,
  id: string,
  expectedOffset: number,
  outcome: { status: Exclude<UploadStatus, 'uploading'>; fileId: string; versionId: string; signature: string | null; length: number },
): Promise<boolean> {
  const result = await db
    .updateTable('file_uploads')
    .set({
      offset: outcome.length,
      status: outcome.status,
      result_file_id: outcome.fileId,
      result_version_id: outcome.versionId,
      signature: outcome.signature,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .where('offset', '=', expectedOffset)
    .where('status', '=', 'uploading')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteParts(db: CellDb, uploadId: string): Promise<void> {
  await db.deleteFrom('file_upload_parts').where('upload_id', '=', uploadId).execute();
}

export async function deleteUpload(db: CellDb, id: string): Promise<void> {
  await db.deleteFrom('file_uploads').where('id', '=', id).execute();
}

export async function expiredUploads(db: CellDb, now: Date, limit: number): Promise<{ id: string; space_id: string }[]> {
  return db.selectFrom('file_uploads').select(['id', 'space_id']).where('expires_at', '<', now).orderBy('expires_at').limit(limit).execute();
}
