import { createHash, createHmac } from 'node:crypto';

/**
 * Share-link tokens. A token is HMAC-SHA256(server secret, "entente:share-link:v1:" + link id),
 * base64url (43 characters, 256 bits): unguessable without the secret, and derivable again from
 * the link's id, so that those who manage a document's links can list and copy them at any time
 * without the token being stored anywhere. The cell keeps only its SHA-256, which requests are
 * looked up by (a stolen database dump yields no working link). Rotating the server secret
 * (ENTENTE_SECRET) therefore invalidates every share link: documented in docs/security.md.
 */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const CONTEXT = 'entente:share-link:v1:';

export function shareLinkToken(secret: Buffer, linkId: string): string {
  return createHmac('sha256', secret).update(CONTEXT + linkId).digest('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Whether the string has a token's shape: anything else is refused before any query. */
export function wellFormedToken(token: string): boolean {
  return TOKEN.test(token);
}
