import { Redis as RedisExtension } from '@hocuspocus/extension-redis';
import type { Extension } from '@hocuspocus/server';
import { Redis as IORedis } from 'ioredis';

/**
 * Several nodes serving the same documents (PostgreSQL + Redis only): every node that has a
 * document open subscribes to it in Redis and publishes the changes its own clients make, so
 * clients connected to different nodes converge (fan-out; docs/adr/0003-collaboration-scale-out.md
 * says why this rather than one owning node per document).
 *
 * Durability does not depend on Redis: each node writes the updates its own clients send to the
 * cell's log before applying them (collab-server.ts); an update arriving from Redis was already
 * written by the node that received it. Redis being down means live edits stop crossing nodes
 * until it is back; nothing is lost, and a client reconnecting to any node loads from the database.
 *
 * `prefix` keeps two Entente instances sharing one Redis apart (the public URL, as the event bus).
 */
export interface ScaleOut {
  extension: Extension;
  close(): Promise<void>;
}

export function redisScaleOut(options: { redisUrl: string; prefix: string }): ScaleOut {
  const clients: IORedis[] = [];
  const createClient = () => {
    const client = new IORedis(options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    // Errors are reported by readiness (events check); an unhandled 'error' would crash the process.
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  };
  const extension = new RedisExtension({ createClient, prefix: options.prefix, disconnectDelay: 200 });
  return {
    extension,
    async close() {
      await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}

/** The Redis key prefix of one Entente instance's collaboration (nodes share it; instances do not). */
export function collabRedisPrefix(publicUrl: URL): string {
  return `entente:${publicUrl.host}${publicUrl.pathname.replace(/\/+$/, '')}:collab`;
}
