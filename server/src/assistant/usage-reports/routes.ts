import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clientIp } from '../../identity/http-session.ts';
import { LIMITS } from '../../platform/http/rate-limit.ts';
import { rangeQuery } from './range.ts';
import { myUsage, organisationUsage, type ReportDeps } from './usage-reports.ts';

/** `GET /api/assistant/usage/me` and `/api/assistant/usage/organisations/:id`: thin, the use cases authorise. */
const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }).loose();
const sums = {
  requests: z.number().int(),
  errors: z.number().int().describe('Requests answered with an error (status ≥ 400)'),
  promptTokens: z.number(),
  completionTokens: z.number(),
  energyWh: z.number().describe('Estimated energy, watt-hours (docs/ai.md)'),
  emissionsGco2e: z.number().describe('Estimated emissions, grams of CO2 equivalent'),
};
const report = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  totals: z.object(sums),
  perDay: z.array(z.object({ day: z.iso.date(), ...sums })),
  perModel: z.array(
    z.object({
      model: z.string(),
      ...sums,
      p50DurationMs: z.number().nullable().describe('Median duration; null when not computable (rows in both cells)'),
      p50TtftMs: z.number().nullable().describe('Median time to the first token of streamed answers'),
    }),
  ),
});
const organisationReport = report.extend({
  organisationId: z.uuid(),
  perAgent: z.array(z.object({ principalId: z.uuid(), givenName: z.string().nullable(), familyName: z.string().nullable(), ...sums })),
});

export function usageReportRoutes(app: FastifyInstance, deps: ReportDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const meta = (request: FastifyRequest) => ({ ip: clientIp(request), requestId: request.id });
  r.get(
    '/api/assistant/usage/me',
    {
      schema: {
        tags: ['assistant'],
        summary: 'My use of the AI gateway: totals, per day, per model (requests, tokens, energy, emissions)',
        description: '`from` and `to` are UTC days, both included; by default the last 30 days; at most 366 days.',
        security: [{ session: [] }],
        querystring: rangeQuery,
        response: { 200: report, 400: problem, 401: problem },
      },
    },
    async (request) => myUsage(deps, await request.actor(), request.query),
  );
  r.get(
    '/api/assistant/usage/organisations/:id',
    {
      // Reads both cells and the members' names: not to be scraped in a loop.
      config: { rateLimit: LIMITS.adminChanges },
      schema: {
        tags: ['assistant'],
        summary: 'An organisation’s use of the AI gateway, per agent (its administrators only; audited)',
        description: '`from` and `to` are UTC days, both included; by default the last 30 days; at most 366 days.',
        security: [{ session: [] }],
        params: z.object({ id: z.uuid() }).strict(),
        querystring: rangeQuery,
        response: { 200: organisationReport, 400: problem, 401: problem, 403: problem },
      },
    },
    async (request) => organisationUsage(deps, await request.actor(), request.params.id, request.query, meta(request)),
  );
}
