import type { Selectable } from 'kysely';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { CellDb, ControlDb } from '../../platform/db/types.ts';
import type { SpaceRole, SpacesTable } from '../workspace.tables.ts';
import '../workspace.tables.ts';

/** All SQL of spaces and their members: the space itself in its cell, routing and roles in the control plane. */
// A deleted space is never read as a space (delete-space.ts): its marks are not part of the row.
export type SpaceRow = Omit<Selectable<SpacesTable>, 'deleted_at' | 'deleted_by'>;

const SPACE_COLUMNS = ['id', 'name', 'description', 'min_assurance', 'classification', 'created_by', 'created_at', 'updated_at'] as const;

// ── cell ─────────────────────────────────────────────────────────────────────────────────────
export async function insertSpace(db: CellDb, row: Omit<SpaceRow, 'created_at' | 'updated_at'>): Promise<void> {
  await db.insertInto('spaces').values(row).execute();
}

/** Idempotent seeding: true when inserted. */
export async function insertSpaceIfAbsent(db: CellDb, row: Omit<SpaceRow, 'created_at' | 'updated_at'>): Promise<boolean> {
  const result = await db.insertInto('spaces').values(row).onConflict((oc) => oc.column('id').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function findSpace(db: CellDb, id: string): Promise<SpaceRow | undefined> {
  return db.selectFrom('spaces').select(SPACE_COLUMNS).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

export async function findSpaces(db: CellDb, ids: readonly string[]): Promise<SpaceRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('spaces').select(SPACE_COLUMNS).where('id', 'in', ids).where('deleted_at', 'is', null).execute();
}

export async function updateSpaceRow(
  db: CellDb,
  id: string,
  patch: Partial<Pick<SpaceRow, 'name' | 'description' | 'min_assurance' | 'classification'>>,
): Promise<SpaceRow | undefined> {
  return db
    .updateTable('spaces')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .returning(SPACE_COLUMNS)
    .executeTakeFirst();
}

// ── control plane ────────────────────────────────────────────────────────────────────────────
export async function insertDirectoryEntryIfAbsent(db: ControlDb, id: string, jurisdiction: Jurisdiction): Promise<void> {
  await db.insertInto('space_directory').values({ id, jurisdiction }).onConflict((oc) => oc.column('id').doNothing()).execute();
}

export async function findDirectoryEntry(db: ControlDb, id: string): Promise<{ id: string; jurisdiction: Jurisdiction } | undefined> {
  return db.selectFrom('space_directory').select(['id', 'jurisdiction']).where('id', '=', id).executeTakeFirst();
}

/** True when the principal was not a member and now is (an existing role is left as it is). */
export async function insertMemberIfAbsent(db: ControlDb, spaceId: string, principalId: string, role: SpaceRole): Promise<boolean> {
  const result = await db
    .insertInto('space_members')
    .values({ space_id: spaceId, principal_id: principalId, role })
    .onConflict((oc) => oc.columns(['space_id', 'principal_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export interface MemberRow {
  principal_id: string;
  role: SpaceRole;
}

export async function listMemberRows(db: ControlDb, spaceId: string): Promise<MemberRow[]> {
  return db.selectFrom('space_members').select(['principal_id', 'role']).where('space_id', '=', spaceId).orderBy('created_at').execute();
}

export async function findMemberRole(db: ControlDb, spaceId: string, principalId: string): Promise<SpaceRole | undefined> {
  const row = await db
    .selectFrom('space_members')
    .select('role')
    .where('space_id', '=', spaceId)
    .where('principal_id', '=', principalId)
    .executeTakeFirst();
  return row?.role;
}

/**
 * The space's owners, locked (`FOR UPDATE`) for the rest of the transaction: two owners demoting
 * each other at the same moment must not both succeed and leave the space without one.
 */
export async function lockOwners(db: ControlDb, spaceId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('space_members')
    .select('principal_id')
    .where('space_id', '=', spaceId)
    .where('role', '=', 'owner')
    .forUpdate()
    .execute();
  return rows.map((r) => r.principal_id);
}

export async function updateMemberRole(db: ControlDb, spaceId: string, principalId: string, role: SpaceRole): Promise<boolean> {
  const result = await db
    .updateTable('space_members')
    .set({ role, updated_at: new Date() })
    .where('space_id', '=', spaceId)
    .where('principal_id', '=', principalId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Inserts or changes a member's role (demo seeding, invitations accepted). */
export async function upsertMember(db: ControlDb, spaceId: string, principalId: string, role: SpaceRole): Promise<void> {
  await db
    .insertInto('space_members')
    .values({ space_id: spaceId, principal_id: principalId, role })
    .onConflict((oc) => oc.columns(['space_id', 'principal_id']).doUpdateSet({ role, updated_at: new Date() }))
    .execute();
}

export async function deleteMember(db: ControlDb, spaceId: string, principalId: string): Promise<boolean> {
  const result = await db.deleteFrom('space_members').where('space_id', '=', spaceId).where('principal_id', '=', principalId).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Which of these principals are members of the space. */
export async function membersAmong(db: ControlDb, spaceId: string, principalIds: readonly string[]): Promise<string[]> {
  if (principalIds.length === 0) return [];
  const rows = await db.selectFrom('space_members').select('principal_id').where('space_id', '=', spaceId).where('principal_id', 'in', principalIds).execute();
  return rows.map((r) => r.principal_id);
}
