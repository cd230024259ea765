import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Actor } from '../../identity/actor.ts';
import { authorize } from '../../identity/authorization.ts';
import { findOrganisationsByIds } from '../../identity/organisations.repo.ts';
import { findProfile } from '../../identity/profiles.repo.ts';
import { requireSession } from '../../identity/roles.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { CellDb } from '../../platform/db/types.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { RequestMeta } from '../spaces/deps.ts';
import { findDirectoryEntry } from '../spaces/spaces.repo.ts';
import { type FilesDeps, nowOf } from './deps.ts';
import { lockSpace } from './files.repo.ts';
import { findQuotaOverride, lockOrganisationQuota, organisationUsageInCell, spaceUsage, upsertQuotaOverride } from './quotas.repo.ts';

/**
 * Storage quotas, per space and per organisation, in bytes.
 *
 * - A space's usage: every version of its files (the trash counts until deleted for good; a
 *   restored version counts 0, it shares the bytes of the version it restores), the lengths
 *   reserved by its uploads in progress, and its documents' images.
 * - An organisation's usage: the bytes its agents uploaded (the uploader's organisation is kept
 *   on each version), in both cells, plus their uploads in progress.
 *
 * An upload reserves its whole length when it is created, before any byte: the check and the
 * reservation happen under the organisation's lock (control plane) and the space's row lock
 * (cell), so parallel uploads cannot together go over. It is checked again when the upload
 * finishes (an operator may have lowered a limit meanwhile).
 */
export interface QuotaView {
  space: { used: number; limit: number };
  organisation: { id: string; name: string; used: number; limit: number } | null;
}

export type QuotaScope = 'space' | 'organisation';

const MiB = 1024 * 1024;
const mib = (bytes: number) => Math.round((bytes / MiB) * 10) / 10;

export function quotaExceeded(scope: QuotaScope, used: number, limit: number, needed: number): AppError {
  return new AppError('quota_exceeded', {
    status: 413,
    params: { scope, used, limit, needed, usedMiB: mib(used), limitMiB: mib(limit), neededMiB: mib(needed), freeMiB: mib(Math.max(0, limit - used)) },
    extensions: { scope, used, limit, needed },
  });
}

/**
 * The organisation an agent uploads for: their only one, or — for an agent of several — the one
 * of their profile (the one they signed in through); null for an agent of none.
 */
export async function organisationOf(stores: Stores, actor: Actor): Promise<string | null> {
  const ids = [...actor.memberships.keys()].sort();
  if (ids.length <= 1) return ids[0] ?? null;
  const profile = await findProfile(stores.cells[actor.homeJurisdiction].db, actor.principalId);
  return profile?.organisation_id && ids.includes(profile.organisation_id) ? profile.organisation_id : (ids[0] ?? null);
}

export async function spaceLimit(deps: Pick<FilesDeps, 'stores' | 'limits'>, spaceId: string): Promise<number> {
  return (await findQuotaOverride(deps.stores.control.db, 'space', spaceId)) ?? deps.limits.spaceQuotaBytes;
}

export async function organisationLimit(deps: Pick<FilesDeps, 'stores' | 'limits'>, organisationId: string): Promise<number> {
  return (await findQuotaOverride(deps.stores.control.db, 'organisation', organisationId)) ?? deps.limits.organisationQuotaBytes;
}

/** Across both cells: an organisation's agents upload into French and Québec spaces alike. */
export async function organisationUsage(stores: Stores, organisationId: string, now: Date, exceptUpload?: string): Promise<number> {
  let used = 0;
  for (const j of JURISDICTIONS) used += await organisationUsageInCell(stores.cells[j].db, organisationId, now, exceptUpload);
  return used;
}

/** What the files page shows: the space's usage and the agent's organisation's. */
export async function quotaView(deps: FilesDeps, actor: Actor, spaceId: string, jurisdiction: Jurisdiction): Promise<QuotaView> {
  const now = nowOf(deps);
  const [used, limit, organisationId] = await Promise.all([
    spaceUsage(deps.stores.cells[jurisdiction].db, spaceId, now),
    spaceLimit(deps, spaceId),
    organisationOf(deps.stores, actor),
  ]);
  let organisation: QuotaView['organisation'] = null;
  if (organisationId) {
    const [row] = await findOrganisationsByIds(deps.stores.control.db, [organisationId]);
    if (row) {
      organisation = {
        id: row.id,
        name: row.name,
        used: await organisationUsage(deps.stores, organisationId, now),
        limit: await organisationLimit(deps, organisationId),
      };
    }
  }
  return { space: { used, limit }, organisation };
}

