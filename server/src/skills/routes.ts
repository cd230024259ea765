import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clientIp } from '../identity/http-session.ts';
import { unauthenticated } from '../platform/errors.ts';
import { contentDisposition } from '../platform/http/content-disposition.ts';
import { abandonAssessment, answerQuestion, getAssessment, listAssessments, reviewAssessment, type SkillsDeps, startAssessment } from './assessments/assessments.ts';
import { certificatePdf } from './certificates/certificate.ts';
import { dashboardCsvFile, managedTeams, teamDashboard } from './dashboards/team-dashboard.ts';
import { frameworkView, resolveFramework } from './framework/framework.ts';
import type { SkillsLanguage } from './items/localise.ts';
import { canAuthor, chooseTargetProfile, setPathStatus, skillsOverview } from './paths/overview.ts';
import * as s from './schemas.ts';

/**
 * The digital-skills API for agents and managers, `/api/skills/…` (README.md here). Thin: parse,
 * call the use case (which authorises), present. Trainers' and operators' routes are in
 * items/routes.ts and framework/routes.ts.
 */
const perAgent = (name: string) => async (request: FastifyRequest) => {
  const actor = await request.actor();
  return actor ? `${name}:${actor.principalId}` : `${name}-ip:${request.ip}`;
};
/** An answer every couple of seconds passes; a script hammering the engine does not. */
const ANSWERS = { max: 60, timeWindow: 60_000, keyGenerator: perAgent('skills-answer') };
const WRITES = { max: 60, timeWindow: 60_000, keyGenerator: perAgent('skills-write') };
const READS = { max: 300, timeWindow: 60_000, keyGenerator: perAgent('skills-read') };
/** A PDF takes some milliseconds of CPU: a few per minute is plenty. */
const PDFS = { max: 20, timeWindow: 60_000, keyGenerator: perAgent('skills-pdf') };

const idParams = z.object({ assessmentId: z.uuid() }).strict();
const language = (request: FastifyRequest): SkillsLanguage => request.locale as SkillsLanguage;

