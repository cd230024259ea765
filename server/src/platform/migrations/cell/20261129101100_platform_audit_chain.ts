import type { Kysely } from 'kysely';
import { chainAuditTable } from '../audit-chain.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await chainAuditTable(db);
}
