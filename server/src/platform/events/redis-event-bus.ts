import { Redis } from 'ioredis';
import { EventBusClosedError } from './errors.ts';
import type { EventBus, EventBusCheck, EventHandler, EventsLogger, JsonValue } from './event-bus.ts';
import { assertTopic, DEFAULT_MAX_PAYLOAD_BYTES, deliver, toJson } from './message.ts';

export interface RedisEventBusOptions {
  url: string;
  logger: EventsLogger;
  /**
   * Put before every topic to make the Redis channel name, so that several Entente instances (or
   * test runs) can share one Redis without hearing each other. Every node of one instance must
   * use the same prefix.
   */
  prefix: string;
  maxPayloadBytes?: number;
  /** Time a check() waits for Redis (default 2 s). */
  checkTimeoutMs?: number;
}

/** Version of the message envelope on the channel, so that a later format can coexist during an upgrade. */
const ENVELOPE_VERSION = 1;

/**
 * The event bus between the nodes of one Entente, over Redis pub/sub: one connection publishes,
 * one (in subscriber mode) listens to the channels of the topics this node has subscribers for.
 *
 * Exactly one delivery per publish and local subscriber: a node is subscribed at most once to a
 * channel, and its own publications come back through Redis like everybody else's (no local
 * short-cut that would deliver twice). Whatever arrives on a channel is untrusted input: a
 * malformed or oversized message is logged and dropped.
 */
export class RedisEventBus implements EventBus {
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #logger: EventsLogger;
  readonly #prefix: string;
  readonly #maxPayloadBytes: number;
  readonly #checkTimeoutMs: number;
  readonly #handlers = new Map<string, Set<EventHandler>>();
  /** SUBSCRIBE / UNSUBSCRIBE commands, in order; publish() waits for them (see ready()). */
  #changes: Promise<void> = Promise.resolve();
  #closed = false;
  #reportedDown = false;

