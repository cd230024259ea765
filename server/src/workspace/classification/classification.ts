import type { Locale } from '../../../../common/src/i18n/locales.ts';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Actor } from '../../identity/actor.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { documentAccessFor, requireNotMoving, roleAtLeast, spaceAccessFor } from '../access.ts';
import { type RequestMeta, requireActor, requireAssuranceFor } from '../spaces/deps.ts';
import { loadSpace, spacePath } from '../spaces/spaces.ts';
import type { EventBus } from '../../platform/events/index.ts';
import type { Logger } from '../../platform/logger.ts';
import { spaceChanged } from '../live/space-events.ts';
import { findDocumentLevels, findSpaceLevels, findWorkspaceLabels, updateDocumentLevel, updateSpaceLevel } from './classification.repo.ts';

/**
 * Classification labels of spaces and documents on the configured scale (issue 7, « Policy »;
 * ENTENTE_CONFIG `aiPolicy.levels`). A document's effective level is the higher of its own and its
 * space's; a space's level is its own, else its workspace label (`restricted` → the scale's
 * restricted level), else the scale's default.
 *
 * Who changes a label (audited either way):
 * - raising (the effective level goes up, or stays): editors and owners;
 * - lowering: owners of the space only — a lower level lets the content reach more models, so it
 *   needs the person accountable for the space; a refused lowering is audited as denied. Lowering
 *   or clearing the OWN label is a lowering even when the effective level stays (the space's level
 *   or the workspace label covers it today): otherwise an editor could take the label off and the
 *   content would drop with the next change of what covered it.
 * - in person only: a session (not a personal access token, whose `api:write` is for scripts on
 *   one's own data) at the space's minimum level of assurance (a step-up below it), as for the
 *   space's other settings.
 */
export interface ClassificationScale {
  ids: readonly string[];
  isLevel(id: string): boolean;
  rank(id: string): number;
  name(id: string, jurisdiction: Jurisdiction, locale: Locale): string;
  spaceLevel(own: string | null, workspaceLabel: string | null): string;
  defaultLevel: string;
}

export interface ClassificationDeps {
  stores: Stores;
  audit: AuditLog;
  scale: ClassificationScale;
  /** Tells open space pages that the level changed (live/space-events); absent in tests that need none. */
  events?: EventBus;
  logger?: Logger;
}

export interface LevelView {
  id: string;
  name: string;
}

export interface LabelView {
  jurisdiction: Jurisdiction;
  /** The label set on this space or document; null: not set (inherited / default). */
  own: LevelView | null;
  /** What applies: for a document, the higher of its own and its space's. */
  effective: LevelView;
  /** The scale, least sensitive first, named as this jurisdiction names it. */
  levels: LevelView[];
  /** Whether the agent may raise it, and lower it. */
  canRaise: boolean;
  canLower: boolean;
}

const view = (scale: ClassificationScale, id: string, j: Jurisdiction, locale: Locale): LevelView => ({ id, name: scale.name(id, j, locale) });

async function spaceLevelOf(deps: Pick<ClassificationDeps, 'stores' | 'scale'>, spaceId: string): Promise<{ jurisdiction: Jurisdiction; own: string | null; level: string } | null> {
  const [row] = await findSpaceLevels(deps.stores.control.db, [spaceId]);
  if (!row) return null;
  const [label] = await findWorkspaceLabels(deps.stores.cells[row.jurisdiction].db, [spaceId]);
  return { jurisdiction: row.jurisdiction, own: row.classification, level: deps.scale.spaceLevel(row.classification, label?.classification ?? null) };
}

function labelView(deps: ClassificationDeps, j: Jurisdiction, own: string | null, effective: string, role: string, locale: Locale): LabelView {
  return {
    jurisdiction: j,
    own: own ? view(deps.scale, own, j, locale) : null,
    effective: view(deps.scale, effective, j, locale),
    levels: deps.scale.ids.map((id) => view(deps.scale, id, j, locale)),
    canRaise: role === 'owner' || role === 'editor',
    canLower: role === 'owner',
  };
}

export async function getSpaceClassification(deps: ClassificationDeps, actorOrNull: Actor | null, spaceId: string, locale: Locale): Promise<LabelView> {
  const actor = requireActor(actorOrNull);
  const access = await spaceAccessFor(deps.stores, actor.principalId, spaceId);
  if (!access) throw notFound();
  const space = await spaceLevelOf(deps, spaceId);
  if (!space) throw notFound();
  return labelView(deps, space.jurisdiction, space.own, space.level, access.role, locale);
}

