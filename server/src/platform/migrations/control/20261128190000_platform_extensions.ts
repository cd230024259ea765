import type { Kysely } from 'kysely';
import { setUpExtensions } from '../../db/extensions.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await setUpExtensions(db);
}
