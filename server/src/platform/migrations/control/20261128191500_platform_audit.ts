import type { Kysely } from 'kysely';
import { createAuditTable } from '../../audit/audit.schema.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await createAuditTable(db);
}
