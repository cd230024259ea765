/**
 * `npm run bench -- audit`: the tamper-evident audit log (issue 6).
 *
 *  - append throughput, events/s: `AuditLog.record()` (hash chain: lock the chain's head, hash,
 *    insert, advance the head, in a transaction) with one writer and with 8 concurrent writers
 *    (all on one organisation's chain — the worst case, every append waits for the previous
 *    one — and on 8 chains), against the baseline measured in the same run: the plain insert
 *    audit had before the chains, into a table of the same shape without chain fields;
 *  - `audit verify` speed, events/s, on a chain of 1,000,000 entries (with a signed checkpoint
 *    every 10,000, as the job leaves them), through the same function the command runs.
 *
 * On PostgreSQL (ENTENTE_BENCH_DATABASE_URL, an admin URL: a database is created for the run and
 * dropped) and on PGlite (a temporary data directory). ENTENTE_BENCH_AUDIT_EVENTS changes the
 * size of the verified chain (default 1000000), ENTENTE_BENCH_AUDIT_APPENDS the appends measured
 * per case (default 5000).
 */
import { sql } from 'kysely';
import { loadConfig } from '../server/src/config.ts';
import { type AuditLog, createAuditLog } from '../server/src/platform/audit/audit-log.ts';
import type { AuditDb } from '../server/src/platform/audit/audit.repo.ts';
import { type AuditStore, auditStores } from '../server/src/platform/audit/audit-stores.ts';
import { checkpointMessage, entryHash, GENESIS } from '../server/src/platform/audit/chain.ts';
import { openSigningKeys } from '../server/src/platform/audit/signing-keys.ts';
import { verifyChain } from '../server/src/platform/audit/verify.ts';
import { migrateStores, openStores } from '../server/src/platform/db/stores.ts';
import { uuidv7 } from '../server/src/platform/ids.ts';
import { withDatabase, withDataDir } from './support/temporary-stores.ts';

export interface AuditBenchSettings {
  /** Events appended per measured case. */
  appends: number;
  writers: number;
  /** Size of the chain verified. */
  verifyEvents: number;
}

export const DEFAULT_AUDIT: AuditBenchSettings = {
  appends: positive(process.env.ENTENTE_BENCH_AUDIT_APPENDS, 5_000),
  writers: 8,
  verifyEvents: positive(process.env.ENTENTE_BENCH_AUDIT_EVENTS, 1_000_000),
};

export interface Rate {
  events: number;
  seconds: number;
  perSecond: number;
}

export interface AuditFigures {
  target: string;
  plainSingle: Rate;
  chainedSingle: Rate;
  plainConcurrent: Rate;
  chainedOneChain: Rate;
  chainedManyChains: Rate;
  /** Building the chain to verify (bulk insert of pre-hashed rows), for information. */
  fill: Rate;
  verify: Rate;
  verifyCheckpoints: number;
}

export interface AuditResult {
  settings: AuditBenchSettings;
  targets: AuditFigures[];
  notes: string[];
}

