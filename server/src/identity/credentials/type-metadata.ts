import type { CredentialTypeName } from './credentials.tables.ts';

/**
 * SD-JWT VC type metadata (draft-ietf-oauth-sd-jwt-vc §6) served at the `vct` URLs: what each
 * claim means, in French and English, and whether a holder may withhold it (`sd`).
 */
type Label = { fr: string; en: string };

/** DigComp 2.2's areas and competences (the skills module's framework; ids only, to name claim paths). */
const AREA_IDS = ['1', '2', '3', '4', '5'] as const;
const COMPETENCE_IDS = ['1.1', '1.2', '1.3', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '3.1', '3.2', '3.3', '3.4', '4.1', '4.2', '4.3', '4.4', '5.1', '5.2', '5.3', '5.4'] as const;
type ClaimMeta = { path: (string | null)[]; label: Label; sd: 'always' | 'allowed' | 'never' };

export function vctOf(publicUrl: URL, type: CredentialTypeName): string {
  return `${publicUrl.href.replace(/\/+$/, '')}/credentials/types/${type}`;
}

const display = (name: Label, description: Label) => [
  { lang: 'fr-FR', locale: 'fr-FR', name: name.fr, description: description.fr },
  { lang: 'en', locale: 'en', name: name.en, description: description.en },
];

const claim = (path: (string | null)[], fr: string, en: string, sd: ClaimMeta['sd']) => ({
  path,
  display: [
    { lang: 'fr-FR', locale: 'fr-FR', label: fr },
    { lang: 'en', locale: 'en', label: en },
  ],
  sd,
});

const TYPES: Record<CredentialTypeName, { name: Label; description: Label; claims: ReturnType<typeof claim>[] }> = {
  'public-agent': {
    name: { fr: 'Attestation d’agent public', en: 'Public agent attestation' },
    description: {
      fr: 'Atteste qu’une personne est agent d’un organisme public français ou québécois, avec son organisme, ses rôles et le niveau de garantie de sa connexion.',
      en: 'Attests that a person is an agent of a French or Québec public body, with the body, their roles and the level of assurance of their sign-in.',
    },
    claims: [
      claim(['public_agent'], 'Agent public', 'Public agent', 'never'),
      claim(['jurisdiction'], 'État (FR ou QC)', 'State (FR or QC)', 'always'),
      claim(['given_name'], 'Prénom', 'Given name', 'always'),
      claim(['family_name'], 'Nom', 'Family name', 'always'),
      claim(['organisation'], 'Organisme', 'Organisation', 'always'),
      claim(['organisation', 'name'], 'Nom de l’organisme', 'Organisation name', 'always'),
      claim(['organisation', 'identifier'], 'Identifiant de l’organisme (SIRET ou NEQ)', 'Organisation identifier (SIRET or NEQ)', 'always'),
      claim(['organisation', 'id'], 'Identifiant Entente de l’organisme', 'Entente organisation id', 'always'),
      claim(['role'], 'Rôles dans l’organisme', 'Roles in the organisation', 'always'),
      claim(['role', null], 'Rôle', 'Role', 'never'),
      claim(['assurance_level'], 'Niveau de garantie de la connexion (eIDAS)', 'Sign-in level of assurance (eIDAS)', 'always'),
    ],
  },
  'digital-skills': {
    name: { fr: 'Certificat de compétences numériques', en: 'Digital skills certificate' },
    description: {
      fr: 'Niveaux atteints à une évaluation adaptative des compétences numériques (DigComp 2.2, niveaux 1 à 8), par domaine et par compétence.',
      en: 'Levels reached in an adaptive digital skills assessment (DigComp 2.2, levels 1 to 8), per area and per competence.',
    },
    claims: [
      claim(['framework'], 'Référentiel', 'Framework', 'never'),
      claim(['assessed_at'], 'Date de l’évaluation', 'Assessment date', 'always'),
      claim(['overall_level'], 'Niveau global', 'Overall level', 'always'),
      claim(['areas'], 'Niveaux par domaine', 'Levels per area', 'always'),
      // `areas` and `competences` are objects keyed by DigComp id: one path per key (null would mean an array's elements).
      ...AREA_IDS.map((id) => claim(['areas', id], `Niveau du domaine ${id}`, `Area ${id} level`, 'always')),
      claim(['competences'], 'Niveaux par compétence', 'Levels per competence', 'always'),
      ...COMPETENCE_IDS.map((id) => claim(['competences', id], `Niveau de la compétence ${id}`, `Competence ${id} level`, 'always')),
      claim(['given_name'], 'Prénom', 'Given name', 'always'),
      claim(['family_name'], 'Nom', 'Family name', 'always'),
    ],
  },
};

export function typeMetadata(publicUrl: URL, type: CredentialTypeName): Record<string, unknown> {
  const t = TYPES[type];
  return { vct: vctOf(publicUrl, type), name: t.name.fr, description: t.description.fr, display: display(t.name, t.description), claims: t.claims };
}
