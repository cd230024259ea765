/**
 * What the attestation pages read and send: the credentials API of issue 9 (contract in
 * common/src/credentials.ts). The holder's calls carry the session; the verifier's are public.
 */
import type {
  CredentialType,
  IssuedCredential,
  IssuedCredentialSummary,
  VerificationView,
  VerifierRequest,
  WalletOffer,
} from '@entente/common/credentials.ts';
import type { SkillsOverview } from '@entente/common/skills.ts';
import { getJson, Problem, problemOf, send } from '../../app/api.ts';
import { fetchMe } from '../../app/me.ts';
import { PATHS } from '../../app/routes.ts';

export const CREDENTIALS_PATHS = { holder: PATHS.credentials, verifier: PATHS.verifier } as const;

/** `send` answers undefined only for 204, which none of these routes gives. */
function body<T>(value: T | undefined): T {
  if (value === undefined) throw new Problem(502, 'internal');
  return value;
}

export interface TrustedIssuer {
  url: string;
  jurisdiction: 'FR' | 'QC' | null;
  name: string;
  trusted: boolean;
}

export const loadMe = (signal?: AbortSignal) =>
  fetchMe<{ principalId: string; jurisdiction: 'FR' | 'QC'; givenName: string; familyName: string }>(signal);
export const loadCredentials = (signal?: AbortSignal) =>
  getJson<{ credentials: IssuedCredentialSummary[] }>('/api/credentials', signal).then((answer) => answer.credentials);
export const loadIssuers = (signal?: AbortSignal) =>
  getJson<{ issuers: TrustedIssuer[] }>('/api/credentials/issuers', signal).then((answer) => answer.issuers);
/** The latest completed assessment, which a skills attestation states (null when there is none). */
export const loadLatestAssessment = (signal?: AbortSignal) =>
  getJson<SkillsOverview>('/api/skills/overview', signal).then(
    (overview) => (overview.latest?.status === 'completed' ? overview.latest : null),
    () => null,
  );

export const requestNonce = async () => body(await send<{ c_nonce: string; expiresIn: number }>('POST', '/api/credentials/nonce', {}));
export const issueCredential = async (input: { type: CredentialType; assessmentId?: string; proof: string }) =>
  body(await send<IssuedCredential>('POST', '/api/credentials', input));
/** An offer of a credential to an external wallet (OpenID4VCI pre-authorised code flow). */
export const createWalletOffer = async (input: { type: CredentialType; assessmentId?: string }) =>
  body(await send<WalletOffer>('POST', '/api/credentials/offers', input));
export const revokeCredential = async (id: string) =>
  body(await send<IssuedCredentialSummary>('POST', `/api/credentials/${encodeURIComponent(id)}/revoke`, {}));

/**
 * The verifier's calls are public: no session is needed, but a signed-in visitor's cookie goes
 * along, so the CSRF token is sent when there is a session to read it from.
 */
async function publicPost<T>(path: string, payload: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json' };
  try {
    const session = await fetch('/api/session', { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (session.ok) {
      const { csrfToken } = (await session.json()) as { csrfToken?: string };
      if (csrfToken) headers['x-csrf-token'] = csrfToken;
    }
  } catch {
    // no session: the call is public anyway
  }
  const response = await fetch(path, { method: 'POST', credentials: 'same-origin', headers, body: JSON.stringify(payload) });
  if (!response.ok) throw await problemOf(response);
  return (await response.json()) as T;
}

export const createVerifierRequest = () => publicPost<VerifierRequest>('/api/verifier/requests', {});
export const submitPresentation = (requestId: string, presentation: string) =>
  publicPost<VerificationView>(`/api/verifier/requests/${encodeURIComponent(requestId)}/presentations`, { presentation });
