import type { PersonalDataContext } from '../identity/personal-data/personal-data.ts';
import type { SkillsSection } from '../identity/personal-data/schema.ts';
import type { Stores } from '../platform/db/stores.ts';
import { listOwnAssessments, listResponses } from './assessments/assessments.repo.ts';
import { findTargetProfileChoice, listPathProgress } from './assessments/settings.repo.ts';
import { findItemsByIds } from './items/items.repo.ts';

/**
 * The skills module's part of « Télécharger mes données » (docs/personal-data-export.md): every
 * assessment of the agent with its answers (keys of the questions, not their text: the bank is
 * not personal data), their chosen target profile and their learning-path progress.
 */
export const MAX_ASSESSMENTS = 1_000;

export function skillsPersonalData(stores: Stores) {
  return async (context: PersonalDataContext): Promise<SkillsSection> => {
    const db = stores.cells[context.homeJurisdiction].db;
    const assessments = await listOwnAssessments(db, context.principalId, MAX_ASSESSMENTS);
    const answered = await Promise.all(assessments.map(async (a) => ({ a, responses: await listResponses(db, a.id) })));
    const itemIds = [...new Set(answered.flatMap(({ responses }) => responses.map((r) => r.item_id)))];
    const keys = new Map((await findItemsByIds(stores.control.db, itemIds)).map((i) => [i.id, i.key]));
    const progress = await listPathProgress(db, context.principalId);
    return {
      assessments: answered.map(({ a, responses }) => ({
        id: a.id,
        status: a.status,
        organisationId: a.organisation_id,
        frameworkVersion: a.framework_version,
        startedAt: a.started_at.toISOString(),
        completedAt: a.completed_at?.toISOString() ?? null,
        level: a.level,
        result: a.result,
        answers: responses.map((r) => ({
          position: r.position,
          itemKey: keys.get(r.item_id) ?? null,
          competence: r.competence,
          answer: r.answer,
          correct: r.correct,
          answeredAt: r.answered_at.toISOString(),
        })),
      })),
      targetProfileId: (await findTargetProfileChoice(db, context.principalId)) ?? null,
      learningPath: [...progress.entries()].map(([resourceId, p]) => ({ resourceId, status: p.status, updatedAt: p.updatedAt.toISOString() })),
    };
  };
}
