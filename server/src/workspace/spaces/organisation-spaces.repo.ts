import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { ControlDb } from '../../platform/db/types.ts';
import type { SpaceRole } from '../workspace.tables.ts';
import '../workspace.tables.ts';
import '../files/files.tables.ts';

/** SQL of the workspace's part of deleting an organisation (organisation-spaces.ts), control plane. */

export interface SpaceWithMembers {
  spaceId: string;
  jurisdiction: Jurisdiction;
  members: { principalId: string; role: SpaceRole }[];
}

/** Every space one of these principals is a member of, with all its members and its cell. */
export async function spacesWithAnyOf(db: ControlDb, principalIds: readonly string[]): Promise<SpaceWithMembers[]> {
  if (principalIds.length === 0) return [];
  const rows = await db
    .selectFrom('space_members as m')
    .innerJoin('space_directory as d', 'd.id', 'm.space_id')
    .select(['m.space_id', 'm.principal_id', 'm.role', 'd.jurisdiction'])
    .where('m.space_id', 'in', (eb) => eb.selectFrom('space_members').select('space_id').where('principal_id', 'in', [...principalIds]))
    .orderBy('m.space_id')
    .orderBy('m.principal_id')
    .execute();
  const spaces = new Map<string, SpaceWithMembers>();
  for (const row of rows) {
    const space = spaces.get(row.space_id) ?? { spaceId: row.space_id, jurisdiction: row.jurisdiction, members: [] };
    space.members.push({ principalId: row.principal_id, role: row.role });
    spaces.set(row.space_id, space);
  }
  return [...spaces.values()];
}

/** Removes these principals from the space's members; how many rows went. */
export async function removeSpaceMembers(db: ControlDb, spaceId: string, principalIds: readonly string[]): Promise<number> {
  if (principalIds.length === 0) return 0;
  const result = await db.deleteFrom('space_members').where('space_id', '=', spaceId).where('principal_id', 'in', [...principalIds]).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The organisation's storage quota row (override and upload lock). */
export async function deleteOrganisationQuota(db: ControlDb, organisationId: string): Promise<number> {
  const result = await db.deleteFrom('storage_quotas').where('scope', '=', 'organisation').where('owner_id', '=', organisationId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
