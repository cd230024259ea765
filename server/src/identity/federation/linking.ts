import type { Locale } from '../../../../common/src/i18n/locales.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../actor.ts';
import { authorize } from '../authorization.ts';
import { findPrincipal } from '../principals.repo.ts';
import { findProfile } from '../profiles.repo.ts';
import {
  findFederatedPrincipal,
  findSubjectAt,
  insertFederatedIdentityIfAbsent,
  listFederatedIdentities,
} from './federation.repo.ts';
import { type FederationDeps, safeReturnTo, startSignIn } from './sign-in.ts';
import type { Upstream } from './upstream.ts';

/**
 * Linking a second federation to an agent, explicitly: accounts are keyed by (upstream, subject)
 * and an email seen through a second federation is never linked silently. An agent signed in
 * through federation A asks to link B (`/auth/link`); Entente sends them to B like a sign-in, and
 * on B's callback links (B, subject) to their principal only if:
 * - the callback comes in the same Entente session that asked (the attempt remembers it): someone
 *   who gets another person to finish a sign-in at B cannot attach that person's identity to
 *   their own account;
 * - (B, subject) is nobody else's;
 * - B's federation serves the agent's home jurisdiction (a profile lives in one home cell);
 * - B gives the same address as the profile's AND vouches for it (`email_verified` or its own
 *   claim, or `emailVerified` in its configuration): the same address alone could be anyone's
 *   typing at a federation that does not check it.
 * No new session is made: the agent keeps the one they linked from.
 */

export interface Linked {
  kind: 'linked';
  principalId: string;
  /** Where to go: the page that asked, with `lie=<upstream>` so it can say what happened. */
  returnTo: string;
}

export async function startLink(
  deps: FederationDeps,
  actor: Actor | null,
  input: { upstream: string; returnTo?: string; locale: Locale; requestId: string },
): Promise<URL> {
  const refuse = async (reason: string, slug: string, status: number): Promise<never> => {
    await deps.audit.record({
      action: 'identity.link_failed',
      outcome: 'failure',
      actorId: actor?.principalId ?? null,
      resource: { type: 'upstream', id: input.upstream.slice(0, 60) },
      requestId: input.requestId,
      details: { reason, stage: 'start' },
    });
    throw new AppError(slug, { status });
  };
  // Only a browser session that came through a federation: "linking requires signing in with both".
  if (actor?.via !== 'session') return refuse('not_signed_in', 'link_sign_in_first', 401);
  authorize(actor, 'profile.read_own');
  if (!actor.upstream) return refuse('session_not_federated', 'link_sign_in_first', 401);
  if (!deps.upstreams.some((u) => u.name === input.upstream)) return refuse('unknown_upstream', 'sign_in_unknown_upstream', 400);
  return startSignIn(deps, {
    upstream: input.upstream,
    returnTo: input.returnTo,
    locale: input.locale,
    requestId: input.requestId,
    link: { principalId: actor.principalId, sessionId: actor.sessionId },
  });
}

export async function finishLink(
  deps: FederationDeps,
  upstream: Upstream,
  attempt: { link_principal_id: string; link_session_id: string | null; return_to: string },
  agent: { subject: string; email: string; emailVerified: boolean },
  meta: { currentSession: { id: string; principalId: string } | null; requestId: string },
): Promise<Linked> {
  const principalId = attempt.link_principal_id;
  const fail = async (reason: string, slug: string, status: number): Promise<never> => {
    await deps.audit.record({
      action: 'identity.link_failed',
      outcome: 'failure',
      actorId: principalId,
      resource: { type: 'upstream', id: upstream.name },
      requestId: meta.requestId,
      details: { reason, stage: 'callback' },
    });
    throw new AppError(slug, { status });
  };
  // The session that asked must still be live and be the one presenting the callback.
  const session = meta.currentSession;
  if (!session || session.id !== attempt.link_session_id || session.principalId !== principalId) {
    return fail(session ? 'other_session' : 'session_ended', 'link_session_ended', 403);
  }
  const done = (): Linked => ({ kind: 'linked', principalId, returnTo: withLinked(deps, attempt.return_to, upstream.name) });

  const owner = await findFederatedPrincipal(deps.stores.control.db, upstream.name, agent.subject);
  if (owner !== undefined && owner !== principalId) return fail('identity_already_linked_elsewhere', 'sign_in_account_conflict', 409);
  if (owner === principalId) return done();
  // One identity per federation and agent: another subject at B is someone else's account there.
  if (await findSubjectAt(deps.stores.control.db, principalId, upstream.name)) {
    return fail('upstream_already_linked_with_other_subject', 'sign_in_account_conflict', 409);
  }
  const principal = await findPrincipal(deps.stores.control.db, principalId);
  if (principal?.status !== 'active') return fail('principal_inactive', 'link_session_ended', 403);
  if (principal.home_jurisdiction !== upstream.jurisdiction) return fail('other_jurisdiction', 'link_other_jurisdiction', 403);
  const profile = await findProfile(deps.stores.cells[principal.home_jurisdiction].db, principalId);
  if (!profile || profile.email.toLowerCase() !== agent.email.toLowerCase()) return fail('email_differs', 'link_email_mismatch', 403);
  if (!agent.emailVerified) return fail('email_not_vouched_for', 'link_email_mismatch', 403);

  await insertFederatedIdentityIfAbsent(deps.stores.control.db, upstream.name, agent.subject, principalId);
  // Another link of the same identity may have won a race since the check above.
  if ((await findFederatedPrincipal(deps.stores.control.db, upstream.name, agent.subject)) !== principalId) {
    return fail('identity_already_linked_elsewhere', 'sign_in_account_conflict', 409);
  }
  await deps.audit.record({
    action: 'identity.linked',
    outcome: 'success',
    actorId: principalId,
    resource: { type: 'principal', id: principalId },
    requestId: meta.requestId,
    details: { upstream: upstream.name },
  });
  return done();
}

/** The federations the actor can sign in with, and since when. */
export async function listLinkedFederations(
  deps: Pick<FederationDeps, 'stores'>,
  actor: Actor | null,
): Promise<{ upstream: string; linkedAt: Date }[]> {
  const me = authorize(actor, 'profile.read_own');
  const rows = await listFederatedIdentities(deps.stores.control.db, me.principalId);
  return rows.map((row) => ({ upstream: row.upstream, linkedAt: row.created_at }));
}

function withLinked(deps: Pick<FederationDeps, 'publicUrl'>, returnTo: string, upstream: string): string {
  const safe = safeReturnTo(returnTo, deps.publicUrl());
  const url = new URL(safe, deps.publicUrl().origin);
  url.searchParams.set('lie', upstream);
  return `${url.pathname}${url.search}${url.hash}`;
}
