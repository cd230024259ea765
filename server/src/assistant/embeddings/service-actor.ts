import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Actor } from '../../identity/actor.ts';

/**
 * The service actor of the embeddings indexer: the principal of its gateway requests (audit,
 * usage), a token-like actor whose only scope is `ai`, bound to ONE cell (`homeJurisdiction`).
 * It is recognised by object identity (a WeakSet of the actors this module made), never by an id
 * a request could carry: no session or token can become it. The policy labels its documents
 * without a reader's check (workspace `serviceContentLabels`, that cell only) and decides by
 * classification and residency as for anyone.
 */
export const EMBEDDING_SERVICE_PRINCIPAL = '00000000-0000-7000-8000-00000000e4be';

const made = new WeakSet<Actor>();

export function embeddingServiceActor(jurisdiction: Jurisdiction): Actor {
  const actor: Actor = {
    principalId: EMBEDDING_SERVICE_PRINCIPAL,
    homeJurisdiction: jurisdiction,
    sessionId: 'token:service-assistant-embeddings',
    assuranceLevel: null,
    upstream: null,
    memberships: new Map(),
    platformRoles: new Set(),
    via: 'token',
    scopes: new Set(['ai']),
  };
  made.add(actor);
  return actor;
}

export function isEmbeddingServiceActor(actor: Actor): boolean {
  return made.has(actor);
}