export interface QuotaRequest {
  spaceId: string;
  jurisdiction: Jurisdiction;
  organisationId: string | null;
  /** Bytes about to be counted. */
  needed: number;
  /** An upload whose own reservation is being replaced (the finishing upload). */
  exceptUpload?: string;
}

/**
 * Runs `write` in a transaction of the space's cell once both quotas have room for `needed`, with
 * the locks held until it commits: the organisation's row in the control plane (when there is an
 * organisation), then the space's row in its cell. `write` gets the cell transaction only and must
 * not touch the control plane (on PGlite its single connection is in the transaction).
 */
export async function withQuota<T>(deps: FilesDeps, request: QuotaRequest, write: (trx: CellDb) => Promise<T>): Promise<T> {
  const now = nowOf(deps);
  const { spaceId, jurisdiction, organisationId, needed, exceptUpload } = request;
  const limitOfSpace = await spaceLimit(deps, spaceId);
  const inCell = () =>
    deps.stores.cells[jurisdiction].db.transaction().execute(async (trx) => {
      if (!(await lockSpace(trx, spaceId))) throw notFound();
      const used = await spaceUsage(trx, spaceId, now, exceptUpload);
      if (used + needed > limitOfSpace) throw quotaExceeded('space', used, limitOfSpace, needed);
      return write(trx);
    });
  if (!organisationId) return inCell();
  return deps.stores.control.db.transaction().execute(async (control) => {
    const limit = (await lockOrganisationQuota(control, organisationId)) ?? deps.limits.organisationQuotaBytes;
    // The cells are other databases (or other connections): reading them does not touch this transaction.
    const used = await organisationUsage(deps.stores, organisationId, now, exceptUpload);
    if (used + needed > limit) throw quotaExceeded('organisation', used, limit, needed);
    return inCell();
  });
}

// ── operators: per-space and per-organisation limits ────────────────────────────────────────

export interface QuotaSetting {
  scope: QuotaScope;
  ownerId: string;
  /** The operator's limit, or null: the configured default applies. */
  limitBytes: number | null;
  /** The limit in force. */
  effectiveLimit: number;
  used: number;
}

async function settingOf(deps: FilesDeps, scope: QuotaScope, ownerId: string): Promise<QuotaSetting> {
  const now = nowOf(deps);
  const override = await findQuotaOverride(deps.stores.control.db, scope, ownerId);
  if (scope === 'space') {
    const entry = await findDirectoryEntry(deps.stores.control.db, ownerId);
    if (!entry) throw notFound();
    const used = await spaceUsage(deps.stores.cells[entry.jurisdiction].db, ownerId, now);
    return { scope, ownerId, limitBytes: override, effectiveLimit: override ?? deps.limits.spaceQuotaBytes, used };
  }
  const [organisation] = await findOrganisationsByIds(deps.stores.control.db, [ownerId]);
  if (!organisation) throw notFound();
  const used = await organisationUsage(deps.stores, ownerId, now);
  return { scope, ownerId, limitBytes: override, effectiveLimit: override ?? deps.limits.organisationQuotaBytes, used };
}

/** An operator reads a space's or an organisation's quota. */
export async function getStorageQuota(deps: FilesDeps, actorOrNull: Actor | null, scope: QuotaScope, ownerId: string): Promise<QuotaSetting> {
  authorize(actorOrNull, 'platform.operate');
  return settingOf(deps, scope, ownerId.toLowerCase());
}

/** An operator sets (or, with null, removes) a space's or an organisation's limit; audited in the control plane. */
export async function setStorageQuota(
  deps: FilesDeps,
  actorOrNull: Actor | null,
  scope: QuotaScope,
  rawOwnerId: string,
  limitBytes: number | null,
  meta: RequestMeta,
): Promise<QuotaSetting> {
  const me = authorize(actorOrNull, 'platform.operate');
  requireSession(me);
  const ownerId = rawOwnerId.toLowerCase();
  await settingOf(deps, scope, ownerId); // 404 for what does not exist
  await upsertQuotaOverride(deps.stores.control.db, scope, ownerId, limitBytes, me.principalId);
  await deps.audit.record({
    action: 'workspace.quota.updated',
    outcome: 'success',
    actorId: me.principalId,
    organisationId: scope === 'organisation' ? ownerId : null,
    resource: { type: scope === 'space' ? 'space' : 'organisation', id: ownerId },
    ip: meta.ip,
    requestId: meta.requestId,
    details: { scope, limitBytes },
  });
  return settingOf(deps, scope, ownerId);
}
