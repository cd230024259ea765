import { listOwnIssued } from '../credentials/issued.repo.ts';
import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { notFound } from '../../platform/errors.ts';
import type { Actor } from '../actor.ts';
import { authorize } from '../authorization.ts';
import {
  findExistingPrincipalIds,
  findPrincipalRecord,
  findProfileRecord,
  listAccessTokenRecords,
  listConsentRecords,
  listFederatedIdentityRecords,
  listMembershipRecords,
  listPlatformRoleRecords,
  listSessionDetailRecords,
  listSessionRecords,
  listTeamRecords,
} from './personal-data.repo.ts';
import {
  type AssistantSection,
  type SkillsSection,
  type AuditEventView,
  type IdentitySection,
  PERSONAL_DATA_FORMAT,
  PERSONAL_DATA_VERSION,
  type PersonalDataExport,
  type WorkspaceSection,
} from './schema.ts';

/**
 * « Télécharger mes données »: everything Entente holds about the signed-in agent (schema.ts,
 * docs/personal-data-export.md). Identity's own data is read here; other modules contribute their
 * part through a source the composition root passes in (identity does not import them).
 */
export interface PersonalDataContext {
  principalId: string;
  homeJurisdiction: Jurisdiction;
  /** The profile's address (invitations are addressed to it), null without a profile. */
  email: string | null;
  /** The agent asking (a source may read through its module's own use cases, with their checks). */
  actor: Actor;
}
export type PersonalDataSource<T> = (context: PersonalDataContext) => Promise<T>;

export interface PersonalDataDeps {
  stores: Stores;
  audit: AuditLog;
  workspace: PersonalDataSource<WorkspaceSection>;
  /** The assistant's part (conversations, AI usage, logged AI content); absent: empty. */
  assistant?: PersonalDataSource<AssistantSection>;
  /** The skills module's part (assessments, answers, target profile, path); absent: empty. */
  skills?: PersonalDataSource<SkillsSection>;
  /** Events one export carries at most (the most recent); tests lower it. */
  maxAuditEvents?: number;
  now?: () => Date;
}

export const MAX_AUDIT_EVENTS = 50_000;
/** Attestations one export lists at most (an agent gets a few a year). */
export const MAX_CREDENTIALS = 10_000;

export async function exportPersonalData(
  deps: PersonalDataDeps,
  actor: Actor | null,
  meta: { ip: string | null; requestId: string },
): Promise<PersonalDataExport> {
  const me = authorize(actor, 'profile.read_own');
  const { stores } = deps;
  const control = stores.control.db;
  const home = stores.cells[me.homeJurisdiction].db;
  const principal = await findPrincipalRecord(control, me.principalId);
  if (!principal) throw notFound();
  const profile = await findProfileRecord(home, me.principalId);

  const [identities, sessions, details, tokens, memberships, teams, roles, consents] = await Promise.all([
    listFederatedIdentityRecords(control, me.principalId),
    listSessionRecords(control, me.principalId),
    listSessionDetailRecords(home, me.principalId),
    listAccessTokenRecords(control, me.principalId),
    listMembershipRecords(control, me.principalId),
    listTeamRecords(control, me.principalId),
    listPlatformRoleRecords(control, me.principalId),
    listConsentRecords(control, me.principalId),
  ]);
  const detailOf = new Map(details.map((d) => [d.session_id, d]));
  const english = profile?.preferred_language === 'en';

  const identity: IdentitySection = {
    profile: profile
      ? {
          givenName: profile.given_name,
          familyName: profile.family_name,
          email: profile.email,
          emailVerified: profile.email_verified,
          preferredLanguage: profile.preferred_language,
          organisationId: profile.organisation_id,
          createdAt: iso(profile.created_at),
          updatedAt: iso(profile.updated_at),
        }
      : null,
    federatedIdentities: identities.map((f) => ({
      upstream: f.upstream,
      subject: f.subject,
      linkedAt: iso(f.created_at),
      lastSignInAt: iso(f.last_sign_in_at),
    })),
    sessions: sessions.map((s) => {
      const d = detailOf.get(s.id);
      return {
        id: s.id,
        createdAt: iso(s.created_at),
        lastSeenAt: iso(s.last_seen_at),
        idleExpiresAt: iso(s.idle_expires_at),
        absoluteExpiresAt: iso(s.absolute_expires_at),
        endedAt: isoOrNull(s.ended_at),
        endReason: s.end_reason,
        assuranceLevel: s.assurance_level,
        upstream: s.upstream,
        ip: d?.ip ?? null,
        userAgent: d?.user_agent ?? null,
        authMethod: d?.auth_method ?? null,
        upstreamAcr: d?.upstream_acr ?? null,
      };
    }),
    accessTokens: tokens.map((t) => ({
      id: t.id,
      label: t.label,
      prefix: t.prefix,
      scopes: [...t.scopes],
      createdAt: iso(t.created_at),
      expiresAt: iso(t.expires_at),
      lastUsedAt: isoOrNull(t.last_used_at),
      revokedAt: isoOrNull(t.revoked_at),
    })),
    organisations: memberships.map((m) => ({
      id: m.id,
      name: m.name,
      jurisdiction: m.jurisdiction,
      roles: [...m.roles],
      memberSince: iso(m.created_at),
    })),
    teams: teams.map((t) => ({ id: t.id, name: t.name, organisationId: t.organisation_id, role: t.role, memberSince: iso(t.created_at) })),
    platformRoles: roles.map((r) => ({ role: r.role, since: iso(r.created_at) })),
    connectedServices: consents.map((c) => ({
      clientId: c.client_id,
      name: (english ? c.name_en : c.name_fr) ?? c.name_fr ?? c.name_en ?? null,
      scopes: [...c.scopes],
      claims: [...c.claims],
      givenAt: iso(c.given_at),
    })),
    credentials: (await listOwnIssued(deps.stores.cells[me.homeJurisdiction].db, me.principalId, MAX_CREDENTIALS)).map((c) => ({
      id: c.id,
      type: c.type,
      jurisdiction: c.jurisdiction,
      organisationId: c.organisation_id,
      issuedAt: iso(c.issued_at),
      expiresAt: iso(c.expires_at),
      revokedAt: c.revoked_at ? iso(c.revoked_at) : null,
      revokedBy: c.revoked_by,
    })),
  };

  const context: PersonalDataContext = { principalId: me.principalId, homeJurisdiction: me.homeJurisdiction, email: profile?.email ?? null, actor: me };
  const workspace = await deps.workspace(context);
  const assistant = deps.assistant ? await deps.assistant(context) : { conversations: [], aiUsage: { truncated: false, requests: [] }, aiContentLog: [] };
  const skills = deps.skills ? await deps.skills(context) : { assessments: [], targetProfileId: null, learningPath: [] };
  const auditEvents = await collectAuditEvents(deps, me.principalId);

  // Recorded before the answer leaves: no export goes out unaudited.
  await deps.audit.record({
    action: 'identity.personal_data.exported',
    outcome: 'success',
    actorId: me.principalId,
    jurisdiction: me.homeJurisdiction,
    resource: { type: 'principal', id: me.principalId },
    ip: meta.ip,
    requestId: meta.requestId,
    details: { via: me.via, auditEvents: auditEvents.events.length, truncated: auditEvents.truncated },
  });

  return {
    format: PERSONAL_DATA_FORMAT,
    version: PERSONAL_DATA_VERSION,
    generatedAt: iso(deps.now?.() ?? new Date()),
    subject: {
      principalId: principal.id,
      homeJurisdiction: principal.home_jurisdiction,
      status: principal.status,
      createdAt: iso(principal.created_at),
    },
    identity,
    workspace,
    assistant,
    skills,
    auditEvents,
  };
}

