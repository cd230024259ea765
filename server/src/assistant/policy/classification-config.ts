import { z } from 'zod';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Locale } from '../../../../common/src/i18n/locales.ts';

/**
 * The data-classification scale and the AI policy settings of ENTENTE_CONFIG (`aiPolicy`), issue 7
 * « Policy ». Levels are ordered, least sensitive first; each has a name per jurisdiction (a French
 * space shows the French name, a Québec space the Québec one) in French and English. A provider
 * may receive content up to its `maxClassification` (a level id of this scale: the start fails
 * otherwise), only for the jurisdictions it is allowed, and gets pseudonymised text when its
 * `trust` is below `redactBelowTrust`. docs/ai.md « Classification et résidence ».
 */
export const LEVEL_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Provider trust, lowest first: what an operator vouches for about what the provider does with text. */
export const TRUST_LEVELS = ['external', 'standard', 'sovereign'] as const;
export type Trust = (typeof TRUST_LEVELS)[number];
export function trustRank(trust: Trust): number {
  return TRUST_LEVELS.indexOf(trust);
}

const name = z.string().trim().min(1).max(80);
const levelSchema = z
  .object({
    id: z.string().regex(LEVEL_ID, 'lower-case letters, digits, _ and - (63 at most)'),
    names: z
      .object({
        FR: z.object({ 'fr-FR': name, en: name }).strict(),
        QC: z.object({ 'fr-CA': name, en: name }).strict(),
      })
      .strict(),
  })
  .strict();

const policySchema = z
  .object({
    levels: z.array(levelSchema).min(1).max(20).optional(),
    /** Level of content whose label is not set: requests without documents, unlabelled spaces. */
    defaultLevel: z.string().regex(LEVEL_ID).optional(),
    /**
     * Level of a space whose workspace label is `restricted` (« Diffusion restreinte ») while it has
     * no level of this scale: the coarse label the space was created with is not ignored.
     */
    restrictedSpaceLevel: z.string().regex(LEVEL_ID).optional(),
    /** Providers whose trust is below this get personal identifiers replaced by placeholders; `none`: never. */
    redactBelowTrust: z.enum([...TRUST_LEVELS, 'none']).optional(),
  })
  .strict();

export interface ClassificationLevel {
  id: string;
  names: { FR: { 'fr-FR': string; en: string }; QC: { 'fr-CA': string; en: string } };
}

export interface AiPolicy {
  /** Least sensitive first. */
  levels: readonly ClassificationLevel[];
  defaultLevel: string;
  restrictedSpaceLevel: string;
  redactBelowTrust: Trust | 'none';
}

export const DEFAULT_LEVELS: readonly ClassificationLevel[] = [
  { id: 'non-protege', names: { FR: { 'fr-FR': 'Non protégé', en: 'Unprotected' }, QC: { 'fr-CA': 'Public', en: 'Public' } } },
  {
    id: 'diffusion-restreinte',
    names: { FR: { 'fr-FR': 'Diffusion restreinte', en: 'Restricted distribution' }, QC: { 'fr-CA': 'Confidentiel', en: 'Confidential' } },
  },
];

export const DEFAULT_AI_POLICY: AiPolicy = {
  levels: DEFAULT_LEVELS,
  defaultLevel: 'non-protege',
  restrictedSpaceLevel: 'diffusion-restreinte',
  // Secure by default: a provider is `standard` unless the operator vouches for it.
  redactBelowTrust: 'sovereign',
};

