/**
 * The shape of the competency framework (DigComp 2.2 backbone, mapped to France's CRCN and
 * Québec's digital competency framework). Shared by the framework data, the item bank, the
 * engine's content balancing and the web. Text is French first: `fr` (fr-FR) always, `frCA` only
 * where Québec usage differs, `en` always.
 */

export type AreaId = '1' | '2' | '3' | '4' | '5';
export const AREA_IDS: readonly AreaId[] = ['1', '2', '3', '4', '5'];

/** Proficiency levels 1–8 (DigComp 2.2: foundation 1–2, intermediate 3–4, advanced 5–6, highly specialised 7–8). */
export type Level = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;
export const LEVELS: readonly Level[] = [1, 2, 3, 4, 5, 6, 7, 8];

export interface LocalisedText {
  fr: string;
  /** Only where Québec French differs from fr-FR (courriel, clavarder, fin de semaine…). */
  frCA?: string;
  en: string;
}

export interface Area {
  id: AreaId;
  name: LocalisedText;
  description: LocalisedText;
}

export interface Competence {
  /** DigComp id, '1.1' … '5.4'; an organisation's own competence is 'org-<slug>'. */
  id: string;
  area: AreaId;
  name: LocalisedText;
  description: LocalisedText;
  /** Ids of France's CRCN competences (the 16 Pix uses, '1.1' … '5.2') this competence maps to. */
  crcn: string[];
  /** Ids of Québec's digital competency framework dimensions ('qc-1' … 'qc-12') it maps to. */
  quebec: string[];
}

/** One of the 16 competences of France's CRCN (Cadre de référence des compétences numériques). */
export interface CrcnCompetence {
  id: string;
  domain: string;
  name: LocalisedText;
}

/** One of the 12 dimensions of Québec's Cadre de référence de la compétence numérique. */
export interface QuebecDimension {
  id: string;
  name: LocalisedText;
}

export type TargetRole = 'agent' | 'manager' | 'digital-specialist';

/** The level a role needs, per competence (competences absent: no requirement). */
export interface TargetProfile {
  id: string;
  role: TargetRole;
  name: LocalisedText;
  required: Record<string, Level>;
}
