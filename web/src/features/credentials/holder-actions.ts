/** What the holder's buttons do, apart from the page: obtain an attestation, save it as a file. */
import type { CredentialType } from '@entente/common/credentials.ts';
import { SignJWT } from 'jose';
import { issueCredential, loadIssuers, requestNonce, type TrustedIssuer } from './api.ts';
import { holderKeyFor, type StoredCredential, storeCredential } from './wallet-store.ts';

/**
 * The issuer the proof is addressed to: this Entente's issuer for the agent's state. The trust
 * list may also hold the other state's Entente (same path, another origin), so ours is the one on
 * this page's origin; without a list, the URL DESIGN.md fixes.
 */
export function issuerUrlFor(jurisdiction: 'FR' | 'QC', issuers: readonly TrustedIssuer[], origin: string): string {
  const path = `/issuers/${jurisdiction.toLowerCase()}`;
  const candidates = issuers.filter((issuer) => issuer.jurisdiction === jurisdiction && issuer.url.endsWith(path));
  return (candidates.find((issuer) => issuer.url.startsWith(`${origin}/`)) ?? candidates[0])?.url ?? `${origin}${path}`;
}

/**
 * Requests an attestation bound to this device's key: a fresh nonce, a proof of possession
 * (OpenID4VCI's `openid4vci-proof+jwt`, signed with the non-extractable key), then the issuance.
 * The SD-JWT the server answers is kept here, in IndexedDB: the server keeps no copy.
 */
export async function obtainCredential(input: {
  principalId: string;
  jurisdiction: 'FR' | 'QC';
  type: CredentialType;
  assessmentId?: string;
}): Promise<StoredCredential> {
  const key = await holderKeyFor(input.principalId);
  const [{ c_nonce }, issuers] = await Promise.all([requestNonce(), loadIssuers().catch(() => [])]);
  const proof = await new SignJWT({ nonce: c_nonce })
    .setProtectedHeader({ alg: 'ES256', typ: 'openid4vci-proof+jwt', jwk: key.publicJwk })
    .setAudience(issuerUrlFor(input.jurisdiction, issuers, window.location.origin))
    .setIssuedAt()
    .sign(key.privateKey);
  const issued = await issueCredential({
    type: input.type,
    ...(input.assessmentId ? { assessmentId: input.assessmentId } : {}),
    proof,
  });
  const stored: StoredCredential = {
    id: issued.id,
    principalId: input.principalId,
    type: issued.type,
    jurisdiction: issued.jurisdiction,
    issuedAt: issued.issuedAt,
    expiresAt: issued.expiresAt,
    credential: issued.credential,
    claims: issued.claims,
    disclosable: issued.disclosable,
    keyThumbprint: key.thumbprint,
  };
  await storeCredential(stored);
  return stored;
}

/** Saves the SD-JWT as a text file (`.sd-jwt`), the way a wallet or another verifier can read it. */
export function downloadText(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