/** Validates `aiPolicy`; problems name the field. */
export function parseAiPolicy(raw: unknown): { policy: AiPolicy; problems: string[] } {
  if (raw === undefined) return { policy: DEFAULT_AI_POLICY, problems: [] };
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    return {
      policy: DEFAULT_AI_POLICY,
      problems: parsed.error.issues.map((i) => `aiPolicy${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`),
    };
  }
  const p = parsed.data;
  const problems: string[] = [];
  const levels = p.levels ?? DEFAULT_LEVELS;
  const ids = new Set<string>();
  levels.forEach((level, i) => {
    if (ids.has(level.id)) problems.push(`aiPolicy.levels.${i}.id: duplicate level ${JSON.stringify(level.id)} / niveau en double`);
    ids.add(level.id);
  });
  const first = levels[0]?.id ?? 'non-protege';
  const last = levels[levels.length - 1]?.id ?? first;
  // With a custom scale and no choice, the defaults are its ends: least sensitive, most sensitive.
  const custom = p.levels !== undefined;
  const defaultLevel = p.defaultLevel ?? (custom ? first : DEFAULT_AI_POLICY.defaultLevel);
  const restrictedSpaceLevel = p.restrictedSpaceLevel ?? (custom ? last : DEFAULT_AI_POLICY.restrictedSpaceLevel);
  if (!ids.has(defaultLevel)) problems.push(`aiPolicy.defaultLevel: ${JSON.stringify(defaultLevel)} is not a level of the scale / n’est pas un niveau de l’échelle`);
  if (!ids.has(restrictedSpaceLevel)) {
    problems.push(`aiPolicy.restrictedSpaceLevel: ${JSON.stringify(restrictedSpaceLevel)} is not a level of the scale / n’est pas un niveau de l’échelle`);
  }
  return { policy: { levels, defaultLevel, restrictedSpaceLevel, redactBelowTrust: p.redactBelowTrust ?? DEFAULT_AI_POLICY.redactBelowTrust }, problems };
}

/** Each provider's `maxClassification` must be a level of the scale (a typo would clear nothing, or everything). */
export function checkProviderLevels(providers: readonly { id: string; maxClassification: string }[], policy: AiPolicy): string[] {
  const ids = new Set(policy.levels.map((l) => l.id));
  return providers
    .filter((p) => !ids.has(p.maxClassification))
    .map(
      (p) =>
        `aiProviders ${JSON.stringify(p.id)}.maxClassification: ${JSON.stringify(p.maxClassification)} is not a level of aiPolicy.levels (${[...ids].join(', ')}) / n’est pas un niveau de l’échelle`,
    );
}

/**
 * The rank of a level, 0 = least sensitive. A level id the scale no longer has (an operator removed
 * it after documents were labelled with it) ranks above every level: refused rather than guessed.
 */
export function levelRank(policy: AiPolicy, id: string): number {
  const i = policy.levels.findIndex((l) => l.id === id);
  return i === -1 ? policy.levels.length : i;
}

export function isLevel(policy: AiPolicy, id: string): boolean {
  return policy.levels.some((l) => l.id === id);
}

/** The more sensitive of two levels. */
export function higherLevel(policy: AiPolicy, a: string, b: string): string {
  return levelRank(policy, a) >= levelRank(policy, b) ? a : b;
}

/** The level's name as the jurisdiction calls it, in the reader's language (French of that jurisdiction). */
export function levelName(policy: AiPolicy, id: string, jurisdiction: Jurisdiction, locale: Locale): string {
  const level = policy.levels.find((l) => l.id === id);
  if (!level) return id;
  if (locale === 'en') return level.names[jurisdiction].en;
  return jurisdiction === 'FR' ? level.names.FR['fr-FR'] : level.names.QC['fr-CA'];
}

/**
 * The scale as the workspace uses it for labels (workspace/classification): ranks, names, and the
 * level of a space from its own level or, when unset, its workspace label.
 */
export function classificationScale(policy: AiPolicy) {
  return {
    ids: policy.levels.map((l) => l.id),
    isLevel: (id: string) => isLevel(policy, id),
    rank: (id: string) => levelRank(policy, id),
    name: (id: string, jurisdiction: Jurisdiction, locale: Locale) => levelName(policy, id, jurisdiction, locale),
    spaceLevel: (own: string | null, workspaceLabel: string | null) =>
      own ?? (workspaceLabel === 'restricted' ? policy.restrictedSpaceLevel : policy.defaultLevel),
    defaultLevel: policy.defaultLevel,
  };
}
