import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clientIp } from '../../identity/http-session.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { LIMITS } from '../../platform/http/rate-limit.ts';
import { changeAiSettings, readAiSettings } from './settings.ts';

/**
 * `GET|PUT /api/admin/organisations/:id/ai-settings`: the organisation's content logging (off by
 * default). Reading: its members and operators; changing: its administrators and operators, from
 * a session. Thin: the rules are in settings.ts.
 */
const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }).loose();
const params = z.object({ id: z.uuid() }).strict();
const settings = z.object({ organisationId: z.uuid(), contentLogging: z.boolean(), retentionDays: z.number().int() });

export function aiSettingsRoutes(app: FastifyInstance, deps: { stores: Stores; audit: AuditLog; changed?: (organisationId: string) => void }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/admin/organisations/:id/ai-settings',
    {
      schema: {
        tags: ['organisations'],
        summary: 'AI settings of an organisation: whether the text of its agents’ AI requests is kept (content logging)',
        security: [{ session: [] }],
        params,
        response: { 200: settings, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => readAiSettings(deps, await request.actor(), request.params.id),
  );
  r.put(
    '/api/admin/organisations/:id/ai-settings',
    {
      config: { rateLimit: LIMITS.adminChanges },
      schema: {
        tags: ['organisations'],
        summary: 'Switch content logging of an organisation’s AI requests on or off (its administrators, operators; audited)',
        security: [{ session: [], csrf: [] }],
        params,
        body: z.object({ contentLogging: z.boolean() }).strict(),
        response: { 200: settings, 400: problem, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) =>
      changeAiSettings(deps, await request.actor(), request.params.id, request.body, { ip: clientIp(request), requestId: request.id }),
  );
}
