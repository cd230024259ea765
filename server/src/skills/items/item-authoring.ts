import { createHash } from 'node:crypto';
import type { FieldIssue } from '../../../../common/src/field-issues.ts';
import type { ItemAuthoringView } from '../../../../common/src/skills.ts';
import type { Actor } from '../../identity/actor.ts';
import type { RequestMeta } from '../../identity/roles.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { ControlDb } from '../../platform/db/types.ts';
import { AppError, type FieldError, forbidden, invalid, notFound, unauthenticated } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { provisionalParameters } from '../cat/index.ts';
import { COMPETENCES } from '../framework/digcomp.ts';
import { listOrgCompetences } from '../framework/framework.repo.ts';
import type { Level } from '../framework/types.ts';
import type { ItemSource } from '../skills.tables.ts';
import { type FileItem, fileItemShape, type ItemFields, itemProblems, normaliseItem, shapeErrors } from './authoring.ts';
import { countItems, findItem, findItemByKey, insertItem, type ItemRow, listItems, listKeysWithPrefix, updateItem } from './items.repo.ts';
import type { AuthoredItem, ItemStatus } from './types.ts';

/**
 * Authoring the item bank (issue 8: « authoring screens for trainers; import/export as JSON »).
 * Rules, checked here on every call:
 * - the shared bank (organisation null) is edited by platform operators only; an organisation's
 *   items by its trainers and administrators. Anyone else gets 403, and an item of an
 *   organisation they do not belong to is a 404 (its existence is not theirs to know);
 * - keys are given by the server and never reused; an organisation's keys start with its own
 *   prefix, so it can neither take over a shared-bank key nor squat one a later starter release
 *   would use (the starter seeding finds items by key);
 * - a draft may break the authoring rules (authoring.ts) while it is worked on; a live item
 *   never does: going live, and editing a live item, require none;
 * - edits carry the version read (409 `item_conflict` when someone saved in between); editing a
 *   starter item makes it `authored`, so the starter seeding leaves it alone; changing the level
 *   of an uncalibrated item moves its provisional parameters with it;
 * - every change is audited in the control plane with the organisation's id.
 */
export interface AuthoringDeps {
  stores: Stores;
  audit: AuditLog;
}

/** Bounds: the list and export of one bank, one organisation's items, one import. */
export const AUTHORING_LIMITS = { listed: 2000, perOrganisation: 2000, sharedBank: 5000, importItems: 1000 } as const;

export type AuthoringItemView = ItemAuthoringView & { version: number; source: ItemSource; problems: { path: string; code: string }[] };

export function mayAuthor(actor: Actor, organisationId: string | null): boolean {
  if (organisationId === null) return actor.platformRoles.has('operator');
  const roles = actor.memberships.get(organisationId) ?? [];
  return roles.includes('trainer') || roles.includes('admin');
}

export function requireAuthor(actor: Actor | null, organisationId: string | null): Actor {
  if (!actor) throw unauthenticated();
  if (!mayAuthor(actor, organisationId)) throw forbidden();
  return actor;
}

/** An item the actor may author; another organisation's is a 404. */
async function authorableItem(db: ControlDb, actorOrNull: Actor | null, id: string): Promise<{ actor: Actor; row: ItemRow }> {
  if (!actorOrNull) throw unauthenticated();
  const row = await findItem(db, id);
  if (!row) throw notFound();
  if (!mayAuthor(actorOrNull, row.organisation_id)) {
    if (row.organisation_id !== null && !actorOrNull.memberships.has(row.organisation_id)) throw notFound();
    throw forbidden();
  }
  return { actor: actorOrNull, row };
}

/** DigComp's competences and the organisation's own: what its items may be about. */
export async function knownCompetences(db: ControlDb, organisationId: string | null): Promise<Set<string>> {
  const own = organisationId === null ? [] : await listOrgCompetences(db, [organisationId]);
  return new Set([...COMPETENCES.map((c) => c.id), ...own.map((c) => c.id)]);
}

/**
 * An organisation's key prefix: 8 hex of a hash of its id (UUID v7s of organisations created
 * the same minute share their first digits). Ownership is checked on `organisation_id`, never on
 * the prefix: a collision could only make two organisations' keys look alike.
 */
export function organisationKeyPrefix(organisationId: string): string {
  return `o${createHash('sha256').update(organisationId).digest('hex').slice(0, 8)}-`;
}
const ORGANISATION_KEY = /^o[0-9a-f]{8}-/;