function positive(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

const log = (message: string) => console.error(`  [audit] ${message}`);

export async function auditBench(settings: AuditBenchSettings = DEFAULT_AUDIT): Promise<AuditResult> {
  const targets: AuditFigures[] = [];
  const notes: string[] = [];
  const adminUrl = process.env.ENTENTE_BENCH_DATABASE_URL?.trim();
  if (adminUrl) {
    targets.push(await withDatabase(adminUrl, (url) => withDataDir((dir) => measureTarget('PostgreSQL', { ENTENTE_DATA_DIR: dir, DATABASE_URL: url }, settings))));
  } else {
    notes.push('ENTENTE_BENCH_DATABASE_URL is not set: PostgreSQL skipped');
  }
  targets.push(await withDataDir((dir) => measureTarget('PGlite', { ENTENTE_DATA_DIR: dir }, settings)));
  return { settings, targets, notes };
}

async function measureTarget(target: string, env: Record<string, string>, settings: AuditBenchSettings): Promise<AuditFigures> {
  const config = loadConfig({ ...env, ENTENTE_LOG_LEVEL: 'silent' });
  const stores = await openStores(config);
  try {
    await migrateStores(stores);
    const audit = createAuditLog(stores);
    const store = auditStores(stores).find((s) => s.id === 'fr') as AuditStore;
    await createPlainTable(store.db);
    const n = settings.appends;

    log(`${target}: warm-up`);
    await timed(200, (i) => plainInsert(store.db, i));
    await timed(200, (i) => record(audit, uuidv7(), i));

    log(`${target}: ${n} appends, one writer`);
    const plainSingle = await timed(n, (i) => plainInsert(store.db, i));
    const org = uuidv7();
    const chainedSingle = await timed(n, (i) => record(audit, org, i));

    log(`${target}: ${n} appends, ${settings.writers} writers`);
    const plainConcurrent = await concurrently(n, settings.writers, (i) => plainInsert(store.db, i));
    const shared = uuidv7();
    const chainedOneChain = await concurrently(n, settings.writers, (i) => record(audit, shared, i));
    const orgs = Array.from({ length: settings.writers }, () => uuidv7());
    const chainedManyChains = await concurrently(n, settings.writers, (i, writer) => record(audit, orgs[writer] as string, i));

    log(`${target}: building a chain of ${settings.verifyEvents} entries`);
    const keys = await openSigningKeys(config.audit.signingKeyFile);
    const big = uuidv7();
    const fill = await fillChain(store, big, settings.verifyEvents, keys);

    log(`${target}: verifying it`);
    const started = performance.now();
    const report = await verifyChain(store, big, { keys });
    const seconds = (performance.now() - started) / 1000;
    if (report.problem || report.entries !== settings.verifyEvents) throw new Error(`verify failed: ${JSON.stringify(report.problem)} (${report.entries} entries)`);
    return {
      target,
      plainSingle,
      chainedSingle,
      plainConcurrent,
      chainedOneChain,
      chainedManyChains,
      fill,
      verify: { events: report.entries, seconds, perSecond: report.entries / seconds },
      verifyCheckpoints: report.checkpoints,
    };
  } finally {
    await stores.close();
  }
}

function event(i: number) {
  return {
    action: 'bench.event',
    outcome: 'success' as const,
    actorId: '0190f3a2-0000-7000-8000-000000000001',
    jurisdiction: 'FR' as const,
    resource: { type: 'document', id: `0190f3a2-0000-7000-8000-${String(i).padStart(12, '0')}` },
    ip: '192.0.2.1',
    requestId: `req-${i}`,
    details: { i, via: 'bench' },
  };
}

async function record(audit: AuditLog, organisationId: string, i: number): Promise<void> {
  await audit.record({ ...event(i), organisationId });
}

/** The table audit had before the chains (same columns and indexes, no chain fields, no trigger). */
async function createPlainTable(db: AuditDb): Promise<void> {
  await sql`create table bench_plain_audit (
    id uuid primary key, occurred_at timestamptz not null, actor_id uuid, organisation_id uuid,
    action text not null check (action ~ '^[a-z][a-z0-9_.]{2,99}$'), resource_type text, resource_id text,
    outcome text not null check (outcome in ('success', 'failure', 'denied')), ip text, request_id text,
    details jsonb not null default '{}'::jsonb)`.execute(db);
  await sql`create index bench_plain_audit_time on bench_plain_audit (occurred_at)`.execute(db);
  await sql`create index bench_plain_audit_actor on bench_plain_audit (actor_id, occurred_at)`.execute(db);
  await sql`create index bench_plain_audit_resource on bench_plain_audit (resource_type, resource_id, occurred_at)`.execute(db);
}

/** The insert `AuditLog.record()` did before the chains: one statement. */
async function plainInsert(db: AuditDb, i: number): Promise<void> {
  const e = event(i);
  await sql`insert into bench_plain_audit (id, occurred_at, actor_id, organisation_id, action, resource_type, resource_id, outcome, ip, request_id, details)
    values (${uuidv7()}, ${new Date()}, ${e.actorId}, ${null}, ${e.action}, ${e.resource.type}, ${e.resource.id}, ${e.outcome}, ${e.ip}, ${e.requestId}, ${JSON.stringify(e.details)}::jsonb)`.execute(db);
}

async function timed(count: number, run: (i: number) => Promise<void>): Promise<Rate> {
  const started = performance.now();
  for (let i = 0; i < count; i++) await run(i);
  const seconds = (performance.now() - started) / 1000;
  return { events: count, seconds, perSecond: count / seconds };
}

async function concurrently(count: number, writers: number, run: (i: number, writer: number) => Promise<void>): Promise<Rate> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let i = next++; i < count; i = next++) await run(i, writer);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { events: count, seconds, perSecond: count / seconds };
}

