import type { Cells } from '../platform/cells/cells.ts';
import type { KeyOwner } from '../platform/crypto/keyring.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { uuidv7 } from '../platform/ids.ts';
import { enqueue, type JobRunner } from '../platform/jobs/index.ts';
import type { Logger } from '../platform/logger.ts';
import type { Actor } from './actor.ts';
import { authorize } from './authorization.ts';
import { requireSession } from './roles.ts';
import { type LeavingDeps, leaveDeletedOrganisation } from './leaving.ts';
import {
  claimDeletion,
  type DeletionRow,
  deleteTeamsOf,
  findDeletion,
  findOrganisationToDelete,
  insertDeletionIfAbsent,
  listShreddedOrganisations,
  listUnfinishedDeletions,
  membersWithFate,
  releaseDeletion,
  saveProgress,
} from './organisation-deletion.repo.ts';
import type { DeletionPhase, OrganisationDeletionCounters } from './organisation-deletion.tables.ts';
import type { AuditTrx } from './roles.ts';

/**
 * Deleting an organisation, for good (docs/adr/0005-deleting-an-organisation.md; docs/security.md,
 * "Crypto-shredding"). An operator's action — `entente organisations delete ID --confirm "NAME"` or
 * `DELETE /api/admin/organisations/:id` — with the organisation's name typed back.
 *
 * The request, in one control-plane transaction: a deletion row (from then on the organisation is
 * deleted: it is no longer listed and nobody signs in through it), the event audited in the
 * platform chain, and a job that finishes the deletion if this process stops. Then, in phases
 * recorded on the row (each idempotent, so a run cut anywhere is finished by the job, by the sweep,
 * or by running the command again):
 *  - `keys`: any data key owned by the organisation itself (owner type `organisation`) is destroyed
 *    in both cells' keyrings, and a tombstone stays in each (no key is ever made for it again).
 *    First, because the tombstones are the record that outlives a restore: the keyring is backed
 *    up apart, so after a data backup taken before the deletion is restored, the tombstones say
 *    which organisations were deleted since, and `reapplyOrganisationDeletions` deletes them again;
 *  - `spaces`: the spaces the organisation holds (every owner is one of its leaving agents) are
 *    deleted through the space-deletion path — their keys destroyed at once; its leaving agents are
 *    removed from every other space (the workspace's part, through `OrganisationSpacesPort`);
 *  - `members`: each member leaves through the leaving path (leaving.ts): memberships and team rows
 *    go, sessions end, tokens and OpenID grants are revoked, the events are published; an agent
 *    whose only organisation it was is disabled. Its teams and its storage quota row go;
 *  - `done`: audited again, with the figures.
 * The organisation's row stays, marked by its deletion row: its SIRET or NEQ then cannot be
 * created again silently at a sign-in (provisioning finds it, and the sign-in is refused).
 */
export const ORGANISATION_DELETION_JOB = 'identity.organisation.delete';
export const ORGANISATION_DELETION_SWEEP_JOB = 'identity.organisation.delete_sweep';

/** A run holds the deletion this long; a run that died lets the next one in after it. */
const LEASE_MS = 2 * 60_000;
/** The request runs the deletion itself; the job comes after, as the safety net. */
const JOB_DELAY_MS = 60_000;
const SWEEP_EVERY_MS = 10 * 60_000;

/** The data key owner of an organisation in a cell's keyring. */
export const organisationKeyOwner = (organisationId: string): KeyOwner => ({ type: 'organisation', id: organisationId });

/** The workspace's part (workspace/spaces/organisation-spaces.ts), given by the composition root. */
export interface OrganisationSpacesPort {
  settle(input: { organisationId: string; leaving: readonly string[]; actorId: string | null; requestId: string }): Promise<{
    deleted: string[];
    kept: string[];
    membershipsRemoved: number;
  }>;
  forget(organisationId: string): Promise<void>;
}

