import type { Area, Competence } from './types.ts';

/**
 * DigComp 2.2 (European Commission, Joint Research Centre, 2022): the shared backbone of the
 * skills module. English names and descriptors follow the JRC publication (JRC128415). No French
 * version is published by the JRC itself; the French text is a faithful translation that keeps
 * the wording French-speaking DigComp material commonly uses. `frCA` appears only where Québec
 * usage differs (« renseignements personnels », « cyberintimidation »).
 *
 * Mappings to France's CRCN (ids in crcn.ts) and Québec's Cadre de référence de la compétence
 * numérique (ids in quebec.ts). Rule: a DigComp competence lists the entries whose content covers
 * it, in part or in whole. The three frameworks do not cut the field the same way, so a mapping
 * says « these overlap », not « these are equivalent »; a level reached on one is not a level on
 * the other. Notable choices:
 *  - CRCN 1.1 (recherche et veille) includes judging sources, so it covers DigComp 1.1 and 1.2.
 *  - CRCN 2.1 (interagir) includes netiquette, so it covers DigComp 2.1 and 2.5.
 *  - CRCN 2.4 (s'insérer dans le monde numérique) covers online presence, e-reputation and public
 *    online services: DigComp 2.3 (citizenship) and 2.6 (identity).
 *  - CRCN 3.3 (adapter les documents à leur finalité) includes choosing licences, so DigComp 3.3
 *    maps there and to 2.2 (publishing others' and one's own work).
 *  - CRCN 4.3 joins health, well-being and the environment: DigComp 4.3 and 4.4.
 *  - DigComp 5.3 (creative use) and 5.4 (competence gaps) have no CRCN counterpart (Pix dropped
 *    them); they map to nothing there rather than to a stretched neighbour.
 *  - Québec's dimension 1 (citoyen éthique) explicitly covers security, personal data, well-being,
 *    copyright and the environment, hence its many links; dimension 8 (inclusion, diverse needs)
 *    covers accessibility (DigComp 5.2) and social well-being (4.3); dimension 9 (développement
 *    personnel et professionnel) and 3 (apprentissage) cover DigComp 5.4.
 */

export const FRAMEWORK_VERSION = 'digcomp-2.2';

export const AREAS: readonly Area[] = [
  {
    id: '1',
    name: {
      fr: 'Littératie de l’information et des données',
      en: 'Information and data literacy',
    },
    description: {
      fr: 'Exprimer ses besoins d’information, trouver et récupérer des données, des informations et des contenus numériques, juger de la pertinence de la source et de son contenu ; stocker, gérer et organiser données, informations et contenus.',
      en: 'To articulate information needs, to locate and retrieve digital data, information and content. To judge the relevance of the source and its content. To store, manage, and organise digital data, information and content.',
    },
  },
  {
    id: '2',
    name: { fr: 'Communication et collaboration', en: 'Communication and collaboration' },
    description: {
      fr: "Interagir, communiquer et collaborer au moyen des technologies numériques en étant attentif à la diversité culturelle et générationnelle ; participer à la société par les services numériques publics et privés et la citoyenneté participative ; gérer sa présence, son identité et sa réputation numériques.",
      en: 'To interact, communicate and collaborate through digital technologies while being aware of cultural and generational diversity. To participate in society through public and private digital services and participatory citizenship. To manage one’s digital presence, identity and reputation.',
    },
  },
  {
    id: '3',
    name: { fr: 'Création de contenus numériques', en: 'Digital content creation' },
    description: {
      fr: 'Créer et modifier des contenus numériques ; améliorer et intégrer informations et contenus dans un ensemble de connaissances existant en comprenant comment s’appliquent le droit d’auteur et les licences ; savoir donner des instructions compréhensibles à un système informatique.',
      en: 'To create and edit digital content. To improve and integrate information and content into an existing body of knowledge while understanding how copyright and licences are to be applied. To know how to give understandable instructions for a computer system.',
    },
  },
  {
    id: '4',
    name: { fr: 'Sécurité', en: 'Safety' },
    description: {
      fr: 'Protéger les appareils, les contenus, les données personnelles et la vie privée dans les environnements numériques ; protéger la santé physique et psychologique et connaître les technologies numériques au service du bien-être et de l’inclusion sociale ; connaître l’impact environnemental du numérique et de ses usages.',
      frCA: 'Protéger les appareils, les contenus, les renseignements personnels et la vie privée dans les environnements numériques ; protéger la santé physique et psychologique et connaître les technologies numériques au service du bien-être et de l’inclusion sociale ; connaître l’impact environnemental du numérique et de ses usages.',
      en: 'To protect devices, content, personal data and privacy in digital environments. To protect physical and psychological health, and to be aware of digital technologies for social well-being and social inclusion. To be aware of the environmental impact of digital technologies and their use.',
    },
  },
  {
    id: '5',
    name: { fr: 'Résolution de problèmes', en: 'Problem solving' },
    description: {
      fr: 'Identifier des besoins et des problèmes et résoudre des problèmes conceptuels et des situations problématiques dans les environnements numériques ; utiliser les outils numériques pour innover dans les processus et les produits ; se tenir à jour de l’évolution du numérique.',
      en: 'To identify needs and problems, and to resolve conceptual problems and problem situations in digital environments. To use digital tools to innovate processes and products. To keep up-to-date with the digital evolution.',
    },
  },
];

