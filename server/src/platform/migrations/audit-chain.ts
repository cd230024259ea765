import { type Kysely, sql } from 'kysely';
import { chainIdFor, entryHash, GENESIS } from '../audit/chain.ts';

/**
 * Makes the audit table tamper-evident (issue 6): chain fields on every entry (existing entries
 * are chained in their time order), the chain heads appends lock, signed checkpoints, and
 * triggers that refuse UPDATE, DELETE and TRUNCATE of entries and checkpoints — except DELETE in
 * a transaction of the retention job, which sets `entente.audit_retention` to `on` locally
 * (retention.ts). A database superuser can still disable the triggers or rewrite rows: that is
 * what `entente audit verify` and the signed checkpoints catch.
 */
export async function chainAuditTable(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('audit_events')
    .addColumn('chain_id', 'text')
    .addColumn('seq', 'bigint')
    .addColumn('prev_hash', 'text')
    .addColumn('hash', 'text')
    .execute();
  await db.schema
    .createTable('audit_chain_heads')
    .addColumn('chain_id', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull().check(sql`seq >= 0`))
    // The previous head's hash, returned by the append's upsert (which cannot return old values).
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull().check(sql`hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('audit_checkpoints')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('store', 'text', (c) => c.notNull())
    .addColumn('chain_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull().check(sql`seq >= 1`))
    .addColumn('hash', 'text', (c) => c.notNull().check(sql`hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('signed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addUniqueConstraint('audit_checkpoints_chain_seq', ['chain_id', 'seq'])
    .execute();

  await chainExistingEntries(db);

  await sql`alter table audit_events
    alter column chain_id set not null,
    alter column seq set not null,
    alter column prev_hash set not null,
    alter column hash set not null`.execute(db);
  await sql`alter table audit_events add constraint audit_events_hash_hex check (hash ~ '^[0-9a-f]{64}$' and prev_hash ~ '^[0-9a-f]{64}$')`.execute(db);
  await sql`alter table audit_events add constraint audit_events_seq_positive check (seq >= 1)`.execute(db);
  await db.schema.createIndex('audit_events_chain_seq').on('audit_events').columns(['chain_id', 'seq']).unique().execute();

  // plpgsql exists on PostgreSQL 15 and in PGlite alike. The function is created in the store's
  // schema (first on the search_path), so cells sharing one database keep their own.
  await sql`
    create or replace function audit_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' and coalesce(current_setting('entente.audit_retention', true), '') = 'on' then
        return old;
      end if;
      raise exception 'audit entries are append-only: % on % refused', tg_op, tg_table_name
        using errcode = 'insufficient_privilege',
              hint = 'Only the retention job deletes audit entries (entente.audit_retention).';
    end
    $$`.execute(db);
  for (const table of ['audit_events', 'audit_checkpoints']) {
    await sql`create trigger ${sql.id(`${table}_append_only`)} before update or delete on ${sql.table(table)}
      for each row execute function audit_append_only()`.execute(db);
    await sql`create trigger ${sql.id(`${table}_no_truncate`)} before truncate on ${sql.table(table)}
      for each statement execute function audit_append_only()`.execute(db);
  }
}

/** Chains the entries written before the chains existed, per organisation, in their time order. */
async function chainExistingEntries(db: Kysely<unknown>): Promise<void> {
  const heads = new Map<string, { seq: number; prev: string; hash: string }>();
  let after: { at: Date; id: string } | null = null;
  const PAGE = 1000;
  for (;;) {
    const { rows }: { rows: ExistingRow[] } = await sql<ExistingRow>`
      select id, occurred_at, actor_id, organisation_id, action, resource_type, resource_id, outcome, ip, request_id, details
      from audit_events
      ${after ? sql`where (occurred_at, id) > (${after.at}, ${after.id}::uuid)` : sql``}
      order by occurred_at, id limit ${PAGE}`.execute(db);
    if (rows.length === 0) break;
    const values = rows.map((row) => {
      const chain = chainIdFor(row.organisation_id);
      const head = heads.get(chain) ?? { seq: 0, prev: GENESIS, hash: GENESIS };
      const seq = head.seq + 1;
      const hash = entryHash({
        chain,
        seq,
        prevHash: head.hash,
        id: row.id,
        occurredAt: row.occurred_at.toISOString(),
        actorId: row.actor_id,
        organisationId: row.organisation_id,
        action: row.action,
        resourceType: row.resource_type,
        resourceId: row.resource_id,
        outcome: row.outcome,
        ip: row.ip,
        requestId: row.request_id,
        details: typeof row.details === 'string' ? JSON.parse(row.details) : row.details,
      });
      heads.set(chain, { seq, prev: head.hash, hash });
      return sql`(${row.id}::uuid, ${chain}, ${seq}::bigint, ${head.hash}, ${hash})`;
    });
    await sql`update audit_events as e set chain_id = v.chain_id, seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
      from (values ${sql.join(values)}) as v(id, chain_id, seq, prev_hash, hash) where e.id = v.id`.execute(db);
    const last = rows[rows.length - 1] as ExistingRow;
    after = { at: last.occurred_at, id: last.id };
  }
  for (const [chain, head] of heads) {
    await sql`insert into audit_chain_heads (chain_id, seq, prev_hash, hash, updated_at) values (${chain}, ${head.seq}, ${head.prev}, ${head.hash}, now())`.execute(db);
  }
}

interface ExistingRow {
  id: string;
  occurred_at: Date;
  actor_id: string | null;
  organisation_id: string | null;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  outcome: string;
  ip: string | null;
  request_id: string | null;
  details: Record<string, unknown> | string;
}
