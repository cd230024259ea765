import { createHash } from 'node:crypto';
import type { Stores } from '../../platform/db/stores.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { insertRelease, listReleases } from './releases.repo.ts';

/**
 * The differencing guard of team dashboards. Figures over 5 agents and figures over the same 5
 * plus one give that one agent's levels by subtraction — and an organisation's administrators
 * make teams as they like. So every set of agents a viewer was shown figures for, in each
 * organisation, is kept (pseudonymous ids, control plane), and a new set is shown to them only
 * when it is one of them, or differs from each of them (in the last RELEASE_WINDOW_DAYS) by at least
 * MINIMUM_GROUP agents. The cost, documented in docs/skills.md: when one or two agents join a
 * team whose figures were shown, its dashboard waits until the difference is large enough (or
 * the earlier figures are older than the window).
 */
export const RELEASE_WINDOW_DAYS = 365;
const RELEASES_READ = 2_000;

const hashOf = (members: readonly string[]) => createHash('sha256').update(members.join(',')).digest('base64url');

export async function mayRelease(stores: Stores, organisationId: string, viewerId: string, members: readonly string[], minimum: number, now = new Date()): Promise<boolean> {
  const sorted = [...members].sort();
  const hash = hashOf(sorted);
  const since = new Date(now.getTime() - RELEASE_WINDOW_DAYS * 86_400_000);
  const releases = await listReleases(stores.control.db, organisationId, viewerId, since, RELEASES_READ);
  if (releases.some((r) => r.members_hash === hash)) return true;
  const mine = new Set(sorted);
  for (const release of releases) {
    const theirs = new Set(release.members);
    let difference = 0;
    for (const id of mine) if (!theirs.has(id)) difference += 1;
    for (const id of theirs) if (!mine.has(id)) difference += 1;
    if (difference < minimum) return false;
  }
  await insertRelease(stores.control.db, { id: uuidv7(), organisation_id: organisationId, viewer_id: viewerId, members_hash: hash, members: sorted });
  return true;
}
