import { JURISDICTIONS } from '../../../../common/src/jurisdiction.ts';
import type { JobRunner } from '../../platform/jobs/index.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { jsonToText } from '../content/text.ts';
import { type DocumentRef, openVersionState, sealVersionState, stateToJson } from './version-content.ts';
import type { VersionsDeps } from './versions.ts';
import { findDocumentsChangedSince, findLatestVersionRow, insertVersion, latestAutoVersionAt, lockDocument } from './versions.repo.ts';

/**
 * Automatic versions: while a document is being edited, at most one every AUTO_VERSION_EVERY_MS,
 * and only when its content differs from its latest version (of any kind). Two callers:
 * - the collaboration server, after it compacts a document that went quiet (cheap when a version
 *   is recent: one indexed read);
 * - a sweep job every AUTO_VERSION_SWEEP_MS over the documents changed recently, so that versions
 *   are taken even on a node that never compacts.
 */
export const AUTO_VERSION_EVERY_MS = 10 * 60_000;
export const AUTO_VERSION_SWEEP_MS = 5 * 60_000;
/** Documents changed this long ago are still looked at (see the reasoning in sweepAutoVersions). */
const SWEEP_LOOKBACK_MS = AUTO_VERSION_EVERY_MS + 2 * AUTO_VERSION_SWEEP_MS;
/** Documents handled per cell and sweep; the next sweep takes the rest. */
const SWEEP_BATCH = 500;

export const AUTO_VERSION_JOB = 'workspace.versions.auto';

export type AutoVersionDeps = Pick<VersionsDeps, 'cells' | 'content' | 'logger'>;

/** Records an automatic version of the document if one is due; returns its id, or null. */
export async function maybeRecordAutoVersion(
  deps: AutoVersionDeps,
  ref: DocumentRef,
  options: { now?: Date; everyMs?: number } = {},
): Promise<string | null> {
  const now = options.now ?? new Date();
  const everyMs = options.everyMs ?? AUTO_VERSION_EVERY_MS;
  const db = deps.cells.get(ref.jurisdiction).db;
  const due = (last: Date | null) => last === null || now.getTime() - last.getTime() >= everyMs;
  if (!due(await latestAutoVersionAt(db, ref.documentId))) return null;

  const current = await deps.content().load(ref);
  const json = stateToJson(current.state);
  const text = jsonToText(json);
  const latest = await findLatestVersionRow(db, ref.documentId);
  if (latest) {
    // Same text and same structure and formatting as the latest version: nothing to record.
    if (latest.content_text === text && JSON.stringify(stateToJson(await openVersionState(deps.cells, ref, latest))) === JSON.stringify(json)) return null;
  } else if ((json.content ?? []).length === 0) {
    return null; // never edited: an empty document has no history to keep
  }

  const sealed = await sealVersionState(deps.cells, ref, current.epoch, current.state);
  const id = uuidv7();
  const inserted = await db.transaction().execute(async (trx) => {
    // Two nodes may decide at once: under the document's lock, the second sees the first's version.
    if (!(await lockDocument(trx, ref.documentId, ref.spaceId))) return false;
    if (!due(await latestAutoVersionAt(trx, ref.documentId))) return false;
    await insertVersion(trx, {
      id,
      document_id: ref.documentId,
      epoch: current.epoch,
      kind: 'auto',
      name: null,
      key_version: sealed.key_version,
      state: sealed.state,
      content_text: text,
      created_by: null,
      created_at: now,
    });
    return true;
  });
  return inserted ? id : null;
}

/**
 * One sweep: every document (not trashed) changed within the lookback, in each cell. A document
 * edited until t1 whose last automatic version is at ta < t1 gets its next one at the first sweep
 * after ta + EVERY, at the latest ta + EVERY + SWEEP < t1 + EVERY + SWEEP: within the lookback.
 */
export async function sweepAutoVersions(deps: AutoVersionDeps, now = new Date()): Promise<number> {
  let recorded = 0;
  for (const jurisdiction of JURISDICTIONS) {
    const db = deps.cells.get(jurisdiction).db;
    const changed = await findDocumentsChangedSince(db, new Date(now.getTime() - SWEEP_LOOKBACK_MS), SWEEP_BATCH);
    for (const doc of changed) {
      try {
        if (await maybeRecordAutoVersion(deps, { documentId: doc.id, spaceId: doc.space_id, jurisdiction }, { now })) recorded++;
      } catch (error) {
        // One unreadable document must not stop the others' history.
        deps.logger.warn({ err: error, documentId: doc.id }, 'automatic version failed');
      }
    }
  }
  return recorded;
}

export function registerAutoVersions(jobs: JobRunner, deps: AutoVersionDeps): void {
  jobs.register(AUTO_VERSION_JOB, async () => {
    await sweepAutoVersions(deps);
  });
  jobs.every(AUTO_VERSION_JOB, AUTO_VERSION_SWEEP_MS);
}
