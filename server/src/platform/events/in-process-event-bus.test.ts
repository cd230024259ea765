import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config.ts';
import { createEventBus, defaultChannelPrefix } from './create-event-bus.ts';
import { EventBusClosedError, EventPayloadError, InvalidTopicError } from './errors.ts';
import type { EventsLogger, JsonValue } from './event-bus.ts';
import { InProcessEventBus } from './in-process-event-bus.ts';

function fakeLogger() {
  return { error: vi.fn(), warn: vi.fn(), info: vi.fn() } satisfies EventsLogger;
}

describe('InProcessEventBus', () => {
  it('delivers a publish once to each subscriber of the topic, each with its own copy', async () => {
    const bus = new InProcessEventBus(fakeLogger());
    const first: JsonValue[] = [];
    const second: JsonValue[] = [];
    bus.subscribe('workspace.document.updated', (payload) => {
      first.push(payload);
      (payload as { id: string }).id = 'changed by the first handler';
    });
    bus.subscribe('workspace.document.updated', (payload) => {
      second.push(payload);
    });
    bus.subscribe('workspace.document.deleted', () => {
      throw new Error('wrong topic');
    });
    await bus.publish('workspace.document.updated', { id: 'd1' });
    expect(first).toHaveLength(1);
    expect(second).toEqual([{ id: 'd1' }]);
  });

  it('isolates handlers: one throwing or rejecting does not stop the others, and is logged', async () => {
    const logger = fakeLogger();
    const bus = new InProcessEventBus(logger);
    const received = vi.fn();
    bus.subscribe('test.topic', () => {
      throw new TypeError('boom');
    });
    bus.subscribe('test.topic', async () => {
      throw new RangeError('async boom');
    });
    bus.subscribe('test.topic', received);
    await expect(bus.publish('test.topic', 42)).resolves.toBeUndefined();
    expect(received).toHaveBeenCalledWith(42, 'test.topic');
    expect(logger.error).toHaveBeenCalledWith({ topic: 'test.topic', error: 'TypeError' }, expect.any(String));
    expect(logger.error).toHaveBeenCalledWith({ topic: 'test.topic', error: 'RangeError' }, expect.any(String));
  });

  it('stops delivering after unsubscribe (and unsubscribing twice is harmless)', async () => {
    const bus = new InProcessEventBus(fakeLogger());
    const kept = vi.fn();
    const dropped = vi.fn();
    bus.subscribe('test.topic', kept);
    const unsubscribe = bus.subscribe('test.topic', dropped);
    unsubscribe();
    unsubscribe();
    await bus.publish('test.topic', 'hello');
    expect(kept).toHaveBeenCalledOnce();
    expect(dropped).not.toHaveBeenCalled();
  });

  it('refuses invalid topics, oversized and non-JSON payloads, and use after close', async () => {
    const bus = new InProcessEventBus(fakeLogger(), { maxPayloadBytes: 100 });
    expect(() => bus.subscribe('Bad Topic', () => {})).toThrow(InvalidTopicError);
    await expect(bus.publish('test.topic', 'x'.repeat(200))).rejects.toBeInstanceOf(EventPayloadError);
    await expect(bus.publish('test.topic', { n: 1n } as unknown as JsonValue)).rejects.toBeInstanceOf(EventPayloadError);
    expect(await bus.check()).toEqual({ ok: true, kind: 'in-process' });
    await bus.close();
    await expect(bus.publish('test.topic', 1)).rejects.toBeInstanceOf(EventBusClosedError);
    expect((await bus.check()).ok).toBe(false);
  });
});

describe('createEventBus', () => {
  it('uses the in-process bus without REDIS_URL', async () => {
    const bus = createEventBus(loadConfig({ ENTENTE_DATA_DIR: '/nonexistent' }), fakeLogger());
    expect(bus).toBeInstanceOf(InProcessEventBus);
    await bus.close();
  });

  it('derives a channel prefix proper to the instance from its public URL', () => {
    expect(defaultChannelPrefix(new URL('https://entente.gouv.fr'))).toBe('entente:entente.gouv.fr:events:');
    expect(defaultChannelPrefix(new URL('https://apps.quebec.ca/entente/'))).toBe('entente:apps.quebec.ca/entente:events:');
  });

  it('treats a topic named `error` as any other topic (EventEmitter would throw)', async () => {
    const bus = new InProcessEventBus(fakeLogger());
    await expect(bus.publish('error', { x: 1 })).resolves.toBeUndefined();
    const got: unknown[] = [];
    bus.subscribe('error', (payload) => {
      got.push(payload);
    });
    await bus.publish('error', { x: 2 });
    expect(got).toEqual([{ x: 2 }]);
    await bus.close();
  });
});
