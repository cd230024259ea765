import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LIMITS } from '../platform/http/rate-limit.ts';
import { clientIp } from './http-session.ts';
import { deleteOrganisation, type OrganisationDeletionDeps, organisationDeletionState } from './organisation-deletion.ts';
import { DELETION_PHASES } from './organisation-deletion.tables.ts';

/**
 * Deleting an organisation (operators): `DELETE /api/admin/organisations/:id` with the name typed
 * back, and its progress at `GET /api/admin/organisations/:id/deletion`. A session or a personal
 * access token of an operator (`api:write` to delete, `api:read` to read): the name typed back is
 * what guards against a mistake, for a script as for a person.
 */
const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }).loose();
const params = z.object({ id: z.uuid() }).strict();
const counter = z.number().int().nonnegative().optional();
const deletion = z.object({
  organisationId: z.uuid(),
  name: z.string(),
  phase: z.enum(DELETION_PHASES),
  requestedAt: z.iso.datetime(),
  requestedVia: z.string(),
  finishedAt: z.iso.datetime().nullable(),
  counters: z.object({
    spacesDeleted: counter,
    spacesKept: counter,
    spaceMembershipsRemoved: counter,
    keysDestroyed: counter,
    membersRemoved: counter,
    agentsDisabled: counter,
    teamsDeleted: counter,
  }),
  lastError: z.string().nullable(),
});

export function organisationDeletionRoutes(app: FastifyInstance, deps: OrganisationDeletionDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const meta = (request: FastifyRequest) => ({ ip: clientIp(request), requestId: request.id });

  r.delete(
    '/api/admin/organisations/:id',
    {
      config: { rateLimit: LIMITS.adminChanges },
      schema: {
        tags: ['operations'],
        summary:
          'Delete an organisation for good (operators): its spaces are deleted (keys destroyed), its agents leave it, its keys are destroyed; the name must be typed back',
        security: [{ session: [], csrf: [] }],
        params,
        body: z.object({ confirmName: z.string().min(1).max(400) }).strict(),
        response: { 200: deletion, 400: problem, 401: problem, 403: problem, 404: problem, 409: problem },
      },
    },
    async (request) =>
      deleteOrganisation(deps, { kind: 'api', actor: await request.actor() }, request.params.id, request.body, meta(request)),
  );

  r.get(
    '/api/admin/organisations/:id/deletion',
    {
      schema: {
        tags: ['operations'],
        summary: 'Progress of an organisation’s deletion (operators)',
        security: [{ session: [] }],
        params,
        response: { 200: deletion, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => organisationDeletionState(deps, await request.actor(), request.params.id),
  );
}
