import type { z } from 'zod';
import type { ResponseRow } from '../assessments/assessments.repo.ts';
import { recomputedResult } from '../assessments/assessments.ts';
import { COMPETENCES } from '../framework/digcomp.ts';
import { TARGET_PROFILES } from '../framework/target-profiles.ts';
import { itemProblems, normaliseItem } from '../items/authoring.ts';
import { organisationKeyPrefix } from '../items/item-authoring.ts';
import { AGENTS_FOLDER, type AgentFile, AgentFileSchema, agentPath, type ArchivedAssessment, FRAMEWORK_PATH, type FrameworkFile, FrameworkFileSchema } from './archive-format.ts';

/**
 * The check of an organisation archive's skills files, before the import writes anything: an
 * archive is refused whole (`archive_invalid`, naming the file and what is wrong). The archive is
 * the organisation's word, not the engine's: a completed test must carry the result the engine
 * gives for its answers (levels are certified from it), answers must be the test's positions 1…n
 * in time order, parameters in the bank's ranges, and nothing may exceed what the product itself
 * writes (the columns' size checks included).
 */
export interface SkillsArchiveReader {
  has(path: string): boolean;
  /** Every entry path of the archive. */
  paths(): Iterable<string>;
  json<T>(path: string, schema: z.ZodType<T>): Promise<T>;
  /** An archive_invalid refusal naming what is wrong. */
  invalid(message: string): Error;
}

export interface SkillsArchivePlan {
  framework: FrameworkFile;
  agentPaths: string[];
  principalIds: string[];
  assessments: number;
}

const DIGCOMP = new Set(COMPETENCES.map((c) => c.id));
const DEFAULT_PROFILES = new Set(TARGET_PROFILES.map((p) => p.id));
/** The columns' checks (migrations/control): `octet_length(…::text)` of the jsonb. */
const JSONB_LIMITS = { definition: 16_384, content: 65_536 } as const;
/** Clocks of two instances differ: a time up to this far ahead is accepted. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** A test's times come from the server's and the database's clocks: in order within this. */
const ORDER_SLACK_MS = 60_000;

export async function checkOrganisationSkills(archive: SkillsArchiveReader, organisationId: string, now = Date.now()): Promise<SkillsArchivePlan | null> {
  if (!archive.has(FRAMEWORK_PATH)) return null;
  const framework = await archive.json(FRAMEWORK_PATH, FrameworkFileSchema);
  checkFramework(archive, framework, organisationId);
  const profiles = new Set([...DEFAULT_PROFILES, ...framework.targetProfiles.map((p) => p.id)]);

  const agentPaths = [...archive.paths()].filter((p) => p.startsWith(AGENTS_FOLDER)).sort();
  const assessmentIds = new Set<string>();
  const responseIds = new Set<string>();
  const principalIds: string[] = [];
  let assessments = 0;
  for (const path of agentPaths) {
    const agent = await archive.json(path, AgentFileSchema);
    if (path !== agentPath(agent.principalId)) throw archive.invalid(`${path} holds another agent's data`);
    principalIds.push(agent.principalId);
    checkAgent(archive, path, agent, profiles, now);
    for (const a of agent.assessments) {
      const where = `${path}: assessment ${a.id}`;
      if (a.organisationId !== organisationId) throw archive.invalid(`${where} was taken in another organisation`);
      if (assessmentIds.has(a.id)) throw archive.invalid(`${where} appears twice`);
      assessmentIds.add(a.id);
      checkAssessment(archive, where, a, now);
      for (const r of a.responses) {
        if (responseIds.has(r.id)) throw archive.invalid(`${where}: answer ${r.id} appears twice`);
        responseIds.add(r.id);
      }
      assessments += 1;
    }
  }
  return { framework, agentPaths, principalIds, assessments };
}

function checkFramework(archive: SkillsArchiveReader, framework: FrameworkFile, organisationId: string): void {
  if (framework.organisationId !== organisationId) throw archive.invalid(`${FRAMEWORK_PATH} names another organisation`);
  unique(archive, framework.competences.map((c) => c.id), `${FRAMEWORK_PATH}: competence`);
  unique(archive, framework.targetProfiles.map((p) => p.id), `${FRAMEWORK_PATH}: target profile`);
  unique(archive, framework.items.map((i) => i.id), `${FRAMEWORK_PATH}: item id`);
  unique(archive, framework.items.map((i) => i.key), `${FRAMEWORK_PATH}: item key`);
  for (const c of framework.competences) {
    if (jsonbTextBytes({ name: c.name, description: c.description, crcn: c.crcn, quebec: c.quebec }) > JSONB_LIMITS.definition) throw archive.invalid(`${FRAMEWORK_PATH}: competence ${c.id} is too large`);
  }
  const known = new Set([...DIGCOMP, ...framework.competences.map((c) => c.id)]);
  for (const profile of framework.targetProfiles) {
    for (const competence of Object.keys(profile.required)) {
      if (!known.has(competence)) throw archive.invalid(`${FRAMEWORK_PATH}: target profile ${profile.id} requires an unknown competence ${competence}`);
    }
    if (jsonbTextBytes({ name: profile.name, required: profile.required }) > JSONB_LIMITS.definition) throw archive.invalid(`${FRAMEWORK_PATH}: target profile ${profile.id} is too large`);
  }
  const prefix = organisationKeyPrefix(organisationId);
  for (const item of framework.items) {
    // An organisation's items live in its own key namespace: an archive cannot slip items in under the shared bank's keys.
    if (!item.key.startsWith(prefix)) throw archive.invalid(`${FRAMEWORK_PATH}: item ${item.key} is not in the organisation's key namespace (${prefix}…)`);
    if (!known.has(item.competence)) throw archive.invalid(`${FRAMEWORK_PATH}: item ${item.key} is about an unknown competence ${item.competence}`);
    if (jsonbTextBytes({ fr: item.fr, frCA: item.frCA, en: item.en }) > JSONB_LIMITS.content) throw archive.invalid(`${FRAMEWORK_PATH}: item ${item.key} is too large`);
    // Live items are asked in tests: they must meet the authoring rules (drafts may be unfinished).
    if (item.status === 'live') {
      const problems = itemProblems(normaliseItem(item), known);
      if (problems.length > 0) throw archive.invalid(`${FRAMEWORK_PATH}: item ${item.key}: ${problems.map((p) => `${p.path} ${p.code}`).join(', ')}`);
    }
  }
}

