import { formatMessage } from '../../../../common/src/i18n/format.ts';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Actor } from '../../identity/actor.ts';
import { findProfilesByIds } from '../../identity/members.repo.ts';
import { findOrganisationsByIds } from '../../identity/organisations.repo.ts';
import type { RequestMeta } from '../../identity/roles.ts';
import { AppError, notFound, unauthenticated } from '../../platform/errors.ts';
import { findOwnAssessment } from '../assessments/assessments.repo.ts';
import type { SkillsDeps } from '../assessments/assessments.ts';
import type { SkillsLanguage } from '../items/localise.ts';
import { renderCertificatePdf } from './certificate-pdf.ts';

/**
 * A certificate of the levels an agent reached in one completed assessment. `CertificateClaims`
 * is what the credentials issue will sign as the digital-skills SD-JWT VC (levels per competence
 * and area, date, framework version): the PDF shows the same claims, so the two never disagree.
 * Only the assessment's owner gets it; every download is audited in their home cell.
 */
export interface CertificateClaims {
  assessmentId: string;
  subject: { principalId: string; givenName: string; familyName: string };
  organisation: { id: string; name: string } | null;
  jurisdiction: Jurisdiction;
  frameworkVersion: string;
  assessedAt: string;
  overallLevel: number;
  standardError: number;
  answered: number;
  areas: { area: string; level: number | null }[];
  competences: { competence: string; level: number | null }[];
}

export async function certificateClaims(deps: SkillsDeps, actor: Actor, assessmentId: string): Promise<CertificateClaims> {
  const db = deps.stores.cells[actor.homeJurisdiction].db;
  const row = await findOwnAssessment(db, actor.principalId, assessmentId);
  if (!row) throw notFound();
  if (row.status !== 'completed' || !row.result || !row.completed_at) throw new AppError('assessment_not_completed', { status: 409 });
  const [profile] = await findProfilesByIds(db, [actor.principalId]);
  const [organisation] = row.organisation_id ? await findOrganisationsByIds(deps.stores.control.db, [row.organisation_id]) : [];
  return {
    assessmentId: row.id,
    subject: { principalId: actor.principalId, givenName: profile?.given_name ?? '', familyName: profile?.family_name ?? '' },
    organisation: organisation ? { id: organisation.id, name: organisation.name } : null,
    jurisdiction: actor.homeJurisdiction,
    frameworkVersion: row.framework_version,
    assessedAt: row.completed_at.toISOString(),
    overallLevel: row.result.level,
    standardError: row.result.standardError,
    answered: row.answered,
    areas: row.result.areas.map((a) => ({ area: a.area, level: a.level })),
    competences: row.result.competences.map((c) => ({ competence: c.competence, level: c.level })),
  };
}

export async function certificatePdf(
  deps: SkillsDeps,
  actorOrNull: Actor | null,
  meta: RequestMeta,
  assessmentId: string,
  language: SkillsLanguage,
): Promise<{ pdf: Buffer; filename: string }> {
  if (!actorOrNull) throw unauthenticated();
  const actor = actorOrNull;
  const claims = await certificateClaims(deps, actor, assessmentId);
  const pdf = await renderCertificatePdf(claims, language);
  await deps.audit.record({
    action: 'skills.certificate.downloaded',
    outcome: 'success',
    actorId: actor.principalId,
    organisationId: claims.organisation?.id ?? null,
    resource: { type: 'skills_assessment', id: assessmentId },
    jurisdiction: actor.homeJurisdiction,
    ip: meta.ip,
    requestId: meta.requestId,
  });
  // In the language of the PDF: attestation-competences-2026-03-05.pdf, digital-skills-certificate-2026-03-05.pdf.
  return { pdf, filename: formatMessage(language, 'skillsCertificate.filename', { date: claims.assessedAt.slice(0, 10) }) };
}