export function skillsRoutes(app: FastifyInstance, deps: SkillsDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const meta = (request: FastifyRequest) => ({ ip: clientIp(request), requestId: request.id });
  const read = { security: [{ session: [] }, { token: [] }] as Record<string, string[]>[] };
  const change = { security: [{ session: [], csrf: [] }, { token: [] }] as Record<string, string[]>[] };
  const tags = ['skills'];
  const noStore = 'no-store';

  r.get(
    '/api/skills/framework',
    { config: { rateLimit: READS }, schema: { tags, ...read, summary: 'The competency framework: DigComp 2.2 with its CRCN and Québec mappings, the organisation’s own competences and target profiles', response: { 200: s.framework, ...s.errors } } },
    async (request, reply) => {
      const actor = await request.actor();
      if (!actor) throw unauthenticated();
      const resolved = await resolveFramework(deps.stores, [...actor.memberships.keys()]);
      return reply.header('cache-control', noStore).send(frameworkView(resolved, language(request)));
    },
  );
  r.get(
    '/api/skills/overview',
    { config: { rateLimit: READS }, schema: { tags, ...read, summary: 'The agent’s skills: latest result, gaps against their target profile, learning path, certificate', response: { 200: s.overview, ...s.errors } } },
    async (request, reply) => reply.header('cache-control', noStore).send(await skillsOverview(deps, await request.actor(), language(request))),
  );
  r.put(
    '/api/skills/target-profile',
    {
      config: { rateLimit: WRITES },
      schema: { tags, ...change, summary: 'Choose the target profile gaps are measured against', body: z.object({ profileId: z.string().min(1).max(64) }).strict(), response: { 200: s.overview, ...s.errors } },
    },
    async (request, reply) => reply.header('cache-control', noStore).send(await chooseTargetProfile(deps, await request.actor(), meta(request), request.body.profileId, language(request))),
  );
  r.post(
    '/api/skills/assessments',
    {
      config: { rateLimit: WRITES },
      schema: {
        tags,
        ...change,
        summary: 'Start an adaptive assessment, or resume the one in progress',
        description: 'One test in progress per agent. The answer is the question to answer now and a progress that does not reveal the estimate.',
        body: z.object({}).strict().optional(),
        response: { 200: s.state, ...s.errors },
      },
    },
    async (request, reply) => reply.header('cache-control', noStore).send(await startAssessment(deps, await request.actor(), meta(request), language(request))),
  );
  r.get(
    '/api/skills/assessments',
    { config: { rateLimit: READS }, schema: { tags, ...read, summary: 'The agent’s assessments, most recent first (at most 50)', response: { 200: z.object({ assessments: z.array(s.summary) }), ...s.errors } } },
    async (request, reply) => reply.header('cache-control', noStore).send({ assessments: await listAssessments(deps, await request.actor()) }),
  );
  r.get(
    '/api/skills/assessments/:assessmentId',
    { config: { rateLimit: READS }, schema: { tags, ...read, summary: 'One of the agent’s assessments: its pending question, or its result', params: idParams, response: { 200: s.state, ...s.errors } } },
    async (request, reply) => reply.header('cache-control', noStore).send(await getAssessment(deps, await request.actor(), request.params.assessmentId, language(request))),
  );
  r.post(
    '/api/skills/assessments/:assessmentId/answers',
    {
      config: { rateLimit: ANSWERS },
      schema: {
        tags,
        ...change,
        summary: 'Answer the pending question; the answer is the next question or the result',
        description: '409 `question_changed` when itemId is not the pending question (another tab answered it); 400 `answer_required` / `answer_invalid` when the answer does not fit the question (nothing is recorded).',
        params: idParams,
        body: s.answerBody,
        response: { 200: s.state, ...s.errors },
      },
    },
    async (request, reply) =>
      reply.header('cache-control', noStore).send(await answerQuestion(deps, await request.actor(), meta(request), request.params.assessmentId, request.body, language(request))),
  );
  r.post(
    '/api/skills/assessments/:assessmentId/abandon',
    { config: { rateLimit: WRITES }, schema: { tags, ...change, summary: 'Abandon the assessment in progress', params: idParams, response: { 200: s.state, ...s.errors } } },
    async (request, reply) => reply.header('cache-control', noStore).send(await abandonAssessment(deps, await request.actor(), meta(request), request.params.assessmentId, language(request))),
  );
  r.get(
    '/api/skills/assessments/:assessmentId/review',
    {
      config: { rateLimit: READS },
      schema: { tags, ...read, summary: 'After the test: each question with the answer given, the right answer and its explanation', params: idParams, response: { 200: z.object({ items: z.array(s.reviewItem) }), ...s.errors } },
    },
    async (request, reply) => reply.header('cache-control', noStore).send({ items: await reviewAssessment(deps, await request.actor(), request.params.assessmentId, language(request)) }),
  );
  r.put(
    '/api/skills/path/:resourceId',
    {
      config: { rateLimit: WRITES },
      schema: {
        tags,
        ...change,
        summary: 'Progress on a learning resource',
        params: z.object({ resourceId: z.string().regex(/^[a-z0-9-]{1,100}$/) }).strict(),
        body: z.object({ status: z.enum(['todo', 'in_progress', 'done']) }).strict(),
        response: { 200: s.resource, ...s.errors },
      },
    },
    async (request, reply) => reply.send(await setPathStatus(deps, await request.actor(), request.params.resourceId, request.body.status, language(request))),
  );
  r.get(
    '/api/skills/certificates/:assessmentId',
    {
      config: { rateLimit: PDFS },
      schema: {
        tags,
        ...read,
        summary: 'The certificate of a completed assessment (PDF, in the agent’s language or ?lang=)',
        params: idParams,
        querystring: z.object({ lang: z.enum(['fr-FR', 'fr-CA', 'en']).optional() }).strict(),
        response: { 200: z.any().describe('application/pdf'), ...s.errors },
      },
    },
    async (request, reply) => {
      const { pdf, filename } = await certificatePdf(deps, await request.actor(), meta(request), request.params.assessmentId, request.query.lang ?? language(request));
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', contentDisposition('attachment', filename))
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );
  // The skills pages' sub-navigation: which tabs the agent has, in one small read (no /api/me).
  r.get(
    '/api/skills/navigation',
    {
      config: { rateLimit: READS },
      schema: {
        tags,
        ...read,
        summary: 'Which skills tabs the agent has: « Mes équipes » (teams they manage or oversee) and the item bank and framework (trainers, administrators, operators)',
        response: { 200: z.object({ teams: z.boolean(), authoring: z.boolean() }).strict(), ...s.errors },
      },
    },
    async (request, reply) => {
      const actor = await request.actor();
      if (!actor) throw unauthenticated();
      return reply.header('cache-control', noStore).send({ teams: (await managedTeams(deps, actor)).length > 0, authoring: canAuthor(actor) });
    },
  );
  r.get(
    '/api/skills/teams',
    { config: { rateLimit: READS }, schema: { tags, ...read, summary: 'The teams the agent manages', response: { 200: z.object({ teams: z.array(s.teamSummary) }), ...s.errors } } },
    async (request, reply) => reply.header('cache-control', noStore).send({ teams: await managedTeams(deps, await request.actor()) }),
  );
  const dashboardQuery = z.object({ profileId: z.string().min(1).max(64).optional() }).strict();
  const teamParams = z.object({ teamId: z.uuid() }).strict();
  r.get(
    '/api/skills/teams/:teamId/dashboard',
    {
      config: { rateLimit: READS },
      schema: {
        tags,
        ...read,
        summary: 'A team’s aggregated levels per area and competence, against a target profile',
        description: 'For the team’s managers and the organisation’s administrators and managers. Never a figure for fewer than 5 agents (`withheld`). Audited.',
        params: teamParams,
        querystring: dashboardQuery,
        response: { 200: s.dashboard, ...s.errors },
      },
    },
    async (request, reply) =>
      reply.header('cache-control', noStore).send(await teamDashboard(deps, await request.actor(), meta(request), request.params.teamId, request.query.profileId, language(request))),
  );
  r.get(
    '/api/skills/teams/:teamId/dashboard.csv',
    {
      config: { rateLimit: READS },
      schema: {
        tags,
        ...read,
        summary: 'The team dashboard as CSV',
        description:
          'In the request’s language: `;` and decimal commas in French, `,` and decimal points in English; a `key;value` block (team, target profile, assessed, when) before the table. 409 `team_figures_withheld` when the figures are withheld (no CSV then).',
        params: teamParams,
        querystring: dashboardQuery,
        response: { 200: z.string().describe('text/csv'), ...s.errors },
      },
    },
    async (request, reply) => {
      const view = await teamDashboard(deps, await request.actor(), meta(request), request.params.teamId, request.query.profileId, language(request), 'csv');
      const file = dashboardCsvFile(view, language(request));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', file.contentDisposition)
        .header('content-language', language(request))
        .header('cache-control', 'private, no-store')
        .send(file.body);
    },
  );
}
