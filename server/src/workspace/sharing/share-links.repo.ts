import { type Selectable, sql } from 'kysely';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { AssuranceLevel } from '../../identity/federation/upstream.ts';
import type { CellDb, ControlDb } from '../../platform/db/types.ts';
import type { ShareLinkReach, ShareLinkRole, ShareLinksTable } from './sharing.tables.ts';
import './sharing.tables.ts';
import '../workspace.tables.ts';
import '../spaces/move/move.tables.ts';

/** All SQL of share links: the cell's `share_links`, the control plane's `share_link_redemptions`. */

/** A link as read back: every column but the token's hash (never needed once looked up). */
export type ShareLinkRow = Omit<Selectable<ShareLinksTable>, 'token_hash'>;

const LINK_COLUMNS = [
  'l.id',
  'l.document_id',
  'l.space_id',
  'l.role',
  'l.reach',
  'l.organisation_id',
  'l.expires_at',
  'l.allow_indexing',
  'l.created_by',
  'l.created_at',
  'l.revoked_at',
  'l.revoked_by',
] as const;

export async function insertShareLink(
  db: CellDb,
  row: Pick<ShareLinksTable, 'id' | 'document_id' | 'space_id' | 'token_hash' | 'role' | 'reach' | 'organisation_id' | 'expires_at' | 'allow_indexing' | 'created_by'>,
): Promise<ShareLinkRow> {
  await db
    .insertInto('share_links')
    .values({
      id: row.id,
      document_id: row.document_id,
      space_id: row.space_id,
      token_hash: row.token_hash,
      role: row.role,
      reach: row.reach,
      organisation_id: row.organisation_id,
      expires_at: row.expires_at,
      allow_indexing: row.allow_indexing,
      created_by: row.created_by,
    })
    .execute();
  return (await findShareLink(db, row.id)) as ShareLinkRow;
}

export async function findShareLink(db: CellDb, id: string): Promise<ShareLinkRow | undefined> {
  return db.selectFrom('share_links as l').select(LINK_COLUMNS).where('l.id', '=', id).executeTakeFirst();
}

/** A document's links, newest first (revoked ones included: the list says so). */
export async function listShareLinks(db: CellDb, documentId: string, limit: number): Promise<ShareLinkRow[]> {
  return db.selectFrom('share_links as l').select(LINK_COLUMNS).where('l.document_id', '=', documentId).orderBy('l.created_at', 'desc').orderBy('l.id', 'desc').limit(limit).execute();
}

