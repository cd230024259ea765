import type { ControlDb } from '../../platform/db/types.ts';
import type { Logger } from '../../platform/logger.ts';
import { sessionUidsWithClient } from './models.repo.ts';
import type { OidcProvider } from './oidc.ts';

/**
 * A client loses its part of the agent's OpenID sessions (consent withdrawn, client removed): it
 * is told through back-channel logout (when it registered a `backchannel_logout_uri`) that the
 * session it holds has ended, and the session forgets its authorization. Its grants and tokens are
 * revoked by the caller. The logout tokens are not awaited (a slow service must not hold the
 * agent's request); failures are logged, not thrown.
 */
export async function logoutClientSessions(
  deps: { db: ControlDb; provider: () => OidcProvider; logger: Pick<Logger, 'warn'> },
  clientId: string,
  accountId?: string,
): Promise<number> {
  const provider = deps.provider();
  const client = await provider.Client.find(clientId);
  let told = 0;
  for (const uid of await sessionUidsWithClient(deps.db, clientId, accountId)) {
    const session = await provider.Session.findByUid(uid);
    const authorization = session?.authorizations?.[clientId];
    if (!session?.accountId || !authorization) continue;
    if (client?.backchannelLogoutUri && authorization.sid) {
      told += 1;
      void client.backchannelLogout(session.accountId, authorization.sid).catch((err: unknown) => deps.logger.warn({ err, client: clientId }, 'back-channel logout failed'));
    }
    delete session.authorizations?.[clientId];
    const ttl = Math.floor((session.exp ?? 0) - Date.now() / 1000);
    if (ttl > 0) await session.save(ttl);
  }
  return told;
}
