import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { storableText } from '../text.ts';
import { clientIp } from '../../identity/http-session.ts';
import type { AuthoringDeps } from '../items/item-authoring.ts';
import type { SkillsLanguage } from '../items/localise.ts';
import * as s from '../schemas.ts';
import { addCompetence, listCompetences, listProfiles, removeCompetence, removeProfile, saveProfile } from './framework-admin.ts';

/**
 * An organisation's own competences and target profiles, `/api/skills/organisations/:orgId/…`,
 * for its trainers and administrators (framework-admin.ts holds the rules). Registered by
 * `skillsAuthoringRoutes` (items/routes.ts).
 */
const perAgent = (name: string) => async (request: FastifyRequest) => {
  const actor = await request.actor();
  return actor ? `${name}:${actor.principalId}` : `${name}-ip:${request.ip}`;
};
const READS = { max: 300, timeWindow: 60_000, keyGenerator: perAgent('skills-framework-read') };
const WRITES = { max: 60, timeWindow: 60_000, keyGenerator: perAgent('skills-framework-write') };
const BODY_LIMIT = 32 * 1024;

const localised = (max: number) =>
  z.object({ fr: storableText(max).pipe(z.string().min(1)), frCA: storableText(max).optional(), en: storableText(max).pipe(z.string().min(1)) }).strict();
const level = z.number().int().min(1).max(8);

const competenceView = z.object({
  id: z.string(),
  organisationId: z.uuid(),
  area: z.enum(['1', '2', '3', '4', '5']),
  name: z.object({ fr: z.string(), frCA: z.string().optional(), en: z.string() }),
  description: z.object({ fr: z.string(), frCA: z.string().optional(), en: z.string() }),
  crcn: z.array(z.string()),
  quebec: z.array(z.string()),
});
const profileView = z.object({
  id: z.uuid(),
  organisationId: z.uuid(),
  role: z.enum(['agent', 'manager', 'digital-specialist']),
  name: z.object({ fr: z.string(), frCA: z.string().optional(), en: z.string() }),
  required: z.record(z.string(), level),
});

const orgParams = z.object({ orgId: z.uuid() }).strict();

export function skillsFrameworkAdminRoutes(app: FastifyInstance, deps: AuthoringDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const meta = (request: FastifyRequest) => ({ ip: clientIp(request), requestId: request.id });
  const language = (request: FastifyRequest): SkillsLanguage => request.locale as SkillsLanguage;
  const read = { security: [{ session: [] }, { token: [] }] as Record<string, string[]>[] };
  const change = { security: [{ session: [], csrf: [] }, { token: [] }] as Record<string, string[]>[] };
  const tags = ['skills-authoring'];
  const noStore = 'no-store';
  const who = 'The organisation’s trainers and administrators; others: 403.';

  r.get(
    '/api/skills/organisations/:orgId/competences',
    {
      config: { rateLimit: READS },
      schema: { tags, ...read, summary: 'The organisation’s own competences, in every language', description: who, params: orgParams, response: { 200: z.object({ competences: z.array(competenceView) }), ...s.errors } },
    },
    async (request, reply) => reply.header('cache-control', noStore).send({ competences: await listCompetences(deps, await request.actor(), request.params.orgId) }),
  );
  r.post(
    '/api/skills/organisations/:orgId/competences',
    {
      bodyLimit: BODY_LIMIT,
      config: { rateLimit: WRITES },
      schema: {
        tags,
        ...change,
        summary: 'Add a competence of the organisation (at most 50)',
        description: `${who} Its id is \`org-<slug>\` (from the French name when not given); 409 \`competence_id_taken\` when any organisation has it. CRCN ids are those of France’s framework ('1.1' … '5.2'), Québec ids 'qc-1' … 'qc-12'.`,
        params: orgParams,
        body: z
          .object({
            id: z.string().regex(/^org-[a-z0-9-]{1,60}$/).optional(),
            area: z.enum(['1', '2', '3', '4', '5']),
            name: localised(120),
            description: localised(1000),
            crcn: z.array(z.string().max(10)).max(16),
            quebec: z.array(z.string().max(10)).max(12),
          })
          .strict(),
        response: { 201: competenceView, ...s.errors },
      },
    },
    async (request, reply) =>
      reply.code(201).header('cache-control', noStore).send(await addCompetence(deps, await request.actor(), meta(request), request.params.orgId, request.body, language(request))),
  );
  r.delete(
    '/api/skills/organisations/:orgId/competences/:competenceId',
    {
      config: { rateLimit: WRITES },
      schema: {
        tags,
        ...change,
        summary: 'Remove a competence of the organisation',
        description: `${who} 409 \`conflict\` (reason \`competence_in_use\`) while items of the organisation ask about it; the organisation’s profiles stop requiring it.`,
        params: z.object({ orgId: z.uuid(), competenceId: z.string().regex(/^org-[a-z0-9-]{1,60}$/) }).strict(),
        response: { 204: z.null().describe('Removed'), ...s.errors },
      },
    },
    async (request, reply) => {
      await removeCompetence(deps, await request.actor(), meta(request), request.params.orgId, request.params.competenceId);
      return reply.code(204).send(null);
    },
  );
  r.get(
    '/api/skills/organisations/:orgId/target-profiles',
    {
      config: { rateLimit: READS },
      schema: { tags, ...read, summary: 'The organisation’s own target profiles, in every language', description: who, params: orgParams, response: { 200: z.object({ targetProfiles: z.array(profileView) }), ...s.errors } },
    },
    async (request, reply) => reply.header('cache-control', noStore).send({ targetProfiles: await listProfiles(deps, await request.actor(), request.params.orgId) }),
  );
  const profileParams = z.object({ orgId: z.uuid(), profileId: z.uuid() }).strict();
  r.put(
    '/api/skills/organisations/:orgId/target-profiles/:profileId',
    {
      bodyLimit: BODY_LIMIT,
      config: { rateLimit: WRITES },
      schema: {
        tags,
        ...change,
        summary: 'Create or replace a target profile of the organisation (at most 20)',
        description: `${who} The id is a UUID the client chooses; one of another organisation is not found. Required levels (1–8) name DigComp’s competences or the organisation’s own.`,
        params: profileParams,
        body: z
          .object({
            role: z.enum(['agent', 'manager', 'digital-specialist']),
            name: localised(120),
            required: z.record(z.string().regex(/^(\d\.\d|org-[a-z0-9-]{1,60})$/), level).refine((r) => Object.keys(r).length <= 100, { message: 'at most 100 competences' }),
          })
          .strict(),
        response: { 200: profileView, ...s.errors },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', noStore)
        .send(await saveProfile(deps, await request.actor(), meta(request), request.params.orgId, request.params.profileId, request.body, language(request))),
  );
  r.delete(
    '/api/skills/organisations/:orgId/target-profiles/:profileId',
    {
      config: { rateLimit: WRITES },
      schema: { tags, ...change, summary: 'Remove a target profile of the organisation', description: `${who} Agents who had chosen it are measured against the default profile again.`, params: profileParams, response: { 204: z.null().describe('Removed'), ...s.errors } },
    },
    async (request, reply) => {
      await removeProfile(deps, await request.actor(), meta(request), request.params.orgId, request.params.profileId);
      return reply.code(204).send(null);
    },
  );
}
