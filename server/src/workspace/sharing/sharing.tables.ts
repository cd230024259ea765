import type { ColumnType, Generated } from 'kysely';

/**
 * Share links (workspace/sharing). Cell of the space: `share_links`, one row per link, holding
 * the SHA-256 of its token (never the token: it is derived again from the server secret and the
 * link's id when those who manage the link list it). Control plane: `share_link_redemptions`,
 * who opened which link (pseudonymous ids only), so that the access rules find, with one
 * control-plane query, the links an agent may reach a document through.
 */
export const SHARE_LINK_ROLES = ['editor', 'commenter', 'reader'] as const;
export type ShareLinkRole = (typeof SHARE_LINK_ROLES)[number];

/**
 * Who a link admits: `members` of the space, agents of the creator's `organisation`, any
 * signed-in agent of either state (`authenticated`), or anyone, signed in or not (`public`,
 * read-only, with an expiry).
 */
export const SHARE_LINK_REACHES = ['members', 'organisation', 'authenticated', 'public'] as const;
export type ShareLinkReach = (typeof SHARE_LINK_REACHES)[number];

export interface ShareLinksTable {
  id: string;
  document_id: string;
  space_id: string;
  /** Hex SHA-256 of the token: what a request's token is looked up by. */
  token_hash: string;
  role: ShareLinkRole;
  reach: ShareLinkReach;
  /** For reach `organisation`: the creator's organisation at creation. */
  organisation_id: string | null;
  /** Required for public links (at most a year ahead), optional otherwise. */
  expires_at: Date | null;
  /** Public links only: the owner lets search engines index the page. */
  allow_indexing: boolean;
  created_by: string;
  created_at: Generated<Date>;
  revoked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  revoked_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ShareLinkRedemptionsTable {
  link_id: string;
  principal_id: string;
  document_id: string;
  space_id: string;
  redeemed_at: Generated<Date>;
}

declare module '../../platform/db/types.ts' {
  interface ControlPlaneTables {
    share_link_redemptions: ShareLinkRedemptionsTable;
  }
  interface CellTables {
    share_links: ShareLinksTable;
  }
}
