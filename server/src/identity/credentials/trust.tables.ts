import type { Generated } from 'kysely';

/** The verifier's trust list (migration 20261202110000), in the control plane. */
export type TrustSource = 'local' | 'metadata' | 'pinned';
export type TrustJurisdiction = 'FR' | 'QC';

/** A JSON Web Key Set as published (`{ keys: [...] }`), public keys only. */
export interface StoredJwks {
  keys: Record<string, unknown>[];
}

export interface CredentialTrustedIssuersTable {
  issuer: string;
  jurisdiction: TrustJurisdiction;
  name: string;
  source: Exclude<TrustSource, 'local'>;
  metadata_url: string | null;
  jwks: StoredJwks;
  jwks_fetched_at: Date | null;
  /** `cli:<system account>` or `principal:<id>` (pseudonymous: no name in the control plane). */
  added_by: string;
  added_at: Generated<Date>;
}

declare module '../../platform/db/types.ts' {
  interface ControlPlaneTables {
    credential_trusted_issuers: CredentialTrustedIssuersTable;
  }
}
