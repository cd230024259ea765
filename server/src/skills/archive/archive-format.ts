import { z } from 'zod';
import { CRCN } from '../framework/crcn.ts';
import { FRAMEWORK_LIMITS } from '../framework/framework-admin.ts';
import { QUEBEC_DIMENSIONS } from '../framework/quebec.ts';
import { COMPETENCE_ID, fileItemShape, ITEM_KEY } from '../items/authoring.ts';
import { AUTHORING_LIMITS } from '../items/item-authoring.ts';
import { storableText } from '../text.ts';

/**
 * The skills part of an organisation's export archive (docs/export-format.md, « Skills results »):
 * `organisation/skills/framework.json` (the organisation's own competences, target profiles and
 * items) and one `organisation/skills/agents/<principal id>.json` per agent of the organisation
 * with skills data. One set of zod schemas: the exporter's output is typed by it and the importer
 * validates every file with it before anything is written.
 */
export const SKILLS_FOLDER = 'organisation/skills/';
export const FRAMEWORK_PATH = `${SKILLS_FOLDER}framework.json`;
export const AGENTS_FOLDER = `${SKILLS_FOLDER}agents/`;
export const agentPath = (principalId: string) => `${AGENTS_FOLDER}${principalId}.json`;

/**
 * Bounds an importer holds an archive to: the product's own limits (FRAMEWORK_LIMITS, the
 * authoring limits, the routes' text lengths), so that nothing imported is what the product
 * itself could not have written.
 */
export const ARCHIVE_BOUNDS = {
  assessmentsPerAgent: 10_000,
  responsesPerAssessment: 200,
  pathEntries: 1_000,
  competences: FRAMEWORK_LIMITS.competences,
  profiles: FRAMEWORK_LIMITS.profiles,
  items: AUTHORING_LIMITS.perOrganisation,
} as const;

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'lower-case UUID');
const isoTime = z.iso.datetime();
const level = z.int().min(1).max(8);
const area = z.enum(['1', '2', '3', '4', '5']);
const localised = (max: number) => z.object({ fr: storableText(max).pipe(z.string().min(1)), frCA: storableText(max).optional(), en: storableText(max).pipe(z.string().min(1)) }).strict();
const finite = z.number().finite();
const competenceId = z.string().regex(COMPETENCE_ID);
/** IRT parameters in the bank's own ranges (the items table's checks). */
const parameters = { a: z.number().gt(0).max(6), b: z.number().min(-8).max(8), c: z.number().min(0).lt(0.5) };
const crcnIds = new Set(CRCN.map((c) => c.id));
const quebecIds = new Set(QUEBEC_DIMENSIONS.map((d) => d.id));

export const ArchivedCompetenceSchema = z
  .object({
    id: z.string().regex(/^org-[a-z0-9-]{1,60}$/),
    area,
    name: localised(120),
    description: localised(1000),
    crcn: z.array(z.string().refine((id) => crcnIds.has(id), 'a CRCN competence id')).max(16),
    quebec: z.array(z.string().refine((id) => quebecIds.has(id), 'a Québec dimension id')).max(12),
    createdBy: uuid.nullable(),
    createdAt: isoTime,
  })
  .strict();

export const ArchivedProfileSchema = z
  .object({
    id: uuid,
    role: z.enum(['agent', 'manager', 'digital-specialist']),
    name: localised(120),
    required: z.record(competenceId, level).refine((r) => Object.keys(r).length <= 100, 'at most 100 competences'),
    createdBy: uuid.nullable(),
    updatedAt: isoTime,
  })
  .strict();

