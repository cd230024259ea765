import type { CellDb, ControlDb } from '../../platform/db/types.ts';
import '../identity.tables.ts';
import '../teams.tables.ts';
import '../federation/federation.tables.ts';
import '../provider/provider.tables.ts';

/**
 * The SQL of the personal data export: what the identity module holds about one principal, read
 * with explicit columns (never a hash, a token or an upstream ID token).
 */

export async function findPrincipalRecord(db: ControlDb, principalId: string) {
  return db.selectFrom('principals').select(['id', 'home_jurisdiction', 'status', 'created_at']).where('id', '=', principalId).executeTakeFirst();
}

export async function findProfileRecord(db: CellDb, principalId: string) {
  return db
    .selectFrom('agent_profiles')
    .select(['given_name', 'family_name', 'email', 'email_verified', 'preferred_language', 'organisation_id', 'created_at', 'updated_at'])
    .where('principal_id', '=', principalId)
    .executeTakeFirst();
}

export async function listFederatedIdentityRecords(db: ControlDb, principalId: string) {
  return db
    .selectFrom('federated_identities')
    .select(['upstream', 'subject', 'created_at', 'last_sign_in_at'])
    .where('principal_id', '=', principalId)
    .orderBy('created_at')
    .execute();
}

export async function listSessionRecords(db: ControlDb, principalId: string) {
  return db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_seen_at', 'idle_expires_at', 'absolute_expires_at', 'ended_at', 'end_reason', 'assurance_level', 'upstream'])
    .where('principal_id', '=', principalId)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function listSessionDetailRecords(db: CellDb, principalId: string) {
  return db
    .selectFrom('session_details')
    .select(['session_id', 'ip', 'user_agent', 'auth_method', 'upstream_acr', 'created_at'])
    .where('principal_id', '=', principalId)
    .execute();
}

export async function listAccessTokenRecords(db: ControlDb, principalId: string) {
  return db
    .selectFrom('access_tokens')
    .select(['id', 'label', 'prefix', 'scopes', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'])
    .where('principal_id', '=', principalId)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function listMembershipRecords(db: ControlDb, principalId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
    .select(['organisations.id', 'organisations.name', 'organisations.jurisdiction', 'memberships.roles', 'memberships.created_at'])
    .where('memberships.principal_id', '=', principalId)
    .orderBy('organisations.name')
    .execute();
}

export async function listTeamRecords(db: ControlDb, principalId: string) {
  return db
    .selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .select(['teams.id', 'teams.name', 'teams.organisation_id', 'team_members.role', 'team_members.created_at'])
    .where('team_members.principal_id', '=', principalId)
    .orderBy('teams.name')
    .execute();
}

export async function listPlatformRoleRecords(db: ControlDb, principalId: string) {
  return db.selectFrom('platform_roles').select(['role', 'created_at']).where('principal_id', '=', principalId).execute();
}

export async function listConsentRecords(db: ControlDb, principalId: string) {
  return db
    .selectFrom('oidc_consents')
    .leftJoin('oidc_clients', 'oidc_clients.client_id', 'oidc_consents.client_id')
    .select(['oidc_consents.client_id', 'oidc_clients.name_fr', 'oidc_clients.name_en', 'oidc_consents.scopes', 'oidc_consents.claims', 'oidc_consents.given_at'])
    .where('oidc_consents.principal_id', '=', principalId)
    .orderBy('oidc_consents.given_at', 'desc')
    .execute();
}

/** Which of these ids are principals (to leave other people's pseudonymous ids out of an export). */
export async function findExistingPrincipalIds(db: ControlDb, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('principals').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}
