import { sql } from 'kysely';
import type { CellDb, ControlDb } from '../../platform/db/types.ts';
import './files.tables.ts';
import '../images/images.tables.ts';

/** All SQL of storage quotas: usage in a cell, overrides (and the organisation's lock) in the control plane. */

/**
 * Bytes a space uses in its cell: every version of its files (the trash too; restored versions
 * count 0, they share their object), the lengths reserved by uploads in progress, and its
 * documents' images. `exceptUpload`: an upload whose reservation is being turned into a version.
 */
export async function spaceUsage(db: CellDb, spaceId: string, now: Date, exceptUpload?: string): Promise<number> {
  const result = await sql<{ used: number | string | null }>`
    select
      coalesce((select sum(billed_bytes) from file_versions where space_id = ${spaceId}), 0)
      + coalesce((select sum(length) from file_uploads
                   where space_id = ${spaceId} and status = 'uploading' and expires_at > ${now}
                     and id <> ${exceptUpload ?? '00000000-0000-0000-0000-000000000000'}::uuid), 0)
      + coalesce((select sum(size) from document_images where space_id = ${spaceId}), 0) as used`.execute(db);
  return Number(result.rows[0]?.used ?? 0);
}

/** Bytes an organisation's agents uploaded into this cell (versions and reservations). */
export async function organisationUsageInCell(db: CellDb, organisationId: string, now: Date, exceptUpload?: string): Promise<number> {
  const result = await sql<{ used: number | string | null }>`
    select
      coalesce((select sum(billed_bytes) from file_versions where organisation_id = ${organisationId}), 0)
      + coalesce((select sum(length) from file_uploads
                   where organisation_id = ${organisationId} and status = 'uploading' and expires_at > ${now}
                     and id <> ${exceptUpload ?? '00000000-0000-0000-0000-000000000000'}::uuid), 0) as used`.execute(db);
  return Number(result.rows[0]?.used ?? 0);
}

export async function findQuotaOverride(db: ControlDb, scope: 'space' | 'organisation', ownerId: string): Promise<number | null> {
  const row = await db.selectFrom('storage_quotas').select('limit_bytes').where('scope', '=', scope).where('owner_id', '=', ownerId).executeTakeFirst();
  return row?.limit_bytes === null || row?.limit_bytes === undefined ? null : Number(row.limit_bytes);
}

/**
 * Locks the organisation's quota row for the transaction (created if absent, with no override):
 * uploads of its agents are admitted one at a time, so parallel ones cannot overshoot together.
 * Returns the override, if any.
 */
export async function lockOrganisationQuota(db: ControlDb, organisationId: string): Promise<number | null> {
  await db
    .insertInto('storage_quotas')
    .values({ scope: 'organisation', owner_id: organisationId, limit_bytes: null, updated_by: null })
    .onConflict((oc) => oc.columns(['scope', 'owner_id']).doNothing())
    .execute();
  const row = await db
    .selectFrom('storage_quotas')
    .select('limit_bytes')
    .where('scope', '=', 'organisation')
    .where('owner_id', '=', organisationId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return row.limit_bytes === null ? null : Number(row.limit_bytes);
}

export async function upsertQuotaOverride(db: ControlDb, scope: 'space' | 'organisation', ownerId: string, limitBytes: number | null, by: string): Promise<void> {
  await db
    .insertInto('storage_quotas')
    .values({ scope, owner_id: ownerId, limit_bytes: limitBytes, updated_by: by, updated_at: new Date() })
    .onConflict((oc) => oc.columns(['scope', 'owner_id']).doUpdateSet({ limit_bytes: limitBytes, updated_by: by, updated_at: new Date() }))
    .execute();
}
