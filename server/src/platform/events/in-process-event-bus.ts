import { EventEmitter } from 'node:events';
import { EventBusClosedError } from './errors.ts';
import type { EventBus, EventBusCheck, EventHandler, EventsLogger, JsonValue } from './event-bus.ts';
import { assertTopic, DEFAULT_MAX_PAYLOAD_BYTES, deliver, toJson } from './message.ts';

type Listener = (json: string, delivered: Promise<void>[]) => void;

/**
 * The event bus of a single process (embedded mode, PGlite: there is only one process). Same
 * rules as the Redis bus — JSON payloads, size limit, a copy per handler — so code behaves alike
 * in both modes. publish() resolves once every handler has finished.
 */
export class InProcessEventBus implements EventBus {
  readonly #emitter = new EventEmitter();
  readonly #logger: EventsLogger;
  readonly #maxPayloadBytes: number;
  #closed = false;

  constructor(logger: EventsLogger, options: { maxPayloadBytes?: number } = {}) {
    this.#logger = logger;
    this.#maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    // Many subscribers per topic are normal (one per open WebSocket): no leak warning.
    this.#emitter.setMaxListeners(0);
  }

  async publish(topic: string, payload: JsonValue): Promise<void> {
    if (this.#closed) throw new EventBusClosedError();
    assertTopic(topic);
    const json = toJson(payload, this.#maxPayloadBytes);
    const delivered: Promise<void>[] = [];
    this.#emitter.emit(channel(topic), json, delivered);
    await Promise.all(delivered);
  }

  subscribe(topic: string, handler: EventHandler): () => void {
    if (this.#closed) throw new EventBusClosedError();
    assertTopic(topic);
    // One listener per subscription: the emitter never sees the handler, so one throwing cannot
    // stop emit() from reaching the next.
    const listener: Listener = (json, delivered) => {
      delivered.push(deliver([handler], topic, json, this.#logger));
    };
    this.#emitter.on(channel(topic), listener);
    return () => {
      this.#emitter.off(channel(topic), listener);
    };
  }

  async check(): Promise<EventBusCheck> {
    return this.#closed ? { ok: false, kind: 'in-process', detail: 'closed' } : { ok: true, kind: 'in-process' };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#emitter.removeAllListeners();
  }
}

/**
 * EventEmitter gives the event name `error` a meaning of its own (emitted without a listener, it
 * throws): topics are prefixed so that a topic called `error` is just a topic.
 */
function channel(topic: string): string {
  return `topic:${topic}`;
}
