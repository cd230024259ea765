import type { Generated } from 'kysely';

/** Control-plane tables of Entente's OpenID provider (migration 20261128220000_identity_oidc_provider). */

export interface OidcModelsTable {
  model: string;
  id: string;
  payload: Record<string, unknown>;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  expires_at: Date | null;
  consumed_at: Date | null;
}

export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];

export interface OidcClientsTable {
  client_id: string;
  name_fr: string;
  name_en: string;
  /** AES-256-GCM of the client secret (see sealed.ts), under the keyring's `oidc_client` data key. */
  secret_sealed: Buffer | null;
  secret_key_version: number | null;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  backchannel_logout_uri: string | null;
  /** Pairwise subjects are computed per sector: by default the redirect URIs' host. */
  sector: string;
  token_endpoint_auth_method: ClientAuthMethod;
  scopes: string[];
  created_at: Generated<Date>;
  created_by: string | null;
}

export interface OidcSigningKeysTable {
  kid: string;
  alg: 'ES256' | 'RS256';
  /** One rotation adds one generation (an ES256 and an RS256 key); the newest signs. */
  generation: number;
  public_jwk: Record<string, unknown>;
  private_sealed: Buffer;
  key_cell: 'FR' | 'QC';
  key_version: number;
  created_at: Generated<Date>;
  retired_at: Date | null;
}

export interface OidcConsentsTable {
  principal_id: string;
  client_id: string;
  scopes: string[];
  claims: string[];
  given_at: Date;
}

export interface OidcSessionLinksTable {
  op_session_uid: string;
  entente_session_id: string;
  principal_id: string;
  created_at: Generated<Date>;
}

declare module '../../platform/db/types.ts' {
  interface ControlPlaneTables {
    oidc_models: OidcModelsTable;
    oidc_clients: OidcClientsTable;
    oidc_signing_keys: OidcSigningKeysTable;
    oidc_consents: OidcConsentsTable;
    oidc_session_links: OidcSessionLinksTable;
  }
}