/**
 * A chain of `count` entries written directly (hashed here, inserted 1,000 rows a statement),
 * with a signed checkpoint every 10,000 entries: what months of appends and checkpoint jobs leave.
 */
async function fillChain(store: AuditStore, chain: string, count: number, keys: Awaited<ReturnType<typeof openSigningKeys>>): Promise<Rate> {
  const BATCH = 1000;
  const started = performance.now();
  let prevHash = GENESIS;
  let beforeLast = GENESIS;
  const base = Date.now() - count;
  for (let from = 1; from <= count; from += BATCH) {
    const rows = [];
    const checkpoints = [];
    for (let seq = from; seq < from + BATCH && seq <= count; seq++) {
      const e = event(seq);
      const entry = {
        chain,
        seq,
        prevHash,
        id: uuidv7(base + seq),
        occurredAt: new Date(base + seq).toISOString(),
        actorId: e.actorId,
        organisationId: chain,
        action: e.action,
        resourceType: e.resource.type,
        resourceId: e.resource.id,
        outcome: e.outcome,
        ip: e.ip,
        requestId: e.requestId,
        details: e.details,
      };
      const hash = entryHash(entry);
      rows.push(
        sql`(${entry.id}::uuid, ${entry.occurredAt}::timestamptz, ${entry.actorId}::uuid, ${chain}::uuid, ${entry.action}, ${entry.resourceType}, ${entry.resourceId}, ${entry.outcome}, ${entry.ip}, ${entry.requestId}, ${JSON.stringify(entry.details)}::jsonb, ${chain}, ${seq}::bigint, ${prevHash}, ${hash})`,
      );
      if (seq % 10_000 === 0) {
        const time = new Date().toISOString();
        const { kid, signature } = keys.sign(checkpointMessage({ store: store.id, chain, seq, hash, time }));
        checkpoints.push(sql`(${uuidv7()}::uuid, ${store.id}, ${chain}, ${seq}::bigint, ${hash}, ${time}::timestamptz, ${kid}, ${signature})`);
      }
      beforeLast = prevHash;
      prevHash = hash;
    }
    await sql`insert into audit_events (id, occurred_at, actor_id, organisation_id, action, resource_type, resource_id, outcome, ip, request_id, details, chain_id, seq, prev_hash, hash)
      values ${sql.join(rows)}`.execute(store.db);
    if (checkpoints.length > 0) {
      await sql`insert into audit_checkpoints (id, store, chain_id, seq, hash, signed_at, key_id, signature) values ${sql.join(checkpoints)}`.execute(store.db);
    }
  }
  await sql`insert into audit_chain_heads (chain_id, seq, prev_hash, hash, updated_at) values (${chain}, ${count}, ${beforeLast}, ${prevHash}, now())`.execute(store.db);
  const seconds = (performance.now() - started) / 1000;
  return { events: count, seconds, perSecond: count / seconds };
}
