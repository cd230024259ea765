import type { AssessmentResult, AssessmentSummary, QuestionView } from '../../../../common/src/skills.ts';
import { areaName } from '../framework/framework.ts';
import type { Competence } from '../framework/types.ts';
import type { ItemRow } from '../items/items.repo.ts';
import { localiseContent, localiseText, type SkillsLanguage } from '../items/localise.ts';
import type { StoredResult } from '../skills.tables.ts';
import type { AssessmentRow } from './assessments.repo.ts';

/** Presenting assessments: localised, and never an answer key or a parameter in a question. */

const TRUE_FALSE = { 'fr-FR': ['Vrai', 'Faux'], 'fr-CA': ['Vrai', 'Faux'], en: ['True', 'False'] } as const;

export function competenceName(competences: ReadonlyMap<string, Competence>, id: string, language: SkillsLanguage): string {
  const competence = competences.get(id);
  return competence ? localiseText(competence.name, language) : id;
}

export function questionView(row: ItemRow, area: string, competences: ReadonlyMap<string, Competence>, language: SkillsLanguage): QuestionView {
  const content = localiseContent(row.content, language);
  return {
    itemId: row.id,
    kind: row.kind,
    competence: { id: row.competence, name: competenceName(competences, row.competence, language) },
    area: { id: area, name: areaName(area, language) },
    stem: content.stem,
    options: row.kind === 'true_false' ? [...TRUE_FALSE[language]] : row.kind === 'short_answer' ? [] : [...(content.options ?? [])],
  };
}

export function trueFalseOptions(language: SkillsLanguage): string[] {
  return [...TRUE_FALSE[language]];
}

export function summaryView(row: AssessmentRow): AssessmentSummary {
  return {
    id: row.id,
    status: row.status,
    startedAt: row.started_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
    answered: row.answered,
    level: row.level,
  };
}

export function resultView(result: StoredResult, frameworkVersion: string, competences: ReadonlyMap<string, Competence>, language: SkillsLanguage): AssessmentResult {
  return {
    level: result.level,
    theta: result.theta,
    standardError: result.standardError,
    stopReason: result.stopReason,
    areas: result.areas.map((a) => ({ ...a, name: areaName(a.area, language) })),
    competences: result.competences.map((c) => ({ ...c, name: competenceName(competences, c.competence, language) })),
    frameworkVersion,
  };
}
