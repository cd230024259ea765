import { sql, type Transaction } from 'kysely';
import type { AuditDb, AuditTables } from './audit.repo.ts';
import type { AuditCheckpointsTable } from './audit.tables.ts';

export type CheckpointRow = AuditCheckpointsTable;

const COLUMNS = ['id', 'store', 'chain_id', 'seq', 'hash', 'signed_at', 'key_id', 'signature'] as const;

const normalise = (row: CheckpointRow): CheckpointRow => ({ ...row, seq: Number(row.seq) });

/** Stores a checkpoint; false when the chain already has one at that seq (another node, an export). */
export async function insertCheckpoint(db: AuditDb, row: CheckpointRow): Promise<boolean> {
  const result = await db
    .insertInto('audit_checkpoints')
    .values(row)
    .onConflict((oc) => oc.columns(['chain_id', 'seq']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function listCheckpoints(db: AuditDb, chainId: string, fromSeq = 0): Promise<CheckpointRow[]> {
  const rows = await db
    .selectFrom('audit_checkpoints')
    .select(COLUMNS)
    .where('chain_id', '=', chainId)
    .where('seq', '>=', fromSeq)
    .orderBy('seq')
    .execute();
  return rows.map(normalise);
}

export async function findCheckpointAt(db: AuditDb, chainId: string, seq: number): Promise<CheckpointRow | undefined> {
  const row = await db.selectFrom('audit_checkpoints').select(COLUMNS).where('chain_id', '=', chainId).where('seq', '=', seq).executeTakeFirst();
  return row ? normalise(row) : undefined;
}

export async function latestCheckpoint(db: AuditDb, chainId: string): Promise<CheckpointRow | undefined> {
  const row = await db.selectFrom('audit_checkpoints').select(COLUMNS).where('chain_id', '=', chainId).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row ? normalise(row) : undefined;
}

/** The latest checkpoint signed before `before`: how far retention may delete. */
export async function latestCheckpointSignedBefore(db: AuditDb, chainId: string, before: Date): Promise<CheckpointRow | undefined> {
  const row = await db
    .selectFrom('audit_checkpoints')
    .select(COLUMNS)
    .where('chain_id', '=', chainId)
    .where('signed_at', '<', before)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? normalise(row) : undefined;
}

/**
 * Retention: in one transaction, marks it as the retention job's (the append-only trigger lets
 * DELETE through only then) and removes the chain's entries up to the anchor and the checkpoints
 * before it. The anchor checkpoint stays: verification starts from it.
 */
export async function deleteUpToAnchor(trx: Transaction<AuditTables>, chainId: string, anchorSeq: number): Promise<number> {
  await sql`select set_config('entente.audit_retention', 'on', true)`.execute(trx);
  const deleted = await trx.deleteFrom('audit_events').where('chain_id', '=', chainId).where('seq', '<=', anchorSeq).executeTakeFirst();
  await trx.deleteFrom('audit_checkpoints').where('chain_id', '=', chainId).where('seq', '<', anchorSeq).execute();
  return Number(deleted.numDeletedRows);
}
