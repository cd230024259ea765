import type { FastifyInstance } from 'fastify';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Cells } from '../../platform/cells/cells.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { EventBus } from '../../platform/events/index.ts';
import { STATUS_CHANGED_TOPIC } from './issuance.ts';
import { createIssuers } from './issuers.ts';
import { createStatusChecker, type StatusChecker } from './status-check.ts';
import { createStatusTokens, statusListUri } from './status-lists.ts';
import { createTrustResolver, type LocalIssuerKeys, type TrustResolver } from './trust-keys.ts';
import { trustRoutes } from './trust-routes.ts';
import { verifierRoutes } from './verifier-routes.ts';

export interface CredentialVerifierDeps {
  stores: Stores;
  audit: AuditLog;
  publicUrl: () => URL;
  /** The issuer side: the public key of one of Entente's own issuers. */
  localIssuerKeys: LocalIssuerKeys;
  /** The issuer side: one of Entente's own status list tokens, without HTTP (null: not ours). */
  localStatusListToken?: (uri: string) => Promise<string | null>;
}

/** The verifier side of issue 9: trust list (operators), status checking, the public verifier. */
export function registerCredentialVerifier(app: FastifyInstance, deps: CredentialVerifierDeps): { trust: TrustResolver; status: StatusChecker } {
  const trust = createTrustResolver({ stores: deps.stores, publicUrl: deps.publicUrl, localIssuerKeys: deps.localIssuerKeys });
  const status = createStatusChecker({
    resolveIssuerKey: (iss, kid) => trust.resolveIssuerKey(iss, kid),
    ...(deps.localStatusListToken ? { localStatusListToken: deps.localStatusListToken } : {}),
  });
  trustRoutes(app, { stores: deps.stores, audit: deps.audit, publicUrl: deps.publicUrl });
  verifierRoutes(app, { stores: deps.stores, audit: deps.audit, publicUrl: deps.publicUrl, trust, status });
  return { trust, status };
}

/**
 * Entente's own issuers as the verifier reads them, in-process: their public keys, and their
 * status list tokens (from a cache cleared on every node when a credential's status changes).
 */
export function ownIssuerSide(deps: { cells: Cells; events: EventBus; publicUrl: URL }): Pick<CredentialVerifierDeps, 'localIssuerKeys' | 'localStatusListToken'> & { close(): void } {
  const issuers = createIssuers(deps.cells, deps.publicUrl);
  const tokens = createStatusTokens(deps.cells, issuers, deps.publicUrl);
  const prefix = statusListUri(deps.publicUrl, '');
  const unsubscribe = deps.events.subscribe(STATUS_CHANGED_TOPIC, (payload) => {
    const listId = (payload as { listId?: unknown } | null)?.listId;
    if (typeof listId === 'string') tokens.forget(listId);
  });
  return {
    localIssuerKeys: (iss, kid) => issuers.publicKey(iss, kid),
    async localStatusListToken(uri) {
      if (!uri.startsWith(prefix)) return null;
      const id = uri.slice(prefix.length);
      if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) return null;
      return (await tokens.token(id))?.token ?? null;
    },
    close: unsubscribe,
  };
}