export interface OrganisationDeletionDeps extends LeavingDeps {
  cells: Cells;
  spaces: OrganisationSpacesPort;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/** Who asks: an operator through the API, or the operator at the console (`cli:<account>`). */
export type DeletionRequester = { kind: 'api'; actor: Actor | null } | { kind: 'cli'; account: string };

export interface OrganisationDeletionView {
  organisationId: string;
  name: string;
  phase: DeletionPhase;
  requestedAt: string;
  requestedVia: string;
  finishedAt: string | null;
  counters: OrganisationDeletionCounters;
  lastError: string | null;
}

export const organisationDeletionView = (name: string, row: DeletionRow): OrganisationDeletionView => ({
  organisationId: row.organisation_id,
  name,
  phase: row.phase,
  requestedAt: row.requested_at.toISOString(),
  requestedVia: row.requested_via,
  finishedAt: row.finished_at?.toISOString() ?? null,
  counters: row.counters ?? {},
  lastError: row.last_error,
});

/** The name as typed back: surrounding spaces and Unicode composition do not matter, case does. */
function sameName(typed: string, name: string): boolean {
  return typed.normalize('NFC').trim() === name.normalize('NFC').trim();
}

/**
 * Asks for the deletion and runs it. Asking again for an unfinished deletion resumes it (the name
 * must still be typed back); for a finished one it is refused (`organisation_already_deleted`).
 */
export async function deleteOrganisation(
  deps: OrganisationDeletionDeps,
  by: DeletionRequester,
  organisationId: string,
  input: { confirmName: string },
  meta: { ip: string | null; requestId: string },
  options: { stopAfter?: DeletionPhase } = {},
): Promise<OrganisationDeletionView> {
  // Irreversible (every space's keys are destroyed): an operator in a browser session or at the
  // console, never a personal access token (a leaked operator token must not wipe out an organisation).
  const actorId = by.kind === 'api' ? authorize(by.actor, 'platform.operate').principalId : null;
  if (by.kind === 'api' && by.actor) requireSession(by.actor);
  const via = by.kind === 'api' ? 'api' : by.account;
  const db = deps.stores.control.db;
  const organisation = await findOrganisationToDelete(db, organisationId);
  if (!organisation) throw notFound();
  if (organisation.demo) throw new AppError('organisation_is_demo', { status: 409 });
  if (!sameName(input.confirmName, organisation.name)) throw new AppError('organisation_name_mismatch', { status: 400 });
  const existing = await findDeletion(db, organisationId);
  if (existing?.finished_at) throw new AppError('organisation_already_deleted', { status: 409 });
  if (!existing) {
    await db.transaction().execute(async (trx) => {
      if (!(await insertDeletionIfAbsent(trx, { organisation_id: organisationId, requested_by: actorId, requested_via: via }))) return;
      // The platform chain (no organisationId): the organisation's own chain stays as it was.
      await deps.audit.record(
        {
          action: 'organisation.deleted',
          outcome: 'success',
          actorId,
          resource: { type: 'organisation', id: organisationId },
          ip: meta.ip,
          requestId: meta.requestId,
          details: { name: organisation.name, jurisdiction: organisation.jurisdiction, via },
        },
        trx as unknown as AuditTrx,
      );
      await enqueue(trx, {
        type: ORGANISATION_DELETION_JOB,
        payload: { organisationId },
        runAt: new Date(Date.now() + JOB_DELAY_MS),
        idempotencyKey: `${ORGANISATION_DELETION_JOB}:${organisationId}`,
        maxAttempts: 10,
      });
    });
  }
  return runOrganisationDeletion(deps, organisationId, { requestId: meta.requestId, busy: 'throw', ...options });
}

/**
 * Runs the phases left of a requested deletion (the request, the job, the sweep, the command run
 * again). `busy`: what to do when another run holds it — throw `organisation_deletion_busy`, or
 * return its state as it is (the job: the other run finishes it).
 */
export async function runOrganisationDeletion(
  deps: OrganisationDeletionDeps,
  organisationId: string,
  options: { requestId?: string; busy?: 'throw' | 'return'; stopAfter?: DeletionPhase } = {},
): Promise<OrganisationDeletionView> {
  const db = deps.stores.control.db;
  const organisation = await findOrganisationToDelete(db, organisationId);
  const claimed = await claimDeletion(db, organisationId, LEASE_MS);
  if (!claimed) {
    const row = await findDeletion(db, organisationId);
    if (!organisation || !row) throw notFound();
    if (row.finished_at || options.busy === 'return') return organisationDeletionView(organisation.name, row);
    throw new AppError('organisation_deletion_busy', { status: 409 });
  }
  if (!organisation) throw notFound(); // the row references it: cannot happen
  const requestId = options.requestId ?? uuidv7();
  const row = claimed;
  const counters: OrganisationDeletionCounters = { ...(row.counters ?? {}) };
  const actorId = row.requested_by;
  let phase = row.phase;
  try {
    if (phase === 'keys') {
      let destroyed = 0;
      for (const cell of deps.cells.all()) destroyed += await cell.keyring.destroyOwnerKeys(cell.db, organisationKeyOwner(organisationId));
      counters.keysDestroyed = (counters.keysDestroyed ?? 0) + destroyed;
      phase = 'spaces';
      await saveProgress(db, organisationId, phase, counters);
      if (options.stopAfter === 'keys') throw new Error('simulated crash after the keys phase');
    }
    if (phase === 'spaces') {
      const members = await membersWithFate(db, organisationId);
      const leaving = members.filter((m) => !m.stays).map((m) => m.principalId);
      const settled = await deps.spaces.settle({ organisationId, leaving, actorId, requestId });
      counters.spacesDeleted = (counters.spacesDeleted ?? 0) + settled.deleted.length;
      counters.spacesKept = (counters.spacesKept ?? 0) + settled.kept.length;
      counters.spaceMembershipsRemoved = (counters.spaceMembershipsRemoved ?? 0) + settled.membershipsRemoved;
      phase = 'members';
      await saveProgress(db, organisationId, phase, counters);
      if (options.stopAfter === 'spaces') throw new Error('simulated crash after the spaces phase');
    }
    if (phase === 'members') {
      for (const member of await membersWithFate(db, organisationId)) {
        const outcome = await leaveDeletedOrganisation(deps, organisationId, member.principalId, { actorId, requestId });
        if (outcome.left) counters.membersRemoved = (counters.membersRemoved ?? 0) + 1;
        if (outcome.disabled) counters.agentsDisabled = (counters.agentsDisabled ?? 0) + 1;
        // Progress as it goes: a crash midway does not count the same member twice.
        await saveProgress(db, organisationId, phase, counters);
        if (options.stopAfter === 'members') throw new Error('simulated crash in the members phase');
      }
      counters.teamsDeleted = (counters.teamsDeleted ?? 0) + (await deleteTeamsOf(db, organisationId));
      await deps.spaces.forget(organisationId);
      phase = 'done';
      await db.transaction().execute(async (trx) => {
        await saveProgress(trx, organisationId, phase, counters);
        await deps.audit.record(
          {
            action: 'organisation.deletion_finished',
            outcome: 'success',
            actorId,
            resource: { type: 'organisation', id: organisationId },
            requestId,
            details: { ...counters },
          },
          trx as unknown as AuditTrx,
        );
      });
    }
  } catch (error) {
    await releaseDeletion(db, organisationId, (error as Error).message ?? String(error)).catch(() => undefined);
    throw error;
  }
  const done = await findDeletion(db, organisationId);
  if (!done) throw notFound();
  deps.logger.info({ organisationId, phase: done.phase, ...counters }, 'organisation deletion finished');
  return organisationDeletionView(organisation.name, done);
}

/** The state of an organisation's deletion (operators), 404 when it was never asked. */
export async function organisationDeletionState(deps: Pick<OrganisationDeletionDeps, 'stores'>, actor: Actor | null, organisationId: string): Promise<OrganisationDeletionView> {
  authorize(actor, 'platform.operate');
  const organisation = await findOrganisationToDelete(deps.stores.control.db, organisationId);
  const row = await findDeletion(deps.stores.control.db, organisationId);
  if (!organisation || !row) throw notFound();
  return organisationDeletionView(organisation.name, row);
}

/**
 * After `entente restore`: an organisation deleted after the data backup was taken comes back in
 * the restored control plane (its members, its agents enabled, even their sessions), but the
 * keyring — backed up apart, kept as it is now — holds its tombstones. Each such organisation whose
 * deletion is not recorded as finished is deleted again, from the start (its spaces deleted after
 * the backup are purged by the space restore purge; those it holds are deleted here).
 */
export async function reapplyOrganisationDeletions(deps: OrganisationDeletionDeps): Promise<OrganisationDeletionView[]> {
  const ids = new Set<string>();
  for (const cell of deps.cells.all()) for (const id of await listShreddedOrganisations(cell.db)) ids.add(id);
  const done: OrganisationDeletionView[] = [];
  const db = deps.stores.control.db;
  for (const organisationId of ids) {
    const organisation = await findOrganisationToDelete(db, organisationId);
    if (!organisation || (await findDeletion(db, organisationId))?.finished_at) continue;
    await db.transaction().execute(async (trx) => {
      if (!(await insertDeletionIfAbsent(trx, { organisation_id: organisationId, requested_by: null, requested_via: 'restore' }))) return;
      await deps.audit.record(
        {
          action: 'organisation.deleted',
          outcome: 'success',
          resource: { type: 'organisation', id: organisationId },
          details: { name: organisation.name, jurisdiction: organisation.jurisdiction, via: 'restore' },
        },
        trx as unknown as AuditTrx,
      );
    });
    done.push(await runOrganisationDeletion(deps, organisationId, { busy: 'return' }));
  }
  return done;
}

/** The job that finishes a deletion, and the sweep that takes up any deletion left unfinished. */
export function registerOrganisationDeletion(jobs: JobRunner, deps: OrganisationDeletionDeps): void {
  jobs.register(ORGANISATION_DELETION_JOB, async ({ payload }) => {
    const p = payload as { organisationId?: unknown };
    if (typeof p.organisationId !== 'string') return;
    await runOrganisationDeletion(deps, p.organisationId, { busy: 'return' });
  });
  jobs.register(ORGANISATION_DELETION_SWEEP_JOB, async () => {
    const bucket = Math.floor(Date.now() / SWEEP_EVERY_MS);
    for (const organisationId of await listUnfinishedDeletions(deps.stores.control.db, new Date(Date.now() - LEASE_MS))) {
      await enqueue(deps.stores.control.db, {
        type: ORGANISATION_DELETION_JOB,
        payload: { organisationId },
        idempotencyKey: `${ORGANISATION_DELETION_JOB}:${organisationId}:${bucket}`,
        maxAttempts: 3,
      });
    }
  });
  jobs.every(ORGANISATION_DELETION_SWEEP_JOB, SWEEP_EVERY_MS);
}
