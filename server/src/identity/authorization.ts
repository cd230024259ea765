import { AppError, forbidden, unauthenticated } from '../platform/errors.ts';
import type { Actor } from './actor.ts';

/**
 * The authorisation guard use cases call (deny unless a rule allows). Module-specific rules
 * (space roles, document restrictions) live in their modules and build on `requireActor`; the
 * rules here are those of the identity module and the platform.
 */
export type Permission =
  | 'profile.read_own'
  | 'sessions.manage_own'
  | 'organisation.read_members'
  | 'organisation.manage'
  | 'organisation.manage_roles'
  | 'organisation.manage_teams'
  | 'organisation.remove_members'
  | 'platform.operate'
  | 'audit.read';

export interface Scope {
  organisationId?: string;
}

const RULES: Record<Permission, (actor: Actor, scope: Scope) => boolean> = {
  'profile.read_own': () => true,
  'sessions.manage_own': () => true,
  'organisation.read_members': (actor, scope) =>
    isOperator(actor) || (scope.organisationId !== undefined && actor.memberships.has(scope.organisationId)),
  'organisation.manage': (actor, scope) =>
    isOperator(actor) ||
    (scope.organisationId !== undefined && (actor.memberships.get(scope.organisationId) ?? []).includes('admin')),
  // Who may grant which role is finer (roles.ts): operators grant `admin` only; admins the rest.
  'organisation.manage_roles': (actor, scope) => isOperator(actor) || isAdminOf(actor, scope),
  'organisation.manage_teams': (actor, scope) => isAdminOf(actor, scope),
  'organisation.remove_members': (actor, scope) => isAdminOf(actor, scope),
  'platform.operate': (actor) => isOperator(actor),
  'audit.read': (actor, scope) =>
    isOperator(actor) ||
    (scope.organisationId !== undefined && (actor.memberships.get(scope.organisationId) ?? []).includes('admin')),
};

function isAdminOf(actor: Actor, scope: Scope): boolean {
  return scope.organisationId !== undefined && (actor.memberships.get(scope.organisationId) ?? []).includes('admin');
}

function isOperator(actor: Actor): boolean {
  return actor.platformRoles.has('operator');
}

export function can(actor: Actor | null, permission: Permission, scope: Scope = {}): boolean {
  return actor !== null && RULES[permission](actor, scope);
}

/** Throws `unauthenticated` without an actor and `forbidden` when no rule allows. */
export function authorize(actor: Actor | null, permission: Permission, scope: Scope = {}): Actor {
  if (!actor) throw unauthenticated();
  if (!RULES[permission](actor, scope)) throw forbidden();
  return actor;
}

const LEVELS = ['low', 'substantial', 'high'] as const;
export type RequiredLevel = (typeof LEVELS)[number];

/**
 * Step-up: a resource that needs at least `level` (a space's minimum level of assurance, say).
 * A session below it gets `step_up_required` with `stepUp`, the address that sends the agent back
 * to their own federation asking for that level, then returns them to `returnTo`.
 */
export function requireAssurance(actor: Actor | null, level: RequiredLevel, returnTo: string): Actor {
  if (!actor) throw unauthenticated();
  const current = LEVELS.indexOf((actor.assuranceLevel ?? '') as RequiredLevel);
  if (current >= LEVELS.indexOf(level)) return actor;
  const query = new URLSearchParams({ level, returnTo, ...(actor.upstream ? { upstream: actor.upstream } : {}) });
  throw new AppError('step_up_required', {
    params: { level },
    extensions: { stepUp: `/auth/login?${query.toString()}`, requiredLevel: level },
    headers: { 'www-authenticate': `Bearer error="insufficient_user_authentication", acr_values="${level}"` },
  });
}
