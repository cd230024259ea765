import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../src/config.ts';
import { type AuditLog, createAuditLog } from '../src/platform/audit/audit-log.ts';
import { type AuditDb, findChainHead, selectChainRange } from '../src/platform/audit/audit.repo.ts';
import { type AuditStore, auditStores } from '../src/platform/audit/audit-stores.ts';
import { canonicalJson, entryHash, entryOfRow, GENESIS } from '../src/platform/audit/chain.ts';
import { checkpointChain } from '../src/platform/audit/checkpoints.ts';
import { exportOrganisation, verifyExportFile } from '../src/platform/audit/export.ts';
import { applyRetention } from '../src/platform/audit/retention.ts';
import { type AuditSigningKeys, openSigningKeys, readPublicKeys, rotateSigningKeys } from '../src/platform/audit/signing-keys.ts';
import { verifyChain } from '../src/platform/audit/verify.ts';
import { addOperator, removeOperator } from '../src/identity/operators.ts';
import { acquireDataDirLock } from '../src/platform/db/data-dir-lock.ts';
import { migrateStores, openStores, type Stores } from '../src/platform/db/stores.ts';
import { uuidv7 } from '../src/platform/ids.ts';
import { freshTestEnv, type TestEnv, testDatabaseUrl } from './support/db.ts';

/**
 * The tamper-evident audit log on real stores (PGlite, and PostgreSQL when
 * ENTENTE_TEST_DATABASE_URL is set): chains, the append-only triggers, what `audit verify` finds
 * when an attacker with direct SQL access edits, deletes, inserts or reorders entries, retention,
 * exports verified without any database, and the `entente audit` command run as an operator would.
 */

const onPostgres = testDatabaseUrl() !== null;
let env: TestEnv;
let config: Config;
let stores: Stores;
let audit: AuditLog;
let keys: AuditSigningKeys;

beforeAll(async () => {
  env = await freshTestEnv({ ENTENTE_LOG_LEVEL: 'silent' });
  config = loadConfig(env.env);
  stores = await openStores(config);
  await migrateStores(stores);
  audit = createAuditLog(stores);
  keys = await openSigningKeys(config.audit.signingKeyFile);
});
afterAll(async () => {
  await stores?.close();
  await env?.dispose();
});

const store = (id: 'control' | 'fr' | 'qc'): AuditStore => auditStores(stores).find((s) => s.id === id) as AuditStore;
const jurisdictionOf = (id: 'control' | 'fr' | 'qc') => (id === 'control' ? null : id === 'fr' ? 'FR' : 'QC');

async function recordMany(count: number, organisationId: string | null, storeId: 'control' | 'fr' | 'qc' = 'fr'): Promise<void> {
  for (let i = 0; i < count; i++) {
    await audit.record({
      action: 'test.event',
      outcome: i % 3 === 0 ? 'denied' : 'success',
      actorId: uuidv7(),
      organisationId,
      jurisdiction: jurisdictionOf(storeId),
      resource: { type: 'document', id: `doc-${i}` },
      ip: '192.0.2.7',
      requestId: `req-${i}`,
      details: { n: i, label: `événement ${i}`, flag: i % 2 === 0 },
    });
  }
}

async function entries(storeId: 'control' | 'fr' | 'qc', chain: string) {
  return (await selectChainRange(store(storeId).db, chain, 0, 10_000_000)).map(entryOfRow);
}

async function verify(storeId: 'control' | 'fr' | 'qc', chain: string, now?: Date) {
  return verifyChain(store(storeId), chain, { keys: await readPublicKeys(config.audit.signingKeyFile), ...(now ? { now } : {}) });
}

/** What an attacker with the database's superuser can do: bypass the triggers, run any SQL. */
async function tamper(storeId: 'control' | 'fr' | 'qc', ...statements: RawBuilder<unknown>[]): Promise<void> {
  await store(storeId).db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    for (const statement of statements) await statement.execute(trx);
  });
}

const idAt = async (storeId: 'control' | 'fr' | 'qc', chain: string, seq: number) => (await entries(storeId, chain)).find((e) => e.seq === seq)?.id;