function keyPrefix(organisationId: string | null, competence: string): string {
  // The key holds at most 64 characters: an organisation's long competence ids are cut.
  // Shared-bank items written here take `s-…`: the starter bank's `1.1-NN` keys stay free for later releases.
  return organisationId === null ? `s-${competence}-` : `${organisationKeyPrefix(organisationId)}${competence.slice(0, 40).replace(/-+$/, '')}-`;
}

async function nextKey(db: ControlDb, organisationId: string | null, competence: string): Promise<string> {
  const prefix = keyPrefix(organisationId, competence);
  let highest = 0;
  for (const key of await listKeysWithPrefix(db, prefix)) {
    const rest = key.slice(prefix.length);
    if (/^\d{1,6}$/.test(rest)) highest = Math.max(highest, Number(rest));
  }
  return `${prefix}${String(highest + 1).padStart(2, '0')}`;
}

const isUniqueViolation = (error: unknown) => (error as { code?: unknown })?.code === '23505';

function contentOf(item: ItemFields): ItemRow['content'] {
  return { fr: item.fr, ...(item.frCA ? { frCA: item.frCA } : {}), en: item.en };
}

function asAuthored(row: ItemRow): Omit<AuthoredItem, 'key'> {
  return { competence: row.competence, level: row.level, kind: row.kind, correct: row.correct, fr: row.content.fr, ...(row.content.frCA ? { frCA: row.content.frCA } : {}), en: row.content.en };
}

const withBody = (problems: FieldError[]): FieldError[] => problems.map((p) => ({ ...p, path: `body.${p.path}` }));

export function itemView(row: ItemRow, known: ReadonlySet<string>): AuthoringItemView {
  return {
    id: row.id,
    key: row.key,
    organisationId: row.organisation_id,
    competence: row.competence,
    level: row.level,
    kind: row.kind,
    status: row.status,
    correct: row.correct,
    fr: row.content.fr,
    ...(row.content.frCA ? { frCA: row.content.frCA } : {}),
    en: row.content.en,
    parameters: {
      a: row.a,
      b: row.b,
      c: row.c,
      calibrated: row.calibrated_at !== null,
      calibratedAt: row.calibrated_at?.toISOString() ?? null,
      answers: row.calibration?.answers ?? 0,
      flags: row.calibration?.flags ?? [],
    },
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
    source: row.source,
    problems: itemProblems(asAuthored(row), known).map(({ path, code }) => ({ path, code: code ?? 'invalid' })),
  };
}

const limitReached = (organisationId: string | null) =>
  new AppError('skills_limit_reached', { status: 409, params: { what: 'questions', limit: organisationId === null ? AUTHORING_LIMITS.sharedBank : AUTHORING_LIMITS.perOrganisation } });

function itemLimit(organisationId: string | null): number {
  return organisationId === null ? AUTHORING_LIMITS.sharedBank : AUTHORING_LIMITS.perOrganisation;
}

async function audit(deps: AuthoringDeps, actor: Actor, meta: RequestMeta, action: string, organisationId: string | null, resource: { type: string; id: string } | null, details: Record<string, string | number | boolean | null> = {}) {
  // In the control plane (no jurisdiction): the bank is shared configuration, naming no agent.
  await deps.audit.record({ action, outcome: 'success', actorId: actor.principalId, organisationId, resource, ip: meta.ip, requestId: meta.requestId, details });
}

export async function listAuthoredItems(
  deps: AuthoringDeps,
  actorOrNull: Actor | null,
  where: { organisationId: string | null; competence?: string; status?: ItemStatus },
): Promise<AuthoringItemView[]> {
  requireAuthor(actorOrNull, where.organisationId);
  const db = deps.stores.control.db;
  const known = await knownCompetences(db, where.organisationId);
  return (await listItems(db, where, AUTHORING_LIMITS.listed)).map((row) => itemView(row, known));
}

export async function getAuthoredItem(deps: AuthoringDeps, actor: Actor | null, id: string): Promise<AuthoringItemView> {
  const db = deps.stores.control.db;
  const { row } = await authorableItem(db, actor, id);
  return itemView(row, await knownCompetences(db, row.organisation_id));
}

