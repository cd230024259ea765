import type { ControlDb } from '../platform/db/types.ts';
import type { OrganisationsTable } from './identity.tables.ts';
import './organisation-deletion.tables.ts'; // organisation deletion (helper O)

export type OrganisationRow = Omit<OrganisationsTable, 'demo' | 'confirmed' | 'created_at'> & {
  demo: boolean;
  confirmed: boolean;
  created_at: Date;
};

const COLUMNS = ['id', 'name', 'jurisdiction', 'siret', 'neq', 'email_domains', 'demo', 'confirmed', 'created_at'] as const;

/** Inserts unless an organisation with the same SIRET or NEQ exists; returns the stored row. */
export async function insertOrganisationIfAbsent(
  db: ControlDb,
  row: Omit<OrganisationRow, 'created_at' | 'confirmed'> & { confirmed?: boolean },
): Promise<OrganisationRow> {
  await db.insertInto('organisations').values(row).onConflict((oc) => oc.doNothing()).execute();
  const stored = await db
    .selectFrom('organisations')
    .select(COLUMNS)
    .where((eb) => (row.siret ? eb('siret', '=', row.siret) : eb('neq', '=', row.neq as string)))
    .executeTakeFirstOrThrow();
  return stored;
}

export async function listOrganisations(db: ControlDb): Promise<OrganisationRow[]> {
  return (
    db
      .selectFrom('organisations')
      .select(COLUMNS)
      // ── organisation deletion (helper O): a deleted organisation is no longer listed ──
      .where((eb) => eb.not(eb.exists(eb.selectFrom('organisation_deletions').select('organisation_id').whereRef('organisation_deletions.organisation_id', '=', 'organisations.id'))))
      // ── end organisation deletion ──
      .orderBy('jurisdiction')
      .orderBy('name')
      .execute()
  );
}

export async function findOrganisationsByIds(db: ControlDb, ids: string[]): Promise<OrganisationRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('organisations').select(COLUMNS).where('id', 'in', ids).execute();
}

/** The organisation with this SIRET (FR) or NEQ (QC). */
export async function findOrganisationByIdentifier(
  db: ControlDb,
  jurisdiction: 'FR' | 'QC',
  identifier: string,
): Promise<OrganisationRow | undefined> {
  return db
    .selectFrom('organisations')
    .select(COLUMNS)
    .where('jurisdiction', '=', jurisdiction)
    .where(jurisdiction === 'FR' ? 'siret' : 'neq', '=', identifier)
    .executeTakeFirst();
}
