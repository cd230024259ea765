import { type Kysely, sql } from 'kysely';

/**
 * Exposure control by prices (skills/cat/exposure.ts) replaces Sympson–Hetter parameters: each
 * item's price moves with every test taken, so the column holds a live value, never null (0: the
 * item is not overused). The old parameters are dropped: they meant a probability of passing a
 * filter the engine no longer has, and `entente skills calibrate` warms the prices again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('skills_items').dropColumn('exposure').execute();
  await db.schema
    .alterTable('skills_items')
    // 10 = cat/exposure.ts MAX_PRICE; a check rather than trust, since the loop writes it often.
    .addColumn('exposure_price', 'real', (c) => c.notNull().defaultTo(0).check(sql`exposure_price >= 0 and exposure_price <= 10`))
    .execute();
}
