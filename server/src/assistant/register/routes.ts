import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clientIp } from '../../identity/http-session.ts';
import { LIMITS } from '../../platform/http/rate-limit.ts';
import { rangeQuery } from '../usage-reports/range.ts';
import { aiRegister, type RegisterDeps, registerCsv } from './register.ts';

/** `GET /api/admin/ai-register` (JSON) and `/api/admin/ai-register.csv`: operators; the use case authorises and audits. */
const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }).loose();
const entry = z.object({
  model: z.string().describe('The alias agents and tools ask for'),
  kind: z.enum(['chat', 'embeddings']).nullable(),
  configured: z.boolean().describe('False: no longer offered, but used during the period'),
  upstreamModels: z.array(z.string()).describe('The models’ names at their providers'),
  providers: z.array(z.string()),
  jurisdictions: z.array(z.string()).describe('Where the providers run (FR, QC)'),
  maxClassifications: z.array(z.string()).describe('Highest data classification each provider may receive'),
  purposes: z.array(z.string()),
  dataCategories: z.array(z.string()),
  legalBasis: z.string().nullable(),
  contact: z.string().nullable(),
  notes: z.string().nullable(),
  volumes: z.object({
    requests: z.number().int(),
    errors: z.number().int(),
    promptTokens: z.number(),
    completionTokens: z.number(),
    agents: z.number().int(),
    energyWh: z.number(),
    emissionsGco2e: z.number(),
    firstUse: z.iso.datetime().nullable(),
    lastUse: z.iso.datetime().nullable(),
  }),
});
const register = z.object({
  generatedAt: z.iso.datetime(),
  from: z.iso.date(),
  to: z.iso.date(),
  contact: z.string().nullable(),
  systems: z.array(entry),
  unknownModelRequests: z.number().int().describe('Requests refused for a model name that does not exist (no system used): not in `systems`'),
});
const description =
  '`from` and `to` are UTC days, both included (volumes of that period); by default the last twelve months; at most 366 days. Configuration: ENTENTE_CONFIG `aiProviders` and `aiRegister` (docs/ai.md).';

export function aiRegisterRoutes(app: FastifyInstance, deps: RegisterDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const meta = (request: FastifyRequest) => ({ ip: clientIp(request), requestId: request.id });
  const config = { rateLimit: LIMITS.adminChanges };
  r.get(
    '/api/admin/ai-register',
    {
      config,
      schema: {
        tags: ['operations'],
        summary: 'Register of the AI systems in use: models, providers, where they run, purposes, data categories, volumes (operators; audited)',
        description,
        security: [{ session: [] }],
        querystring: rangeQuery,
        response: { 200: register, 400: problem, 401: problem, 403: problem },
      },
    },
    async (request) => aiRegister(deps, await request.actor(), request.query, 'json', meta(request)),
  );
  r.get(
    '/api/admin/ai-register.csv',
    {
      config,
      schema: {
        tags: ['operations'],
        summary: 'The register of the AI systems in use as CSV (RFC 4180, UTF-8, a header row; operators; audited)',
        description,
        security: [{ session: [] }],
        querystring: rangeQuery,
        response: { 200: z.any().describe('text/csv'), 400: problem, 401: problem, 403: problem },
      },
    },
    async (request, reply) => {
      const result = await aiRegister(deps, await request.actor(), request.query, 'csv', meta(request));
      return reply
        .header('content-type', 'text/csv; charset=utf-8; header=present')
        .header('content-disposition', `attachment; filename="entente-ai-register-${result.from}-${result.to}.csv"`)
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .send(registerCsv(result));
    },
  );
}
