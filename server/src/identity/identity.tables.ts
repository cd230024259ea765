import type { Generated } from 'kysely';
import type { Jurisdiction } from '../../../common/src/jurisdiction.ts';
import type { Locale } from '../../../common/src/i18n/locales.ts';

/**
 * The identity data split (DESIGN.md, control plane and cells): the control plane knows only a
 * pseudonymous principal id and its home jurisdiction, the organisations (public information) and
 * who belongs to which with what roles; names and email live in the agent's home cell.
 */

export interface PrincipalsTable {
  id: string;
  home_jurisdiction: Jurisdiction;
  status: 'active' | 'disabled';
  created_at: Generated<Date>;
}

export interface OrganisationsTable {
  id: string;
  name: string;
  jurisdiction: Jurisdiction;
  /** French establishment number (14 digits, Luhn); FR organisations only. */
  siret: string | null;
  /** Québec enterprise number (10 digits); QC organisations only. */
  neq: string | null;
  /** Email domains its agents sign in with, lower case, used to route sign-in. */
  email_domains: string[];
  demo: Generated<boolean>;
  /** False for an organisation created at a sign-in, until an operator confirms it. */
  confirmed: Generated<boolean>;
  created_at: Generated<Date>;
}

/** `member` always; `admin` manages the organisation; `trainer` and `manager` follow skills (granted by admins). */
export const ORGANISATION_ROLES = ['member', 'admin', 'trainer', 'manager'] as const;
export type OrganisationRole = (typeof ORGANISATION_ROLES)[number];
export type PlatformRole = 'operator';

export interface MembershipsTable {
  organisation_id: string;
  principal_id: string;
  roles: OrganisationRole[];
  created_at: Generated<Date>;
}

export interface PlatformRolesTable {
  principal_id: string;
  role: PlatformRole;
  created_at: Generated<Date>;
}

export interface SessionsTable {
  id: string;
  principal_id: string;
  /** SHA-256 of the opaque cookie token; the token itself is never stored. */
  token_hash: Buffer;
  /** Hash of the token before the last rotation, accepted for a few seconds (parallel requests). */
  previous_token_hash: Buffer | null;
  rotated_at: Date;
  created_at: Date;
  last_seen_at: Date;
  idle_expires_at: Date;
  absolute_expires_at: Date;
  ended_at: Date | null;
  end_reason: string | null;
  /** eIDAS level of the sign-in (low, substantial, high), when it came through a federation. */
  assurance_level: string | null;
  upstream: string | null;
}

export interface FederatedIdentitiesTable {
  upstream: string;
  subject: string;
  principal_id: string;
  created_at: Generated<Date>;
  last_sign_in_at: Generated<Date>;
}

export const TOKEN_SCOPES = ['api:read', 'api:write', 'ai'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export interface AccessTokensTable {
  id: string;
  principal_id: string;
  label: string;
  /** SHA-256 of the token; the token itself is shown once, at creation. */
  token_hash: Buffer;
  /** The token's first characters, to recognise it in a list (`ent_pat_AbC…`). */
  prefix: string;
  scopes: TokenScope[];
  created_at: Generated<Date>;
  expires_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface LoginAttemptsTable {
  state_hash: Buffer;
  upstream: string;
  nonce: string;
  code_verifier: string;
  return_to: string;
  min_level: string;
  expires_at: Date;
}

export interface AgentProfilesTable {
  principal_id: string;
  given_name: string;
  family_name: string;
  email: string;
  /** Vouched for by the federation of the last sign-in (false until one says so). */
  email_verified: Generated<boolean>;
  preferred_language: Locale;
  organisation_id: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** Personal details of a session (where from, with what), kept in the agent's home cell. */
export interface SessionDetailsTable {
  session_id: string;
  principal_id: string;
  ip: string | null;
  user_agent: string | null;
  auth_method: string | null;
  created_at: Generated<Date>;
  upstream_id_token: string | null;
  upstream_acr: string | null;
}

declare module '../platform/db/types.ts' {
  interface ControlPlaneTables {
    principals: PrincipalsTable;
    organisations: OrganisationsTable;
    memberships: MembershipsTable;
    platform_roles: PlatformRolesTable;
    sessions: SessionsTable;
    federated_identities: FederatedIdentitiesTable;
    login_attempts: LoginAttemptsTable;
    access_tokens: AccessTokensTable;
  }
  interface CellTables {
    agent_profiles: AgentProfilesTable;
    session_details: SessionDetailsTable;
  }
}
