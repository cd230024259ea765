import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clientIp } from '../http-session.ts';
import { exportPersonalData, type PersonalDataDeps } from './personal-data.ts';
import { personalDataExport } from './schema.ts';

const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }).loose();

/**
 * An export reads every store: a handful a minute per agent is plenty for a person and a brake on
 * a script (per agent, so that colleagues behind one address do not share the allowance).
 */
export const PERSONAL_DATA_LIMIT = {
  max: 5,
  timeWindow: 60_000,
  keyGenerator: async (request: FastifyRequest) => {
    const actor = await request.actor();
    return actor ? `personal-data:${actor.principalId}` : `personal-data-ip:${request.ip}`;
  },
};

/** `GET /api/me/export`: the agent's personal data as a JSON file (docs/personal-data-export.md). */
export function personalDataRoutes(app: FastifyInstance, deps: PersonalDataDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/me/export',
    {
      config: { rateLimit: PERSONAL_DATA_LIMIT },
      schema: {
        tags: ['identity'],
        summary: 'Download all my personal data (JSON, format entente.personal-data)',
        description:
          'Everything Entente holds about the signed-in agent: profile, federated identities, sessions, tokens (never secrets), memberships, what they created in the spaces (titles and names, not content), their audit events. A session or a token with api:read. See docs/personal-data-export.md.',
        security: [{ session: [] }],
        response: { 200: personalDataExport, 401: problem, 403: problem, 429: problem },
      },
    },
    async (request, reply) => {
      const data = await exportPersonalData(deps, await request.actor(), { ip: clientIp(request), requestId: request.id });
      const day = data.generatedAt.slice(0, 10);
      return reply
        .header('content-disposition', `attachment; filename="entente-mes-donnees-${day}.json"`)
        .header('cache-control', 'no-store')
        .send(data);
    },
  );
}
