import type { Generated } from 'kysely';
import type { Locale } from '../../../../common/src/i18n/locales.ts';

/** The public verifier's requests (migration 20261202110000), in the control plane: no personal data. */
export interface CredentialVerifierRequestsTable {
  id: string;
  nonce: string;
  audience: string;
  language: Locale;
  created_at: Generated<Date>;
  expires_at: Date;
  used_at: Date | null;
  /** `accepted` or the reason code, once a presentation came. */
  outcome: string | null;
}

declare module '../../platform/db/types.ts' {
  interface ControlPlaneTables {
    credential_verifier_requests: CredentialVerifierRequestsTable;
  }
}
