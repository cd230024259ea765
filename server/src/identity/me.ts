import type { Locale } from '../../../common/src/i18n/locales.ts';
import type { Jurisdiction } from '../../../common/src/jurisdiction.ts';
import type { Stores } from '../platform/db/stores.ts';
import { notFound } from '../platform/errors.ts';
import type { Actor } from './actor.ts';
import { authorize } from './authorization.ts';
import { findOrganisationsByIds } from './organisations.repo.ts';
import { findProfile, updatePreferredLanguage } from './profiles.repo.ts';
import type { AuditLog } from '../platform/audit/audit-log.ts';
import type { EventBus } from '../platform/events/index.ts';
import { accountsChanged } from './provider/index.ts';

export interface MyProfile {
  principalId: string;
  jurisdiction: Jurisdiction;
  givenName: string;
  familyName: string;
  email: string;
  preferredLanguage: Locale;
  organisations: { id: string; name: string; jurisdiction: Jurisdiction; roles: string[] }[];
  platformRoles: string[];
}

/** The signed-in agent's profile: grants from the control plane, names from the home cell. */
export async function getMyProfile(stores: Stores, actor: Actor | null): Promise<MyProfile> {
  const me = authorize(actor, 'profile.read_own');
  const [profile, organisations] = await Promise.all([
    findProfile(stores.cells[me.homeJurisdiction].db, me.principalId),
    findOrganisationsByIds(stores.control.db, [...me.memberships.keys()]),
  ]);
  if (!profile) throw notFound();
  return {
    principalId: me.principalId,
    jurisdiction: me.homeJurisdiction,
    givenName: profile.given_name,
    familyName: profile.family_name,
    email: profile.email,
    preferredLanguage: profile.preferred_language,
    organisations: organisations.map((o) => ({
      id: o.id,
      name: o.name,
      jurisdiction: o.jurisdiction,
      roles: [...(me.memberships.get(o.id) ?? [])],
    })),
    platformRoles: [...me.platformRoles],
  };
}

/** The agent changes their own preferences (for now: the language of the interface and mails). */
export async function updateMyPreferences(
  stores: Stores,
  audit: AuditLog,
  events: EventBus,
  actor: Actor | null,
  change: { preferredLanguage: Locale },
  meta: { ip: string | null; requestId: string },
): Promise<MyProfile> {
  const me = authorize(actor, 'profile.read_own');
  const updated = await updatePreferredLanguage(stores.cells[me.homeJurisdiction].db, me.principalId, change.preferredLanguage);
  if (!updated) throw notFound();
  // The `locale` claim of the agent's next OpenID tokens: the provider's cached account goes.
  await accountsChanged(events, [me.principalId]);
  await audit.record({
    action: 'profile.updated',
    outcome: 'success',
    actorId: me.principalId,
    resource: { type: 'agent_profile', id: me.principalId },
    jurisdiction: me.homeJurisdiction,
    ip: meta.ip,
    requestId: meta.requestId,
    details: { fields: 'preferredLanguage' },
  });
  return getMyProfile(stores, me);
}