type Direction = 'raised' | 'lowered' | 'unchanged';
/**
 * The effective level's move, except that taking the own label down (to a lower level, or off) is
 * a lowering even when the effective level stays: what covers it now (the space's level, the
 * workspace label) may be lowered later by someone who never saw this label.
 */
function direction(scale: ClassificationScale, before: string, after: string, own: { before: string | null; after: string | null }): Direction {
  const d = scale.rank(after) - scale.rank(before);
  if (d > 0) return 'raised';
  if (d < 0) return 'lowered';
  const ownLowered = own.before !== null && (own.after === null || scale.rank(own.after) < scale.rank(own.before));
  return ownLowered ? 'lowered' : 'unchanged';
}

export async function setSpaceClassification(
  deps: ClassificationDeps,
  actorOrNull: Actor | null,
  spaceId: string,
  level: string | null,
  locale: Locale,
  meta: RequestMeta,
): Promise<LabelView> {
  const actor = requireActor(actorOrNull);
  const { access, space: row } = await loadSpace(deps.stores, actor, spaceId);
  const space = await spaceLevelOf(deps, spaceId);
  if (!space) throw notFound();
  if (level !== null && !deps.scale.isLevel(level)) throw notFound(); // the route validates: defence in depth
  const [label] = await findWorkspaceLabels(deps.stores.cells[space.jurisdiction].db, [spaceId]);
  const after = deps.scale.spaceLevel(level, label?.classification ?? null);
  const moved = direction(deps.scale, space.level, after, { before: space.own, after: level });
  const audit = (outcome: 'success' | 'denied') =>
    deps.audit.record({
      action: 'space.classification.changed',
      outcome,
      actorId: actor.principalId,
      jurisdiction: space.jurisdiction,
      resource: { type: 'space', id: spaceId },
      ip: meta.ip,
      requestId: meta.requestId,
      details: { from: space.own, to: level, fromEffective: space.level, toEffective: after, direction: moved, via: actor.via },
    });
  if (actor.via !== 'session' || !roleAtLeast(access.role, 'editor') || (moved === 'lowered' && access.role !== 'owner')) {
    await audit('denied');
    throw forbidden();
  }
  requireAssuranceFor(actor, row.min_assurance, spacePath(spaceId));
  requireNotMoving(access);
  await updateSpaceLevel(deps.stores.control.db, spaceId, level);
  if (deps.logger) await spaceChanged({ events: deps.events, logger: deps.logger }, spaceId, 'space');
  await audit('success');
  return labelView(deps, space.jurisdiction, level, after, access.role, locale);
}

async function documentLevelOf(deps: ClassificationDeps, documentId: string, spaceId: string, j: Jurisdiction) {
  const [doc] = await findDocumentLevels(deps.stores.cells[j].db, [documentId]);
  const space = await spaceLevelOf(deps, spaceId);
  if (!doc || !space) return null;
  return { own: doc.classification, space: space.level };
}

const higher = (scale: ClassificationScale, a: string, b: string) => (scale.rank(a) >= scale.rank(b) ? a : b);

export async function getDocumentClassification(deps: ClassificationDeps, actorOrNull: Actor | null, documentId: string, locale: Locale): Promise<LabelView & { space: LevelView }> {
  const actor = requireActor(actorOrNull);
  const access = await documentAccessFor(deps.stores, actor, documentId);
  if (!access) throw notFound();
  const levels = await documentLevelOf(deps, documentId, access.spaceId, access.jurisdiction);
  if (!levels) throw notFound();
  const effective = levels.own ? higher(deps.scale, levels.own, levels.space) : levels.space;
  return {
    ...labelView(deps, access.jurisdiction, levels.own, effective, access.role, locale),
    space: view(deps.scale, levels.space, access.jurisdiction, locale),
  };
}

