import { type Kysely, type RawBuilder, sql } from 'kysely';
import { entryEncodingParts, entryFieldsOfRow, GENESIS } from './chain.ts';
import type { AuditChainHeadsTable, AuditCheckpointsTable, AuditEventsTable } from './audit.tables.ts';

/** The audit tables of one store (the control plane or a cell), or a transaction on it. */
export type AuditTables = {
  audit_events: AuditEventsTable;
  audit_chain_heads: AuditChainHeadsTable;
  audit_checkpoints: AuditCheckpointsTable;
};
export type AuditDb = Kysely<AuditTables>;

/** An event as callers list it (without its chain fields, unchanged from before the chains). */
export type AuditRow = Omit<AuditEventsTable, 'details' | 'chain_id' | 'seq' | 'prev_hash' | 'hash'> & { details: Record<string, unknown> };
/** An event with its chain fields, as verification and export read it. */
export type ChainedAuditRow = AuditRow & Pick<AuditEventsTable, 'chain_id' | 'seq' | 'prev_hash' | 'hash'>;

const COLUMNS = [
  'id',
  'occurred_at',
  'actor_id',
  'organisation_id',
  'action',
  'resource_type',
  'resource_id',
  'outcome',
  'ip',
  'request_id',
  'details',
] as const;
const CHAINED_COLUMNS = [...COLUMNS, 'chain_id', 'seq', 'prev_hash', 'hash'] as const;

/**
 * Appends an event to its chain, in one statement: the chain's head row is created or locked
 * and advanced by `insert … on conflict do update` (PostgreSQL locks the row it updates, until the
 * end of the transaction), the new hash is computed there from the head's hash and seq and the
 * entry's canonical encoding prepared here (chain.ts#entryEncodingParts), and the entry inserted
 * with them. Concurrent appends to one chain therefore wait for each other: no two entries get
 * one sequence number and none links to an entry that rolled back. Inside the caller's
 * transaction when `db` is one (the event commits or rolls back with the caller's change); one
 * round trip either way.
 */
export async function appendAuditEvent(db: AuditDb, row: AuditRow & { chain_id: string }): Promise<{ seq: number; hash: string }> {
  const { beforePrev, beforeSeq, after } = encodingPartsOf(row);
  const hashOf = (prev: RawBuilder<string>, seq: RawBuilder<string>) =>
    sql<string>`encode(sha256(convert_to(${beforePrev}::text || ${prev} || ${beforeSeq}::text || ${seq} || ${after}::text, 'UTF8')), 'hex')`;
  const { rows } = await sql<{ seq: number | string; hash: string }>`
    with head as (
      insert into audit_chain_heads as h (chain_id, seq, prev_hash, hash, updated_at)
      values (${row.chain_id}, 1, ${GENESIS}, ${hashOf(sql`${GENESIS}::text`, sql`'1'`)}, ${row.occurred_at})
      on conflict (chain_id) do update set
        seq = h.seq + 1,
        prev_hash = h.hash,
        hash = ${hashOf(sql`h.hash`, sql`(h.seq + 1)::text`)},
        updated_at = excluded.updated_at
      returning seq, prev_hash, hash
    )
    insert into audit_events (id, occurred_at, actor_id, organisation_id, action, resource_type, resource_id, outcome, ip, request_id, details, chain_id, seq, prev_hash, hash)
    select ${row.id}, ${row.occurred_at}, ${row.actor_id}, ${row.organisation_id}, ${row.action}, ${row.resource_type}, ${row.resource_id},
           ${row.outcome}, ${row.ip}, ${row.request_id}, ${JSON.stringify(row.details)}::jsonb, ${row.chain_id}, head.seq, head.prev_hash, head.hash
    from head
    returning seq, hash`.execute(db);
  const inserted = rows[0];
  if (!inserted) throw new Error('audit append inserted nothing');
  return { seq: Number(inserted.seq), hash: inserted.hash };
}

/** The entry's canonical encoding around its chain-dependent values (chain.ts), from its row. */
function encodingPartsOf(row: AuditRow & { chain_id: string }) {
  return entryEncodingParts(entryFieldsOfRow(row));
}

/** Most entries one batched append carries (its parameters: 16 per entry, PostgreSQL's limit 65,535). */
export const MAX_APPEND_BATCH = 500;

/**
 * Appends several events, of one or more chains, in one statement: what `appendAuditEvent` does
 * for one, for each chain in turn. The heads of the chains are locked (FOR UPDATE, in chain order,
 * so that two batches never wait for each other crosswise), a recursive query links each chain's
 * new entries one after the other from its head — same encoding, same hash, computed by the
 * database as for a single append — the entries are inserted and each head moved to its last
 * entry. Entries keep their order within a chain. A chain that has no head yet (its very first
 * entry in this store) is not in the statement's result: its entries are then appended one by one
 * (the single append creates the head). An entry whose id is already in the store is skipped, so
 * that a batch written again after a failure (of another store's part, of a connection) writes
 * each entry once. Returns the appended entries' sequence numbers, by id.
 *
 * Used where many events are written off any request's path (the AI gateway's): one round trip
 * for a batch instead of one per event.
 */