describe('chains', () => {
  it('appends each organisation’s events to its own chain in each store, linked from GENESIS', async () => {
    const orgA = uuidv7();
    const orgB = uuidv7();
    await recordMany(5, orgA, 'fr');
    await recordMany(3, orgB, 'fr');
    await recordMany(2, orgA, 'control');
    const a = await entries('fr', orgA);
    expect(a.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(a[0]?.prevHash).toBe(GENESIS);
    for (let i = 1; i < a.length; i++) expect(a[i]?.prevHash).toBe(a[i - 1]?.hash);
    for (const e of a) expect(entryHash(e)).toBe(e.hash);
    expect((await entries('fr', orgB)).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect((await entries('control', orgA)).map((e) => e.seq)).toEqual([1, 2]);
    // An IP address is personal data: never in the control plane, kept in the cell.
    expect((await entries('control', orgA))[0]?.ip).toBeNull();
    expect(a[0]?.ip).toBe('192.0.2.7');
    expect(await findChainHead(store('fr').db, orgA)).toEqual({ seq: 5, hash: a[4]?.hash });
    for (const [s, chain] of [['fr', orgA], ['fr', orgB], ['control', orgA]] as const) {
      expect((await verify(s, chain)).problem).toBeNull();
    }
  });

  it('keeps what PostgreSQL would alter or refuse (NUL, lone surrogates) hashable and recordable', async () => {
    const org = uuidv7();
    await audit.record({
      action: 'test.odd_input',
      outcome: 'denied',
      organisationId: org,
      jurisdiction: 'QC',
      resource: { type: 'route', id: 'GET /x\u0000\ud800y' },
      details: { 'k\u0000': 'v\udfff', n: 1e21, neg: -0 },
    });
    expect((await verify('qc', org)).problem).toBeNull();
  });

  it('commits or rolls back with the caller’s transaction: a rolled back event leaves no gap', async () => {
    const org = uuidv7();
    await recordMany(2, org, 'fr');
    await expect(
      stores.cells.FR.db.transaction().execute(async (trx) => {
        await audit.record({ action: 'test.rolled_back', outcome: 'success', organisationId: org, jurisdiction: 'FR' }, trx as never);
        throw new Error('the caller’s change failed');
      }),
    ).rejects.toThrow('the caller’s change failed');
    // A chain created in a transaction that rolled back does not exist either.
    const fresh = uuidv7();
    await expect(
      stores.cells.FR.db.transaction().execute(async (trx) => {
        await audit.record({ action: 'test.rolled_back', outcome: 'success', organisationId: fresh, jurisdiction: 'FR' }, trx as never);
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    await stores.cells.FR.db.transaction().execute(async (trx) => {
      await audit.record({ action: 'test.committed', outcome: 'success', organisationId: org, jurisdiction: 'FR' }, trx as never);
    });
    await recordMany(1, org, 'fr');
    const chain = await entries('fr', org);
    expect(chain.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(chain.map((e) => e.action)).not.toContain('test.rolled_back');
    expect(await entries('fr', fresh)).toEqual([]);
    expect(await findChainHead(store('fr').db, fresh)).toBeUndefined();
    expect((await verify('fr', org)).problem).toBeNull();
  });

  it('serialises many concurrent appends on one chain: no gap, no fork (some in transactions that roll back)', { timeout: 120_000 }, async () => {
    const org = uuidv7();
    const writers = 200;
    const results = await Promise.allSettled(
      Array.from({ length: writers }, (_, i) =>
        i % 5 === 0
          ? stores.control.db.transaction().execute(async (trx) => {
              await audit.record({ action: 'test.concurrent', outcome: 'success', organisationId: org, details: { i } }, trx as never);
              // Hold the head a little, as a caller doing more work would; then fail half of them.
              await sql`select pg_sleep(0.002)`.execute(trx);
              if (i % 10 === 0) throw new Error('rollback');
            })
          : audit.record({ action: 'test.concurrent', outcome: 'success', organisationId: org, details: { i } }),
      ),
    );
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toHaveLength(writers / 10);
    const chain = await entries('control', org);
    expect(chain).toHaveLength(writers - writers / 10);
    expect(chain.map((e) => e.seq)).toEqual(Array.from({ length: chain.length }, (_, i) => i + 1));
    expect(new Set(chain.map((e) => e.prevHash)).size).toBe(chain.length);
    expect((await verify('control', org)).problem).toBeNull();
    if (onPostgres) {
      // On PostgreSQL these really ran in parallel on several connections.
      expect(stores.control.kind).toBe('postgres');
    }
  });

  it('appends a batch of several chains and stores in one go, linked and hashed as single appends are, in order', async () => {
    const orgA = uuidv7();
    const orgB = uuidv7();
    await recordMany(2, orgA, 'fr'); // orgA has a head in FR; orgB has none anywhere yet
    const at = new Date('2026-11-30T08:00:00.000Z');
    const event = (i: number, organisationId: string | null, jurisdiction: 'FR' | 'QC' | null) => ({
      action: 'test.batched',
      outcome: 'success' as const,
      actorId: uuidv7(),
      organisationId,
      jurisdiction,
      ip: '192.0.2.9',
      requestId: `batch-${i}`,
      details: { i, texte: `entrée « ${i} »` },
      occurredAt: new Date(at.getTime() + i),
    });
    const batch = [event(0, orgA, 'FR'), event(1, orgB, 'FR'), event(2, orgA, 'FR'), event(3, orgB, 'QC'), event(4, null, 'FR'), event(5, orgA, 'FR'), event(6, orgB, 'FR')];
    await audit.recordMany!(batch);
    await recordMany(1, orgA, 'fr'); // a single append after the batch links to its last entry

    const a = await entries('fr', orgA);
    expect(a.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(a.slice(2, 5).map((e) => e.requestId)).toEqual(['batch-0', 'batch-2', 'batch-5']);
    expect(a[2]?.occurredAt).toBe('2026-11-30T08:00:00.000Z'); // the time it was recorded, not written
    for (let i = 1; i < a.length; i++) expect(a[i]?.prevHash).toBe(a[i - 1]?.hash);
    for (const e of a) expect(entryHash(e)).toBe(e.hash);
    expect(await findChainHead(store('fr').db, orgA)).toEqual({ seq: 6, hash: a[5]?.hash });
    // A chain's first entry in a store creates its head: orgB in FR and QC, one by one, in order.
    const b = await entries('fr', orgB);
    expect(b.map((e) => [e.seq, e.requestId])).toEqual([
      [1, 'batch-1'],
      [2, 'batch-6'],
    ]);
    expect(b[0]?.prevHash).toBe(GENESIS);
    expect((await entries('qc', orgB)).map((e) => e.requestId)).toEqual(['batch-3']);
    for (const [s, chain] of [['fr', orgA], ['fr', orgB], ['qc', orgB]] as const) expect((await verify(s, chain)).problem).toBeNull();
    expect((await verify('fr', 'platform')).problem).toBeNull();
  });

  it('writes each entry of a batch once when the batch is written again (after a failure), with the new ones linked in order', async () => {
    const org = uuidv7();
    const fresh = uuidv7();
    const event = (i: number, organisationId: string) => ({
      id: uuidv7(),
      occurredAt: new Date(),
      action: 'test.retried',
      outcome: 'success' as const,
      organisationId,
      jurisdiction: 'FR' as const,
      requestId: `retry-${i}`,
    });
    await recordMany(1, org, 'fr');
    const first = [event(1, org), event(2, org), event(3, fresh), event(4, fresh)];
    await audit.recordMany!(first);
    // Written again with two more: as the batch writer's retry would, had a later part failed.
    await audit.recordMany!([...first, event(5, org), event(6, fresh)]);
    expect((await entries('fr', org)).map((e) => [e.seq, e.requestId])).toEqual([
      [1, 'req-0'],
      [2, 'retry-1'],
      [3, 'retry-2'],
      [4, 'retry-5'],
    ]);
    expect((await entries('fr', fresh)).map((e) => e.requestId)).toEqual(['retry-3', 'retry-4', 'retry-6']);
    for (const chain of [org, fresh]) expect((await verify('fr', chain)).problem).toBeNull();
  });

  it('serialises batches with single appends and with each other on the same chains: no gap, no fork', { timeout: 120_000 }, async () => {
    const orgs = [uuidv7(), uuidv7()];
    for (const org of orgs) await recordMany(1, org, 'control');
    const event = (i: number) => ({ action: 'test.concurrent_batch', outcome: 'success' as const, organisationId: orgs[i % 2] ?? null, details: { i } });
    // Batches name the chains in both orders, as two nodes' batches would.
    const writers = Array.from({ length: 40 }, (_, w) =>
      w % 4 === 0 ? audit.record(event(w)) : audit.recordMany!(Array.from({ length: 10 }, (_, k) => event(w % 2 === 0 ? k : k + 1))),
    );
    await Promise.all(writers);
    for (const org of orgs) {
      const chain = await entries('control', org);
      expect(chain.map((e) => e.seq)).toEqual(Array.from({ length: chain.length }, (_, i) => i + 1));
      expect(new Set(chain.map((e) => e.prevHash)).size).toBe(chain.length);
      expect((await verify('control', org)).problem).toBeNull();
    }
    const total = (await entries('control', orgs[0]!)).length + (await entries('control', orgs[1]!)).length;
    expect(total).toBe(2 + 10 + 30 * 10); // the two first entries, 10 single appends, 30 batches of 10
  });
});

describe('append-only', () => {
  it('refuses UPDATE, DELETE and TRUNCATE of entries and checkpoints, except DELETE by the retention job', async () => {
    const org = uuidv7();
    await recordMany(3, org, 'qc');
    await checkpointChain(store('qc'), org, keys);
    const db = store('qc').db;
    await expect(sql`update audit_events set action = 'test.forged' where chain_id = ${org}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_events where chain_id = ${org}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_events`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`update audit_checkpoints set seq = 1 where chain_id = ${org}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_checkpoints where chain_id = ${org}`.execute(db)).rejects.toThrow(/append-only/);
    // The retention setting lets DELETE through, and only in its own transaction.
    await expect(
      db.transaction().execute(async (trx) => {
        await sql`select set_config('entente.audit_retention', 'on', true)`.execute(trx);
        await sql`update audit_events set action = 'test.forged' where chain_id = ${org}`.execute(trx);
      }),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_events where chain_id = ${org}`.execute(db)).rejects.toThrow(/append-only/);
    expect(await entries('qc', org)).toHaveLength(3);
    expect((await verify('qc', org)).problem).toBeNull();
  });
});

describe('tampering by direct SQL is found, and the first bad entry named', () => {
  async function chainOf(count: number, storeId: 'control' | 'fr' | 'qc' = 'fr') {
    const org = uuidv7();
    await recordMany(count, org, storeId);
    return org;
  }

  it('an edited field', async () => {
    const org = await chainOf(10);
    const id = await idAt('fr', org, 5);
    await tamper('fr', sql`update audit_events set outcome = 'success', details = '{"n":4}' where chain_id = ${org} and seq = 5`);
    const { problem } = await verify('fr', org);
    expect(problem).toMatchObject({ store: 'fr', chain: org, seq: 5, id, kind: 'hash_mismatch' });
  });

  it('a deleted entry', async () => {
    const org = await chainOf(10);
    const next = await idAt('fr', org, 6);
    await tamper('fr', sql`delete from audit_events where chain_id = ${org} and seq = 5`);
    expect((await verify('fr', org)).problem).toMatchObject({ seq: 5, id: next, kind: 'missing_entry' });
  });

  it('a forged entry inserted at the end (with a made-up hash)', async () => {
    const org = await chainOf(4);
    const last = (await entries('fr', org)).at(-1);
    const forged = uuidv7();
    await tamper(
      'fr',
      sql`insert into audit_events (id, occurred_at, action, outcome, details, chain_id, organisation_id, seq, prev_hash, hash)
          values (${forged}, now(), 'role.granted', 'success', '{}', ${org}, ${org}, 5, ${last?.hash}, ${'ab'.repeat(32)})`,
    );
    expect((await verify('fr', org)).problem).toMatchObject({ seq: 5, id: forged, kind: 'hash_mismatch' });
  });

  it('a forged entry inserted in the middle, with its hash computed as the code does', async () => {
    const org = await chainOf(8);
    const chain = await entries('fr', org);
    const before = chain[3] as (typeof chain)[number];
    const displaced = chain[4]?.id;
    const forged = { ...before, id: uuidv7(), seq: 5, prevHash: before.hash, action: 'role.granted', details: {} };
    const hash = entryHash(forged);
    await tamper(
      'fr',
      sql`update audit_events set seq = seq + 1000000 where chain_id = ${org} and seq >= 5`,
      sql`update audit_events set seq = seq - 999999 where chain_id = ${org} and seq >= 1000000`,
      sql`insert into audit_events (id, occurred_at, actor_id, organisation_id, action, resource_type, resource_id, outcome, ip, request_id, details, chain_id, seq, prev_hash, hash)
          values (${forged.id}, ${new Date(forged.occurredAt)}, ${forged.actorId}, ${forged.organisationId}, ${forged.action}, ${forged.resourceType}, ${forged.resourceId},
                  ${forged.outcome}, ${forged.ip}, ${forged.requestId}, '{}', ${org}, 5, ${forged.prevHash}, ${hash})`,
      sql`update audit_chain_heads set seq = 9 where chain_id = ${org}`,
    );
    // The forged entry is self-consistent; the entry it displaced is the first that cannot be.
    expect((await verify('fr', org)).problem).toMatchObject({ seq: 6, id: displaced, kind: 'hash_mismatch' });
  });

  it('two entries swapped (their seq exchanged)', async () => {
    const org = await chainOf(10);
    const seventh = await idAt('fr', org, 7);
    await tamper(
      'fr',
      sql`update audit_events set seq = 1000005 where chain_id = ${org} and seq = 5`,
      sql`update audit_events set seq = 5 where chain_id = ${org} and seq = 7`,
      sql`update audit_events set seq = 7 where chain_id = ${org} and seq = 1000005`,
    );
    expect((await verify('fr', org)).problem).toMatchObject({ seq: 5, id: seventh, kind: 'hash_mismatch' });
  });

  it('a chain rewritten with every hash recomputed is caught by the signed checkpoint', async () => {
    const org = await chainOf(6);
    await checkpointChain(store('fr'), org, keys);
    await recordMany(2, org, 'fr');
    // The attacker edits entry 3 and recomputes 3…8 so that every link holds.
    const chain = await entries('fr', org);
    const statements: RawBuilder<unknown>[] = [];
    let prev = (chain[1] as (typeof chain)[number]).hash;
    for (const e of chain.slice(2)) {
      const edited = { ...e, prevHash: prev, ...(e.seq === 3 ? { action: 'test.innocent' } : {}) };
      const hash = entryHash(edited);
      statements.push(sql`update audit_events set action = ${edited.action}, prev_hash = ${prev}, hash = ${hash} where id = ${e.id}`);
      prev = hash;
    }
    statements.push(sql`update audit_chain_heads set hash = ${prev} where chain_id = ${org}`);
    await tamper('fr', ...statements);
    const report = await verify('fr', org);
    expect(report.problem).toMatchObject({ seq: 6, id: chain[5]?.id, kind: 'checkpoint_mismatch' });
  });

  it('the end of the chain cut off, head row included, is caught by a checkpoint beyond it', async () => {
    const org = await chainOf(6);
    await checkpointChain(store('fr'), org, keys);
    const chain = await entries('fr', org);
    await tamper('fr', sql`delete from audit_events where chain_id = ${org} and seq > 4`, sql`update audit_chain_heads set seq = 4, hash = ${chain[3]?.hash} where chain_id = ${org}`);
    expect((await verify('fr', org)).problem).toMatchObject({ seq: 5, kind: 'checkpoint_beyond_end' });
  });

  it('the end cut off without touching the head row (no checkpoint yet)', async () => {
    const org = await chainOf(6);
    await tamper('fr', sql`delete from audit_events where chain_id = ${org} and seq > 4`);
    expect((await verify('fr', org)).problem).toMatchObject({ seq: 5, kind: 'head_mismatch' });
  });

  it('a deleted range longer than a page, and an entry duplicated once the unique index is dropped', async () => {
    const org = await chainOf(12);
    const ninth = await idAt('fr', org, 9);
    await tamper('fr', sql`delete from audit_events where chain_id = ${org} and seq between 4 and 8`);
    const report = await verifyChain(store('fr'), org, { keys: await readPublicKeys(config.audit.signingKeyFile), pageSize: 2 });
    expect(report.problem).toMatchObject({ seq: 4, id: ninth, kind: 'missing_entry' });

    const org2 = await chainOf(5);
    const copy = uuidv7();
    await tamper(
      'fr',
      sql`drop index audit_events_chain_seq`,
      sql`insert into audit_events (id, occurred_at, actor_id, organisation_id, action, resource_type, resource_id, outcome, ip, request_id, details, chain_id, seq, prev_hash, hash)
          select ${copy}, occurred_at, actor_id, organisation_id, action, resource_type, resource_id, outcome, ip, request_id, details, chain_id, seq, prev_hash, hash
          from audit_events where chain_id = ${org2} and seq = 3`,
    );
    try {
      const problem = (await verify('fr', org2)).problem;
      expect(problem?.seq).toBe(3);
      expect(['duplicate_entry', 'hash_mismatch']).toContain(problem?.kind);
    } finally {
      await tamper('fr', sql`delete from audit_events where id = ${copy}`, sql`create unique index audit_events_chain_seq on audit_events (chain_id, seq)`);
    }
  });

  it('a checkpoint forged with another key, and one copied from another store', async () => {
    const org = await chainOf(3);
    const last = (await entries('fr', org)).at(-1) as ReturnType<typeof entryOfRow>;
    const otherFile = path.join(env.dataDir, 'other-signing.json');
    const other = await openSigningKeys(otherFile);
    const time = new Date();
    const message = canonicalJson({ format: 'entente-audit-checkpoint/1', store: 'fr', chain: org, seq: 3, hash: last.hash, time: time.toISOString() });
    const { kid, signature } = other.sign(message);
    await sql`insert into audit_checkpoints (id, store, chain_id, seq, hash, signed_at, key_id, signature) values (${uuidv7()}, 'fr', ${org}, 3, ${last.hash}, ${time}, ${kid}, ${signature})`.execute(store('fr').db);
    expect((await verify('fr', org)).problem).toMatchObject({ seq: 3, kind: 'checkpoint_unknown_key' });

    const org2 = await chainOf(2, 'qc');
    await checkpointChain(store('qc'), org2, keys);
    await recordMany(2, org2, 'fr');
    const [copied] = await sql<{ id: string; store: string; seq: number; hash: string; signed_at: Date; key_id: string; signature: string }>`select * from audit_checkpoints where chain_id = ${org2}`
      .execute(store('qc').db)
      .then((r) => r.rows);
    await sql`insert into audit_checkpoints (id, store, chain_id, seq, hash, signed_at, key_id, signature)
      values (${uuidv7()}, ${copied?.store}, ${org2}, ${copied?.seq}, ${copied?.hash}, ${copied?.signed_at}, ${copied?.key_id}, ${copied?.signature})`.execute(store('fr').db);
    expect((await verify('fr', org2)).problem).toMatchObject({ seq: 2, kind: 'checkpoint_misplaced' });
  });
});

describe('checkpoints and keys', () => {
  it('signs only what verifies, and keeps verifying across a key rotation', async () => {
    const org = uuidv7();
    await recordMany(3, org, 'control');
    expect(await checkpointChain(store('control'), org, keys)).toMatchObject({ seq: 3, problem: null });
    // Nothing new: no second checkpoint.
    expect(await checkpointChain(store('control'), org, keys)).toMatchObject({ seq: null, problem: null });
    const file = path.join(env.dataDir, 'rotating-signing.json');
    const first = await openSigningKeys(file);
    await recordMany(2, org, 'control');
    await checkpointChain(store('control'), org, first);
    const rotated = await rotateSigningKeys(file);
    expect(rotated.retired).toEqual([first.currentKid]);
    const second = await openSigningKeys(file);
    expect(second.currentKid).toBe(rotated.kid);
    expect(second.list().map((k) => k.kid)).toEqual([first.currentKid, rotated.kid]);
    expect(JSON.parse(readFileSync(file, 'utf8')).keys[0].privateKey).toBeUndefined();
    await recordMany(1, org, 'control');
    await checkpointChain(store('control'), org, second);
    // The first checkpoint was signed by `keys`, not in this file: verify with both files' keys.
    const report = await verifyChain(store('control'), org, { keys: await readPublicKeys(file) });
    expect(report.problem).toMatchObject({ seq: 3, kind: 'checkpoint_unknown_key' });

    // Tampered before the next checkpoint: the job refuses to sign it.
    const org2 = uuidv7();
    await recordMany(3, org2, 'control');
    await tamper('control', sql`update audit_events set action = 'test.edited' where chain_id = ${org2} and seq = 2`);
    expect(await checkpointChain(store('control'), org2, keys)).toMatchObject({ seq: null, problem: { seq: 2, kind: 'hash_mismatch' } });
  });

  it('refuses a key file others can read, with the fix', async () => {
    const file = path.join(env.dataDir, 'open-signing.json');
    await openSigningKeys(file);
    chmodSync(file, 0o644);
    await expect(openSigningKeys(file)).rejects.toThrow(/chmod 600/);
    await expect(readPublicKeys(file)).rejects.toThrow(/chmod 600/);
  });
});

describe('retention', () => {
  it('refuses a retention under six months, saying why', () => {
    expect(() => loadConfig({ ENTENTE_DATA_DIR: env.dataDir, ENTENTE_AUDIT_RETENTION_DAYS: '90' })).toThrow(/ENTENTE_AUDIT_RETENTION_DAYS: 90 days is too short, the audit log must be kept at least 183 days/);
    expect(() => loadConfig({ ENTENTE_DATA_DIR: env.dataDir, ENTENTE_AUDIT_RETENTION_DAYS: 'forever' })).toThrow(/ENTENTE_AUDIT_RETENTION_DAYS/);
    expect(loadConfig({ ENTENTE_DATA_DIR: env.dataDir, ENTENTE_AUDIT_RETENTION_DAYS: '183' }).audit.retentionDays).toBe(183);
    expect(loadConfig({ ENTENTE_DATA_DIR: env.dataDir }).audit).toEqual({ retentionDays: 400, signingKeyFile: path.join(env.dataDir, 'keys', 'audit-signing.json') });
  });

  it('deletes whole prefixes up to a signed checkpoint, which stays as the anchor; the chain still verifies', async () => {
    const org = uuidv7();
    const db = store('qc').db;
    await recordMany(5, org, 'qc');
    await checkpointChain(store('qc'), org, keys);
    await recordMany(3, org, 'qc');
    const later = new Date(Date.now() + 500 * 86_400_000);
    await expect(applyRetention(store('qc'), { retentionDays: 100, keys, now: later })).rejects.toThrow(/183/);
    // Nothing is old enough today.
    expect((await applyRetention(store('qc'), { retentionDays: 400, keys })).filter((r) => r.chain === org)).toEqual([]);
    const steps = (await applyRetention(store('qc'), { retentionDays: 400, keys, now: later })).filter((r) => r.chain === org);
    expect(steps).toEqual([{ store: 'qc', chain: org, anchorSeq: 5, deleted: 5 }]);
    expect((await entries('qc', org)).map((e) => e.seq)).toEqual([6, 7, 8]);
    const report = await verify('qc', org, later);
    expect(report).toMatchObject({ problem: null, anchorSeq: 5, firstSeq: 6, entries: 3 });
    // Appends continue after retention.
    await recordMany(1, org, 'qc');
    expect((await verify('qc', org, later)).problem).toBeNull();
    // The deletion itself is on record, in the store's platform chain.
    const platform = await entries('qc', 'platform');
    expect(platform.some((e) => e.action === 'audit.retention_applied' && e.resourceId === org)).toBe(true);
    // Checked today, the anchor is too young for retention: someone deleted those entries.
    expect((await verify('qc', org)).problem).toMatchObject({ seq: 1, kind: 'young_anchor' });
    // And a prefix deleted without any anchor is a deletion.
    const org2 = uuidv7();
    await recordMany(4, org2, 'qc');
    await tamper('qc', sql`delete from audit_events where chain_id = ${org2} and seq <= 2`);
    expect((await verify('qc', org2, later)).problem).toMatchObject({ seq: 1, kind: 'unanchored_start' });
    expect(await db.selectFrom('audit_checkpoints').select('seq').where('chain_id', '=', org).execute()).toEqual([{ seq: 5 }]);
  });
});

describe('export', () => {
  it('exports an organisation’s chains from every store as JSON Lines that verify on their own; tampering fails', async () => {
    const org = uuidv7();
    await recordMany(4, org, 'control');
    await recordMany(6, org, 'fr');
    await recordMany(3, org, 'qc');
    await recordMany(2, uuidv7(), 'fr'); // another organisation: not exported
    const file = path.join(env.dataDir, 'export.jsonl');
    const lines: string[] = [];
    const result = await exportOrganisation({ stores: auditStores(stores), organisationId: org, keys, write: (l) => void lines.push(l) });
    expect(result.problems).toEqual([]);
    expect(result.chains.map((c) => [c.store, c.entries])).toEqual([
      ['control', 4],
      ['fr', 6],
      ['qc', 3],
    ]);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed.filter((l) => l.type === 'event')).toHaveLength(13);
    expect(parsed.filter((l) => l.type === 'event').every((l) => l.organisationId === org)).toBe(true);
    expect(parsed.filter((l) => l.type === 'checkpoint')).toHaveLength(3);
    expect(parsed.at(-1)).toMatchObject({ type: 'end', organisationId: org, keys: [{ kid: keys.currentKid }] });
    const ok = await verifyExportFile(file);
    expect(ok).toMatchObject({ ok: true, fileProblems: [], keyIds: [keys.currentKid] });

    // One field of one line changed.
    const frSecond = lines.findIndex((l) => JSON.parse(l).store === 'fr' && JSON.parse(l).seq === 2);
    const edited = [...lines];
    edited[frSecond] = (edited[frSecond] as string).replace('"outcome":"success"', '"outcome":"failure"');
    writeFileSync(file, `${edited.join('\n')}\n`);
    const bad = await verifyExportFile(file);
    expect(bad.ok).toBe(false);
    expect(bad.chains.find((c) => c.store === 'fr')?.problem).toMatchObject({ seq: 2, kind: 'hash_mismatch' });
    expect(bad.chains.find((c) => c.store === 'qc')?.problem).toBeNull();

    // A line removed: the signed summary and the links catch it.
    writeFileSync(file, `${lines.filter((_, i) => i !== frSecond).join('\n')}\n`);
    expect((await verifyExportFile(file)).chains.find((c) => c.store === 'fr')?.problem).toMatchObject({ seq: 2, kind: 'missing_entry' });
    // The last events and the end line cut off.
    writeFileSync(file, `${lines.slice(0, 5).join('\n')}\n`);
    expect((await verifyExportFile(file)).fileProblems).toContain('no end line: the export is incomplete (truncated?)');
    // Everything re-signed with another key: the trusted keys (from /api/audit/signing-keys) say no.
    writeFileSync(file, `${lines.join('\n')}\n`);
    const stranger = await openSigningKeys(path.join(env.dataDir, 'stranger-signing.json'));
    const trusted = await verifyExportFile(file, { trustedKeys: stranger.list() });
    expect(trusted.ok).toBe(false);
    expect(trusted.fileProblems.join()).toContain('not a trusted key');
    expect((await verifyExportFile(file, { trustedKeys: keys.list() })).ok).toBe(true);

    // --since: from the first entry at or after the date; still verifies.
    const sinceLines: string[] = [];
    const since = new Date(Date.now() + 60_000);
    await recordMany(1, org, 'fr');
    const partial = await exportOrganisation({ stores: auditStores(stores), organisationId: org, since: new Date(0), keys, write: (l) => void sinceLines.push(l) });
    expect(partial.chains.find((c) => c.store === 'fr')?.entries).toBe(7);
    const none: string[] = [];
    expect((await exportOrganisation({ stores: auditStores(stores), organisationId: org, since, keys, write: (l) => void none.push(l) })).chains).toEqual([]);
  });
});

describe('administrator actions', () => {
  it('records an operator designation and its removal, even for an identity not signed in yet', async () => {
    const identity = { upstream: 'demo-qc', subject: `qc-${uuidv7()}` };
    await addOperator(stores, audit, identity);
    await addOperator(stores, audit, identity); // already designated: nothing new
    await removeOperator(stores, audit, identity);
    const events = (await entries('control', 'platform')).filter((e) => e.resourceId === `${identity.upstream}:${identity.subject}`);
    expect(events.map((e) => [e.action, e.details.source])).toEqual([
      ['operator.designated', 'cli'],
      ['operator.designation_removed', 'cli'],
    ]);
    expect((await verify('control', 'platform')).problem).toBeNull();
  });
});

describe('entente audit (the command, as an operator runs it)', () => {
  const ROOT = path.resolve(import.meta.dirname, '..', '..');
  const CLI = path.join(ROOT, 'server', 'src', 'cli', 'main.ts');
  const run = (args: string[], runEnv: Record<string, string>) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', LANG: 'en_GB.UTF-8', ...runEnv }, cwd: ROOT });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('exit', (code) => resolve({ code, out, err }));
    });

  it('verifies, exports, verifies the export without a database, and names the first bad entry', { timeout: 240_000 }, async () => {
    const cliEnv = await freshTestEnv({ ENTENTE_LOG_LEVEL: 'silent' });
    try {
      const org = uuidv7();
      let s = await openStores(loadConfig(cliEnv.env));
      try {
        await migrateStores(s);
        const log = createAuditLog(s);
        for (let i = 0; i < 5; i++) await log.record({ action: 'test.cli', outcome: 'success', organisationId: org, jurisdiction: 'FR', details: { i } });
        await log.record({ action: 'test.cli', outcome: 'success', organisationId: org });
      } finally {
        await s.close();
      }
      const intact = await run(['audit', 'verify'], cliEnv.env);
      expect(intact.out).toContain('Audit log intact');
      expect(intact.out).toMatch(new RegExp(`✓ fr · org ${org}: 5 entries \\(seq 1–5\\)`));
      expect(intact.code).toBe(0);

      const out = path.join(cliEnv.dataDir, 'org.jsonl');
      const exported = await run(['audit', 'export', '--org', org, '--out', out], cliEnv.env);
      expect(exported.err).toContain(`Export written to ${out}`);
      expect(exported.code).toBe(0);
      const checked = await run(['audit', 'verify', '--file', out], { LANG: 'fr_FR.UTF-8' });
      expect(checked.out).toContain('Export intact.');
      expect(checked.code).toBe(0);
      writeFileSync(out, readFileSync(out, 'utf8').replace('"action":"test.cli"', '"action":"test.cl1"'));
      const [tamperedFile, enFile] = await Promise.all([run(['audit', 'verify', '--file', out], { LANG: 'fr_FR.UTF-8' }), run(['audit', 'verify', '--file', out], {})]);
      expect(tamperedFile.out).toContain('Export ALTÉRÉ ou incomplet.');
      expect(tamperedFile.out).toMatch(/première entrée invalide seq 1, id [0-9a-f-]{36} — contenu modifié/);
      expect(tamperedFile.code).toBe(1);
      expect(enFile.out).toMatch(/first bad entry seq 1, id [0-9a-f-]{36} — content edited/);
      expect(enFile.code).toBe(1);

      s = await openStores(loadConfig(cliEnv.env));
      let id: string | undefined;
      try {
        id = (await selectChainRange(s.cells.FR.db as unknown as AuditDb, org, 3, 4))[0]?.id;
        await s.cells.FR.db.transaction().execute(async (trx) => {
          await sql`set local session_replication_role = replica`.execute(trx);
          await sql`update audit_events set resource_id = 'elsewhere' where id = ${id}`.execute(trx);
        });
      } finally {
        await s.close();
      }
      const broken = await run(['audit', 'verify', '--store', 'fr', '--org', org], cliEnv.env);
      expect(broken.out).toContain(`✗ fr · org ${org}: first bad entry seq 3, id ${id} — content edited`);
      expect(broken.out).toContain('Audit log TAMPERED WITH: 1 chain(s) of 1.');
      expect(broken.code).toBe(1);
      // Usage errors are refused before anything is opened.
      const usage = await Promise.all(
        [
          ['audit', 'verify', '--org', 'not-a-uuid'],
          ['audit', 'verify', '--store', 'de'],
          ['audit', 'verify', '--file', out, '--org', org],
          ['audit', 'export'],
          ['audit', 'export', '--org', org, '--since', 'yesterday'],
          ['audit', 'frobnicate'],
        ].map((args) => run(args, cliEnv.env)),
      );
      expect(usage.map((u) => u.code)).toEqual([2, 2, 2, 2, 2, 2]);
      expect(usage[0]?.err).toContain('--org expects an organisation id (UUID), not "not-a-uuid".');

      if (!onPostgres) {
        // A server holds the embedded data directory: the command refuses, saying why.
        const lock = acquireDataDirLock(cliEnv.dataDir, 'server');
        try {
          const refused = await run(['audit', 'verify'], cliEnv.env);
          expect(refused.err).toContain(`Refused: the server (pid ${process.pid}) is using ${cliEnv.dataDir}`);
          expect(refused.code).toBe(1);
        } finally {
          lock.release();
        }
      }
    } finally {
      await cliEnv.dispose();
    }
  });
});
