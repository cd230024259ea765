import { type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Jurisdiction } from '../../../common/src/jurisdiction.ts';
import type { CellDb, CellTables, ControlDb } from '../platform/db/types.ts';
import type { AssuranceLevel } from '../identity/federation/upstream.ts';
import type { SpaceRole } from './workspace.tables.ts';
import './workspace.tables.ts';
import './spaces/move/move.tables.ts';

/** The principal's role in `document_access` on the document aliased `d` (null: not listed). */
export function grantedRole(principalId: string) {
  return (eb: ExpressionBuilder<CellTables & { d: CellTables['documents'] }, 'd'>) =>
    eb
      .selectFrom('document_access as a')
      .select('a.role')
      .whereRef('a.document_id', '=', 'd.id')
      .where('a.principal_id', '=', principalId)
      .as('granted_role');
}

/**
 * The spaces a principal is a member of, with the cell each lives in (control plane), and whether
 * each is being moved to the other cell (`moving`: read-only until the move ends, spaces/move/).
 */
export async function findMemberships(
  db: ControlDb,
  principalId: string,
  spaceIds?: readonly string[],
): Promise<{ space_id: string; role: SpaceRole; jurisdiction: Jurisdiction; moving: SqlBool }[]> {
  let query = db
    .selectFrom('space_members as m')
    .innerJoin('space_directory as d', 'd.id', 'm.space_id')
    .select(['m.space_id', 'm.role', 'd.jurisdiction'])
    .select((eb) =>
      eb.exists(eb.selectFrom('space_moves as mv').select('mv.id').whereRef('mv.space_id', '=', 'm.space_id').where('mv.phase', '<>', 'done')).as('moving'),
    )
    .where('m.principal_id', '=', principalId);
  if (spaceIds) {
    if (spaceIds.length === 0) return [];
    query = query.where('m.space_id', 'in', spaceIds);
  }
  return query.execute();
}

export interface DocumentAccessRow {
  id: string;
  space_id: string;
  epoch: number;
  restricted: boolean;
  trashed: boolean;
  min_assurance: AssuranceLevel;
  /** The principal's row in `document_access`, when the document is restricted. */
  granted_role: SpaceRole | null;
}

/** A document among the given spaces, with what access rules need (one cell query). */
export async function findDocumentForAccess(
  db: CellDb,
  documentId: string,
  spaceIds: readonly string[],
  principalId: string,
): Promise<DocumentAccessRow | undefined> {
  if (spaceIds.length === 0) return undefined;
  return db
    .selectFrom('documents as d')
    .innerJoin('spaces as s', 's.id', 'd.space_id')
    .select([
      'd.id',
      'd.space_id',
      'd.epoch',
      'd.restricted',
      sql<boolean>`d.trashed_at is not null`.as('trashed'),
      's.min_assurance',
      grantedRole(principalId),
    ])
    .where('d.id', '=', documentId)
    .where('d.space_id', 'in', spaceIds)
    // A deleted space's documents are gone for everyone at once, before its members are removed.
    .where('s.deleted_at', 'is', null)
    .executeTakeFirst();
}

/**
 * The restricted strict ancestors of a document, with the principal's grant on each (a restriction
 * covers the whole subtree under it: a page under a restricted page is no more open than it).
 */
export async function findRestrictedAncestors(
  db: CellDb,
  documentId: string,
  principalId: string,
): Promise<{ id: string; granted_role: SpaceRole | null }[]> {
  const result = await sql<{ id: string; granted_role: SpaceRole | null }>`
    with recursive chain (id, parent_id, restricted, depth) as (
      select p.id, p.parent_id, p.restricted, 1
        from documents d join documents p on p.id = d.parent_id
       where d.id = ${documentId}
      union all
      select p.id, p.parent_id, p.restricted, c.depth + 1
        from documents p join chain c on p.id = c.parent_id
       where c.depth < 200
    )
    select c.id, a.role as granted_role
      from chain c
      left join document_access a on a.document_id = c.id and a.principal_id = ${principalId}
     where c.restricted`.execute(db);
  return result.rows;
}

/** Every document of a space with its parent, restriction and the principal's grant: the tree access rules walk. */
export async function listRestrictionTree(
  db: CellDb,
  spaceId: string,
  principalId: string,
): Promise<{ id: string; parent_id: string | null; restricted: boolean; granted_role: SpaceRole | null }[]> {
  return db
    .selectFrom('documents as d')
    .select([
      'd.id',
      'd.parent_id',
      'd.restricted',
      grantedRole(principalId),
    ])
    .where('d.space_id', '=', spaceId)
    .execute();
}
