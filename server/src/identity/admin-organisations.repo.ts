import type { ControlDb } from '../platform/db/types.ts';
import type { OrganisationRow } from './organisations.repo.ts';

const COLUMNS = ['id', 'name', 'jurisdiction', 'siret', 'neq', 'email_domains', 'demo', 'confirmed', 'created_at'] as const;

function withMemberCount(db: ControlDb) {
  return db
    .selectFrom('organisations')
    .select(COLUMNS.map((c) => `organisations.${c}` as const))
    .select((eb) =>
      eb.selectFrom('memberships').select((m) => m.fn.countAll<number>().as('n')).whereRef('memberships.organisation_id', '=', 'organisations.id').as('members'),
    );
}

export async function listOrganisationsByConfirmation(db: ControlDb, confirmed: boolean | undefined): Promise<(OrganisationRow & { members: number })[]> {
  let q = withMemberCount(db);
  if (confirmed !== undefined) q = q.where('organisations.confirmed', '=', confirmed);
  const rows = await q.orderBy('organisations.created_at', 'desc').execute();
  return rows.map((r) => ({ ...r, members: Number(r.members ?? 0) }));
}

export async function findOrganisationWithMemberCount(db: ControlDb, organisationId: string): Promise<(OrganisationRow & { members: number }) | undefined> {
  const row = await withMemberCount(db).where('organisations.id', '=', organisationId).executeTakeFirst();
  return row ? { ...row, members: Number(row.members ?? 0) } : undefined;
}

/** True when it changed (it was awaiting confirmation). */
export async function markConfirmed(db: ControlDb, organisationId: string): Promise<boolean> {
  const result = await db
    .updateTable('organisations')
    .set({ confirmed: true })
    .where('id', '=', organisationId)
    .where('confirmed', '=', false)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
