import { z } from 'zod';
import { SHORT_ANSWER_MAX_LENGTH } from '../../../common/src/skills.ts';
import { storableText } from './text.ts';

/** zod shapes of the skills API (common/src/skills.ts holds the same types for the web). */

export const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }).loose();
export const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 413: problem, 429: problem, 503: problem };

const level = z.number().int().min(1).max(8);
const kind = z.enum(['single', 'multiple', 'true_false', 'short_answer']);

export const summary = z.object({
  id: z.uuid(),
  status: z.enum(['in_progress', 'completed', 'abandoned']),
  startedAt: z.iso.datetime(),
  completedAt: z.iso.datetime().nullable(),
  answered: z.number().int(),
  level: level.nullable(),
});

export const question = z.object({
  itemId: z.uuid(),
  kind,
  competence: z.object({ id: z.string(), name: z.string() }),
  area: z.object({ id: z.string(), name: z.string() }),
  stem: z.string(),
  options: z.array(z.string()),
});

export const result = z.object({
  level,
  theta: z.number(),
  standardError: z.number(),
  stopReason: z.enum(['precision', 'max_length', 'bank_exhausted']),
  areas: z.array(
    z.object({ area: z.string(), name: z.string(), level: level.nullable(), theta: z.number().nullable(), standardError: z.number().nullable(), answered: z.number().int() }),
  ),
  competences: z.array(z.object({ competence: z.string(), name: z.string(), area: z.string(), level: level.nullable(), answered: z.number().int(), correct: z.number().int() })),
  frameworkVersion: z.string(),
});

export const state = z.object({
  assessment: summary,
  question: question.nullable().describe('The question to answer now; null once the test has ended'),
  progress: z.object({ answered: z.number().int(), fraction: z.number().min(0).max(1) }).describe('How far the test is, without the engine’s estimate'),
  result: result.nullable(),
});

export const answerBody = z
  .object({
    itemId: z.uuid().describe('The question being answered (must be the pending one)'),
    choices: z.array(z.number().int().min(0).max(9)).max(10).optional().describe('Indices of the chosen options (single, multiple, true_false: 0 = true, 1 = false)'),
    text: storableText(SHORT_ANSWER_MAX_LENGTH).optional().describe('A short answer'),
  })
  .strict();

export const reviewItem = z.object({
  itemId: z.uuid(),
  position: z.number().int(),
  competence: z.string(),
  stem: z.string(),
  kind,
  options: z.array(z.string()),
  given: z.object({ choices: z.array(z.number().int()).optional(), text: z.string().optional() }),
  correct: z.boolean(),
  correctChoices: z.array(z.number().int()),
  accepted: z.array(z.string()),
  explanation: z.string(),
  changedSince: z.boolean().describe('The question was edited after it was answered: text and key are today’s'),
});

const profile = z.object({
  id: z.string(),
  role: z.enum(['agent', 'manager', 'digital-specialist']),
  name: z.string(),
  organisationId: z.uuid().nullable(),
  required: z.record(z.string(), level),
});

export const framework = z.object({
  version: z.string(),
  areas: z.array(z.object({ id: z.string(), name: z.string(), description: z.string() })),
  competences: z.array(
    z.object({
      id: z.string(),
      area: z.string(),
      name: z.string(),
      description: z.string(),
      crcn: z.array(z.object({ id: z.string(), name: z.string() })),
      quebec: z.array(z.object({ id: z.string(), name: z.string() })),
      organisationId: z.uuid().nullable(),
    }),
  ),
  targetProfiles: z.array(profile),
});

const gap = z.object({ competence: z.string(), name: z.string(), area: z.string(), required: level, reached: level.nullable(), basis: z.enum(['competence', 'area']).nullable(), gap: z.number().int() });
export const resource = z.object({
  id: z.string(),
  title: z.string(),
  url: z.url(),
  provider: z.string(),
  language: z.enum(['fr', 'en']),
  durationMinutes: z.number().int(),
  competences: z.array(z.string()),
  levels: z.tuple([level, level]),
  status: z.enum(['todo', 'in_progress', 'done']),
});

export const overview = z.object({
  latest: summary.nullable(),
  result: result.nullable(),
  inProgress: summary.nullable(),
  targetProfile: profile,
  strengths: z.array(gap),
  gaps: z.array(gap),
  path: z.array(resource).describe('Resources ordered by gap, then by the agent’s jurisdiction and language'),
  reassessment: z.object({ suggested: z.boolean(), reason: z.enum(['never', 'old', 'path_done']).nullable() }),
  certificate: z.object({ assessmentId: z.uuid(), url: z.string() }).nullable(),
  canAuthor: z.boolean().describe('A trainer or administrator of an organisation, or an operator: may write items'),
});

export const teamSummary = z.object({ id: z.uuid(), name: z.string(), organisationId: z.uuid() });
export const dashboard = z.object({
  team: teamSummary,
  members: z.number().int(),
  assessed: z.number().int().nullable().describe('Members assessed, the viewer left out; null when withheld for overlap (the count would tell who changed)'),
  viewerIsMember: z.boolean().describe('The viewer is a member: their own result is left out of the figures'),
  minimumGroup: z.number().int(),
  withheld: z.boolean().describe('True when no figure is given: fewer than minimumGroup others assessed, or a set too close to one the viewer was already shown'),
  withheldReason: z.enum(['too_few', 'overlap']).nullable(),
  targetProfile: profile,
  areas: z.array(z.object({ area: z.string(), name: z.string(), assessed: z.number().int(), meanLevel: z.number().nullable() })),
  competences: z.array(
    z.object({
      competence: z.string(),
      name: z.string(),
      area: z.string(),
      assessed: z.number().int(),
      meanLevel: z.number().nullable(),
      distribution: z.array(z.number().int()).nullable(),
      required: level.nullable(),
      belowTarget: z.number().int().nullable(),
    }),
  ),
});
