import type { JSONContent } from './content/ydoc-json.ts';

/**
 * The demo spaces' working documents, as the editor stores them (ProseMirror JSON, Tiptap 3's
 * node names): one per domain of the France–Québec declaration and a welcome page, each with
 * headings, paragraphs, lists, a task list and a table, so that a newcomer sees the product at work.
 */
const t = (text: string, marks?: JSONContent['marks']): JSONContent => ({ type: 'text', text, ...(marks ? { marks } : {}) });
const b = (text: string) => t(text, [{ type: 'bold' }]);
const p = (...parts: (string | JSONContent)[]): JSONContent => ({ type: 'paragraph', content: parts.map((x) => (typeof x === 'string' ? t(x) : x)) });
const h = (level: 1 | 2 | 3, text: string): JSONContent => ({ type: 'heading', attrs: { level }, content: [t(text)] });
const bullets = (...items: (string | JSONContent)[]): JSONContent => ({
  type: 'bulletList',
  content: items.map((item) => ({ type: 'listItem', content: [typeof item === 'string' ? p(item) : item] })),
});
const tasks = (...items: [boolean, string][]): JSONContent => ({
  type: 'taskList',
  content: items.map(([checked, text]) => ({ type: 'taskItem', attrs: { checked }, content: [p(text)] })),
});
const cell = (type: 'tableHeader' | 'tableCell', text: string): JSONContent => ({ type, attrs: { colspan: 1, rowspan: 1 }, content: [p(text)] });
const table = (header: string[], rows: string[][]): JSONContent => ({
  type: 'table',
  content: [
    { type: 'tableRow', content: header.map((c) => cell('tableHeader', c)) },
    ...rows.map((row) => ({ type: 'tableRow', content: row.map((c) => cell('tableCell', c)) })),
  ],
});
const callout = (tone: 'info' | 'warning' | 'success' | 'danger', ...paragraphs: JSONContent[]): JSONContent => ({ type: 'callout', attrs: { tone }, content: paragraphs });
const doc = (...content: JSONContent[]): JSONContent => ({ type: 'doc', content });

export const WELCOME = doc(
  h(1, 'Bienvenue dans l’espace Coopération France–Québec'),
  p(
    'Cet espace réunit les agents des administrations françaises et québécoises qui mettent en œuvre la ',
    b('déclaration d’intention sur la souveraineté numérique'),
    ' signée à Paris le 31 mars 2026. Ses données sont hébergées dans la cellule québécoise.',
  ),
  callout('info', p('Tout ce que vous écrivez ici est enregistré au fil de la frappe, même hors ligne : vos modifications se fusionnent à la reconnexion.')),
  h(2, 'Comment travailler ici'),
  bullets(
    'Chaque domaine de la déclaration a sa page de travail : ouvrez-la dans l’arborescence à gauche.',
    'Les propriétaires invitent de nouveaux membres par leur adresse professionnelle, y compris des agents qui ne se sont encore jamais connectés.',
    'Les lecteurs voient les modifications en direct sans pouvoir les faire ; les commentateurs annotent sans changer le texte.',
    'Nommez une version avant une relecture importante : on peut toujours y revenir.',
  ),
  h(2, 'Premiers pas'),
  tasks(
    [true, 'Lire la déclaration d’intention et ses cinq domaines'],
    [false, 'Vous présenter dans le tableau des membres ci-dessous'],
    [false, 'Choisir le domaine auquel vous contribuerez'],
  ),
  h(2, 'Qui fait quoi'),
  table(
    ['Domaine', 'Pilote France', 'Pilote Québec'],
    [
      ['Environnements de travail et outils collaboratifs', 'Camille Martin', 'Émilie Tremblay'],
      ['Identité numérique et interopérabilité', 'Hugo Bernard', 'Olivier Gagnon'],
      ['Intelligence artificielle responsable', 'Camille Martin', 'Olivier Gagnon'],
      ['Infrastructures et autonomie stratégique', 'Hugo Bernard', 'Émilie Tremblay'],
      ['Compétences numériques des agents', 'Camille Martin', 'Émilie Tremblay'],
    ],
  ),
);

