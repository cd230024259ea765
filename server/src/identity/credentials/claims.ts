import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { OrganisationRole } from '../identity.tables.ts';

/**
 * The claims of each credential type (docs: type-metadata.ts; contract: credentials-api.md).
 * Everything is selectively disclosable except what the type requires: `public_agent` (the very
 * point of a public-agent attestation) and `framework` (without it a level means nothing).
 */
export interface ClaimSet {
  claims: Record<string, unknown>;
  always: string[];
  disclosable: string[];
}

export interface PublicAgentFacts {
  jurisdiction: Jurisdiction;
  givenName: string;
  familyName: string;
  organisation: { id: string; name: string; identifier: string | null };
  roles: readonly OrganisationRole[];
  /** The sign-in's eIDAS level; absent when the session has none (then the claim is left out). */
  assuranceLevel: 'low' | 'substantial' | 'high' | null;
}

export function publicAgentClaims(facts: PublicAgentFacts): ClaimSet {
  const organisation: Record<string, unknown> = { name: facts.organisation.name, id: facts.organisation.id };
  if (facts.organisation.identifier) organisation.identifier = facts.organisation.identifier;
  const claims: Record<string, unknown> = {
    public_agent: true,
    jurisdiction: facts.jurisdiction,
    given_name: facts.givenName,
    family_name: facts.familyName,
    organisation,
    role: [...facts.roles],
  };
  if (facts.assuranceLevel) claims.assurance_level = facts.assuranceLevel;
  const disclosable = Object.keys(claims).filter((k) => k !== 'public_agent');
  for (const member of Object.keys(organisation)) disclosable.push(`organisation.${member}`);
  return { claims, always: ['public_agent'], disclosable };
}

/** What the skills module says of a completed assessment (its `certificateClaims`, structurally). */
export interface SkillsFacts {
  subject: { givenName: string; familyName: string };
  /** The organisation the agent took the test in: recorded with the credential, not a claim. */
  organisation?: { id: string } | null;
  frameworkVersion: string;
  assessedAt: string;
  overallLevel: number;
  areas: { area: string; level: number | null }[];
  competences: { competence: string; level: number | null }[];
}

export function digitalSkillsClaims(facts: SkillsFacts): ClaimSet {
  // An area or competence the test did not measure has no level: it is left out, not asserted as 0.
  const areas = Object.fromEntries(facts.areas.filter((a) => a.level !== null).map((a) => [a.area, a.level]));
  const competences = Object.fromEntries(facts.competences.filter((c) => c.level !== null).map((c) => [c.competence, c.level]));
  const claims: Record<string, unknown> = {
    framework: facts.frameworkVersion,
    assessed_at: facts.assessedAt,
    overall_level: facts.overallLevel,
    areas,
    competences,
    given_name: facts.subject.givenName,
    family_name: facts.subject.familyName,
  };
  const disclosable = ['assessed_at', 'overall_level', 'areas', 'competences', 'given_name', 'family_name'];
  if (Object.keys(areas).length > 0) disclosable.push('areas.*');
  if (Object.keys(competences).length > 0) disclosable.push('competences.*');
  return { claims, always: ['framework'], disclosable };
}
