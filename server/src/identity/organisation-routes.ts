import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditLog } from '../platform/audit/audit-log.ts';
import type { Stores } from '../platform/db/stores.ts';
import type { EventBus } from '../platform/events/index.ts';
import { LIMITS } from '../platform/http/rate-limit.ts';
import { confirmOrganisation, listOrganisationsForOperators } from './admin-organisations.ts';
import { clientIp } from './http-session.ts';
import { organisationSchema } from './routes.ts';
import { ORGANISATION_ROLES } from './identity.tables.ts';
import { disableAgent, enableAgent, removeMember } from './leaving.ts';
import { listMembers } from './members.ts';
import { setMemberRoles } from './roles.ts';
import type { SessionService } from './sessions.ts';
import { createTeam, deleteTeam, listTeamsOf, removeTeamMember, renameTeam, setTeamMember, TEAM_NAME_MAX } from './teams.ts';
import { TEAM_ROLES } from './teams.tables.ts';

/**
 * Roles, teams, leaving and the operators' organisation screen (identity issue, item 6). Thin:
 * parse with zod, call the use case (which authorises and audits), present.
 */

const ADMIN_CHANGES = LIMITS.adminChanges;

const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }).loose();
const organisationParams = z.object({ id: z.uuid() }).strict();
const memberParams = z.object({ id: z.uuid(), principalId: z.uuid() }).strict();
const teamParams = z.object({ id: z.uuid(), teamId: z.uuid() }).strict();
const teamMemberParams = z.object({ id: z.uuid(), teamId: z.uuid(), principalId: z.uuid() }).strict();

const member = z.object({
  principalId: z.uuid(),
  givenName: z.string().nullable(),
  familyName: z.string().nullable(),
  /** Only for the organisation's administrators and operators. */
  email: z.string().nullable(),
  roles: z.array(z.enum(ORGANISATION_ROLES)),
  teams: z.array(z.object({ id: z.uuid(), name: z.string(), role: z.enum(TEAM_ROLES) })),
  status: z.enum(['active', 'disabled']),
});
const team = z.object({
  id: z.uuid(),
  name: z.string(),
  createdAt: z.iso.datetime(),
  members: z.array(z.object({ principalId: z.uuid(), role: z.enum(TEAM_ROLES) })),
});
const teamName = z.object({ name: z.string().trim().min(1).max(TEAM_NAME_MAX) }).strict();
const adminOrganisation = organisationSchema.extend({ createdAt: z.iso.datetime(), members: z.number().int() });