export async function createItem(
  deps: AuthoringDeps,
  actorOrNull: Actor | null,
  meta: RequestMeta,
  input: ItemFields & { organisationId: string | null },
): Promise<AuthoringItemView> {
  const { organisationId, ...fields } = input;
  const actor = requireAuthor(actorOrNull, organisationId);
  const db = deps.stores.control.db;
  const known = await knownCompetences(db, organisationId);
  if (!known.has(fields.competence)) throw invalid([{ path: 'body.competence', message: 'unknown competence', code: 'unknown_competence' }]);
  if ((await countItems(db, organisationId)) >= itemLimit(organisationId)) throw limitReached(organisationId);
  const item = normaliseItem(fields);
  const parameters = provisionalParameters(item.level as Level);
  // Two authors adding to one competence at once may draw the same number: the unique key keeps one, the other draws again.
  for (let attempt = 0; ; attempt++) {
    const key = await nextKey(db, organisationId, item.competence);
    try {
      const row = await insertItem(db, {
        id: uuidv7(),
        key,
        organisation_id: organisationId,
        competence: item.competence,
        level: item.level as Level,
        kind: item.kind,
        status: 'draft',
        correct: item.correct,
        content: contentOf(item),
        ...parameters,
        calibrated_at: null,
        calibration: null,
        source: 'authored',
        source_hash: null,
        created_by: actor.principalId,
      });
      await audit(deps, actor, meta, 'skills.item.created', organisationId, { type: 'skills_item', id: row.id }, { key });
      return itemView(row, known);
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 4) throw error;
    }
  }
}

const conflict = () => new AppError('item_conflict', { status: 409 });

export async function editItem(
  deps: AuthoringDeps,
  actorOrNull: Actor | null,
  meta: RequestMeta,
  id: string,
  input: ItemFields & { version: number },
): Promise<AuthoringItemView> {
  const db = deps.stores.control.db;
  const { actor, row } = await authorableItem(db, actorOrNull, id);
  const { version, ...fields } = input;
  if (row.version !== version) throw conflict();
  const known = await knownCompetences(db, row.organisation_id);
  if (!known.has(fields.competence)) throw invalid([{ path: 'body.competence', message: 'unknown competence', code: 'unknown_competence' }]);
  const item = normaliseItem(fields);
  // A live item is being asked: it stays askable, or the edit is refused (retire it to rework it).
  if (row.status === 'live') {
    const problems = itemProblems(item, known);
    if (problems.length > 0) throw invalid(withBody(problems));
  }
  const levelChanged = item.level !== row.level;
  const updated = await updateItem(db, id, version, {
    competence: item.competence,
    level: item.level as Level,
    kind: item.kind,
    correct: item.correct,
    content: contentOf(item),
    ...(levelChanged && row.calibrated_at === null ? provisionalParameters(item.level as Level) : {}),
    ...(row.source === 'starter' ? { source: 'authored' as const } : {}),
  });
  if (!updated) throw (await findItem(db, id)) ? conflict() : notFound();
  await audit(deps, actor, meta, 'skills.item.updated', row.organisation_id, { type: 'skills_item', id }, { key: row.key, version: updated.version, levelChanged });
  return itemView(updated, known);
}

export async function setItemStatus(
  deps: AuthoringDeps,
  actorOrNull: Actor | null,
  meta: RequestMeta,
  id: string,
  status: ItemStatus,
  version?: number,
): Promise<AuthoringItemView> {
  const db = deps.stores.control.db;
  const { actor, row } = await authorableItem(db, actorOrNull, id);
  if (version !== undefined && version !== row.version) throw conflict();
  const known = await knownCompetences(db, row.organisation_id);
  if (status === 'live') {
    const problems = itemProblems(asAuthored(row), known);
    if (problems.length > 0) throw invalid(withBody(problems));
  }
  if (status === row.status) return itemView(row, known);
  const updated = await updateItem(db, id, row.version, { status });
  if (!updated) throw conflict();
  await audit(deps, actor, meta, 'skills.item.status_changed', row.organisation_id, { type: 'skills_item', id }, { key: row.key, from: row.status, to: status });
  return itemView(updated, known);
}

// ── import and export ──

export const FILE_FORMAT = 'entente-skills-items';
export type ExportedItem = AuthoredItem & { status: ItemStatus; parameters: { a: number; b: number; c: number; calibrated: boolean } };
export interface ItemsFile {
  format: typeof FILE_FORMAT;
  version: 1;
  organisationId: string | null;
  exportedAt: string;
  items: ExportedItem[];
}

