import { DEFAULT_ENGINE_OPTIONS, eap, levelOf, type StepResult } from '../cat/index.ts';
import type { StoredResult } from '../skills.tables.ts';
import type { ResponseRow } from './assessments.repo.ts';

/**
 * Per competence: EAP on that competence's answers with the overall estimate as the prior's
 * centre (shrinkage): two or three answers alone would say more about the prior than about the
 * agent. A competence with no answer has no level.
 */
export function storedResultOf(outcome: Extract<StepResult, { done: true }>, responses: readonly ResponseRow[]): StoredResult {
  const { result } = outcome;
  // A competence is listed only once it has an answer: each list holds at least one row.
  const byCompetence = new Map<string, [ResponseRow, ...ResponseRow[]]>();
  for (const r of responses) {
    const rows = byCompetence.get(r.competence);
    if (rows) rows.push(r);
    else byCompetence.set(r.competence, [r]);
  }
  const competences = [...byCompetence.entries()]
    .map(([competence, rows]) => {
      const estimate = eap(
        rows.map((r) => ({ item: { a: r.a, b: r.b, c: r.c }, correct: r.correct })),
        DEFAULT_ENGINE_OPTIONS.grid,
        { mean: result.theta, sd: 1 },
      );
      return { competence, area: rows[0].area, level: levelOf(estimate.theta), answered: rows.length, correct: rows.filter((r) => r.correct).length };
    })
    .sort((x, y) => x.competence.localeCompare(y.competence, 'en', { numeric: true }));
  return {
    level: result.level,
    theta: round(result.theta),
    standardError: round(result.sd),
    stopReason: outcome.reason,
    areas: result.areas.map((a) => ({
      area: a.area,
      answered: a.answered,
      level: a.estimate?.level ?? null,
      theta: a.estimate ? round(a.estimate.theta) : null,
      standardError: a.estimate ? round(a.estimate.sd) : null,
    })),
    competences,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