export const COMPETENCES: readonly Competence[] = [
  {
    id: '1.1',
    area: '1',
    name: {
      fr: 'Naviguer, rechercher et filtrer des données, des informations et des contenus numériques',
      en: 'Browsing, searching and filtering data, information and digital content',
    },
    description: {
      fr: 'Exprimer ses besoins d’information, rechercher des données, des informations et des contenus dans les environnements numériques, y accéder et naviguer entre eux. Créer et mettre à jour ses propres stratégies de recherche.',
      en: 'To articulate information needs, to search for data, information and content in digital environments, to access them and to navigate between them. To create and update personal search strategies.',
    },
    crcn: ['1.1'],
    quebec: ['qc-4'],
  },
  {
    id: '1.2',
    area: '1',
    name: {
      fr: 'Évaluer des données, des informations et des contenus numériques',
      en: 'Evaluating data, information and digital content',
    },
    description: {
      fr: 'Analyser, comparer et évaluer de façon critique la crédibilité et la fiabilité des sources de données, d’informations et de contenus numériques. Analyser, interpréter et évaluer de façon critique ces données, informations et contenus.',
      en: 'To analyse, compare and critically evaluate the credibility and reliability of sources of data, information and digital content. To analyse, interpret and critically evaluate the data, information and digital content.',
    },
    crcn: ['1.1'],
    quebec: ['qc-4', 'qc-11'],
  },
  {
    id: '1.3',
    area: '1',
    name: {
      fr: 'Gérer des données, des informations et des contenus numériques',
      en: 'Managing data, information and digital content',
    },
    description: {
      fr: 'Organiser, stocker et retrouver des données, des informations et des contenus dans les environnements numériques. Les organiser et les traiter dans un environnement structuré.',
      en: 'To organise, store and retrieve data, information and content in digital environments. To organise and process them in a structured environment.',
    },
    crcn: ['1.2', '1.3'],
    quebec: ['qc-2', 'qc-4'],
  },
  {
    id: '2.1',
    area: '2',
    name: {
      fr: 'Interagir au moyen des technologies numériques',
      en: 'Interacting through digital technologies',
    },
    description: {
      fr: 'Interagir au moyen de diverses technologies numériques et comprendre quels moyens de communication numérique conviennent à un contexte donné.',
      en: 'To interact through a variety of digital technologies and to understand appropriate digital communication means for a given context.',
    },
    crcn: ['2.1'],
    quebec: ['qc-6'],
  },
  {
    id: '2.2',
    area: '2',
    name: {
      fr: 'Partager au moyen des technologies numériques',
      en: 'Sharing through digital technologies',
    },
    description: {
      fr: 'Partager des données, des informations et des contenus numériques avec d’autres au moyen de technologies numériques appropriées. Jouer un rôle d’intermédiaire, connaître les pratiques de référencement et d’attribution.',
      en: 'To share data, information and digital content with others through appropriate digital technologies. To act as an intermediary, to know about referencing and attribution practices.',
    },
    crcn: ['2.2'],
    quebec: ['qc-5', 'qc-6'],
  },
  {
    id: '2.3',
    area: '2',
    name: {
      fr: 'S’engager dans la citoyenneté au moyen des technologies numériques',
      en: 'Engaging in citizenship through digital technologies',
    },
    description: {
      fr: 'Participer à la société en utilisant des services numériques publics et privés. Rechercher des occasions de s’autonomiser et d’exercer une citoyenneté participative au moyen de technologies numériques appropriées.',
      en: 'To participate in society through the use of public and private digital services. To seek opportunities for self-empowerment and for participatory citizenship through appropriate digital technologies.',
    },
    crcn: ['2.4'],
    quebec: ['qc-1', 'qc-8'],
  },
  {
    id: '2.4',
    area: '2',
    name: {
      fr: 'Collaborer au moyen des technologies numériques',
      en: 'Collaborating through digital technologies',
    },
    description: {
      fr: 'Utiliser des outils et des technologies numériques dans des démarches collaboratives, pour construire et créer ensemble des ressources et des connaissances.',
      en: 'To use digital tools and technologies for collaborative processes, and for co-construction and co-creation of resources and knowledge.',
    },
    crcn: ['2.3'],
    quebec: ['qc-5'],
  },
  {
    id: '2.5',
    area: '2',
    name: { fr: 'Nétiquette', en: 'Netiquette' },
    description: {
      fr: 'Connaître les normes de comportement et les savoir-faire propres à l’usage des technologies numériques et aux échanges dans les environnements numériques. Adapter sa façon de communiquer au public visé et être attentif à la diversité culturelle et générationnelle.',
      en: 'To be aware of behavioural norms and know-how while using digital technologies and interacting in digital environments. To adapt communication strategies to the specific audience and to be aware of cultural and generational diversity in digital environments.',
    },
    crcn: ['2.1'],
    quebec: ['qc-1', 'qc-6'],
  },
  {
    id: '2.6',
    area: '2',
    name: { fr: 'Gérer son identité numérique', en: 'Managing digital identity' },
    description: {
      fr: 'Créer et gérer une ou plusieurs identités numériques, savoir protéger sa réputation et maîtriser les données que l’on produit au moyen de divers outils, environnements et services numériques.',
      en: 'To create and manage one or multiple digital identities, to be able to protect one’s own reputation, to deal with the data that one produces through several digital tools, environments and services.',
    },
    crcn: ['2.4', '4.2'],
    quebec: ['qc-1'],
  },
  {
    id: '3.1',
    area: '3',
    name: { fr: 'Développer des contenus numériques', en: 'Developing digital content' },
    description: {
      fr: 'Créer et modifier des contenus numériques dans différents formats, s’exprimer par des moyens numériques.',
      en: 'To create and edit digital content in different formats, to express oneself through digital means.',
    },
    crcn: ['3.1', '3.2'],
    quebec: ['qc-7'],
  },
  {
    id: '3.2',
    area: '3',
    name: {
      fr: 'Intégrer et réélaborer des contenus numériques',
      en: 'Integrating and re-elaborating digital content',
    },
    description: {
      fr: 'Modifier, affiner, améliorer et intégrer des informations et des contenus dans un ensemble de connaissances existant pour créer des contenus et des connaissances nouveaux, originaux et pertinents.',
      en: 'To modify, refine, improve and integrate information and content into an existing body of knowledge to create new, original and relevant content and knowledge.',
    },
    crcn: ['3.2', '3.3'],
    quebec: ['qc-7', 'qc-12'],
  },
  {
    id: '3.3',
    area: '3',
    name: { fr: 'Droit d’auteur et licences', en: 'Copyright and licences' },
    description: {
      fr: 'Comprendre comment le droit d’auteur et les licences s’appliquent aux données, aux informations et aux contenus numériques.',
      en: 'To understand how copyright and licences apply to data, information and digital content.',
    },
    crcn: ['3.3', '2.2'],
    quebec: ['qc-1', 'qc-7'],
  },
  {
    id: '3.4',
    area: '3',
    name: { fr: 'Programmation', en: 'Programming' },
    description: {
      fr: 'Planifier et développer une suite d’instructions compréhensibles par un système informatique pour résoudre un problème donné ou accomplir une tâche précise.',
      en: 'To plan and develop a sequence of understandable instructions for a computing system to solve a given problem or perform a specific task.',
    },
    crcn: ['3.4'],
    quebec: ['qc-2', 'qc-10'],
  },
  {
    id: '4.1',
    area: '4',
    name: { fr: 'Protéger les appareils', en: 'Protecting devices' },
    description: {
      fr: 'Protéger les appareils et les contenus numériques, et comprendre les risques et les menaces dans les environnements numériques. Connaître les mesures de sûreté et de sécurité et tenir dûment compte de la fiabilité et de la vie privée.',
      en: 'To protect devices and digital content, and to understand risks and threats in digital environments. To know about safety and security measures and to have due regard to reliability and privacy.',
    },
    crcn: ['4.1'],
    quebec: ['qc-1', 'qc-2'],
  },
  {
    id: '4.2',
    area: '4',
    name: {
      fr: 'Protéger les données personnelles et la vie privée',
      frCA: 'Protéger les renseignements personnels et la vie privée',
      en: 'Protecting personal data and privacy',
    },
    description: {
      fr: 'Protéger les données personnelles et la vie privée dans les environnements numériques. Savoir utiliser et partager des informations permettant d’identifier une personne tout en se protégeant et en protégeant les autres ; savoir que les services numériques décrivent dans une politique de confidentialité l’usage qu’ils font des données personnelles.',
      frCA: 'Protéger les renseignements personnels et la vie privée dans les environnements numériques. Savoir utiliser et communiquer des renseignements permettant d’identifier une personne tout en se protégeant et en protégeant les autres ; savoir que les services numériques décrivent dans une politique de confidentialité l’usage qu’ils font des renseignements personnels.',
      en: 'To protect personal data and privacy in digital environments. To understand how to use and share personally identifiable information while being able to protect oneself and others from damages. To understand that digital services use a "Privacy policy" to inform how personal data is used.',
    },
    crcn: ['4.2'],
    quebec: ['qc-1'],
  },
  {
    id: '4.3',
    area: '4',
    name: { fr: 'Protéger la santé et le bien-être', en: 'Protecting health and well-being' },
    description: {
      fr: 'Éviter les risques pour la santé et les menaces pour le bien-être physique et psychologique liés à l’usage des technologies numériques. Se protéger et protéger les autres des dangers possibles des environnements numériques (par exemple le cyberharcèlement) et connaître les technologies numériques au service du bien-être et de l’inclusion sociale.',
      frCA: 'Éviter les risques pour la santé et les menaces pour le bien-être physique et psychologique liés à l’usage des technologies numériques. Se protéger et protéger les autres des dangers possibles des environnements numériques (par exemple la cyberintimidation) et connaître les technologies numériques au service du bien-être et de l’inclusion sociale.',
      en: 'To be able to avoid health-risks and threats to physical and psychological well-being while using digital technologies. To be able to protect oneself and others from possible dangers in digital environments (e.g. cyber bullying). To be aware of digital technologies for social well-being and social inclusion.',
    },
    crcn: ['4.3'],
    quebec: ['qc-1', 'qc-8'],
  },
  {
    id: '4.4',
    area: '4',
    name: { fr: 'Protéger l’environnement', en: 'Protecting the environment' },
    description: {
      fr: 'Connaître l’impact environnemental des technologies numériques et de leurs usages.',
      en: 'To be aware of the environmental impact of digital technologies and their use.',
    },
    crcn: ['4.3'],
    quebec: ['qc-1', 'qc-11'],
  },
  {
    id: '5.1',
    area: '5',
    name: { fr: 'Résoudre des problèmes techniques', en: 'Solving technical problems' },
    description: {
      fr: "Repérer les problèmes techniques rencontrés en utilisant des appareils et des environnements numériques, et les résoudre (du simple dépannage à la résolution de problèmes plus complexes).",
      en: 'To identify technical problems when operating devices and using digital environments, and to solve them (from trouble-shooting to solving more complex problems).',
    },
    crcn: ['5.1'],
    quebec: ['qc-2', 'qc-10'],
  },
  {
    id: '5.2',
    area: '5',
    name: {
      fr: 'Identifier les besoins et les réponses technologiques',
      en: 'Identifying needs and technological responses',
    },
    description: {
      fr: 'Évaluer des besoins et identifier, évaluer, choisir et utiliser les outils numériques et les réponses technologiques possibles pour y répondre. Ajuster et personnaliser les environnements numériques selon ses besoins (par exemple l’accessibilité).',
      en: 'To assess needs and to identify, evaluate, select and use digital tools and possible technological responses to solve them. To adjust and customise digital environments to personal needs (e.g. accessibility).',
    },
    crcn: ['5.2'],
    quebec: ['qc-2', 'qc-8', 'qc-10'],
  },
  {
    id: '5.3',
    area: '5',
    name: {
      fr: 'Utiliser les technologies numériques de façon créative',
      en: 'Creatively using digital technologies',
    },
    description: {
      fr: 'Utiliser des outils et des technologies numériques pour créer des connaissances et innover dans les processus et les produits. S’engager, seul et avec d’autres, dans une démarche de réflexion pour comprendre et résoudre des problèmes conceptuels et des situations problématiques dans les environnements numériques.',
      en: 'To use digital tools and technologies to create knowledge and to innovate processes and products. To engage individually and collectively in cognitive processing to understand and resolve conceptual problems and problem situations in digital environments.',
    },
    crcn: [],
    quebec: ['qc-10', 'qc-12'],
  },
  {
    id: '5.4',
    area: '5',
    name: {
      fr: 'Identifier les lacunes en matière de compétences numériques',
      en: 'Identifying digital competence gaps',
    },
    description: {
      fr: 'Comprendre en quoi sa propre compétence numérique doit être améliorée ou mise à jour. Savoir aider les autres à développer leur compétence numérique, chercher des occasions de se former et se tenir à jour de l’évolution du numérique.',
      en: 'To understand where one’s own digital competence needs to be improved or updated. To be able to support others with their digital competence development. To seek opportunities for self-development and to keep up-to-date with the digital evolution.',
    },
    crcn: [],
    quebec: ['qc-3', 'qc-9'],
  },
];