export const COLLABORATION = doc(
  h(1, 'Domaine 1 — Environnements de travail souverains et outils collaboratifs'),
  p('Objectif : offrir aux agents des deux États des espaces de travail partagés, coédités en temps réel, hébergés sur des infrastructures maîtrisées.'),
  h(2, 'Constats'),
  bullets(
    'Les équipes franco-québécoises échangent encore surtout des pièces jointes par courriel, avec des versions concurrentes.',
    'La perte de travail lors d’une coupure réseau est la première plainte remontée par les utilisateurs des outils actuels.',
    'Les données d’un projet québécois doivent rester au Québec, celles d’un projet français en France.',
  ),
  h(2, 'Engagements'),
  bullets(
    'Des espaces partagés entre organisations des deux États, avec des rôles clairs (propriétaire, rédacteur, commentateur, lecteur).',
    'Une édition en temps réel qui ne perd aucune modification, même hors ligne.',
    'L’historique des versions, consultable et restaurable par chacun.',
  ),
  h(2, 'Plan d’action'),
  tasks(
    [true, 'Ouvrir l’espace pilote « Coopération France–Québec »'],
    [true, 'Inviter les correspondants des deux ministères'],
    [false, 'Rédiger le guide d’usage bilingue (fr-FR / fr-CA)'],
    [false, 'Mesurer la satisfaction après trois mois d’usage'],
  ),
  h(2, 'Indicateurs'),
  table(
    ['Indicateur', 'Cible', 'Échéance'],
    [
      ['Agents actifs par mois', '500', 'Fin 2026'],
      ['Documents coédités par les deux États', '100', 'Fin 2026'],
      ['Modifications perdues', '0', 'En continu'],
    ],
  ),
);

export const IDENTITY = doc(
  h(1, 'Domaine 2 — Identité numérique et interopérabilité entre États'),
  p('Objectif : qu’un agent se connecte avec la fédération d’identité de son propre État et soit reconnu de l’autre côté, au bon niveau de garantie.'),
  h(2, 'Principes retenus'),
  bullets(
    'ProConnect en France et le service d’authentification gouvernementale au Québec restent les sources d’identité.',
    'Les niveaux de garantie sont rapprochés sur l’échelle eIDAS (faible, substantiel, élevé).',
    'Aucune donnée personnelle ne quitte la cellule de l’agent : le plan de contrôle ne connaît que des identifiants pseudonymes.',
  ),
  h(2, 'Correspondance des niveaux'),
  table(
    ['Niveau eIDAS', 'France (ProConnect)', 'Québec'],
    [
      ['Faible', 'eidas1', 'Niveau 1'],
      ['Substantiel', 'eidas2 (second facteur)', 'Niveau 2'],
      ['Élevé', 'eidas3', 'Niveau 3'],
    ],
  ),
  h(2, 'Travaux en cours'),
  tasks(
    [true, 'Relier les deux fédérations de démonstration'],
    [false, 'Définir l’attestation d’agent public (SD-JWT VC) vérifiable par l’autre État'],
    [false, 'Documenter la procédure de liaison d’une seconde fédération à un compte'],
  ),
);

export const AI = doc(
  h(1, 'Domaine 3 — Déploiement responsable de l’intelligence artificielle'),
  p('Objectif : mettre à disposition des agents des modèles d’IA hébergés de façon souveraine, avec des règles claires sur les données qu’on peut leur confier.'),
  h(2, 'Règles d’usage proposées'),
  bullets(
    'Chaque réponse produite par une IA porte une mention visible « Généré par IA ».',
    'Les données personnelles sont pseudonymisées avant tout envoi à un modèle.',
    'Un document classé « diffusion restreinte » n’est jamais envoyé à un modèle hébergé hors de sa juridiction.',
    'La consommation (requêtes, énergie estimée) est suivie par organisation.',
  ),
  h(2, 'Cas d’usage à expérimenter'),
  table(
    ['Cas d’usage', 'Gain attendu', 'Risque principal'],
    [
      ['Résumé de comptes rendus', 'Temps de lecture', 'Omissions'],
      ['Assistant sur ses propres documents, avec citations', 'Recherche d’information', 'Réponses sans source'],
      ['Aide à la traduction fr-FR / fr-CA / en', 'Qualité des échanges', 'Terminologie'],
    ],
  ),
  h(2, 'Prochaines étapes'),
  tasks(
    [false, 'Choisir deux modèles ouverts à héberger dans chaque cellule'],
    [false, 'Rédiger la grille de classification des données'],
    [false, 'Mesurer l’empreinte d’une requête type'],
  ),
);

