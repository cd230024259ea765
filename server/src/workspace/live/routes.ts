import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type SpaceStreamDeps, type SpaceStreamLimits, SpaceStreams } from './space-events.ts';

/** Opening a stream: a browser reconnects every few minutes; a loop that reconnects at once is braked. */
const connectLimit = (max: number) => ({
  max,
  timeWindow: 60_000,
  keyGenerator: async (request: FastifyRequest) => {
    const actor = await request.actor();
    return actor ? `space-events:${actor.principalId}` : `space-events-ip:${request.ip}`;
  },
});

/**
 * `GET /api/spaces/:spaceId/events`: server-sent events (`event: change`, `data: {"part": …}`) that
 * tell an open space page to reload. Thin: SpaceStreams decides who may listen.
 */
export function spaceEventsRoutes(app: FastifyInstance, deps: SpaceStreamDeps, limits: Partial<SpaceStreamLimits> = {}): SpaceStreams {
  const streams = new SpaceStreams(deps, limits);
  const open = new Set<() => void>();
  // Streams never end on their own before their lifetime: the server's shutdown ends them first.
  app.addHook('preClose', async () => {
    streams.stop();
    for (const shutdown of [...open]) shutdown();
  });

  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/spaces/:spaceId/events',
    {
      config: { rateLimit: connectLimit(streams.limits.connectsPerMinute) },
      schema: {
        tags: ['workspace'],
        summary: 'Changes of a space as they happen (server-sent events), for its members: `change` with the part (documents, files, space, members), `revoked` when the agent leaves it; 404 for non-members, 429 past 12 open streams per agent',
        params: z.object({ spaceId: z.string().max(64) }).strict(),
      },
    },
    async (request, reply) => {
      const stream = await streams.open(await request.actor(), request.params.spaceId);
      const out = new Readable({ read: () => {} });
      const timers: NodeJS.Timeout[] = [];
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        for (const timer of timers) clearTimeout(timer);
        stream.close();
        open.delete(shutdown);
        out.push(null);
      };
      // At shutdown the socket goes at once: the browser reconnects (to another node, or to this one restarted).
      const shutdown = () => {
        end();
        setImmediate(() => reply.raw.socket?.destroy());
      };
      open.add(shutdown);
      // `retry`: how long the browser waits before it reconnects (after `end`, or a network loss).
      out.push('retry: 3000\n\n');
      stream.onChange((part) => out.push(`event: change\ndata: ${JSON.stringify({ part })}\n\n`));
      stream.onRevoked(() => {
        out.push('event: revoked\ndata: {}\n\n');
        end();
      });
      timers.push(setInterval(() => out.push(': \n\n'), streams.limits.heartbeatMs));
      timers.push(setTimeout(end, streams.limits.lifetimeMs));
      // The browser went away: nothing more to send, and nothing left to wait for.
      reply.raw.once('close', () => {
        end();
        out.destroy();
      });
      return reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache, no-store')
        .header('x-accel-buffering', 'no')
        // One stream, one connection: when it ends (its lifetime, the server's shutdown) the socket
        // goes with it, instead of idling in keep-alive while a shutdown waits for it.
        .header('connection', 'close')
        .send(out);
    },
  );
  return streams;
}
