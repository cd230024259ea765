import type { Generated } from 'kysely';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';

/**
 * Tables of the credential issuers (migrations 20261202100000_identity_credentials, control and
 * cell). Everything about an issuer lives in its jurisdiction's cell — its keys (sealed with that
 * cell's keyring), its status lists, the metadata of what it issued (the agent's home cell is the
 * issuer's: an agent is issued credentials by their own state). The control plane only keeps the
 * holders' single-use proof nonces, which carry no personal data.
 */

/** One ES256 signing key of the cell's issuer; a rotation adds a generation, the newest signs. */
export interface CredentialIssuerKeysTable {
  kid: string;
  generation: number;
  public_jwk: Record<string, unknown>;
  /** AES-256-GCM of the private JWK under the cell keyring's `credential_issuer` data key. */
  private_sealed: Buffer;
  key_version: number;
  created_at: Generated<Date>;
  /** Out of the published JWKS: nothing it signed is still valid. */
  retired_at: Date | null;
}

/** A status list of the cell's issuer: `size` one-bit entries, derived from issued_credentials. */
export interface CredentialStatusListsTable {
  id: string;
  size: number;
  created_at: Generated<Date>;
}

export const CREDENTIAL_TYPES = ['public-agent', 'digital-skills'] as const;
export type CredentialTypeName = (typeof CREDENTIAL_TYPES)[number];
export type RevokedBy = 'holder' | 'organisation' | 'left_organisation';

/** What was issued (never the SD-JWT itself: the holder keeps it). */
export interface IssuedCredentialsTable {
  id: string;
  principal_id: string;
  type: CredentialTypeName;
  jurisdiction: Jurisdiction;
  /** The organisation a public-agent credential names (null for digital-skills without one). */
  organisation_id: string | null;
  kid: string;
  status_list_id: string;
  status_index: number;
  issued_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_by: RevokedBy | null;
}

/** A c_nonce given to one session of one agent, for one proof of possession. */
export interface CredentialNoncesTable {
  /** SHA-256 of the nonce, base64url: a read of the table gives no usable nonce. */
  nonce_hash: string;
  principal_id: string;
  session_id: string;
  expires_at: Date;
  used_at: Date | null;
}

/**
 * An offer of one credential to an external wallet (OpenID4VCI pre-authorised code flow), in the
 * agent's home cell. Secrets are stored hashed: the pre-authorised code (SHA-256), the tx_code
 * (SHA-256 of code and tx_code together, so that a read of the table cannot try the million
 * codes) and the access token. Bound to the session that made it: a session that ended kills it.
 */
export interface CredentialOffersTable {
  id: string;
  principal_id: string;
  session_id: string;
  type: CredentialTypeName;
  organisation_id: string | null;
  assessment_id: string | null;
  code_hash: string;
  tx_code_hash: string;
  /** Wrong tx_codes so far: at OFFER_MAX_TX_ATTEMPTS the offer is dead. */
  tx_attempts: Generated<number>;
  created_at: Date;
  expires_at: Date;
  /** The code was exchanged for an access token (once). */
  redeemed_at: Date | null;
  access_token_hash: string | null;
  access_expires_at: Date | null;
  /** The access token was spent on the credential (once). */
  used_at: Date | null;
  credential_id: string | null;
}

/**
 * A c_nonce of the issuer's (unauthenticated) nonce endpoint, for a wallet's proof. Bound to
 * nothing, as the endpoint knows no one: the wallet shows it back inside a proof signed with the
 * key to bind, alongside an access token that names the offer. A separate table rather than
 * nullable columns in `credential_nonces` keeps the browser's nonces strictly bound to a session
 * (the control plane's table) and puts the wallet's in the issuer's cell, where its offers are.
 */
export interface CredentialWalletNoncesTable {
  nonce_hash: string;
  expires_at: Date;
  used_at: Date | null;
}

declare module '../../platform/db/types.ts' {
  interface ControlPlaneTables {
    credential_nonces: CredentialNoncesTable;
  }
  interface CellTables {
    credential_issuer_keys: CredentialIssuerKeysTable;
    credential_status_lists: CredentialStatusListsTable;
    issued_credentials: IssuedCredentialsTable;
    credential_offers: CredentialOffersTable;
    credential_wallet_nonces: CredentialWalletNoncesTable;
  }
}
