import type { ControlDb } from '../../platform/db/types.ts';
import '../skills.tables.ts';

/** All SQL of dashboard releases (control plane): which sets of agents figures were shown for. */

export async function listReleases(db: ControlDb, organisationId: string, viewerId: string, since: Date, limit: number): Promise<{ members_hash: string; members: string[] }[]> {
  return db
    .selectFrom('skills_dashboard_releases')
    .select(['members_hash', 'members'])
    .where('organisation_id', '=', organisationId)
    .where('viewer_id', '=', viewerId)
    .where('created_at', '>=', since)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

export async function insertRelease(db: ControlDb, row: { id: string; organisation_id: string; viewer_id: string; members_hash: string; members: string[] }): Promise<void> {
  await db
    .insertInto('skills_dashboard_releases')
    .values({ ...row, members: JSON.stringify(row.members) })
    .onConflict((oc) => oc.columns(['organisation_id', 'viewer_id', 'members_hash']).doNothing())
    .execute();
}
