import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Actor } from '../../identity/actor.ts';
import type { AssuranceLevel } from '../../identity/federation/upstream.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { type OutboxRegistry, recordInOutbox } from '../../platform/jobs/index.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { findMemberships } from '../access.repo.ts';
import { requireNotMoving, type SpaceAccess, spaceAccessFor } from '../access.ts';
import type { Classification, SpaceRole } from '../workspace.tables.ts';
import {
  type AuditTrx,
  MEMBERSHIP_CHANGED,
  publishQuietly,
  type RequestMeta,
  requireActor,
  requireAssuranceFor,
  type WorkspaceDeps,
} from './deps.ts';
import { findSpace, findSpaces, insertDirectoryEntryIfAbsent, insertMemberIfAbsent, insertSpace, type SpaceRow, updateSpaceRow } from './spaces.repo.ts';
import { spaceChanged } from '../live/space-events.ts';

/**
 * Spaces: a name, a description, a home jurisdiction chosen at creation, a minimum level of
 * assurance and a classification label. The space lives in its jurisdiction's cell; the control
 * plane knows only its id, its cell and who is a member with which role.
 *
 * Creating one writes the cell first (the space, its audit event and an outbox entry in one
 * transaction), then the control plane (directory entry, creator as owner) from the outbox: a
 * crash in between is repaired by the reconciliation job, which replays the same idempotent
 * handler. Non-members learn nothing (404); only owners change a space.
 */
export const SPACE_CREATED = 'workspace.space_created';

export interface SpaceView {
  id: string;
  name: string;
  description: string;
  jurisdiction: Jurisdiction;
  minAssurance: AssuranceLevel;
  classification: Classification;
  role: SpaceRole;
  createdAt: string;
}

export interface NewSpace {
  name: string;
  description?: string;
  jurisdiction: Jurisdiction;
  minAssurance: AssuranceLevel;
  classification: Classification;
}

export function registerSpacesOutboxHandlers(outbox: OutboxRegistry, stores: Stores): void {
  outbox.register(SPACE_CREATED, async ({ payload, jurisdiction }) => {
    const p = payload as { spaceId: string; ownerId: string };
    await stores.control.db.transaction().execute(async (trx) => {
      await insertDirectoryEntryIfAbsent(trx, p.spaceId, jurisdiction);
      await insertMemberIfAbsent(trx, p.spaceId, p.ownerId, 'owner');
    });
  });
}

export function spaceView(row: SpaceRow, jurisdiction: Jurisdiction, role: SpaceRole): SpaceView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    jurisdiction,
    minAssurance: row.min_assurance,
    classification: row.classification,
    role,
    createdAt: row.created_at.toISOString(),
  };
}

export const spacePath = (spaceId: string) => `/espaces/${spaceId}`;

/** The space and the actor's role in it; 404 for a non-member (or a space that does not exist). */
export async function loadSpace(stores: Stores, actor: Actor, spaceId: string): Promise<{ access: SpaceAccess; space: SpaceRow }> {
  const access = await spaceAccessFor(stores, actor.principalId, spaceId);
  if (!access) throw notFound();
  const space = await findSpace(stores.cells[access.jurisdiction].db, spaceId);
  if (!space) throw notFound();
  return { access, space };
}

/**
 * An owner's change: 404 for non-members, 403 for other members, step-up below the space's level,
 * 423 `space_moving` while the space is moved to the other cell.
 */
export async function loadSpaceAsOwner(stores: Stores, actor: Actor, spaceId: string): Promise<{ access: SpaceAccess; space: SpaceRow }> {
  const loaded = await loadSpace(stores, actor, spaceId);
  if (loaded.access.role !== 'owner') throw forbidden();
  requireAssuranceFor(actor, loaded.space.min_assurance, spacePath(spaceId));
  requireNotMoving(loaded.access);
  return loaded;
}

