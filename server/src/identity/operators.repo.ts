import type { ControlDb } from '../platform/db/types.ts';
import type { OperatorDesignationsTable } from './operators.tables.ts';

export type DesignationSource = OperatorDesignationsTable['source'];

export async function insertDesignation(db: ControlDb, row: { upstream: string; subject: string; source: DesignationSource }): Promise<boolean> {
  const result = await db.insertInto('operator_designations').values(row).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function deleteDesignation(db: ControlDb, row: { upstream: string; subject: string; source: DesignationSource }): Promise<boolean> {
  const result = await db
    .deleteFrom('operator_designations')
    .where('upstream', '=', row.upstream)
    .where('subject', '=', row.subject)
    .where('source', '=', row.source)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Designations with the principal their identity signs in as (null: not signed in yet). */
export async function listDesignations(db: ControlDb) {
  return db
    .selectFrom('operator_designations')
    .leftJoin('federated_identities', (join) =>
      join
        .onRef('federated_identities.upstream', '=', 'operator_designations.upstream')
        .onRef('federated_identities.subject', '=', 'operator_designations.subject'),
    )
    .select(['operator_designations.upstream', 'operator_designations.subject', 'operator_designations.source', 'operator_designations.created_at'])
    .select('federated_identities.principal_id')
    .orderBy('operator_designations.upstream')
    .orderBy('operator_designations.subject')
    .execute();
}

/** True when one of the principal's federated identities is designated operator. */
export async function isDesignatedOperator(db: ControlDb, principalId: string): Promise<boolean> {
  const row = await db
    .selectFrom('operator_designations')
    .innerJoin('federated_identities', (join) =>
      join
        .onRef('federated_identities.upstream', '=', 'operator_designations.upstream')
        .onRef('federated_identities.subject', '=', 'operator_designations.subject'),
    )
    .select('federated_identities.principal_id')
    .where('federated_identities.principal_id', '=', principalId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function principalOfIdentity(db: ControlDb, upstream: string, subject: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('federated_identities')
    .select('principal_id')
    .where('upstream', '=', upstream)
    .where('subject', '=', subject)
    .executeTakeFirst();
  return row?.principal_id;
}

/** Principals whose identity is designated (by any source), for the start-up reconciliation. */
export async function designatedPrincipals(db: ControlDb): Promise<string[]> {
  const rows = await db
    .selectFrom('operator_designations')
    .innerJoin('federated_identities', (join) =>
      join
        .onRef('federated_identities.upstream', '=', 'operator_designations.upstream')
        .onRef('federated_identities.subject', '=', 'operator_designations.subject'),
    )
    .select('federated_identities.principal_id')
    .distinct()
    .execute();
  return rows.map((r) => r.principal_id);
}

export async function listConfigDesignations(db: ControlDb): Promise<{ upstream: string; subject: string }[]> {
  return db.selectFrom('operator_designations').select(['upstream', 'subject']).where('source', '=', 'config').execute();
}

/**
 * Grants the operator role because of a designation; true when it was not held yet. Only then is
 * the grant recorded as the designation's (operator_grants): a role held already stays the other
 * grantor's, and a removed designation will not take it away.
 */
export async function grantOperator(db: ControlDb, principalId: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .insertInto('platform_roles')
      .values({ principal_id: principalId, role: 'operator' })
      .onConflict((oc) => oc.columns(['principal_id', 'role']).doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
    await trx.insertInto('operator_grants').values({ principal_id: principalId }).onConflict((oc) => oc.column('principal_id').doNothing()).execute();
    return true;
  });
}

/** Removes the operator role only if a designation granted it; true when removed. */
export async function revokeDesignatedOperator(db: ControlDb, principalId: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const granted = await trx.deleteFrom('operator_grants').where('principal_id', '=', principalId).executeTakeFirst();
    if (Number(granted.numDeletedRows) !== 1) return false;
    const result = await trx.deleteFrom('platform_roles').where('principal_id', '=', principalId).where('role', '=', 'operator').executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  });
}

/** True when the principal holds the operator role (whoever granted it). */
export async function holdsOperatorRole(db: ControlDb, principalId: string): Promise<boolean> {
  const row = await db.selectFrom('platform_roles').select('principal_id').where('principal_id', '=', principalId).where('role', '=', 'operator').executeTakeFirst();
  return row !== undefined;
}

export async function listOperatorPrincipals(db: ControlDb): Promise<string[]> {
  const rows = await db.selectFrom('platform_roles').select('principal_id').where('role', '=', 'operator').orderBy('principal_id').execute();
  return rows.map((r) => r.principal_id);
}
