/**
 * The trust list as the verifier uses it: issuer + kid → public key. Entente's own two issuers
 * answer from the issuer side in-process; the others from the control plane's list, read at each
 * verification (a removal counts at once, on every node). Keys of an issuer trusted by its
 * metadata are fetched again at most every few minutes, and once more (at most every 30 s) when a
 * credential names a kid we do not know (the issuer rotated); when its server does not answer,
 * the last good keys stay in use.
 */
import type { JWK } from 'jose';
import type { Stores } from '../../platform/db/stores.ts';
import type { PublicKey } from './sd-jwt/index.ts';
import { findTrustedIssuerRow, type TrustedIssuerRow, updateFetchedJwks } from './trust.repo.ts';
import type { StoredJwks, TrustJurisdiction, TrustSource } from './trust.tables.ts';
import { fetchIssuerJwks, pickKey } from './trust-metadata.ts';

export const METADATA_REFRESH_MS = 5 * 60_000;
export const UNKNOWN_KID_REFRESH_MS = 30_000;

/** Gives the public key of one of Entente's own issuers (the issuer side), or null. */
export type LocalIssuerKeys = (iss: string, kid: string | undefined) => Promise<PublicKey | null>;

export interface TrustedIssuerIdentity {
  url: string;
  jurisdiction: TrustJurisdiction;
  name: string;
  source: TrustSource;
}

/** Entente's own issuers, at the URLs DESIGN.md fixes: trusted by construction. */
export function localIssuers(publicUrl: URL): TrustedIssuerIdentity[] {
  const base = publicUrl.href.replace(/\/$/, '');
  return [
    { url: `${base}/issuers/fr`, jurisdiction: 'FR', name: 'Entente — France', source: 'local' },
    { url: `${base}/issuers/qc`, jurisdiction: 'QC', name: 'Entente — Québec', source: 'local' },
  ];
}

export interface TrustResolverDeps {
  stores: Stores;
  publicUrl: () => URL;
  localIssuerKeys: LocalIssuerKeys;
  /** Tests: the clock (milliseconds). */
  now?: () => number;
}

export interface TrustResolver {
  /** Who the issuer is in the trust list, or null when it is not trusted. */
  identify(iss: string): Promise<TrustedIssuerIdentity | null>;
  resolveIssuerKey(iss: string, kid: string | undefined): Promise<PublicKey | null>;
}

interface CachedKeys {
  /** The row these keys belong to: a removed and re-added issuer starts afresh. */
  addedAt: number;
  jwks: StoredJwks;
  fetchedAt: number;
  lastKidRefresh: number;
}

export function createTrustResolver(deps: TrustResolverDeps): TrustResolver {
  const now = deps.now ?? Date.now;
  const cache = new Map<string, CachedKeys>();
  const inFlight = new Map<string, Promise<StoredJwks | null>>();

  const local = (iss: string) => localIssuers(deps.publicUrl()).find((i) => i.url === iss) ?? null;

  async function refresh(row: TrustedIssuerRow, entry: CachedKeys): Promise<void> {
    const key = row.issuer;
    let pending = inFlight.get(key);
    if (!pending) {
      pending = fetchIssuerJwks(row.metadata_url as string, row.issuer).catch(() => null);
      inFlight.set(key, pending);
      void pending.finally(() => inFlight.delete(key));
    }
    const jwks = await pending;
    entry.fetchedAt = now();
    if (!jwks) return; // the issuer did not answer: the last good keys stay
    entry.jwks = jwks;
    await updateFetchedJwks(deps.stores.control.db, row.issuer, jwks, new Date(entry.fetchedAt)).catch(() => {});
  }

  async function keysOf(row: TrustedIssuerRow, kid: string | undefined): Promise<Record<string, unknown> | null> {
    if (row.source === 'pinned') return pickKey(row.jwks, kid);
    let entry = cache.get(row.issuer);
    if (!entry || entry.addedAt !== row.added_at.getTime()) {
      entry = { addedAt: row.added_at.getTime(), jwks: row.jwks, fetchedAt: row.jwks_fetched_at?.getTime() ?? 0, lastKidRefresh: 0 };
      cache.set(row.issuer, entry);
    }
    if (now() - entry.fetchedAt >= METADATA_REFRESH_MS) await refresh(row, entry);
    let key = pickKey(entry.jwks, kid);
    if (!key && kid !== undefined && now() - entry.lastKidRefresh >= UNKNOWN_KID_REFRESH_MS) {
      entry.lastKidRefresh = now();
      await refresh(row, entry);
      key = pickKey(entry.jwks, kid);
    }
    return key;
  }

  return {
    async identify(iss) {
      const own = local(iss);
      if (own) return own;
      const row = await findTrustedIssuerRow(deps.stores.control.db, iss);
      return row ? { url: row.issuer, jurisdiction: row.jurisdiction, name: row.name, source: row.source } : null;
    },
    async resolveIssuerKey(iss, kid) {
      if (local(iss)) return deps.localIssuerKeys(iss, kid);
      const row = await findTrustedIssuerRow(deps.stores.control.db, iss);
      if (!row) return null;
      return (await keysOf(row, kid)) as JWK | null;
    },
  };
}