export async function appendAuditEvents(db: AuditDb, rows: readonly (AuditRow & { chain_id: string })[]): Promise<Map<string, number>> {
  const appended = new Map<string, number>();
  if (rows.length === 0) return appended;
  if (rows.length > MAX_APPEND_BATCH) throw new RangeError(`at most ${MAX_APPEND_BATCH} audit events in one append`);
  const values = rows.map((row, ord) => {
    const { beforePrev, beforeSeq, after } = encodingPartsOf(row);
    return sql`(${ord}::int, ${row.chain_id}::text, ${row.id}::uuid, ${row.occurred_at}::timestamptz, ${row.actor_id}::uuid, ${row.organisation_id}::uuid,
      ${row.action}::text, ${row.resource_type}::text, ${row.resource_id}::text, ${row.outcome}::text, ${row.ip}::text, ${row.request_id}::text,
      ${JSON.stringify(row.details)}::jsonb, ${beforePrev}::text, ${beforeSeq}::text, ${after}::text)`;
  });
  const hashOf = (prev: RawBuilder<string>, seq: RawBuilder<string>) =>
    sql<string>`encode(sha256(convert_to(i.before_prev || ${prev} || i.before_seq || ${seq} || i.after, 'UTF8')), 'hex')`;
  const { rows: inserted } = await sql<{ id: string; seq: number | string }>`
    with recursive
    given (ord, chain_id, id, occurred_at, actor_id, organisation_id, action, resource_type, resource_id, outcome, ip, request_id, details, before_prev, before_seq, after) as (
      values ${sql.join(values)}
    ),
    -- An entry already written (a batch written again after a failure) is not written twice.
    input as (
      select row_number() over (partition by g.chain_id order by g.ord)::int as n, g.*
      from given g
      where not exists (select 1 from audit_events e where e.id = g.id)
    ),
    head as (
      select h.chain_id, h.seq, h.hash from audit_chain_heads h
      where h.chain_id in (select distinct chain_id from input)
      order by h.chain_id
      for update
    ),
    linked (chain_id, n, occurred_at, seq, prev_hash, hash) as (
      select i.chain_id, i.n, i.occurred_at, head.seq + 1, head.hash, ${hashOf(sql`head.hash`, sql`(head.seq + 1)::text`)}
      from input i join head on head.chain_id = i.chain_id
      where i.n = 1
      union all
      select i.chain_id, i.n, i.occurred_at, l.seq + 1, l.hash, ${hashOf(sql`l.hash`, sql`(l.seq + 1)::text`)}
      from linked l join input i on i.chain_id = l.chain_id and i.n = l.n + 1
    ),
    moved as (
      update audit_chain_heads h set seq = last.seq, prev_hash = last.prev_hash, hash = last.hash, updated_at = last.occurred_at
      from (select distinct on (chain_id) chain_id, occurred_at, seq, prev_hash, hash from linked order by chain_id, n desc) last
      where h.chain_id = last.chain_id
    )
    insert into audit_events (id, occurred_at, actor_id, organisation_id, action, resource_type, resource_id, outcome, ip, request_id, details, chain_id, seq, prev_hash, hash)
    select i.id, i.occurred_at, i.actor_id, i.organisation_id, i.action, i.resource_type, i.resource_id, i.outcome, i.ip, i.request_id, i.details,
           l.chain_id, l.seq, l.prev_hash, l.hash
    from input i join linked l on l.chain_id = i.chain_id and l.n = i.n
    order by l.chain_id, l.n
    returning id, seq`.execute(db);
  for (const row of inserted) appended.set(row.id, Number(row.seq));
  if (appended.size === rows.length) return appended;
  // Left out: entries already written, and those of chains without a head, whose first entry
  // creates it — one statement each, in order.
  const left = rows.filter((row) => !appended.has(row.id));
  const written = new Set((await db.selectFrom('audit_events').select('id').where('id', 'in', left.map((row) => row.id)).execute()).map((row) => row.id));
  for (const row of left) {
    if (!written.has(row.id)) appended.set(row.id, (await appendAuditEvent(db, row)).seq);
  }
  return appended;
}

export interface AuditQuery {
  actorId?: string;
  resourceType?: string;
  resourceId?: string;
  action?: string;
  since?: Date;
  limit: number;
}

