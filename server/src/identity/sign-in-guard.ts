import type { AuditLog } from '../platform/audit/audit-log.ts';
import type { Stores } from '../platform/db/stores.ts';
import { AppError } from '../platform/errors.ts';
import { grantOperatorAtSignIn } from './operators.ts';
import { findPrincipal } from './principals.repo.ts';
import type { SessionService } from './sessions.ts';

/**
 * What a federated sign-in must respect besides the federation's word, checked where the session
 * is about to be created (the one step every upstream shares):
 * - a disabled agent is refused with a clear answer (`sign_in_account_disabled`) and audited,
 *   instead of getting a session that silently does not work;
 * - an identity designated operator (ENTENTE_OPERATORS, `entente operators add`) gets the role.
 */
export function guardFederatedSignIn(sessions: SessionService, deps: { stores: Stores; audit: AuditLog }): SessionService {
  return {
    ...sessions,
    async create(input) {
      if (input.federation) {
        const principal = await findPrincipal(deps.stores.control.db, input.principalId);
        if (principal?.status === 'disabled') {
          await deps.audit.record({
            action: 'sign_in.failed',
            outcome: 'failure',
            actorId: input.principalId,
            resource: { type: 'upstream', id: input.federation.upstream },
            requestId: input.requestId ?? null,
            details: { reason: 'principal_disabled' },
          });
          throw new AppError('sign_in_account_disabled', { status: 403 });
        }
        await grantOperatorAtSignIn(deps.stores, deps.audit, input.principalId);
      }
      return sessions.create(input);
    },
  };
}