/** An item as the trainers' file format has it (items/authoring.ts), with its id and history. */
export const ArchivedItemSchema = fileItemShape
  .extend({
    id: uuid,
    key: z.string().regex(ITEM_KEY),
    status: z.enum(['draft', 'live', 'retired']),
    /** As the source had them; an import gives the items provisional parameters again (see import-organisation.ts). */
    parameters: z.object(parameters).strict(),
    calibratedAt: isoTime.nullable(),
    source: z.enum(['authored', 'imported']),
    createdBy: uuid.nullable(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .strict();

export const FrameworkFileSchema = z
  .object({
    organisationId: uuid,
    competences: z.array(ArchivedCompetenceSchema).max(ARCHIVE_BOUNDS.competences),
    targetProfiles: z.array(ArchivedProfileSchema).max(ARCHIVE_BOUNDS.profiles),
    items: z.array(ArchivedItemSchema).max(ARCHIVE_BOUNDS.items),
  })
  .strict();

const answer = z
  .object({ choices: z.array(z.int().min(0).max(9)).max(10).optional(), text: storableText(200).optional() })
  .strict();

export const ArchivedResponseSchema = z
  .object({
    id: uuid,
    position: z.int().min(1).max(ARCHIVE_BOUNDS.responsesPerAssessment),
    itemId: uuid,
    /** The item's key: how an importer finds the same item in its own bank (starter items have other ids there). */
    itemKey: z.string().regex(ITEM_KEY).nullable(),
    area,
    competence: competenceId,
    ...parameters,
    answer,
    correct: z.boolean(),
    answeredAt: isoTime,
  })
  .strict();

const nullableFinite = finite.nullable();
/** The stored result (skills.tables.ts StoredResult). */
const resultSchema = z
  .object({
    level,
    theta: finite,
    standardError: finite,
    stopReason: z.enum(['precision', 'max_length', 'bank_exhausted']),
    areas: z.array(z.object({ area: z.string().max(8), level: level.nullable(), theta: nullableFinite, standardError: nullableFinite, answered: z.int().min(0) }).strict()).max(10),
    competences: z
      .array(z.object({ competence: competenceId, area: z.string().max(8), level: level.nullable(), answered: z.int().min(0), correct: z.int().min(0) }).strict())
      .max(1000),
  })
  .strict();

const optionsSchema = z
  .object({
    seed: z.int(),
    seThreshold: finite,
    minItems: z.int().min(0),
    maxItems: z.int().min(1).max(ARCHIVE_BOUNDS.responsesPerAssessment),
    organisations: z.array(uuid).max(20),
    /** The items left out of the test's bank, by key (stored as ids, which differ between instances). */
    excludedKeys: z.array(z.string().regex(ITEM_KEY)).max(10_000).optional(),
  })
  .strict();

export const ArchivedAssessmentSchema = z
  .object({
    id: uuid,
    organisationId: uuid,
    status: z.enum(['in_progress', 'completed', 'abandoned']),
    frameworkVersion: z.string().min(1).max(64),
    options: optionsSchema,
    pendingItemId: uuid.nullable(),
    pendingItemKey: z.string().regex(ITEM_KEY).nullable(),
    answered: z.int().min(0),
    level: level.nullable(),
    result: resultSchema.nullable(),
    startedAt: isoTime,
    updatedAt: isoTime,
    completedAt: isoTime.nullable(),
    responses: z.array(ArchivedResponseSchema).max(ARCHIVE_BOUNDS.responsesPerAssessment),
  })
  .strict();

export const AgentFileSchema = z
  .object({
    principalId: uuid,
    homeJurisdiction: z.enum(['FR', 'QC']),
    targetProfile: z.object({ id: z.string().min(1).max(64), updatedAt: isoTime }).strict().nullable(),
    learningPath: z
      .array(z.object({ resourceId: z.string().min(1).max(100), status: z.enum(['todo', 'in_progress', 'done']), updatedAt: isoTime }).strict())
      .max(ARCHIVE_BOUNDS.pathEntries),
    assessments: z.array(ArchivedAssessmentSchema).max(ARCHIVE_BOUNDS.assessmentsPerAgent),
  })
  .strict();

export type FrameworkFile = z.infer<typeof FrameworkFileSchema>;
export type AgentFile = z.infer<typeof AgentFileSchema>;
export type ArchivedAssessment = z.infer<typeof ArchivedAssessmentSchema>;