export async function setDocumentClassification(
  deps: ClassificationDeps,
  actorOrNull: Actor | null,
  documentId: string,
  level: string | null,
  locale: Locale,
  meta: RequestMeta,
): Promise<LabelView & { space: LevelView }> {
  const actor = requireActor(actorOrNull);
  const access = await documentAccessFor(deps.stores, actor, documentId);
  if (!access) throw notFound();
  if (level !== null && !deps.scale.isLevel(level)) throw notFound();
  const levels = await documentLevelOf(deps, documentId, access.spaceId, access.jurisdiction);
  if (!levels) throw notFound();
  const before = levels.own ? higher(deps.scale, levels.own, levels.space) : levels.space;
  const after = level ? higher(deps.scale, level, levels.space) : levels.space;
  const moved = direction(deps.scale, before, after, { before: levels.own, after: level });
  const audit = (outcome: 'success' | 'denied') =>
    deps.audit.record({
      action: 'document.classification.changed',
      outcome,
      actorId: actor.principalId,
      jurisdiction: access.jurisdiction,
      resource: { type: 'document', id: documentId },
      ip: meta.ip,
      requestId: meta.requestId,
      details: { spaceId: access.spaceId, from: levels.own, to: level, fromEffective: before, toEffective: after, direction: moved, via: actor.via },
    });
  // A link or a restriction may give less than editor: the effective role on the document decides.
  if (actor.via !== 'session' || !roleAtLeast(access.role, 'editor') || (moved === 'lowered' && access.role !== 'owner')) {
    await audit('denied');
    throw forbidden();
  }
  requireAssuranceFor(actor, access.minAssurance, spacePath(access.spaceId));
  requireNotMoving(access);
  await updateDocumentLevel(deps.stores.cells[access.jurisdiction].db, documentId, level);
  await audit('success');
  return {
    ...labelView(deps, access.jurisdiction, level, after, access.role, locale),
    space: view(deps.scale, levels.space, access.jurisdiction, locale),
  };
}

/** One document of a request's content, as the AI policy sees it. */
export interface ContentLabel {
  documentId: string;
  spaceId: string;
  jurisdiction: Jurisdiction;
  /** Effective level: the higher of the document's own and its space's. */
  level: string;
}

/**
 * The effective level and jurisdiction of documents the agent sends to a model, with the
 * workspace's own read check (membership, restrictions, share links, assurance). The first
 * document the agent may not read is returned as `forbidden` (the gateway refuses the request).
 */
export async function contentLabels(
  deps: Pick<ClassificationDeps, 'stores' | 'scale'>,
  principal: { principalId: string; assuranceLevel: string | null },
  documentIds: readonly string[],
): Promise<{ labels: ContentLabel[]; forbidden: string | null }> {
  const labels: ContentLabel[] = [];
  const spaceCache = new Map<string, string>();
  for (const documentId of [...new Set(documentIds)]) {
    const access = await documentAccessFor(deps.stores, principal, documentId);
    if (!access || access.insufficientAssurance || access.trashed) return { labels, forbidden: documentId };
    let spaceLevel = spaceCache.get(access.spaceId);
    if (spaceLevel === undefined) {
      const space = await spaceLevelOf(deps, access.spaceId);
      if (!space) return { labels, forbidden: documentId };
      spaceLevel = space.level;
      spaceCache.set(access.spaceId, spaceLevel);
    }
    const [doc] = await findDocumentLevels(deps.stores.cells[access.jurisdiction].db, [documentId]);
    const level = doc?.classification ? higher(deps.scale, doc.classification, spaceLevel) : spaceLevel;
    labels.push({ documentId, spaceId: access.spaceId, jurisdiction: access.jurisdiction, level });
  }
  return { labels, forbidden: null };
}

// ── hybrid retrieval (helper E): labels for the embeddings indexer's service requests ──
/**
 * The effective levels of documents of ONE cell, without a reader's check: for the assistant's
 * embeddings indexer (assistant/embeddings/indexer.ts), which is nobody's reader — it embeds the
 * cell's indexed text so that each agent's retrieval can later rank what THAT agent may read. The
 * policy still decides by these labels (classification, residency). A document not in this cell is
 * `forbidden`, as for an agent.
 */
export async function serviceContentLabels(
  deps: Pick<ClassificationDeps, 'stores' | 'scale'>,
  jurisdiction: Jurisdiction,
  documentIds: readonly string[],
): Promise<{ labels: ContentLabel[]; forbidden: string | null }> {
  const ids = [...new Set(documentIds)];
  const rows = await findDocumentLevels(deps.stores.cells[jurisdiction].db, ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id)));
  const labels: ContentLabel[] = [];
  for (const documentId of ids) {
    const doc = rows.find((r) => r.id === documentId);
    const space = doc ? await spaceLevelOf(deps, doc.space_id) : null;
    if (!doc || !space || space.jurisdiction !== jurisdiction) return { labels, forbidden: documentId };
    const level = doc.classification ? higher(deps.scale, doc.classification, space.level) : space.level;
    labels.push({ documentId, spaceId: doc.space_id, jurisdiction, level });
  }
  return { labels, forbidden: null };
}
// ── end hybrid retrieval ──

