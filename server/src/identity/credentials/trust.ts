/**
 * The trust list's use cases (issue 9): which issuers the verifier believes, changed by operators
 * only (the API with a session, or the console), every change audited with who made it. Entente's
 * own two issuers are always trusted and cannot be removed.
 */
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Actor } from '../actor.ts';
import { authorize } from '../authorization.ts';
import { requireSession } from '../roles.ts';
import { isFetchableUrl, TrustFetchError } from './trust-fetch.ts';
import { localIssuers } from './trust-keys.ts';
import { fetchIssuerJwks, JwksError, validateJwks, wellKnownMetadataUrl } from './trust-metadata.ts';
import { deleteTrustedIssuer, insertTrustedIssuer, listTrustedIssuerRows, type TrustedIssuerRow } from './trust.repo.ts';
import type { StoredJwks, TrustJurisdiction, TrustSource } from './trust.tables.ts';

export interface TrustDeps {
  stores: Stores;
  audit: AuditLog;
  publicUrl: () => URL;
}

/** Who changes the list: an operator in a browser session, or the operator at the console. */
export type TrustOperator = { kind: 'api'; actor: Actor | null } | { kind: 'cli'; account: string };

export interface TrustedIssuerView {
  issuer: string;
  jurisdiction: TrustJurisdiction;
  name: string;
  source: TrustSource;
  metadataUrl: string | null;
  /** The keys in use (public); empty for Entente's own issuers, whose keys the issuer side holds. */
  keys: { kid: string | null; kty: string; crv: string | null }[];
  keysFetchedAt: string | null;
  addedBy: string | null;
  addedAt: string | null;
}

export interface AddTrustedIssuerInput {
  issuer: string;
  jurisdiction: TrustJurisdiction;
  name: string;
  /** Trust by metadata: the issuer's `/.well-known/jwt-vc-issuer/…` URL (an empty string: derived from `issuer`). */
  metadataUrl?: string;
  /** Or pinned keys: a JWKS. */
  jwks?: unknown;
}

const view = (row: TrustedIssuerRow): TrustedIssuerView => ({
  issuer: row.issuer,
  jurisdiction: row.jurisdiction,
  name: row.name,
  source: row.source,
  metadataUrl: row.metadata_url,
  keys: row.jwks.keys.map((k) => ({ kid: typeof k.kid === 'string' ? k.kid : null, kty: String(k.kty), crv: typeof k.crv === 'string' ? k.crv : null })),
  keysFetchedAt: row.jwks_fetched_at?.toISOString() ?? null,
  addedBy: row.added_by,
  addedAt: row.added_at.toISOString(),
});

function operatorOf(by: TrustOperator): { actorId: string | null; name: string } {
  if (by.kind === 'cli') return { actorId: null, name: by.account };
  const actor = authorize(by.actor, 'platform.operate');
  // Trust decides whose word the verifier takes: a browser session, never a personal access token.
  requireSession(actor);
  return { actorId: actor.principalId, name: `principal:${actor.principalId}` };
}

export async function listTrustedIssuers(deps: TrustDeps, by: TrustOperator | null): Promise<TrustedIssuerView[]> {
  if (by) operatorOf(by);
  const local: TrustedIssuerView[] = localIssuers(deps.publicUrl()).map((i) => ({
    issuer: i.url,
    jurisdiction: i.jurisdiction,
    name: i.name,
    source: 'local',
    metadataUrl: null,
    keys: [],
    keysFetchedAt: null,
    addedBy: null,
    addedAt: null,
  }));
  return [...local, ...(await listTrustedIssuerRows(deps.stores.control.db)).map(view)];
}

export function validIssuerUrl(value: string): boolean {
  if (value.length > 500 || !isFetchableUrl(value)) return false;
  // One spelling per issuer: no trailing `/`, no `?` or `#`, so that nobody adds a look-alike of
  // Entente's own issuers (…/issuers/fr/) with other keys.
  if (value.endsWith('/') || value.includes('?') || value.includes('#')) return false;
  const url = new URL(value);
  return url.search === '' && url.href.replace(/\/$/, '') === value;
}

