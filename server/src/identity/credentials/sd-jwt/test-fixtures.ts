/** Keys and a typical credential shared by this folder's tests (not used by production code). */
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { issueSdJwt, type IssueSdJwtInput } from './issue.ts';
import type { PublicKey } from './types.ts';

export const ISSUER_FR = 'https://entente.example/issuers/fr';
export const VCT_AGENT = 'https://entente.example/credentials/types/public-agent';
export const VERIFIER_QC = 'https://verificateur.quebec.example';
export const NOW = 1_780_000_000;

export type TestKeys = {
  issuer: CryptoKeyPair;
  otherIssuer: CryptoKeyPair;
  holder: CryptoKeyPair;
  holderJwk: JWK;
  otherHolder: CryptoKeyPair;
};

export async function makeKeys(): Promise<TestKeys> {
  const pair = () => generateKeyPair('ES256', { extractable: true });
  const [issuer, otherIssuer, holder, otherHolder] = await Promise.all([pair(), pair(), pair(), pair()]);
  return { issuer, otherIssuer, holder, holderJwk: await exportJWK(holder.publicKey), otherHolder };
}

export const agentClaims = {
  given_name: 'Camille',
  family_name: 'Durand',
  organisation: { name: 'Direction interministérielle du numérique', id: '13002526500013' },
  jurisdiction: 'FR',
  role: 'agent public',
  loa: 'substantial',
  nationalities: ['FR', 'CA'],
};

export function agentCredentialInput(keys: TestKeys, overrides: Partial<IssueSdJwtInput> = {}): IssueSdJwtInput {
  return {
    claims: agentClaims,
    disclosable: ['given_name', 'family_name', 'organisation', 'organisation.id', 'role', 'loa', 'nationalities', 'nationalities.*'],
    always: ['jurisdiction'],
    issuerKey: { key: keys.issuer.privateKey, kid: 'fr-2026-1' },
    alg: 'ES256',
    vct: VCT_AGENT,
    iss: ISSUER_FR,
    iat: NOW - 3600,
    nbf: NOW - 3600,
    exp: NOW + 86_400,
    cnf: { jwk: keys.holderJwk },
    status: { status_list: { idx: 7, uri: 'https://entente.example/credentials/status/fr-1' } },
    ...overrides,
  };
}

export function issueAgentCredential(keys: TestKeys, overrides: Partial<IssueSdJwtInput> = {}): Promise<string> {
  return issueSdJwt(agentCredentialInput(keys, overrides));
}

/** A trust list holding only the French issuer's key `fr-2026-1`. */
export function trustList(keys: TestKeys): (iss: string, kid: string | undefined) => PublicKey | null {
  return (iss, kid) => (iss === ISSUER_FR && kid === 'fr-2026-1' ? keys.issuer.publicKey : null);
}