export async function createSpace(
  deps: WorkspaceDeps,
  actorOrNull: Actor | null,
  input: NewSpace,
  meta: RequestMeta,
  options: { crashAfterCellWrite?: boolean } = {},
): Promise<SpaceView> {
  const actor = requireActor(actorOrNull);
  const id = uuidv7();
  const cell = deps.stores.cells[input.jurisdiction].db;
  const entry = await cell.transaction().execute(async (trx) => {
    await insertSpace(trx, {
      id,
      name: input.name,
      description: input.description ?? '',
      min_assurance: input.minAssurance,
      classification: input.classification,
      created_by: actor.principalId,
    });
    await deps.audit.record(
      {
        action: 'workspace.space.created',
        outcome: 'success',
        actorId: actor.principalId,
        jurisdiction: input.jurisdiction,
        resource: { type: 'space', id },
        ip: meta.ip,
        requestId: meta.requestId,
        details: { minAssurance: input.minAssurance, classification: input.classification },
      },
      trx as unknown as AuditTrx,
    );
    return recordInOutbox(trx, SPACE_CREATED, { spaceId: id, ownerId: actor.principalId });
  });
  // Tests use this to stand for a process that died between the two writes.
  if (options.crashAfterCellWrite) throw new Error('simulated crash after the cell write');
  await deps.outbox.apply(cell, input.jurisdiction, entry);
  await publishQuietly(deps, MEMBERSHIP_CHANGED, { spaceId: id, principalId: actor.principalId });
  const row = await findSpace(cell, id);
  if (!row) throw notFound();
  return spaceView(row, input.jurisdiction, 'owner');
}

/** Every space the actor is a member of: each cell holding one of them is asked, and the answers merged. */
export async function listSpaces(stores: Stores, actorOrNull: Actor | null): Promise<SpaceView[]> {
  const actor = requireActor(actorOrNull);
  const memberships = await findMemberships(stores.control.db, actor.principalId);
  const byCell = new Map<Jurisdiction, string[]>();
  for (const m of memberships) byCell.set(m.jurisdiction, [...(byCell.get(m.jurisdiction) ?? []), m.space_id]);
  const perCell = await Promise.all(
    [...byCell].map(async ([jurisdiction, ids]) => (await findSpaces(stores.cells[jurisdiction].db, ids)).map((row) => ({ row, jurisdiction }))),
  );
  const roleOf = new Map(memberships.map((m) => [m.space_id, m.role]));
  return perCell
    .flat()
    .map(({ row, jurisdiction }) => spaceView(row, jurisdiction, roleOf.get(row.id) as SpaceRole))
    .sort((a, b) => a.name.localeCompare(b.name, 'fr') || a.id.localeCompare(b.id));
}

export async function getSpace(stores: Stores, actorOrNull: Actor | null, spaceId: string): Promise<SpaceView> {
  const actor = requireActor(actorOrNull);
  const { access, space } = await loadSpace(stores, actor, spaceId);
  return spaceView(space, access.jurisdiction, access.role);
}

export async function updateSpace(
  deps: WorkspaceDeps,
  actorOrNull: Actor | null,
  spaceId: string,
  patch: { name?: string; description?: string; minAssurance?: AssuranceLevel; classification?: Classification },
  meta: RequestMeta,
): Promise<SpaceView> {
  const actor = requireActor(actorOrNull);
  const { access, space } = await loadSpaceAsOwner(deps.stores, actor, spaceId);
  const changes = {
    ...(patch.name !== undefined && patch.name !== space.name ? { name: patch.name } : {}),
    ...(patch.description !== undefined && patch.description !== space.description ? { description: patch.description } : {}),
    ...(patch.minAssurance !== undefined && patch.minAssurance !== space.min_assurance ? { min_assurance: patch.minAssurance } : {}),
    ...(patch.classification !== undefined && patch.classification !== space.classification ? { classification: patch.classification } : {}),
  };
  if (Object.keys(changes).length === 0) return spaceView(space, access.jurisdiction, access.role);
  const row = await deps.stores.cells[access.jurisdiction].db.transaction().execute(async (trx) => {
    const updated = await updateSpaceRow(trx, spaceId, changes);
    if (!updated) throw notFound();
    await deps.audit.record(
      {
        action: 'workspace.space.updated',
        outcome: 'success',
        actorId: actor.principalId,
        jurisdiction: access.jurisdiction,
        resource: { type: 'space', id: spaceId },
        ip: meta.ip,
        requestId: meta.requestId,
        // Which fields changed, and the new policy values (not the free text).
        details: {
          fields: Object.keys(changes).join(','),
          ...(changes.min_assurance ? { minAssurance: changes.min_assurance } : {}),
          ...(changes.classification ? { classification: changes.classification } : {}),
        },
      },
      trx as unknown as AuditTrx,
    );
    return updated;
  });
  // A higher minimum level: live connections of sessions below it must end (no principal: all of them).
  if (changes.min_assurance) await publishQuietly(deps, MEMBERSHIP_CHANGED, { spaceId });
  await spaceChanged(deps, spaceId, 'space');
  return spaceView(row, access.jurisdiction, access.role);
}