export async function exportItems(deps: AuthoringDeps, actorOrNull: Actor | null, meta: RequestMeta, organisationId: string | null): Promise<ItemsFile> {
  const actor = requireAuthor(actorOrNull, organisationId);
  const rows = await listItems(deps.stores.control.db, { organisationId }, itemLimit(organisationId));
  const items = rows.map((row) => ({
    key: row.key,
    ...asAuthored(row),
    status: row.status,
    parameters: { a: row.a, b: row.b, c: row.c, calibrated: row.calibrated_at !== null },
  }));
  await audit(deps, actor, meta, 'skills.item.exported', organisationId, null, { count: items.length });
  return { format: FILE_FORMAT, version: 1, organisationId, exportedAt: new Date().toISOString(), items };
}

export type ImportOutcome = 'created' | 'updated' | 'unchanged' | 'error';
export interface ImportLine {
  index: number;
  key: string | null;
  outcome: ImportOutcome;
  id?: string;
  errors?: FieldIssue[];
  /** A draft written with what keeps it from being asked (as the editor saves one), to fix before publishing. */
  problems?: FieldIssue[];
}
export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  errors: number;
  items: ImportLine[];
}

const lineError = (index: number, key: string | null, path: string, code: string): ImportLine => ({ index, key, outcome: 'error', errors: [{ path, code }] });

/** JSON with object keys sorted: jsonb hands keys back in its own order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** What an import would change of an existing item (nothing: `unchanged`, no write, no version bump). */
function sameItem(row: ItemRow, item: FileItem): boolean {
  return canonical(asAuthored(row)) === canonical(asAuthored({ ...row, competence: item.competence, level: item.level as Level, kind: item.kind, correct: item.correct, content: contentOf(item) }));
}

/**
 * Imports a file: each item is checked whole (shape, then the authoring rules) and written in one
 * statement, or skipped with its reasons; the report says what happened to each. Items are
 * `draft` unless the file says otherwise. A draft may break the authoring rules, as in the editor
 * (an export of a bank holds its work in progress, and importing it back must not lose it): it is
 * written with its problems listed; a `live` or `retired` item must have none, so no agent is ever
 * asked a broken question. An organisation's file never sets parameters (they are ignored, so not
 * checked either).
 */
export async function importItems(
  deps: AuthoringDeps,
  actorOrNull: Actor | null,
  meta: RequestMeta,
  organisationId: string | null,
  rawItems: readonly unknown[],
): Promise<ImportReport> {
  const actor = requireAuthor(actorOrNull, organisationId);
  const db = deps.stores.control.db;
  const known = await knownCompetences(db, organisationId);
  let count = await countItems(db, organisationId);
  const lines: ImportLine[] = [];
  const seenKeys = new Set<string>();
  for (const [index, raw] of rawItems.entries()) {
    // With the input in the issues, a missing field is told from one of the wrong kind (only the kind is reported).
    const parsed = fileItemShape.safeParse(organisationId === null ? raw : withoutParameters(raw), { reportInput: true });
    const rawKey = typeof (raw as { key?: unknown })?.key === 'string' ? String((raw as { key: string }).key).slice(0, 64) : null;
    if (!parsed.success) {
      const errors = shapeErrors(parsed.error).map(({ path, code, params }) => ({ path, code: code ?? 'invalid', ...(params ? { params } : {}) }));
      lines.push({ index, key: rawKey, outcome: 'error', errors });
      continue;
    }
    const item = normaliseItem(parsed.data);
    const problems = itemProblems(item, known).map(({ path, code }) => ({ path, code: code ?? 'invalid' }));
    // Only a draft may keep problems; an item without a status is a draft when new, or keeps its own (checked in importOne).
    if (problems.length > 0 && item.status !== undefined && item.status !== 'draft') {
      lines.push({ index, key: item.key ?? null, outcome: 'error', errors: problems });
      continue;
    }
    if (item.key !== undefined) {
      if (seenKeys.has(item.key)) {
        lines.push(lineError(index, item.key, 'key', 'key_repeated'));
        continue;
      }
      seenKeys.add(item.key);
    }
    try {
      lines.push(await importOne(deps, actor, organisationId, item, index, count, problems));
      if (lines.at(-1)?.outcome === 'created') count += 1;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      lines.push(lineError(index, item.key ?? null, 'key', 'item_key_taken'));
    }
  }
  const report: ImportReport = {
    created: lines.filter((l) => l.outcome === 'created').length,
    updated: lines.filter((l) => l.outcome === 'updated').length,
    unchanged: lines.filter((l) => l.outcome === 'unchanged').length,
    errors: lines.filter((l) => l.outcome === 'error').length,
    items: lines,
  };
  await audit(deps, actor, meta, 'skills.item.imported', organisationId, null, { created: report.created, updated: report.updated, unchanged: report.unchanged, errors: report.errors });
  return report;
}

