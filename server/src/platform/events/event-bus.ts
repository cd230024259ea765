import type { FastifyBaseLogger } from 'fastify';

/** A value that survives JSON.stringify / JSON.parse unchanged: what an event carries. */
import type { JsonValue } from '../json.ts';

export type { JsonValue };

/**
 * Receives the events of one topic. Each handler gets its own copy of the payload (it comes from
 * JSON), which it should validate like any input. A handler that throws or rejects is logged and
 * does not affect the others.
 */
export type EventHandler = (payload: JsonValue, topic: string) => void | Promise<void>;

/** What doctor and /readyz show about the bus. */
export interface EventBusCheck {
  ok: boolean;
  kind: 'in-process' | 'redis';
  latencyMs?: number;
  /** Why it is not ok (never a credential). */
  detail?: string;
}

/**
 * Publish/subscribe between the parts of Entente, and between its nodes when there are several.
 * Delivery is at most once and best effort (a node that is down misses events): use it to tell
 * (invalidate a cache, wake a WebSocket), never as the only record of something — that is what
 * the database, the jobs and the outbox are for.
 */
export interface EventBus {
  /** Delivers to every subscriber of the topic, on every node, once — the publishing node's own included. */
  publish(topic: string, payload: JsonValue): Promise<void>;
  /** Returns the function that unsubscribes this handler (calling it twice is harmless). */
  subscribe(topic: string, handler: EventHandler): () => void;
  check(): Promise<EventBusCheck>;
  close(): Promise<void>;
}

export type EventsLogger = Pick<FastifyBaseLogger, 'error' | 'warn' | 'info'>;