/**
 * The agent's security events in every store (control plane, both cells): those they did, and
 * those about their account done by someone else or by Entente. Someone else stays unnamed: their
 * address is not given, and their pseudonymous id, wherever it appears (the resource, a detail —
 * « added X to the space »), is replaced by OTHER_PERSON (it is that person's data).
 */
async function collectAuditEvents(deps: PersonalDataDeps, principalId: string): Promise<{ truncated: boolean; events: AuditEventView[] }> {
  const max = deps.maxAuditEvents ?? MAX_AUDIT_EVENTS;
  const stores: { store: AuditEventView['store']; jurisdiction: Jurisdiction | null }[] = [
    { store: 'control', jurisdiction: null },
    ...JURISDICTIONS.map((j) => ({ store: j, jurisdiction: j })),
  ];
  let truncated = false;
  const byId = new Map<string, AuditEventView>();
  for (const { store, jurisdiction } of stores) {
    for (const query of [{ actorId: principalId }, { resourceId: principalId }]) {
      const rows = await deps.audit.list({ jurisdiction, ...query, limit: max + 1 });
      if (rows.length > max) truncated = true;
      for (const row of rows.slice(0, max)) {
        const self = row.actor_id === principalId;
        byId.set(`${store}:${row.id}`, {
          store,
          id: row.id,
          occurredAt: iso(row.occurred_at),
          action: row.action,
          outcome: row.outcome,
          actor: self ? 'self' : row.actor_id === null ? 'system' : 'other',
          organisationId: row.organisation_id,
          resourceType: row.resource_type,
          resourceId: row.resource_id,
          ip: self ? row.ip : null,
          requestId: row.request_id,
          details: { ...row.details },
        });
      }
    }
  }
  await redactOtherPeople(deps, principalId, [...byId.values()]);
  const events = [...byId.values()].sort((a, b) => (a.occurredAt < b.occurredAt ? 1 : a.occurredAt > b.occurredAt ? -1 : a.id < b.id ? 1 : -1));
  if (events.length > max) truncated = true;
  return { truncated, events: events.slice(0, max) };
}

/** What stands for someone else's id in an export. */
export const OTHER_PERSON = '(autre personne / another person)';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function redactOtherPeople(deps: PersonalDataDeps, principalId: string, events: AuditEventView[]): Promise<void> {
  const candidates = new Set<string>();
  for (const event of events) {
    if (event.resourceId && UUID.test(event.resourceId)) candidates.add(event.resourceId.toLowerCase());
    for (const value of Object.values(event.details)) if (typeof value === 'string' && UUID.test(value)) candidates.add(value.toLowerCase());
  }
  candidates.delete(principalId);
  const others = new Set<string>();
  const ids = [...candidates];
  // Bounded IN lists: an export may carry tens of thousands of events.
  for (let at = 0; at < ids.length; at += 1000) {
    for (const id of await findExistingPrincipalIds(deps.stores.control.db, ids.slice(at, at + 1000))) others.add(id);
  }
  if (others.size === 0) return;
  for (const event of events) {
    if (event.resourceId && others.has(event.resourceId.toLowerCase())) event.resourceId = OTHER_PERSON;
    for (const [key, value] of Object.entries(event.details)) {
      if (typeof value === 'string' && others.has(value.toLowerCase())) event.details[key] = OTHER_PERSON;
    }
  }
}

const iso = (d: Date | string): string => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null): string | null => (d === null ? null : iso(d));
