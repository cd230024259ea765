import type { ResolvedSession } from '../sessions.ts';
import type { OidcInteraction } from './oidc.ts';

/**
 * Whether this authorization needs the agent to sign in again. `prompt=login` wants an
 * authentication made for this request; `max_age` one at most that many seconds old. Entente's
 * sign-in time is its session's creation (a sign-in always makes a new session), so a session
 * created after the interaction started (second precision: the interaction's `iat`) satisfies
 * both, and an older one only `max_age`, if young enough.
 */
export function needsFreshSignIn(
  interaction: Pick<OidcInteraction, 'iat' | 'params'>,
  session: Pick<ResolvedSession, 'createdAt'>,
  now = Date.now(),
): boolean {
  const signedInAt = session.createdAt.getTime();
  if (signedInAt >= interaction.iat * 1000) return false;
  if (String(interaction.params.prompt ?? '').split(' ').includes('login')) return true;
  if (interaction.params.max_age === undefined || interaction.params.max_age === null) return false;
  const maxAge = Number(interaction.params.max_age);
  return Number.isFinite(maxAge) && now - signedInAt > maxAge * 1000;
}
