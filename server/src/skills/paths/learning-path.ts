import type { GapView, LearningResourceView } from '../../../../common/src/skills.ts';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { LearningResource } from '../resources/catalogue.ts';
import type { PathStatus, StoredResult } from '../skills.tables.ts';

/**
 * Gaps against a target profile and the learning path that follows from them (pure).
 * - The level reached in a competence is its own (measured in the test), else its area's — said
 *   as such (`basis`), since no question of the test was on that competence.
 * - A gap is required − reached when positive; the path takes, for each gap, biggest first,
 *   resources that cover the competence at a level between one above the agent's and the
 *   required one; resources of the agent's own jurisdiction (or of none) come before the other
 *   state's, and those in the agent's language before the others.
 */
export const PATH_MAX = 12;
export const RESOURCES_PER_GAP = 3;

export function gapsOf(
  result: StoredResult | null,
  required: Record<string, number>,
  competenceInfo: (id: string) => { name: string; area: string } | null,
): { gaps: GapView[]; strengths: GapView[] } {
  const gaps: GapView[] = [];
  const strengths: GapView[] = [];
  for (const [competence, level] of Object.entries(required)) {
    const info = competenceInfo(competence);
    if (!info) continue;
    const own = result?.competences.find((c) => c.competence === competence)?.level ?? null;
    const area = result?.areas.find((a) => a.area === info.area)?.level ?? null;
    const reached = own ?? area;
    const basis = own !== null ? 'competence' : area !== null ? 'area' : null;
    const view: GapView = { competence, name: info.name, area: info.area, required: level, reached, basis, gap: reached === null ? level : Math.max(0, level - reached) };
    if (reached !== null && reached >= level) strengths.push(view);
    else gaps.push(view);
  }
  gaps.sort((x, y) => y.gap - x.gap || x.competence.localeCompare(y.competence, 'en', { numeric: true }));
  strengths.sort((x, y) => (y.reached ?? 0) - y.required - ((x.reached ?? 0) - x.required) || x.competence.localeCompare(y.competence, 'en', { numeric: true }));
  return { gaps, strengths };
}

export function learningPath(
  gaps: readonly GapView[],
  resources: readonly LearningResource[],
  context: { jurisdiction: Jurisdiction; language: 'fr' | 'en'; progress: ReadonlyMap<string, { status: PathStatus }> },
): LearningResourceView[] {
  const chosen = new Map<string, LearningResourceView>();
  const rank = (r: LearningResource) => (r.jurisdiction === context.jurisdiction || r.jurisdiction === 'EU' || r.jurisdiction === 'intl' || (r.jurisdiction === 'CA' && context.jurisdiction === 'QC') ? 0 : 2) + (r.language === context.language ? 0 : 1);
  // One resource in two languages counts once: the first chosen (the agent's language ranks first).
  const offered = new Set<string>();
  const resourceKey = (r: LearningResource) => r.versionOf ?? r.id;
  for (const gap of gaps) {
    if (gap.gap <= 0) continue;
    const from = (gap.reached ?? 0) + 1;
    const candidates = resources
      .filter((r) => r.competences.includes(gap.competence) && r.levels[1] >= from && r.levels[0] <= gap.required)
      .sort((x, y) => rank(x) - rank(y) || x.levels[0] - y.levels[0] || x.durationMinutes - y.durationMinutes);
    const distinct = candidates.filter((r, i) => candidates.findIndex((other) => resourceKey(other) === resourceKey(r)) === i);
    for (const r of distinct.slice(0, RESOURCES_PER_GAP)) {
      if (offered.has(resourceKey(r))) continue;
      offered.add(resourceKey(r));
      chosen.set(r.id, {
        id: r.id,
        title: (context.language === 'en' ? (r.title.en ?? r.title.fr) : (r.title.fr ?? r.title.en)) ?? r.id,
        url: r.url,
        provider: r.provider,
        language: r.language,
        durationMinutes: r.durationMinutes,
        competences: r.competences,
        levels: [r.levels[0], r.levels[1]],
        status: context.progress.get(r.id)?.status ?? 'todo',
      });
      if (chosen.size >= PATH_MAX) return [...chosen.values()];
    }
  }
  return [...chosen.values()];
}