  constructor(options: RedisEventBusOptions) {
    this.#logger = options.logger;
    this.#prefix = options.prefix;
    this.#maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.#checkTimeoutMs = options.checkTimeoutMs ?? 2_000;
    const common = {
      // A publish while Redis is away fails after a few retries instead of waiting forever.
      maxRetriesPerRequest: 3,
      connectTimeout: 5_000,
      retryStrategy: (times: number) => Math.min(times * 200, 5_000),
    };
    this.#publisher = new Redis(options.url, { ...common, connectionName: 'entente-events-pub' });
    this.#subscriber = new Redis(options.url, { ...common, connectionName: 'entente-events-sub' });
    for (const connection of [this.#publisher, this.#subscriber]) {
      // Without a listener ioredis prints every reconnection error; log the outage once instead.
      connection.on('error', (error: Error) => {
        if (this.#reportedDown || this.#closed) return;
        this.#reportedDown = true;
        this.#logger.warn({ error: error.name, code: (error as { code?: string }).code }, 'Redis event bus unreachable');
      });
      connection.on('ready', () => {
        if (this.#reportedDown) this.#logger.info({}, 'Redis event bus reachable again');
        this.#reportedDown = false;
      });
    }
    // ioredis re-subscribes what it knows after a reconnection; this also covers a SUBSCRIBE that
    // failed while Redis was away (subscribing twice to a channel is harmless: Redis keeps a set).
    this.#subscriber.on('ready', () => {
      const channels = [...this.#handlers.keys()].map((topic) => this.#channel(topic));
      if (channels.length > 0) {
        this.#subscriber.subscribe(...channels).catch(() => {
          // Reported by the connection's error listener; the next 'ready' tries again.
        });
      }
    });
    this.#subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      void this.#receive(channel, message);
    });
  }

  async publish(topic: string, payload: JsonValue): Promise<void> {
    if (this.#closed) throw new EventBusClosedError();
    assertTopic(topic);
    const json = toJson({ v: ENVELOPE_VERSION, payload }, this.#maxPayloadBytes);
    // Subscriptions made before this publish are in place first, so this node's own subscribers hear it.
    await this.#changes;
    await this.#publisher.publish(this.#channel(topic), json);
  }

  subscribe(topic: string, handler: EventHandler): () => void {
    if (this.#closed) throw new EventBusClosedError();
    assertTopic(topic);
    let handlers = this.#handlers.get(topic);
    if (!handlers) {
      handlers = new Set();
      this.#handlers.set(topic, handlers);
      this.#change('subscribe', topic);
    }
    // A Set keyed by a per-subscription wrapper: the same function subscribed twice gets two deliveries, as on the in-process bus.
    const subscription: EventHandler = (payload, t) => handler(payload, t);
    handlers.add(subscription);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      const current = this.#handlers.get(topic);
      if (!current?.delete(subscription) || current.size > 0) return;
      this.#handlers.delete(topic);
      if (!this.#closed) this.#change('unsubscribe', topic);
    };
  }

  /** Resolves once every subscribe()/unsubscribe so far is acknowledged by Redis (other nodes wait on this in tests). */
  async ready(): Promise<void> {
    await this.#changes;
  }

  async check(): Promise<EventBusCheck> {
    if (this.#closed) return { ok: false, kind: 'redis', detail: 'closed' };
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${this.#checkTimeoutMs} ms`)), this.#checkTimeoutMs);
      });
      timeout.catch(() => {});
      await Promise.race([this.#publisher.ping(), timeout]);
      // A bus just created (a node starting) may still be connecting its subscriber: wait for it
      // within the same time limit rather than report a node as not ready for a few milliseconds.
      if (this.#subscriber.status === 'connect' || this.#subscriber.status === 'connecting' || this.#subscriber.status === 'wait') {
        await Promise.race([new Promise((resolve) => this.#subscriber.once('ready', resolve)), timeout]).catch(() => {});
      }
      if (this.#subscriber.status !== 'ready') {
        return { ok: false, kind: 'redis', detail: `subscriber connection ${this.#subscriber.status}` };
      }
      return { ok: true, kind: 'redis', latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      return { ok: false, kind: 'redis', detail: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#handlers.clear();
    await this.#changes;
    await Promise.all(
      [this.#publisher, this.#subscriber].map(async (connection) => {
        // QUIT lets pending commands finish; on a connection that is down it would only wait for retries.
        if (connection.status !== 'ready') {
          connection.disconnect();
          return;
        }
        try {
          await connection.quit();
        } catch {
          connection.disconnect();
        }
      }),
    );
  }

  #channel(topic: string): string {
    return `${this.#prefix}${topic}`;
  }

  #change(command: 'subscribe' | 'unsubscribe', topic: string): void {
    const channel = this.#channel(topic);
    this.#changes = this.#changes.then(async () => {
      try {
        await this.#subscriber[command](channel);
      } catch (error) {
        // ioredis subscribes again on reconnection; until then this node misses the topic.
        this.#logger.error({ topic, error: error instanceof Error ? error.name : typeof error }, `Redis ${command} failed`);
      }
    });
  }

  async #receive(channelBuffer: Buffer, message: Buffer): Promise<void> {
    const channel = channelBuffer.toString('utf8');
    if (!channel.startsWith(this.#prefix)) return;
    const topic = channel.slice(this.#prefix.length);
    const handlers = this.#handlers.get(topic);
    if (!handlers || handlers.size === 0) return;
    // Allow the envelope's own few bytes on top of the payload limit.
    if (message.length > this.#maxPayloadBytes + 64) {
      this.#logger.warn({ topic, bytes: message.length }, 'Oversized event ignored');
      return;
    }
    let payloadJson: string;
    try {
      const envelope: unknown = JSON.parse(message.toString('utf8'));
      if (
        typeof envelope !== 'object' ||
        envelope === null ||
        (envelope as { v?: unknown }).v !== ENVELOPE_VERSION ||
        !('payload' in envelope)
      ) {
        throw new Error('not an event envelope');
      }
      payloadJson = JSON.stringify((envelope as { payload: unknown }).payload);
    } catch {
      this.#logger.warn({ topic }, 'Malformed event ignored');
      return;
    }
    await deliver(handlers, topic, payloadJson, this.#logger);
  }
}