export async function selectAuditEvents(db: AuditDb, query: AuditQuery): Promise<AuditRow[]> {
  let q = db.selectFrom('audit_events').select(COLUMNS);
  if (query.actorId) q = q.where('actor_id', '=', query.actorId);
  if (query.resourceType) q = q.where('resource_type', '=', query.resourceType);
  if (query.resourceId) q = q.where('resource_id', '=', query.resourceId);
  if (query.action) q = q.where('action', '=', query.action);
  if (query.since) q = q.where('occurred_at', '>=', query.since);
  return (await q.orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute()) as AuditRow[];
}

/**
 * The chains of a store: those with a head, and any chain id found in the entries (a skip scan
 * on the (chain_id, seq) index, cheap even on millions of rows) — rows forged into a chain that
 * has no head are verified too.
 */
export async function listChains(db: AuditDb): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    with recursive c(id) as (
      select min(chain_id) from audit_events
      union all
      select (select min(chain_id) from audit_events where chain_id > c.id) from c where c.id is not null
    )
    select id from c where id is not null
    union
    select chain_id as id from audit_chain_heads
    union
    select distinct chain_id as id from audit_checkpoints
    order by id`.execute(db);
  return rows.map((r) => r.id);
}

/**
 * The entries of a chain with `fromSeq <= seq < toSeq`, in (seq, id) order. Reading a chain by
 * bounded ranges of seq, rather than "the next N after", keeps every statement's cost bounded by
 * the range whatever plan PostgreSQL picks (without statistics, as after a bulk load, it may
 * otherwise scan the rest of the chain for each page).
 */
export async function selectChainRange(db: AuditDb, chainId: string, fromSeq: number, toSeq: number): Promise<ChainedAuditRow[]> {
  const rows = await db
    .selectFrom('audit_events')
    .select(CHAINED_COLUMNS)
    .where('chain_id', '=', chainId)
    .where('seq', '>=', fromSeq)
    .where('seq', '<', toSeq)
    .orderBy('seq')
    .orderBy('id')
    .execute();
  return rows as ChainedAuditRow[];
}

/** The smallest (or largest) seq of a chain, from `fromSeq` on; null when there is none. */
export async function boundarySeq(db: AuditDb, chainId: string, which: 'min' | 'max', fromSeq = Number.MIN_SAFE_INTEGER): Promise<number | null> {
  const row = await db
    .selectFrom('audit_events')
    .select((eb) => (which === 'min' ? eb.fn.min('seq') : eb.fn.max('seq')).as('seq'))
    .where('chain_id', '=', chainId)
    .where('seq', '>=', fromSeq)
    .executeTakeFirst();
  return row?.seq === null || row?.seq === undefined ? null : Number(row.seq);
}

/**
 * A chain read in pages of `pageSize` seq values (short statements: on PGlite the one connection
 * is never held for long), from `fromSeq` to `untilSeq` (or its end). A gap is jumped over (the
 * walker reports it); entries sharing a seq (impossible unless the unique index was dropped) come
 * in the same page.
 */
export async function* chainPages(db: AuditDb, chainId: string, fromSeq: number, pageSize: number, untilSeq?: number): AsyncGenerator<ChainedAuditRow[]> {
  let from = fromSeq;
  for (;;) {
    if (untilSeq !== undefined && from > untilSeq) return;
    const to = untilSeq !== undefined ? Math.min(from + pageSize, untilSeq + 1) : from + pageSize;
    const rows = await selectChainRange(db, chainId, from, to);
    if (rows.length === 0) {
      const next = await boundarySeq(db, chainId, 'min', to);
      if (next === null || (untilSeq !== undefined && next > untilSeq)) return;
      from = next;
      continue;
    }
    yield rows;
    from = to;
  }
}

/** One entry of a chain by its seq (the first if several claim it). */
export async function entryAt(db: AuditDb, chainId: string, seq: number): Promise<ChainedAuditRow | undefined> {
  return (await selectChainRange(db, chainId, seq, seq + 1))[0];
}

export async function findChainHead(db: AuditDb, chainId: string): Promise<{ seq: number; hash: string } | undefined> {
  const row = await db.selectFrom('audit_chain_heads').select(['seq', 'hash']).where('chain_id', '=', chainId).executeTakeFirst();
  return row ? { seq: Number(row.seq), hash: row.hash } : undefined;
}

/** The last entry of a chain (what a checkpoint signs). */
export async function lastEntry(db: AuditDb, chainId: string): Promise<ChainedAuditRow | undefined> {
  const seq = await boundarySeq(db, chainId, 'max');
  return seq === null ? undefined : entryAt(db, chainId, seq);
}

/** The first sequence number of the chain whose entry happened at or after `since` (export --since). */
export async function firstSeqSince(db: AuditDb, chainId: string, since: Date): Promise<number | null> {
  const row = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.min('seq').as('seq'))
    .where('chain_id', '=', chainId)
    .where('occurred_at', '>=', since)
    .executeTakeFirst();
  return row?.seq === null || row?.seq === undefined ? null : Number(row.seq);
}