function checkAgent(archive: SkillsArchiveReader, path: string, agent: AgentFile, profiles: ReadonlySet<string>, now: number): void {
  if (agent.targetProfile) {
    if (!profiles.has(agent.targetProfile.id)) throw archive.invalid(`${path}: target profile ${agent.targetProfile.id} is neither a default profile nor one of the organisation's`);
    notAhead(archive, `${path}: target profile`, agent.targetProfile.updatedAt, now);
  }
  unique(archive, agent.learningPath.map((p) => p.resourceId), `${path}: learning-path resource`);
  for (const p of agent.learningPath) notAhead(archive, `${path}: learning path ${p.resourceId}`, p.updatedAt, now);
  if (agent.assessments.filter((a) => a.status === 'in_progress').length > 1) throw archive.invalid(`${path}: more than one test in progress`);
}

function checkAssessment(archive: SkillsArchiveReader, where: string, a: ArchivedAssessment, now: number): void {
  const completed = a.status === 'completed';
  if (completed !== (a.result !== null) || completed !== (a.level !== null) || completed !== (a.completedAt !== null) || (a.result && a.result.level !== a.level)) {
    throw archive.invalid(`${where}: status, result, level and completion disagree`);
  }
  if (a.pendingItemId !== null && a.status !== 'in_progress') throw archive.invalid(`${where}: a pending question in a finished test`);
  // The answers are the test's positions 1…n, as the engine numbers them (a gap would break the next answer).
  a.responses.forEach((r, i) => {
    if (r.position !== i + 1) throw archive.invalid(`${where}: answers must be positions 1 to ${a.responses.length} in order`);
  });
  if (a.answered !== a.responses.length) throw archive.invalid(`${where}: ${a.answered} answered but ${a.responses.length} answers`);
  if (a.options.minItems > a.options.maxItems || a.responses.length > a.options.maxItems) throw archive.invalid(`${where}: more answers than the test's maximum length`);
  unique(archive, a.responses.map((r) => r.itemId), `${where}: answered item`);
  unique(archive, a.responses.flatMap((r) => r.itemKey ?? []), `${where}: answered item key`);
  if (a.pendingItemKey !== null && a.responses.some((r) => r.itemKey === a.pendingItemKey)) throw archive.invalid(`${where}: the pending question is already answered`);
  // Times in order: started ≤ each answer (in order) ≤ completed ≤ last change ≤ now.
  const times = [a.startedAt, ...a.responses.map((r) => r.answeredAt), ...(a.completedAt ? [a.completedAt] : []), a.updatedAt].map((t) => Date.parse(t));
  for (let i = 1; i < times.length; i++) if ((times[i] as number) < (times[i - 1] as number) - ORDER_SLACK_MS) throw archive.invalid(`${where}: times out of order`);
  notAhead(archive, where, a.updatedAt, now);
  if (completed && a.result) {
    const rows = a.responses.map((r) => ({ item_id: r.itemId, area: r.area, competence: r.competence, a: r.a, b: r.b, c: r.c, correct: r.correct }) as ResponseRow);
    const { stopReason: _, ...claimed } = a.result;
    // Compared as JSON with sorted keys: as stored and read back (jsonb keeps no key order, JSON no -0).
    if (canonical(recomputedResult(a.options, rows)) !== canonical(claimed)) throw archive.invalid(`${where}: the result is not what its answers give`);
  }
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1))) : v));
}

function notAhead(archive: SkillsArchiveReader, where: string, time: string, now: number): void {
  if (Date.parse(time) > now + CLOCK_SKEW_MS) throw archive.invalid(`${where}: a time in the future (${time})`);
}

function unique(archive: SkillsArchiveReader, values: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw archive.invalid(`${what} ${v} appears twice`);
    seen.add(v);
  }
}

/**
 * Bytes of a value as PostgreSQL writes a jsonb as text (`", "` and `": "` separators), which the
 * columns' size checks measure. Strings are escaped as JSON.stringify does.
 */
export function jsonbTextBytes(value: unknown): number {
  if (value === undefined) return 0;
  if (value === null || typeof value !== 'object') return Buffer.byteLength(JSON.stringify(value));
  if (Array.isArray(value)) return 2 + value.reduce((n: number, v) => n + jsonbTextBytes(v), 0) + Math.max(0, value.length - 1) * 2;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return 2 + entries.reduce((n, [k, v]) => n + Buffer.byteLength(JSON.stringify(k)) + 2 + jsonbTextBytes(v), 0) + Math.max(0, entries.length - 1) * 2;
}
