import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS, seedDemoData } from '../src/identity/demo-data.ts';
import { registerIdentityOutboxHandlers } from '../src/identity/provision-agent.ts';
import { OutboxRegistry } from '../src/platform/jobs/index.ts';
import { purgeSessions } from '../src/identity/session-purge.ts';
import { createSessionService, type SessionPolicy } from '../src/identity/sessions.ts';
import { createAuditLog } from '../src/platform/audit/audit-log.ts';
import type { Stores } from '../src/platform/db/stores.ts';
import { openTestStores } from './support/db.ts';

let stores: Stores;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ stores, close } = await openTestStores());
  const outbox = new OutboxRegistry();
  registerIdentityOutboxHandlers(outbox, stores);
  await seedDemoData(stores, outbox);
});
afterAll(async () => close?.());

const MINUTE = 60_000;
const policy: SessionPolicy = {
  idleMs: 30 * MINUTE,
  absoluteMs: 120 * MINUTE,
  rotateAfterMs: 15 * MINUTE,
  rotationGraceMs: 30_000,
  touchEveryMs: MINUTE,
};
const agent = DEMO_AGENTS[1]!;

function service() {
  let now = Date.parse('2026-11-28T09:00:00Z');
  const sessions = createSessionService(stores, createAuditLog(stores), policy, () => new Date(now));
  return { sessions, advance: (ms: number) => (now += ms) };
}
const start = (sessions: ReturnType<typeof service>['sessions']) =>
  sessions.create({ principalId: agent.id, homeJurisdiction: agent.jurisdiction, ip: '198.51.100.7', userAgent: 'UA', authMethod: 'test' });

describe('session lifetime', () => {
  it('ends after the idle timeout, and use keeps it alive', async () => {
    const { sessions, advance } = service();
    let { token } = await start(sessions);
    // A browser follows rotations: it keeps whatever token the last answer set.
    const use = async () => {
      const resolved = await sessions.resolve(token);
      if (resolved?.newToken) token = resolved.newToken;
      return resolved;
    };
    advance(20 * MINUTE);
    expect(await use()).not.toBeNull(); // used: the idle window moves
    advance(20 * MINUTE);
    expect(await use()).not.toBeNull();
    advance(31 * MINUTE);
    expect(await use()).toBeNull();
  });

  it('ends at the absolute timeout however much it is used', async () => {
    const { sessions, advance } = service();
    let { token } = await start(sessions);
    for (let elapsed = 0; elapsed < 110 * MINUTE; elapsed += 10 * MINUTE) {
      advance(10 * MINUTE);
      const resolved = await sessions.resolve(token);
      expect(resolved).not.toBeNull();
      if (resolved?.newToken) token = resolved.newToken;
    }
    advance(10 * MINUTE);
    expect(await sessions.resolve(token)).toBeNull();
  });

  it('rotates the token; the old one works for a short grace only', async () => {
    const { sessions, advance } = service();
    const { token } = await start(sessions);
    advance(16 * MINUTE);
    const resolved = await sessions.resolve(token);
    expect(resolved?.newToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const fresh = resolved?.newToken as string;
    advance(10_000);
    expect((await sessions.resolve(token))?.newToken).toBeNull(); // in-flight request, no second rotation
    advance(30_000);
    expect(await sessions.resolve(token)).toBeNull();
    expect(await sessions.resolve(fresh)).not.toBeNull();
  });

  it('rejects malformed and unknown tokens', async () => {
    const { sessions } = service();
    for (const bad of ['', 'short', 'x'.repeat(43), `${'a'.repeat(42)}!`, '../../etc/passwd', 'a'.repeat(10_000)]) {
      expect(await sessions.resolve(bad)).toBeNull();
    }
  });

  it('stores only a hash of the token, and where from in the home cell', async () => {
    const { sessions } = service();
    const { id, token } = await start(sessions);
    const row = await stores.control.db.selectFrom('sessions').select(['token_hash']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.token_hash.toString('base64url')).not.toBe(token);
    expect(row.token_hash.length).toBe(32);
    const details = await stores.cells[agent.jurisdiction].db
      .selectFrom('session_details')
      .select(['ip', 'user_agent'])
      .where('session_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(details).toEqual({ ip: '198.51.100.7', user_agent: 'UA' });
  });

  it('refuses a disabled principal at once', async () => {
    const { sessions } = service();
    const { token } = await start(sessions);
    await stores.control.db.updateTable('principals').set({ status: 'disabled' }).where('id', '=', agent.id).execute();
    try {
      expect(await sessions.resolve(token)).toBeNull();
    } finally {
      await stores.control.db.updateTable('principals').set({ status: 'active' }).where('id', '=', agent.id).execute();
    }
  });

  it('lets only one of several concurrent requests rotate; the others keep a working token', async () => {
    const { sessions, advance } = service();
    const { token } = await start(sessions);
    advance(16 * MINUTE);
    const results = await Promise.all([1, 2, 3, 4].map(() => sessions.resolve(token)));
    expect(results.every((r) => r !== null)).toBe(true);
    const issued = results.map((r) => r?.newToken).filter((t): t is string => Boolean(t));
    expect(issued).toHaveLength(1);
    expect(await sessions.resolve(issued[0])).not.toBeNull();
    expect(await sessions.resolve(token)).not.toBeNull(); // still within the grace period
  });

  it('purges sessions a day after they end, and their where-from details', async () => {
    const { sessions } = service();
    const { id, token } = await start(sessions);
    await sessions.end({ sessionId: id, reason: 'signed_out' });
    expect(await sessions.resolve(token)).toBeNull();
    const soon = await purgeSessions(stores, policy.absoluteMs, new Date(Date.parse('2026-11-28T12:00:00Z')));
    expect(soon.sessions).toBe(0);
    const later = new Date(Date.now() + policy.absoluteMs + 3 * 24 * 3_600_000);
    const purged = await purgeSessions(stores, policy.absoluteMs, later);
    expect(purged.sessions).toBeGreaterThanOrEqual(1);
    expect(purged.details).toBeGreaterThanOrEqual(1);
    const left = await stores.control.db.selectFrom('sessions').select('id').where('id', '=', id).execute();
    expect(left).toHaveLength(0);
  });
});
