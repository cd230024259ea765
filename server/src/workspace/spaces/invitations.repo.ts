import type { Selectable } from 'kysely';
import type { CellDb, ControlDb } from '../../platform/db/types.ts';
import type { SpaceInvitationIndexTable, SpaceInvitationsTable, SpaceRole } from '../workspace.tables.ts';
import '../workspace.tables.ts';

/**
 * Invitations: the address lives with the invitation in the space's cell; the control plane holds
 * only a keyed hash of it (matched at sign-in, never reversed) with the role and the expiry.
 */
export type InvitationRow = Selectable<SpaceInvitationsTable>;
export type InvitationIndexRow = Selectable<SpaceInvitationIndexTable>;

const COLUMNS = ['id', 'space_id', 'email', 'role', 'invited_by', 'expires_at', 'accepted_at', 'revoked_at', 'created_at'] as const;

// ── cell ─────────────────────────────────────────────────────────────────────────────────────
export async function insertInvitation(db: CellDb, row: Omit<InvitationRow, 'created_at' | 'revoked_at'>): Promise<void> {
  await db.insertInto('space_invitations').values(row).execute();
}

/** How many invitations an agent sent from this cell since `since` (each one is a mail). */
export async function countInvitationsSentSince(db: CellDb, principalId: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('space_invitations')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('invited_by', '=', principalId)
    .where('created_at', '>', since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Invitations neither accepted nor revoked (expired ones included: the owners see them expire). */
export async function listPendingInvitations(db: CellDb, spaceId: string): Promise<InvitationRow[]> {
  return db
    .selectFrom('space_invitations')
    .select(COLUMNS)
    .where('space_id', '=', spaceId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .orderBy('created_at')
    .execute();
}

/** Revokes the pending invitations of this address in the space (a new one replaces them); their ids. */
export async function revokePendingFor(db: CellDb, spaceId: string, email: string, now: Date): Promise<string[]> {
  const rows = await db
    .updateTable('space_invitations')
    .set({ revoked_at: now })
    .where('space_id', '=', spaceId)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function revokeInvitationRow(db: CellDb, spaceId: string, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('space_invitations')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('space_id', '=', spaceId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Takes a pending, unexpired invitation for exactly this address: true when this call took it
 * (so two sign-ins at once cannot both accept it).
 */
export async function acceptInvitationRow(db: CellDb, id: string, email: string, now: Date): Promise<InvitationRow | undefined> {
  return db
    .updateTable('space_invitations')
    .set({ accepted_at: now })
    .where('id', '=', id)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(COLUMNS)
    .executeTakeFirst();
}

// ── control plane ────────────────────────────────────────────────────────────────────────────
export async function insertIndexIfAbsent(db: ControlDb, row: Omit<InvitationIndexRow, 'created_at'>): Promise<void> {
  await db.insertInto('space_invitation_index').values(row).onConflict((oc) => oc.column('id').doNothing()).execute();
}

export async function deleteIndexRows(db: ControlDb, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('space_invitation_index').where('id', 'in', ids).execute();
}

export async function markIndexAccepted(db: ControlDb, id: string, principalId: string, now: Date): Promise<void> {
  await db
    .updateTable('space_invitation_index')
    .set({ accepted_at: now, accepted_by: principalId })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .execute();
}

/** Pending, unexpired invitations of an address (by its keyed hash), with the cell of each space. */
export async function findPendingByHmac(
  db: ControlDb,
  emailHmac: string,
  now: Date,
): Promise<{ id: string; space_id: string; role: SpaceRole; jurisdiction: 'FR' | 'QC' }[]> {
  return db
    .selectFrom('space_invitation_index as i')
    .innerJoin('space_directory as d', 'd.id', 'i.space_id')
    .select(['i.id', 'i.space_id', 'i.role', 'd.jurisdiction'])
    .where('i.email_hmac', '=', emailHmac)
    .where('i.accepted_at', 'is', null)
    .where('i.expires_at', '>', now)
    .orderBy('i.created_at')
    .execute();
}
