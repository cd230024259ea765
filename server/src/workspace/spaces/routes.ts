import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clientIp } from '../../identity/http-session.ts';
import { ASSURANCE_LEVELS } from '../../identity/federation/upstream.ts';
import { LIMITS } from '../../platform/http/rate-limit.ts';
import { CLASSIFICATIONS, SPACE_ROLES } from '../workspace.tables.ts';
import type { WorkspaceDeps } from './deps.ts';
import { deleteSpace, type SpaceDeletionDeps } from './delete-space.ts';
import { inviteMember, revokeInvitation } from './invitations.ts';
import { listMembers, removeMember, setMemberRole } from './members.ts';
import { createSpace, getSpace, listSpaces, updateSpace } from './spaces.ts';

/** Spaces, members and invitations (contract: /work/briefs/common.md, "Spaces"). Thin: parse, call, present. */
export const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }).loose();

export const spaceSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  jurisdiction: z.enum(['FR', 'QC']),
  minAssurance: z.enum(ASSURANCE_LEVELS),
  classification: z.enum(CLASSIFICATIONS),
  role: z.enum(SPACE_ROLES),
  createdAt: z.iso.datetime(),
});
const memberSchema = z.object({
  principalId: z.uuid(),
  givenName: z.string().nullable(),
  familyName: z.string().nullable(),
  jurisdiction: z.enum(['FR', 'QC']).nullable(),
  role: z.enum(SPACE_ROLES),
});
const invitationSchema = z.object({ id: z.uuid(), email: z.string(), role: z.enum(SPACE_ROLES), expiresAt: z.iso.datetime() });

// Lengths as the migration's checks (name 1–200, description ≤ 2000).
const name = z.string().trim().min(1).max(200);
const description = z.string().trim().max(2000);
const spaceParams = z.object({ spaceId: z.uuid() }).strict();

