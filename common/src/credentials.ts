/**
 * The verifiable-credentials API's shapes (issue 9), shared by the server (issuance, status lists,
 * verifier) and the web (the holder's wallet page and the verifier page). Contract:
 * /work/briefs/credentials-api.md.
 */

export type CredentialType = 'public-agent' | 'digital-skills';

export interface IssuedCredentialSummary {
  id: string;
  type: CredentialType;
  jurisdiction: 'FR' | 'QC';
  issuedAt: string;
  expiresAt: string;
  status: 'valid' | 'revoked' | 'expired';
  revokedAt: string | null;
  revokedBy: 'holder' | 'organisation' | 'left_organisation' | null;
}

export interface IssuedCredential extends IssuedCredentialSummary {
  /** The SD-JWT VC, `<JWS>~<disclosures>~`; the server keeps no copy of it. */
  credential: string;
  claims: Record<string, unknown>;
  disclosable: string[];
}

/**
 * An offer of a credential to an external wallet (OpenID4VCI pre-authorised code flow), from
 * `POST /api/credentials/offers`: the credential offer, the same as an `openid-credential-offer://`
 * link (for a QR code), and the 6-digit code the agent types in the wallet (never in the offer).
 */
export interface WalletOffer {
  offer: {
    credential_issuer: string;
    credential_configuration_ids: CredentialType[];
    grants: Record<string, unknown>;
  };
  offerUri: string;
  txCode: string;
  /** Seconds (600). */
  expiresIn: number;
  expiresAt: string;
}

export interface VerifierRequest {
  id: string;
  nonce: string;
  audience: string;
  expiresAt: string;
  /** What the page shows the holder / encodes in a QR. */
  request: string;
}

export interface VerificationView {
  ok: boolean;
  /** Stable code, e.g. 'revoked', 'kb_wrong_nonce'. */
  reason: string | null;
  /** Plain words in the request's language. */
  explanation: string;
  issuer: { url: string; jurisdiction: 'FR' | 'QC' | null; name: string; trusted: boolean } | null;
  vct: string | null;
  type: CredentialType | null;
  disclosed: Record<string, unknown>;
  disclosedPaths: string[];
  checkedAt: string;
  status: 'valid' | 'no_status' | 'not_checked' | null;
}