export const INFRASTRUCTURE = doc(
  h(1, 'Domaine 4 — Infrastructures numériques et autonomie stratégique'),
  p('Objectif : que chaque État puisse exploiter lui-même les services partagés, sur des composants ouverts, sans dépendre d’un tiers.'),
  h(2, 'Architecture cible'),
  bullets(
    'Une cellule de données par juridiction : sa base, son stockage d’objets, ses clés de chiffrement.',
    'Des composants ouverts que tout État peut opérer : Node.js, PostgreSQL, Redis, stockage compatible S3.',
    'Un journal d’audit infalsifiable et un export complet dans des formats ouverts.',
  ),
  h(2, 'Répartition des données'),
  table(
    ['Donnée', 'Où elle vit', 'Pourquoi'],
    [
      ['Profil d’un agent', 'Cellule de son État', 'Donnée personnelle'],
      ['Contenu d’un espace', 'Cellule choisie à la création', 'Résidence des données'],
      ['Rôles et appartenances', 'Plan de contrôle', 'Routage et autorisation seulement'],
    ],
  ),
  h(2, 'Jalons'),
  tasks(
    [true, 'Séparer les bases des deux cellules'],
    [false, 'Chiffrer chaque espace avec sa propre clé'],
    [false, 'Exercer une restauration complète à partir d’une sauvegarde'],
  ),
);

export const SKILLS = doc(
  h(1, 'Domaine 5 — Compétences numériques des agents publics'),
  p('Objectif : un référentiel commun, des évaluations adaptatives et des parcours de formation reconnus par les deux États.'),
  h(2, 'Référentiels rapprochés'),
  table(
    ['Domaine DigComp 2.2', 'France (CRCN / Pix)', 'Québec'],
    [
      ['Information et données', 'Informations et données', 'Culture informationnelle'],
      ['Communication et collaboration', 'Communication et collaboration', 'Collaboration numérique'],
      ['Création de contenus', 'Création de contenus', 'Production de contenus'],
      ['Sécurité', 'Protection et sécurité', 'Sécurité et protection'],
      ['Résolution de problèmes', 'Environnement numérique', 'Résolution de problèmes'],
    ],
  ),
  h(2, 'Ce que nous proposons aux agents'),
  bullets(
    'Une évaluation courte qui s’adapte aux réponses (test adaptatif).',
    'Des parcours d’apprentissage ciblés sur les écarts mesurés.',
    'Une attestation vérifiable par l’autre État.',
  ),
  h(2, 'À faire'),
  tasks(
    [false, 'Valider la table de correspondance avec les deux administrations'],
    [false, 'Calibrer la première banque de questions'],
    [false, 'Piloter avec une équipe de chaque ministère'],
  ),
);

export const CLOUD_ROADMAP = doc(
  h(1, 'Feuille de route du chantier cloud souverain'),
  p('Ce document suit la migration des applications du ministère vers une offre d’hébergement qualifiée SecNumCloud.'),
  h(2, 'Lots'),
  bullets('Lot 1 : applications internes sans données sensibles.', 'Lot 2 : applications métier avec données personnelles.', 'Lot 3 : services exposés au public.'),
  h(2, 'Suivi'),
  table(
    ['Lot', 'Applications', 'État'],
    [
      ['1', '12', 'Terminé'],
      ['2', '8', 'En cours'],
      ['3', '5', 'À venir'],
    ],
  ),
  h(2, 'Actions de la semaine'),
  tasks([true, 'Valider le plan de réversibilité du lot 2'], [false, 'Planifier les tests de charge'], [false, 'Présenter l’avancement au comité'],),
);
