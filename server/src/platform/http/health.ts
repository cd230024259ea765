import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail: string }>;
}
export type ReadinessCheck = () => Promise<ReadinessReport>;

const checkSchema = z.object({ ok: z.boolean(), detail: z.string() });
const readinessSchema = z.object({ ready: z.boolean(), checks: z.record(z.string(), checkSchema) });

/** `/healthz`: the process is alive. `/readyz`: its databases answer and are migrated (503 if not). */
export function registerHealth(app: FastifyInstance, readiness: ReadinessCheck): void {
  app.get(
    '/healthz',
    { schema: { tags: ['operations'], summary: 'Liveness', response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: databases reachable, migrations applied',
        response: { 200: readinessSchema, 503: readinessSchema },
      },
    },
    async (_request, reply) => {
      const report = await readiness();
      reply.header('cache-control', 'no-store');
      return reply.code(report.ready ? 200 : 503).send(report);
    },
  );
}
