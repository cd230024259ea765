/** The share links API (server/src/workspace/sharing/routes.ts), through the app's client. */
import { getJson, send } from '../../../app/api.ts';
import type { SpaceRole } from '../api.ts';

export type ShareLinkRole = 'editor' | 'commenter' | 'reader';
export type ShareLinkReach = 'members' | 'organisation' | 'authenticated' | 'public';
export const SHARE_LINK_ROLES: readonly ShareLinkRole[] = ['reader', 'commenter', 'editor'];
export const SHARE_LINK_REACHES: readonly ShareLinkReach[] = ['members', 'organisation', 'authenticated', 'public'];

export interface ShareLink {
  id: string;
  documentId: string;
  role: ShareLinkRole;
  reach: ShareLinkReach;
  organisationId: string | null;
  expiresAt: string | null;
  allowIndexing: boolean;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  state: 'active' | 'expired' | 'revoked';
  url: string | null;
}

export interface Redeemed {
  documentId: string;
  spaceId: string;
  role: SpaceRole;
  reach: ShareLinkReach;
  member: boolean;
  publicUrl: string | null;
}

const enc = encodeURIComponent;

export const sharingApi = {
  list: (documentId: string, signal?: AbortSignal) => getJson<{ links: ShareLink[] }>(`/api/documents/${enc(documentId)}/share-links`, signal),
  create: (documentId: string, input: { role: ShareLinkRole; reach: ShareLinkReach; expiresAt?: string | null; allowIndexing?: boolean }) =>
    send<ShareLink>('POST', `/api/documents/${enc(documentId)}/share-links`, input),
  revoke: (linkId: string) => send('DELETE', `/api/share-links/${enc(linkId)}`),
  redeem: (token: string) => send<Redeemed>('POST', '/api/share-links/redeem', { token }),
};