/** A file item without its parameters: an organisation's file does not set them. */
function withoutParameters(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || !('parameters' in raw)) return raw;
  const { parameters: _ignored, ...rest } = raw as Record<string, unknown>;
  return rest;
}

async function importOne(
  deps: AuthoringDeps,
  actor: Actor,
  organisationId: string | null,
  item: FileItem,
  index: number,
  count: number,
  problems: FieldIssue[],
): Promise<ImportLine> {
  const db = deps.stores.control.db;
  const existing = item.key === undefined ? undefined : await findItemByKey(db, item.key);
  const drafted = (line: ImportLine): ImportLine => (problems.length > 0 ? { ...line, problems } : line);
  if (existing) {
    // A key is its bank's: an organisation never writes over the shared bank's or another's.
    if (existing.organisation_id !== organisationId) return lineError(index, item.key ?? null, 'key', 'item_key_taken');
    const status = item.status ?? existing.status;
    // A live or retired item is never written with problems, whatever the file says of its status.
    if (problems.length > 0 && status !== 'draft') return { index, key: existing.key, outcome: 'error', errors: problems };
    const fileParameters = organisationId === null ? item.parameters : undefined;
    const parameters = existing.calibrated_at !== null ? {} : fileParameters ? { a: fileParameters.a, b: fileParameters.b, c: fileParameters.c } : item.level !== existing.level ? provisionalParameters(item.level as Level) : {};
    const sameParameters = Object.entries(parameters).every(([k, v]) => existing[k as 'a' | 'b' | 'c'] === v);
    if (sameItem(existing, item) && status === existing.status && sameParameters) return drafted({ index, key: existing.key, outcome: 'unchanged', id: existing.id });
    const updated = await updateItem(db, existing.id, existing.version, {
      competence: item.competence,
      level: item.level as Level,
      kind: item.kind,
      correct: item.correct,
      content: contentOf(item),
      status,
      ...parameters,
      ...(existing.source === 'starter' && !sameItem(existing, item) ? { source: 'imported' as const } : {}),
    });
    if (!updated) return lineError(index, existing.key, 'key', 'item_conflict');
    return drafted({ index, key: existing.key, outcome: 'updated', id: existing.id });
  }
  if (item.key !== undefined) {
    // A new key must be in the importer's own namespace: an organisation's prefix, or (shared bank) none of theirs.
    const own = organisationId === null ? !ORGANISATION_KEY.test(item.key) : item.key.startsWith(organisationKeyPrefix(organisationId));
    if (!own) return lineError(index, item.key, 'key', 'item_key_taken');
  }
  if (count >= itemLimit(organisationId)) return lineError(index, item.key ?? null, 'items', 'skills_limit_reached');
  const key = item.key ?? (await nextKey(db, organisationId, item.competence));
  // Parameters decide certified levels: an organisation cannot set its own items' (they stay
  // provisional until the operators' calibration); only the shared bank's operators may bring
  // calibrated parameters from another installation.
  const fileParameters = organisationId === null ? item.parameters : undefined;
  const parameters = fileParameters ? { a: fileParameters.a, b: fileParameters.b, c: fileParameters.c } : provisionalParameters(item.level as Level);
  const row = await insertItem(db, {
    id: uuidv7(),
    key,
    organisation_id: organisationId,
    competence: item.competence,
    level: item.level as Level,
    kind: item.kind,
    status: item.status ?? 'draft',
    correct: item.correct,
    content: contentOf(item),
    ...parameters,
    calibrated_at: null,
    calibration: null,
    source: 'imported',
    source_hash: null,
    created_by: actor.principalId,
  });
  return drafted({ index, key, outcome: 'created', id: row.id });
}
