import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config.ts';
import { createEventBus } from './create-event-bus.ts';
import type { EventsLogger, JsonValue } from './event-bus.ts';
import { RedisEventBus } from './redis-event-bus.ts';

const REDIS_URL = process.env.ENTENTE_TEST_REDIS_URL?.trim() || null;

function fakeLogger() {
  return { error: vi.fn(), warn: vi.fn(), info: vi.fn() } satisfies EventsLogger;
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('Condition not met in time');
    await sleep(10);
  }
}

describe('RedisEventBus without a reachable Redis', () => {
  it('reports the outage in check() instead of throwing', async () => {
    const logger = fakeLogger();
    const bus = new RedisEventBus({ url: 'redis://127.0.0.1:1', logger, prefix: 'entente-test:', checkTimeoutMs: 300 });
    try {
      const check = await bus.check();
      expect(check).toMatchObject({ ok: false, kind: 'redis' });
      expect(check.detail).toBeTruthy();
    } finally {
      await bus.close();
    }
  });
});

describe.skipIf(!REDIS_URL)('RedisEventBus (ENTENTE_TEST_REDIS_URL)', () => {
  const url = REDIS_URL as string;
  // A prefix per run: parallel test runs (and real instances) on the same Redis never meet.
  const prefix = `entente-test:${randomUUID()}:`;
  const opened: RedisEventBus[] = [];
  const node = (logger: EventsLogger = fakeLogger(), options: { prefix?: string; maxPayloadBytes?: number } = {}) => {
    const bus = new RedisEventBus({ url, logger, prefix, ...options });
    opened.push(bus);
    return bus;
  };
  afterAll(async () => {
    await Promise.all(opened.map((bus) => bus.close()));
  });

  it('delivers one publish exactly once to the subscribers of both nodes, the publisher’s included', async () => {
    const a = node();
    const b = node();
    const onA: JsonValue[] = [];
    const onB: JsonValue[] = [];
    a.subscribe('workspace.document.updated', (payload) => {
      onA.push(payload);
    });
    b.subscribe('workspace.document.updated', (payload) => {
      onB.push(payload);
    });
    await Promise.all([a.ready(), b.ready()]);
    await a.publish('workspace.document.updated', { id: 'd1', version: 3 });
    await until(() => onA.length > 0 && onB.length > 0);
    await sleep(150); // time for a duplicate to show up, if there were one
    expect(onA).toEqual([{ id: 'd1', version: 3 }]);
    expect(onB).toEqual([{ id: 'd1', version: 3 }]);
  });

  it('keeps instances with different prefixes apart', async () => {
    const ours = node();
    const theirs = node(fakeLogger(), { prefix: `entente-test:${randomUUID()}:` });
    const heard = vi.fn();
    const overheard = vi.fn();
    ours.subscribe('test.isolated', heard);
    theirs.subscribe('test.isolated', overheard);
    await Promise.all([ours.ready(), theirs.ready()]);
    await ours.publish('test.isolated', true);
    await until(() => heard.mock.calls.length > 0);
    await sleep(100);
    expect(overheard).not.toHaveBeenCalled();
  });

  it('stops delivering to a handler once unsubscribed, on every node', async () => {
    const a = node();
    const b = node();
    const stays = vi.fn();
    const leaves = vi.fn();
    a.subscribe('test.unsubscribe', stays);
    const unsubscribe = b.subscribe('test.unsubscribe', leaves);
    await Promise.all([a.ready(), b.ready()]);
    unsubscribe();
    unsubscribe();
    await b.ready();
    await a.publish('test.unsubscribe', 1);
    await until(() => stays.mock.calls.length > 0);
    await sleep(100);
    expect(leaves).not.toHaveBeenCalled();
    // The topic can be subscribed again afterwards.
    const back = vi.fn();
    b.subscribe('test.unsubscribe', back);
    await b.ready();
    await a.publish('test.unsubscribe', 2);
    await until(() => back.mock.calls.length > 0);
    expect(back).toHaveBeenCalledWith(2, 'test.unsubscribe');
  });

  it('ignores malformed and oversized messages on the channel, and keeps working', async () => {
    const logger = fakeLogger();
    const bus = node(logger, { maxPayloadBytes: 1024 });
    const received = vi.fn();
    const failing = vi.fn(() => {
      throw new Error('handler bug');
    });
    bus.subscribe('test.malformed', received);
    bus.subscribe('test.malformed', failing);
    await bus.ready();
    const raw = new Redis(url);
    try {
      const channel = `${prefix}test.malformed`;
      await raw.publish(channel, 'not json at all {');
      await raw.publish(channel, JSON.stringify({ v: 99, payload: 'from the future' }));
      await raw.publish(channel, JSON.stringify({ something: 'else' }));
      await raw.publish(channel, JSON.stringify({ v: 1, payload: 'x'.repeat(5000) }));
      await raw.publish(channel, Buffer.from([0xff, 0xfe, 0x00]));
    } finally {
      raw.disconnect();
    }
    await bus.publish('test.malformed', { ok: true });
    await until(() => received.mock.calls.length > 0);
    await sleep(100);
    expect(received.mock.calls).toEqual([[{ ok: true }, 'test.malformed']]);
    expect(failing).toHaveBeenCalledOnce();
    expect(logger.warn).toHaveBeenCalledWith({ topic: 'test.malformed' }, 'Malformed event ignored');
    expect(logger.warn).toHaveBeenCalledWith(expect.objectContaining({ topic: 'test.malformed', bytes: expect.any(Number) }), 'Oversized event ignored');
    expect(logger.error).toHaveBeenCalledWith({ topic: 'test.malformed', error: 'Error' }, 'Event handler failed');
  });

  it('answers check() with the latency', async () => {
    const check = await node().check();
    expect(check).toMatchObject({ ok: true, kind: 'redis' });
    expect(check.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('is what createEventBus picks when REDIS_URL is set', async () => {
    const bus = createEventBus(loadConfig({ ENTENTE_DATA_DIR: '/nonexistent', REDIS_URL: url }), fakeLogger(), { prefix });
    try {
      expect(bus).toBeInstanceOf(RedisEventBus);
    } finally {
      await bus.close();
    }
  });
});
