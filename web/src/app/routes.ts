import type { UiKey } from '@entente/common/i18n/catalog/ui.ts';

/** Paths of the web app's pages (French first, like the product). */
export const PATHS = {
  home: '/',
  accessibility: '/accessibilite',
  legal: '/mentions-legales',
  signIn: '/connexion',
  /** Consent to a service signing in through Entente (OpenID provider); `:uid` is the interaction. */
  consent: '/autorisation/:uid',
  profile: '/profil',
  sessions: '/profil/sessions',
  tokens: '/profil/jetons',
  services: '/profil/services',
  /** An organisation's members and teams (« Mon organisation »); `:id` is the organisation. */
  organisation: '/organisation/:id',
  operations: '/exploitation',
  // ── workspace (spaces, documents) ──
  /** « Mes espaces »: the agent's spaces. */
  spaces: '/espaces',
  /** A space: its document tree, members and trash; `:spaceId` is the space. */
  space: '/espaces/:spaceId',
  /**
   * A space's files: `/espaces/:spaceId/fichiers` (the root folder) and `…/fichiers/:folderId`
   * (a folder) on one route, so the page stays mounted while the agent opens folders.
   * `?vue=corbeille` shows the files trash.
   */
  spaceFiles: '/espaces/:spaceId/fichiers/:folderId?',
  /** A document's live editor and history. */
  document: '/espaces/:spaceId/documents/:documentId',
  // ── share links (helper S) ──
  /** A share link opened by a signed-in agent (`/p/<token>` is the server's public page, not the app's). */
  sharedLink: '/partage/:token',
  // ── end share links ──
  // ── digital skills (helper W) ──
  /** « Mes compétences numériques »: start or resume the test, latest result, gaps, learning path. */
  skills: '/competences',
  /** The adaptive test, one question at a time; `:assessmentId` is the assessment. */
  skillsAssessment: '/competences/evaluation/:assessmentId',
  /** A completed assessment's levels and review. */
  skillsResult: '/competences/resultats/:assessmentId',
  /** The teams the agent manages, and one team's dashboard. */
  skillsTeams: '/competences/equipes',
  skillsTeam: '/competences/equipes/:teamId',
  // ── end digital skills ──
  // ── skills authoring (trainers, organisation administrators, operators) ──
  /** « Banque de questions »: write, publish, import and export assessment items. */
  skillsBank: '/competences/banque',
  /** « Référentiel de l'organisation »: its own competences and target profiles. */
  skillsFramework: '/competences/referentiel',
  // ── end skills authoring ──
  // ── verifiable attestations (issue 9) ──
  /** « Mes attestations »: the agent's SD-JWT VCs, bound to a key kept in this browser. */
  credentials: '/profil/attestations',
  /** The public verifier page: anyone checks a presentation, without signing in. */
  verifier: '/verifier',
  // ── end verifiable attestations ──
} as const;

export const organisationPath = (id: string) => `/organisation/${encodeURIComponent(id)}`;

/** The sign-in page, bringing the agent back to `returnTo` (a path of the app) once signed in. */
export const signInPath = (returnTo: string) => (returnTo && returnTo !== '/' && returnTo !== PATHS.signIn ? `${PATHS.signIn}?${new URLSearchParams({ retour: returnTo })}` : PATHS.signIn);

/** A server page, not part of the app: reached with a plain link (full page load). */
export const API_DOCS_URL = '/api/docs';

export interface Domain {
  id: string;
  path: string;
  title: UiKey;
  short: UiKey;
  summary: UiKey;
  offers: readonly UiKey[];
}

/** The five domains of the France–Québec declaration, in its order. */
export const DOMAINS: readonly Domain[] = [
  {
    id: 'collaboration',
    path: '/domaines/collaboration',
    title: 'ui.domain.collaboration.title',
    short: 'ui.domain.collaboration.short',
    summary: 'ui.domain.collaboration.summary',
    offers: [
      'ui.domain.collaboration.offer1',
      'ui.domain.collaboration.offer2',
      'ui.domain.collaboration.offer3',
      'ui.domain.collaboration.offer4',
    ],
  },
  {
    id: 'identity',
    path: '/domaines/identite',
    title: 'ui.domain.identity.title',
    short: 'ui.domain.identity.short',
    summary: 'ui.domain.identity.summary',
    offers: [
      'ui.domain.identity.offer1',
      'ui.domain.identity.offer2',
      'ui.domain.identity.offer3',
      'ui.domain.identity.offer4',
    ],
  },
  {
    id: 'ai',
    path: '/domaines/ia',
    title: 'ui.domain.ai.title',
    short: 'ui.domain.ai.short',
    summary: 'ui.domain.ai.summary',
    offers: ['ui.domain.ai.offer1', 'ui.domain.ai.offer2', 'ui.domain.ai.offer3', 'ui.domain.ai.offer4'],
  },
  {
    id: 'infrastructure',
    path: '/domaines/infrastructure',
    title: 'ui.domain.infrastructure.title',
    short: 'ui.domain.infrastructure.short',
    summary: 'ui.domain.infrastructure.summary',
    offers: [
      'ui.domain.infrastructure.offer1',
      'ui.domain.infrastructure.offer2',
      'ui.domain.infrastructure.offer3',
      'ui.domain.infrastructure.offer4',
    ],
  },
  {
    id: 'skills',
    path: '/domaines/competences',
    title: 'ui.domain.skills.title',
    short: 'ui.domain.skills.short',
    summary: 'ui.domain.skills.summary',
    offers: [
      'ui.domain.skills.offer1',
      'ui.domain.skills.offer2',
      'ui.domain.skills.offer3',
      'ui.domain.skills.offer4',
    ],
  },
];