export async function countLiveShareLinks(db: CellDb, documentId: string): Promise<number> {
  const row = await db
    .selectFrom('share_links')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('document_id', '=', documentId)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Revokes a live link; false when it was already revoked (then nothing changes). */
export async function revokeShareLinkRow(db: CellDb, id: string, by: string): Promise<boolean> {
  const result = await db.updateTable('share_links').set({ revoked_at: sql<Date>`now()`, revoked_by: by }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A link found by its token, with what opening it needs: its document and space as they are now. */
export interface LinkByToken extends ShareLinkRow {
  title: string;
  epoch: number;
  trashed: boolean;
  min_assurance: AssuranceLevel;
  classification: string;
  space_deleted: boolean;
  live: boolean;
}

export async function findShareLinkByTokenHash(db: CellDb, hash: string): Promise<LinkByToken | undefined> {
  return db
    .selectFrom('share_links as l')
    .innerJoin('documents as d', 'd.id', 'l.document_id')
    .innerJoin('spaces as s', 's.id', 'l.space_id')
    .select(LINK_COLUMNS)
    .select([
      'd.title',
      'd.epoch',
      sql<boolean>`d.trashed_at is not null`.as('trashed'),
      's.min_assurance',
      's.classification',
      sql<boolean>`s.deleted_at is not null`.as('space_deleted'),
      sql<boolean>`l.revoked_at is null and (l.expires_at is null or l.expires_at > now())`.as('live'),
    ])
    .where('l.token_hash', '=', hash)
    .executeTakeFirst();
}

/** The live links among `ids` that open `documentId`, with the document's state (one cell query). */
export async function findLiveLinksForDocument(
  db: CellDb,
  documentId: string,
  ids: readonly string[],
): Promise<
  { id: string; space_id: string; role: ShareLinkRole; reach: ShareLinkReach; organisation_id: string | null; epoch: number; trashed: boolean; min_assurance: AssuranceLevel }[]
> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('share_links as l')
    .innerJoin('documents as d', 'd.id', 'l.document_id')
    .innerJoin('spaces as s', 's.id', 'l.space_id')
    .select(['l.id', 'l.space_id', 'l.role', 'l.reach', 'l.organisation_id', 'd.epoch', sql<boolean>`d.trashed_at is not null`.as('trashed'), 's.min_assurance'])
    .where('l.id', 'in', ids)
    .where('l.document_id', '=', documentId)
    .where('l.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('l.expires_at', 'is', null), eb('l.expires_at', '>', sql<Date>`now()`)]))
    .where('s.deleted_at', 'is', null)
    .execute();
}

/** An image of the link's document (public pages serve only those). */
export async function findDocumentImage(db: CellDb, imageId: string, documentId: string): Promise<boolean> {
  const row = await db.selectFrom('document_images').select('id').where('id', '=', imageId).where('document_id', '=', documentId).executeTakeFirst();
  return row !== undefined;
}

// ── control plane ────────────────────────────────────────────────────────────────────────────

export async function recordRedemption(db: ControlDb, row: { link_id: string; principal_id: string; document_id: string; space_id: string }): Promise<void> {
  await db
    .insertInto('share_link_redemptions')
    .values(row)
    .onConflict((oc) => oc.columns(['principal_id', 'link_id']).doUpdateSet({ redeemed_at: sql<Date>`now()` }))
    .execute();
}

/** The links a principal opened for a document, with the cell its space is in now (after a move too). */
export async function findRedemptions(
  db: ControlDb,
  principalId: string,
  documentId: string,
): Promise<{ link_id: string; space_id: string; jurisdiction: Jurisdiction; moving: boolean; member: boolean }[]> {
  return db
    .selectFrom('share_link_redemptions as r')
    .innerJoin('space_directory as d', 'd.id', 'r.space_id')
    .select(['r.link_id', 'r.space_id', 'd.jurisdiction'])
    .select((eb) => [
      eb.exists(eb.selectFrom('space_moves as mv').select('mv.id').whereRef('mv.space_id', '=', 'r.space_id').where('mv.phase', '<>', 'done')).as('moving'),
      eb
        .exists(eb.selectFrom('space_members as m').select('m.principal_id').whereRef('m.space_id', '=', 'r.space_id').where('m.principal_id', '=', principalId))
        .as('member'),
    ])
    .where('r.principal_id', '=', principalId)
    .where('r.document_id', '=', documentId)
    .execute() as Promise<{ link_id: string; space_id: string; jurisdiction: Jurisdiction; moving: boolean; member: boolean }[]>;
}

/** Which cell a space is in (control plane). */
export async function findSpaceJurisdiction(db: ControlDb, spaceId: string): Promise<Jurisdiction | undefined> {
  return (await db.selectFrom('space_directory').select('jurisdiction').where('id', '=', spaceId).executeTakeFirst())?.jurisdiction;
}

export async function isSpaceMember(db: ControlDb, spaceId: string, principalId: string): Promise<boolean> {
  const row = await db.selectFrom('space_members').select('principal_id').where('space_id', '=', spaceId).where('principal_id', '=', principalId).executeTakeFirst();
  return row !== undefined;
}

/** The spaces, with their cells, of the links a principal opened (images of those documents are looked up there too). */
export async function redeemedSpaces(db: ControlDb, principalId: string): Promise<{ space_id: string; jurisdiction: Jurisdiction }[]> {
  return db
    .selectFrom('share_link_redemptions as r')
    .innerJoin('space_directory as d', 'd.id', 'r.space_id')
    .select(['r.space_id', 'd.jurisdiction'])
    .distinct()
    .where('r.principal_id', '=', principalId)
    .execute();
}
