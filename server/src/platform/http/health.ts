import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail: string }>;
}
export type ReadinessCheck = () => Promise<ReadinessReport>;

const checkSchema = z.object({ ok: z.boolean(), detail: z.string().optional() });
const readinessSchema = z.object({ ready: z.boolean(), checks: z.record(z.string(), checkSchema) });

/** `/healthz`: the process is alive. `/readyz`: its databases answer and are migrated (503 if not). */
export function registerHealth(
  app: FastifyInstance,
  readiness: ReadinessCheck,
  canSeeDetails: (request: FastifyRequest) => boolean,
): void {
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
    async (request, reply) => {
      const report = await readiness();
      reply.header('cache-control', 'no-store');
      // Details name paths, hosts and key ids: for operators only. Everyone sees what is ok.
      const body = canSeeDetails(request)
        ? report
        : { ready: report.ready, checks: Object.fromEntries(Object.entries(report.checks).map(([name, c]) => [name, { ok: c.ok }])) };
      return reply.code(report.ready ? 200 : 503).send(body);
    },
  );
}