export async function addTrustedIssuer(
  deps: TrustDeps,
  by: TrustOperator,
  input: AddTrustedIssuerInput,
  meta: { ip: string | null; requestId: string | null } = { ip: null, requestId: null },
): Promise<TrustedIssuerView> {
  const operator = operatorOf(by);
  const issuer = input.issuer.trim();
  const name = input.name.trim();
  if (!validIssuerUrl(issuer)) throw new AppError('trust_issuer_invalid', { status: 400 });
  if (name.length === 0 || name.length > 200) throw new AppError('validation', { errors: [{ path: 'name', message: 'between 1 and 200 characters', code: 'too_small' }] });
  if ((input.metadataUrl === undefined) === (input.jwks === undefined)) {
    throw new AppError('validation', { errors: [{ path: 'metadataUrl', message: 'give either metadataUrl or jwks', code: 'invalid' }] });
  }
  if (localIssuers(deps.publicUrl()).some((i) => i.url === issuer)) throw new AppError('trust_issuer_local', { status: 409 });

  let source: 'metadata' | 'pinned';
  let jwks: StoredJwks;
  let metadataUrl: string | null = null;
  if (input.metadataUrl !== undefined) {
    source = 'metadata';
    metadataUrl = input.metadataUrl.trim() || wellKnownMetadataUrl(issuer);
    if (!isFetchableUrl(metadataUrl) || metadataUrl.length > 1000) throw new AppError('trust_issuer_invalid', { status: 400 });
    try {
      jwks = await fetchIssuerJwks(metadataUrl, issuer);
    } catch (error) {
      if (error instanceof JwksError) throw new AppError('trust_jwks_invalid', { status: 400, extensions: { cause: error.message } });
      if (error instanceof TrustFetchError) throw new AppError('trust_metadata_unavailable', { status: 502, extensions: { cause: error.message } });
      throw error;
    }
  } else {
    source = 'pinned';
    try {
      jwks = validateJwks(input.jwks);
    } catch (error) {
      if (error instanceof JwksError) throw new AppError('trust_jwks_invalid', { status: 400, extensions: { cause: error.message } });
      throw error;
    }
  }

  const db = deps.stores.control.db;
  const row = await db.transaction().execute(async (trx) => {
    const inserted = await insertTrustedIssuer(trx, {
      issuer,
      jurisdiction: input.jurisdiction,
      name,
      source,
      metadata_url: metadataUrl,
      jwks,
      jwks_fetched_at: source === 'metadata' ? new Date() : null,
      added_by: operator.name,
    });
    if (!inserted) throw new AppError('trust_issuer_exists', { status: 409 });
    await deps.audit.record(
      {
        action: 'credentials.trust.added',
        outcome: 'success',
        actorId: operator.actorId,
        resource: { type: 'trusted_issuer', id: issuer },
        requestId: meta.requestId,
        details: { jurisdiction: input.jurisdiction, name, source, metadataUrl, keys: jwks.keys.length, by: operator.name },
      },
      trx as never,
    );
    return inserted;
  });
  return view(row);
}

export async function removeTrustedIssuer(
  deps: TrustDeps,
  by: TrustOperator,
  issuer: string,
  meta: { ip: string | null; requestId: string | null } = { ip: null, requestId: null },
): Promise<TrustedIssuerView> {
  const operator = operatorOf(by);
  if (localIssuers(deps.publicUrl()).some((i) => i.url === issuer)) throw new AppError('trust_issuer_local', { status: 409 });
  const row = await deps.stores.control.db.transaction().execute(async (trx) => {
    const removed = await deleteTrustedIssuer(trx, issuer);
    if (!removed) throw notFound();
    await deps.audit.record(
      {
        action: 'credentials.trust.removed',
        outcome: 'success',
        actorId: operator.actorId,
        resource: { type: 'trusted_issuer', id: issuer },
        requestId: meta.requestId,
        details: { jurisdiction: removed.jurisdiction, name: removed.name, source: removed.source, by: operator.name },
      },
      trx as never,
    );
    return removed;
  });
  return view(row);
}