export function spaceRoutes(app: FastifyInstance, deps: WorkspaceDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const meta = (request: FastifyRequest) => ({ ip: clientIp(request), requestId: request.id });
  // A browser session (with CSRF for changes) or a personal access token (api:read, api:write).
  const read = { security: [{ session: [] }, { token: [] }] as Record<string, string[]>[] };
  const change = { security: [{ session: [], csrf: [] }, { token: [] }] as Record<string, string[]>[] };
  const limited = { rateLimit: LIMITS.adminChanges };

  r.get(
    '/api/spaces',
    {
      schema: {
        tags: ['workspace'],
        summary: 'The spaces the agent is a member of, from both cells',
        ...read,
        response: { 200: z.object({ spaces: z.array(spaceSchema) }), 401: problem },
      },
    },
    async (request) => ({ spaces: await listSpaces(deps.stores, await request.actor()) }),
  );

  r.post(
    '/api/spaces',
    {
      config: limited,
      schema: {
        tags: ['workspace'],
        summary: 'Create a space in a jurisdiction’s cell; the creator is its owner',
        ...change,
        body: z
          .object({
            name,
            description: description.optional(),
            jurisdiction: z.enum(['FR', 'QC']),
            minAssurance: z.enum(ASSURANCE_LEVELS),
            classification: z.enum(CLASSIFICATIONS),
          })
          .strict(),
        response: { 201: spaceSchema, 400: problem, 401: problem, 403: problem },
      },
    },
    async (request, reply) => reply.code(201).send(await createSpace(deps, await request.actor(), request.body, meta(request))),
  );

  r.get(
    '/api/spaces/:spaceId',
    {
      schema: { tags: ['workspace'], summary: 'A space (404 for non-members)', ...read, params: spaceParams, response: { 200: spaceSchema, 401: problem, 404: problem } },
    },
    async (request) => getSpace(deps.stores, await request.actor(), request.params.spaceId),
  );

  r.patch(
    '/api/spaces/:spaceId',
    {
      config: limited,
      schema: {
        tags: ['workspace'],
        summary: 'Change a space’s name, description, minimum level of assurance or classification (owners)',
        ...change,
        params: spaceParams,
        body: z
          .object({ name: name.optional(), description: description.optional(), minAssurance: z.enum(ASSURANCE_LEVELS).optional(), classification: z.enum(CLASSIFICATIONS).optional() })
          .strict(),
        response: { 200: spaceSchema, 400: problem, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => updateSpace(deps, await request.actor(), request.params.spaceId, request.body, meta(request)),
  );

  r.get(
    '/api/spaces/:spaceId/members',
    {
      schema: {
        tags: ['workspace'],
        summary: 'Members of a space (names from each one’s home cell); pending invitations for owners',
        ...read,
        params: spaceParams,
        response: { 200: z.object({ members: z.array(memberSchema), invitations: z.array(invitationSchema) }), 401: problem, 404: problem },
      },
    },
    async (request) => listMembers(deps.stores, await request.actor(), request.params.spaceId),
  );

  r.post(
    '/api/spaces/:spaceId/invitations',
    {
      config: limited,
      schema: {
        tags: ['workspace'],
        summary: 'Invite someone by address (owners): a member at once if their federation vouched for it, else at their sign-in',
        ...change,
        params: spaceParams,
        body: z.object({ email: z.email().max(254), role: z.enum(SPACE_ROLES) }).strict(),
        response: { 201: z.object({ invitation: invitationSchema, member: memberSchema.optional() }), 400: problem, 401: problem, 403: problem, 404: problem, 409: problem },
      },
    },
    async (request, reply) => reply.code(201).send(await inviteMember(deps, await request.actor(), request.params.spaceId, request.body, meta(request))),
  );

  r.delete(
    '/api/spaces/:spaceId/invitations/:invitationId',
    {
      config: limited,
      schema: {
        tags: ['workspace'],
        summary: 'Revoke a pending invitation (owners)',
        ...change,
        params: z.object({ spaceId: z.uuid(), invitationId: z.uuid() }).strict(),
        response: { 204: z.null(), 401: problem, 403: problem, 404: problem },
      },
    },
    async (request, reply) => {
      await revokeInvitation(deps, await request.actor(), request.params.spaceId, request.params.invitationId, meta(request));
      return reply.code(204).send(null);
    },
  );

  const memberParams = z.object({ spaceId: z.uuid(), principalId: z.uuid() }).strict();
  r.put(
    '/api/spaces/:spaceId/members/:principalId',
    {
      config: limited,
      schema: {
        tags: ['workspace'],
        summary: 'Change a member’s role (owners; the last owner cannot be downgraded)',
        ...change,
        params: memberParams,
        body: z.object({ role: z.enum(SPACE_ROLES) }).strict(),
        response: { 200: memberSchema, 400: problem, 401: problem, 403: problem, 404: problem, 409: problem },
      },
    },
    async (request) => setMemberRole(deps, await request.actor(), request.params.spaceId, request.params.principalId, request.body.role, meta(request)),
  );

  r.delete(
    '/api/spaces/:spaceId/members/:principalId',
    {
      config: limited,
      schema: {
        tags: ['workspace'],
        summary: 'Remove a member (owners), or leave the space (oneself); the last owner cannot leave',
        ...change,
        params: memberParams,
        response: { 204: z.null(), 401: problem, 403: problem, 404: problem, 409: problem },
      },
    },
    async (request, reply) => {
      await removeMember(deps, await request.actor(), request.params.spaceId, request.params.principalId, meta(request));
      return reply.code(204).send(null);
    },
  );
}

/**
 * Deleting a space for good (owners; the name typed back as `confirmName`): its keys are destroyed
 * at once, the rest is purged in the background (delete-space.ts). 204; 400 `space_name_mismatch`.
 */
export function spaceDeletionRoutes(app: FastifyInstance, deps: SpaceDeletionDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.delete(
    '/api/spaces/:spaceId',
    {
      config: { rateLimit: LIMITS.adminChanges },
      schema: {
        tags: ['workspace'],
        summary: 'Delete a space for good (owners, typing its name back, in a browser session: never with a token): its keys are destroyed, its content purged',
        security: [{ session: [], csrf: [] }] as Record<string, string[]>[],
        params: spaceParams,
        body: z.object({ confirmName: z.string().max(400) }).strict(),
        response: { 204: z.null(), 400: problem, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request, reply) => {
      await deleteSpace(deps, await request.actor(), request.params.spaceId, request.body, { ip: clientIp(request), requestId: request.id });
      return reply.code(204).send(null);
    },
  );
}