export function organisationRoutes(app: FastifyInstance, deps: { stores: Stores; audit: AuditLog; sessions: SessionService; events: EventBus }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const meta = (request: FastifyRequest) => ({ ip: clientIp(request), requestId: request.id });
  const read = { security: [{ session: [] }] };
  const change = { security: [{ session: [], csrf: [] }] };

  r.get(
    '/api/organisations/:id/members',
    {
      // Reads every member's home cell: not to be scraped in a loop.
      config: { rateLimit: ADMIN_CHANGES },
      schema: {
        tags: ['organisations'],
        summary: 'Members of an organisation with their roles and teams (names from each agent’s home cell)',
        ...read,
        params: organisationParams,
        response: { 200: z.object({ members: z.array(member) }), 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => ({ members: await listMembers(deps.stores, await request.actor(), request.params.id) }),
  );

  r.put(
    '/api/organisations/:id/members/:principalId/roles',
    {
      config: { rateLimit: ADMIN_CHANGES },
      schema: {
        tags: ['organisations'],
        summary: 'Set a member’s roles (operators grant admin; administrators grant admin, trainer, manager)',
        ...change,
        params: memberParams,
        body: z.object({ roles: z.array(z.enum(ORGANISATION_ROLES)).min(1).max(ORGANISATION_ROLES.length) }).strict(),
        response: { 200: member, 400: problem, 401: problem, 403: problem, 404: problem, 409: problem },
      },
    },
    async (request) =>
      setMemberRoles(deps.stores, deps.audit, await request.actor(), request.params.id, request.params.principalId, request.body.roles, meta(request)),
  );

  r.delete(
    '/api/organisations/:id/members/:principalId',
    {
      config: { rateLimit: ADMIN_CHANGES },
      schema: {
        tags: ['organisations'],
        summary: 'Remove an agent from the organisation: their sessions end and their tokens are revoked',
        ...change,
        params: memberParams,
        response: { 204: z.null(), 401: problem, 403: problem, 404: problem, 409: problem },
      },
    },
    async (request, reply) => {
      await removeMember(deps, await request.actor(), request.params.id, request.params.principalId, meta(request));
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/organisations/:id/teams',
    {
      schema: {
        tags: ['organisations'],
        summary: 'Teams of an organisation, with their members and managers',
        ...read,
        params: organisationParams,
        response: { 200: z.object({ teams: z.array(team) }), 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => ({ teams: await listTeamsOf(deps.stores, await request.actor(), request.params.id) }),
  );

  r.post(
    '/api/organisations/:id/teams',
    {
      config: { rateLimit: ADMIN_CHANGES },
      schema: {
        tags: ['organisations'],
        summary: 'Create a team (name unique in the organisation, whatever the case)',
        ...change,
        params: organisationParams,
        body: teamName,
        response: { 201: team, 400: problem, 401: problem, 403: problem, 404: problem, 409: problem },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createTeam(deps.stores, deps.audit, await request.actor(), request.params.id, request.body, meta(request))),
  );

  r.patch(
    '/api/organisations/:id/teams/:teamId',
    {
      config: { rateLimit: ADMIN_CHANGES },
      schema: {
        tags: ['organisations'],
        summary: 'Rename a team',
        ...change,
        params: teamParams,
        body: teamName,
        response: { 200: team, 400: problem, 401: problem, 403: problem, 404: problem, 409: problem },
      },
    },
    async (request) =>
      renameTeam(deps.stores, deps.audit, await request.actor(), request.params.id, request.params.teamId, request.body, meta(request)),
  );

  r.delete(
    '/api/organisations/:id/teams/:teamId',
    {
      config: { rateLimit: ADMIN_CHANGES },
      schema: {
        tags: ['organisations'],
        summary: 'Delete a team (its members stay in the organisation)',
        ...change,
        params: teamParams,
        response: { 204: z.null(), 401: problem, 403: problem, 404: problem },
      },
    },
    async (request, reply) => {
      await deleteTeam(deps.stores, deps.audit, await request.actor(), request.params.id, request.params.teamId, meta(request));
      return reply.code(204).send(null);
    },
  );

  r.put(
    '/api/organisations/:id/teams/:teamId/members/:principalId',
    {
      config: { rateLimit: ADMIN_CHANGES },
      schema: {
        tags: ['organisations'],
        summary: 'Add a member of the organisation to the team, or set their role in it',
        ...change,
        params: teamMemberParams,
        body: z.object({ role: z.enum(TEAM_ROLES) }).strict(),
        response: { 200: team, 400: problem, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) =>
      setTeamMember(
        deps.stores,
        deps.audit,
        await request.actor(),
        request.params.id,
        request.params.teamId,
        request.params.principalId,
        request.body.role,
        meta(request),
      ),
  );

  r.delete(
    '/api/organisations/:id/teams/:teamId/members/:principalId',
    {
      config: { rateLimit: ADMIN_CHANGES },
      schema: {
        tags: ['organisations'],
        summary: 'Remove someone from a team',
        ...change,
        params: teamMemberParams,
        response: { 204: z.null(), 401: problem, 403: problem, 404: problem },
      },
    },
    async (request, reply) => {
      await removeTeamMember(deps.stores, deps.audit, await request.actor(), request.params.id, request.params.teamId, request.params.principalId, meta(request));
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/admin/organisations',
    {
      schema: {
        tags: ['operations'],
        summary: 'Organisations for operators; confirmed=false lists those created at a sign-in, awaiting confirmation',
        ...read,
        querystring: z.object({ confirmed: z.enum(['true', 'false']).optional() }).strict(),
        response: { 200: z.object({ organisations: z.array(adminOrganisation) }), 400: problem, 401: problem, 403: problem },
      },
    },
    async (request) => {
      const { confirmed } = request.query;
      const filter = confirmed === undefined ? {} : { confirmed: confirmed === 'true' };
      return { organisations: await listOrganisationsForOperators(deps.stores, await request.actor(), filter) };
    },
  );

  r.post(
    '/api/admin/organisations/:id/confirm',
    {
      config: { rateLimit: ADMIN_CHANGES },
      schema: {
        tags: ['operations'],
        summary: 'Confirm an organisation created at a sign-in (operators)',
        ...change,
        params: organisationParams,
        response: { 200: adminOrganisation, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => confirmOrganisation(deps.stores, deps.audit, await request.actor(), request.params.id, meta(request)),
  );

  for (const [verb, action] of [
    ['disable', disableAgent],
    ['enable', enableAgent],
  ] as const) {
    r.post(
      `/api/admin/agents/:principalId/${verb}`,
      {
        config: { rateLimit: ADMIN_CHANGES },
        schema: {
          tags: ['operations'],
          summary:
            verb === 'disable'
              ? 'Disable an agent (operators): their sessions end, their tokens are revoked, they cannot sign in'
              : 'Enable a disabled agent again (operators)',
          ...change,
          params: z.object({ principalId: z.uuid() }).strict(),
          response: { 204: z.null(), 401: problem, 403: problem, 404: problem },
        },
      },
      async (request, reply) => {
        await action(deps, await request.actor(), request.params.principalId, meta(request));
        return reply.code(204).send(null);
      },
    );
  }
}
