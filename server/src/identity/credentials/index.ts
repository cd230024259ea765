import type { FastifyInstance } from 'fastify';
import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Cells } from '../../platform/cells/cells.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { EventBus } from '../../platform/events/index.ts';
import type { JobRunner } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Actor } from '../actor.ts';
import { AGENT_DISABLED, AGENT_LEFT_ORGANISATION } from '../leaving.ts';
import { findPrincipalWithMemberships } from '../principals.repo.ts';
import type { SkillsFacts } from './claims.ts';
import { type CredentialsDeps, revokeOnLeaving, STATUS_CHANGED_TOPIC } from './issuance.ts';
import { listLiveOrganisationCredentials } from './issued.repo.ts';
import { createIssuers, type Issuers, rotateIssuerKeys } from './issuers.ts';
import { deleteExpiredNonces } from './nonces.repo.ts';
import { deleteExpiredOffers } from './offers.repo.ts';
import { credentialsRoutes } from './routes.ts';
import { walletRoutes } from './wallet-routes.ts';
import { createStatusTokens } from './status-lists.ts';

/** Entente's credential issuers (issue 9): see README.md in this folder. */
export { createIssuers, issuerUrl, jurisdictionOfIssuer, rotateIssuerKeys, ensureIssuerKeys, type Issuers } from './issuers.ts';
export { statusListUri } from './status-lists.ts';
export { vctOf, typeMetadata } from './type-metadata.ts';
export { STATUS_CHANGED_TOPIC } from './issuance.ts';

/** Published after `issuers keys rotate` (`{ jurisdiction, generation }`), for the record and any cache. */
export const ISSUER_KEYS_ROTATED_TOPIC = 'identity.credentials.issuer_keys_rotated';
export const CREDENTIALS_SWEEP_JOB = 'identity.credentials.sweep';
const SWEEP_EVERY_MS = 10 * 60_000;

export interface RegisterCredentialsDeps {
  /** Production mode (NODE_ENV=production): demo organisations get no attestation. */
  production?: boolean;
  stores: Stores;
  cells: Cells;
  audit: AuditLog;
  events: EventBus;
  jobs: JobRunner;
  logger: Logger;
  publicUrl: URL;
  skillsClaims: (actor: Actor, assessmentId: string) => Promise<SkillsFacts>;
}

/**
 * Issuer keys made on first start, routes, and the automatic revocations: on the identity events
 * of leaving (every node hears them; revocation is idempotent), and a sweep job that repairs what a
 * missed event left (events are best effort: the membership and status are the record).
 */
export async function registerCredentials(app: FastifyInstance, deps: RegisterCredentialsDeps): Promise<{ issuers: Issuers; deps: CredentialsDeps }> {
  const issuers = createIssuers(deps.cells, deps.publicUrl);
  await issuers.ensureKeys();
  const statusTokens = createStatusTokens(deps.cells, issuers, deps.publicUrl);
  const credentialsDeps: CredentialsDeps = { stores: deps.stores, audit: deps.audit, events: deps.events, issuers, statusTokens, publicUrl: deps.publicUrl, production: deps.production ?? false, skillsClaims: deps.skillsClaims };
  credentialsRoutes(app, credentialsDeps);
  walletRoutes(app, credentialsDeps);

  const warn = (err: unknown) => deps.logger.warn({ err }, 'credential revocation on leaving failed');
  const unsubscribe = [
    deps.events.subscribe(AGENT_LEFT_ORGANISATION, async (payload) => {
      const p = payload as { principalId?: unknown; organisationId?: unknown };
      if (typeof p?.principalId !== 'string' || typeof p.organisationId !== 'string') return;
      await revokeOnLeaving(credentialsDeps, { principalId: p.principalId, organisationId: p.organisationId, reason: 'left_organisation' }).catch(warn);
    }),
    deps.events.subscribe(AGENT_DISABLED, async (payload) => {
      const p = payload as { principalId?: unknown };
      if (typeof p?.principalId !== 'string') return;
      await revokeOnLeaving(credentialsDeps, { principalId: p.principalId, reason: 'disabled' }).catch(warn);
    }),
    deps.events.subscribe(STATUS_CHANGED_TOPIC, (payload) => {
      const p = payload as { listId?: unknown };
      if (typeof p?.listId === 'string') statusTokens.forget(p.listId);
    }),
    deps.events.subscribe(ISSUER_KEYS_ROTATED_TOPIC, () => statusTokens.forgetAll()),
  ];
  app.addHook('onClose', async () => {
    for (const stop of unsubscribe) stop();
  });

  deps.jobs.register(CREDENTIALS_SWEEP_JOB, async () => {
    await sweep(credentialsDeps);
    await deleteExpiredNonces(deps.stores.control.db, new Date(Date.now() - 3_600_000));
    for (const j of JURISDICTIONS) await deleteExpiredOffers(deps.stores.cells[j].db, new Date(Date.now() - 3_600_000));
  });
  deps.jobs.every(CREDENTIALS_SWEEP_JOB, SWEEP_EVERY_MS);
  return { issuers, deps: credentialsDeps };
}

/** Revokes public-agent credentials whose holder no longer belongs to the organisation, or is disabled. */
export async function sweep(deps: CredentialsDeps): Promise<number> {
  let revoked = 0;
  for (const jurisdiction of JURISDICTIONS) {
    const db = deps.stores.cells[jurisdiction].db;
    let after: string | null = null;
    for (;;) {
      const batch = await listLiveOrganisationCredentials(db, new Date(), after, 500);
      if (batch.length === 0) break;
      after = batch[batch.length - 1]?.id ?? null;
      const principals = new Map<string, Awaited<ReturnType<typeof findPrincipalWithMemberships>>>();
      for (const row of batch) {
        if (!principals.has(row.principal_id)) principals.set(row.principal_id, await findPrincipalWithMemberships(deps.stores.control.db, row.principal_id));
        const principal = principals.get(row.principal_id);
        if (!principal || principal.status === 'disabled') {
          revoked += await revokeOnLeaving(deps, { principalId: row.principal_id, reason: 'disabled' }, jurisdiction);
        } else if (row.organisation_id && !principal.organisation_ids.includes(row.organisation_id)) {
          revoked += await revokeOnLeaving(deps, { principalId: row.principal_id, organisationId: row.organisation_id, reason: 'left_organisation' }, jurisdiction);
        }
      }
    }
  }
  return revoked;
}

/** `entente issuers keys rotate`: audited; running nodes read the newest key at each issuance. */
export async function rotateIssuers(
  deps: { cells: Cells; audit: AuditLog; events: EventBus },
  jurisdictions: readonly Jurisdiction[] = JURISDICTIONS,
): Promise<{ jurisdiction: Jurisdiction; generation: number; kid: string; retired: string[] }[]> {
  const results = [];
  for (const jurisdiction of jurisdictions) {
    const rotated = await rotateIssuerKeys(deps.cells, jurisdiction);
    await deps.audit.record({
      action: 'credentials.issuer_keys.rotated',
      outcome: 'success',
      jurisdiction,
      resource: { type: 'credential_issuer', id: jurisdiction.toLowerCase() },
      details: { generation: rotated.generation, kid: rotated.kid, retired: rotated.retired.join(' ') },
    });
    await deps.events.publish(ISSUER_KEYS_ROTATED_TOPIC, { jurisdiction, generation: rotated.generation }).catch(() => undefined);
    results.push({ jurisdiction, ...rotated });
  }
  return results;
}
