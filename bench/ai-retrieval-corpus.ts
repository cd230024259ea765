/**
 * The retrieval evaluation set (bench/ai-retrieval.ts): French administrative documents of France
 * and Québec, written for Entente and generated deterministically (the same corpus in every run),
 * with questions whose answers are known.
 *
 * - 16 organisations (8 French, 8 Québec, with each side's vocabulary: « courriel »,
 *   « renseignements personnels », « Commission d’accès à l’information »…) × 8 subjects (cloud,
 *   identity, AI, accessibility, data protection, HR, purchasing, digital skills) × 2 kinds of
 *   document (circular or directive, minutes, procedure, framing note, FAQ) = 256 documents.
 * - Each document: an introduction, three « facts » of its subject (each a heading and a paragraph
 *   with values drawn for this document: a provider, a date, an amount, a person…), two paragraphs
 *   shared by every document of the subject (near-duplicates, as real circulars have), a closing.
 *   The two documents of one organisation and subject carry different facts, so each fact has one
 *   document in the corpus.
 * - Questions (128: one document of each organisation and subject, one of its facts): phrased as an agent would ask, naming the organisation, with
 *   words that are often not the document's (« garder » for « conserver », « cloud » for
 *   « nuage », « double authentification » for « authentification à deux facteurs »). Ground
 *   truth: the document, and the fact's offset in its text (the passage).
 */
export type Jurisdiction = 'FR' | 'QC';

export interface CorpusDocument {
  key: string;
  jurisdiction: Jurisdiction;
  organisation: string;
  title: string;
  /** Blocks separated by a blank line, as content/text.ts writes a document's text. */
  body: string;
}

export interface CorpusQuestion {
  question: string;
  documentKey: string;
  /** Offset and length of the answering paragraph in the document's body. */
  answerStart: number;
  answerLength: number;
}

interface Organisation {
  jurisdiction: Jurisdiction;
  name: string;
  /** How a question names it. */
  ref: string;
  city: string;
}

const ORGANISATIONS: Organisation[] = [
  { jurisdiction: 'FR', name: 'Ministère de l’Intérieur', ref: 'le ministère de l’Intérieur', city: 'Paris' },
  { jurisdiction: 'FR', name: 'Ministère de la Culture', ref: 'le ministère de la Culture', city: 'Paris' },
  { jurisdiction: 'FR', name: 'Préfecture de la Gironde', ref: 'la préfecture de la Gironde', city: 'Bordeaux' },
  { jurisdiction: 'FR', name: 'Région Bretagne', ref: 'la Région Bretagne', city: 'Rennes' },
  { jurisdiction: 'FR', name: 'Ville de Lyon', ref: 'la Ville de Lyon', city: 'Lyon' },
  { jurisdiction: 'FR', name: 'Direction interministérielle du numérique (DINUM)', ref: 'la DINUM', city: 'Paris' },
  { jurisdiction: 'FR', name: 'Ministère de la Transition écologique', ref: 'le ministère de la Transition écologique', city: 'La Défense' },
  { jurisdiction: 'FR', name: 'Caisse nationale d’assurance vieillesse (CNAV)', ref: 'la CNAV', city: 'Tours' },
  { jurisdiction: 'QC', name: 'Ministère de la Cybersécurité et du Numérique (MCN)', ref: 'le MCN', city: 'Québec' },
  { jurisdiction: 'QC', name: 'Revenu Québec', ref: 'Revenu Québec', city: 'Québec' },
  { jurisdiction: 'QC', name: 'Ville de Montréal', ref: 'la Ville de Montréal', city: 'Montréal' },
  { jurisdiction: 'QC', name: 'Ministère de la Santé et des Services sociaux (MSSS)', ref: 'le MSSS', city: 'Québec' },
  { jurisdiction: 'QC', name: 'Société de l’assurance automobile du Québec (SAAQ)', ref: 'la SAAQ', city: 'Québec' },
  { jurisdiction: 'QC', name: 'Ministère de l’Éducation du Québec', ref: 'le ministère de l’Éducation', city: 'Québec' },
  { jurisdiction: 'QC', name: 'Ville de Sherbrooke', ref: 'la Ville de Sherbrooke', city: 'Sherbrooke' },
  { jurisdiction: 'QC', name: 'Retraite Québec', ref: 'Retraite Québec', city: 'Québec' },
];

/** The organisation's name with its article, as a sentence needs it (« le ministère de la Culture »). */
function theName(name: string): string {
  if (name.startsWith('Ministère')) return `le m${name.slice(1)}`;
  if (/^(Préfecture|Région|Ville|Direction|Caisse|Société)/u.test(name)) return `la ${name}`;
  return name;
}

/** French contractions after the names are put in: « à le » → « au », « de le » → « du »… */
function contract(text: string): string {
  return text.replace(/(?<=^|\s)à le /gu, 'au ').replace(/(?<=^|\s)de le /gu, 'du ').replace(/(?<=^|\s)à les /gu, 'aux ').replace(/(?<=^|\s)de les /gu, 'des ');
}

/** A small deterministic generator. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Ctx {
  org: Organisation;
  qc: boolean;
  pick: <T>(values: readonly T[]) => T;
  int: (min: number, max: number) => number;
}

interface Fact {
  heading: string;
  text: (c: Ctx) => { text: string; question: string };
}

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'septembre', 'octobre', 'novembre', 'décembre'];
const PEOPLE = [
  'Claire Moreau', 'Julien Lefebvre', 'Sophie Garnier', 'Thomas Roussel', 'Nadia Benali', 'Marc-André Tremblay', 'Geneviève Côté',
  'Mathieu Gagnon', 'Isabelle Pelletier', 'Karim Haddad', 'Émilie Bouchard', 'François Lavoie', 'Hélène Dubois', 'Yann Le Goff',
  'Chantal Bergeron', 'Olivier Fortin', 'Amélie Caron', 'Patrick Ouellet', 'Lucie Marchand', 'Samuel Girard',
];
// All masculine, so that « le », « du » fit each of them.
const APPS = [
  'service Démarches simplifiées', 'système GED Alfresco', 'portail Mon Espace', 'SIRH Renoir', 'service de messagerie Zimbra', 'logiciel Hélios', 'registre des courriers Ariane',
  'portail citoyen Clic', 'logiciel de paie Pléiade', 'guichet Mosaïque', 'service Sillage', 'outil de ticketing Glpi', 'extranet Passerelle', 'intranet Horizon',
];
const YEARS = [2026, 2027, 2028];
const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi'];
const money = (c: Ctx, min: number, max: number, step: number) => `${(c.int(min / step, max / step) * step).toLocaleString('fr-FR').replace(/\u202f/g, ' ')} ${c.qc ? '$' : '€'}`;

const SUBJECTS: { key: string; titles: [string, string]; intro: (c: Ctx) => string; shared: [string, string]; facts: Fact[] }[] = [
  {
    key: 'cloud',
    titles: ['Hébergement en nuage des applications', 'Stratégie d’informatique en nuage'],
    intro: (c) => `Ce document précise la doctrine d’hébergement en nuage de ${theName(c.org.name)} et les engagements pris pour la souveraineté des données.`,
    shared: [
      'Le recours à l’informatique en nuage suit la doctrine « cloud au centre » : toute nouvelle application est conçue pour le nuage, sauf justification écrite.',
      'Les équipes d’exploitation sont formées aux outils d’orchestration et à la supervision des services hébergés, afin de garantir la continuité de service.',
    ],
    facts: [
      {
        heading: 'Choix du prestataire',
        text: (c) => {
          const provider = c.qc ? c.pick(['le nuage gouvernemental du Québec', 'le centre de traitement de Rimouski', 'Cirrus Québec', 'ThinkOn Canada']) : c.pick(['OVHcloud', 'Outscale', 'Cloud Temple', 'NumSpot', 'Scaleway']);
          const site = c.qc ? c.pick(['Lévis', 'Rimouski', 'Saguenay', 'Trois-Rivières']) : c.pick(['Roubaix', 'Strasbourg', 'Gravelines', 'Saint-Denis']);
          const label = c.qc ? 'conforme aux exigences de sécurité du gouvernement du Québec' : 'qualifié SecNumCloud par l’ANSSI';
          return {
            text: `Les applications sensibles seront hébergées par ${provider}, dans un centre de données situé à ${site}, ${label}.`,
            question: `Quel prestataire héberge les applications sensibles pour ${c.org.ref} ?`,
          };
        },
      },
      {
        heading: 'Calendrier de migration',
        text: (c) => {
          const app = c.pick(APPS);
          return {
            text: `La migration du ${app} vers l’offre d’informatique en nuage est planifiée pour ${c.pick(MONTHS)} ${c.pick(YEARS)}, après une phase pilote de ${c.int(2, 6)} mois.`,
            question: `Quand le ${app} de ${c.org.ref} doit-il passer dans le nuage ?`,
          };
        },
      },
      {
        heading: 'Budget',
        text: (c) => ({
          text: `Le budget consacré à l’hébergement en nuage s’élève à ${money(c, 400_000, 9_000_000, 50_000)} sur trois ans, dont ${c.int(5, 20)} % réservés à la réversibilité.`,
          question: `Combien ${c.org.ref} dépense-t-il pour le cloud ?`,
        }),
      },
      {
        heading: 'Réversibilité',
        text: (c) => ({
          text: `Le plan de réversibilité impose la restitution de toutes les données dans un format ouvert sous ${c.int(15, 90)} jours à la fin du contrat, sans frais supplémentaires.`,
          question: `En combien de jours les données doivent-elles être rendues à la fin du contrat d’hébergement de ${c.org.ref} ?`,
        }),
      },
      {
        heading: 'Sauvegardes',
        text: (c) => ({
          text: `Les sauvegardes sont répliquées chaque nuit sur un second site, distant de ${c.int(30, 400)} km du site principal, et testées par une restauration trimestrielle.`,
          question: `À quelle distance se trouve le second site de copie des sauvegardes de ${c.org.ref} ?`,
        }),
      },
      {
        heading: 'Gouvernance',
        text: (c) => ({
          text: `Le comité de suivi de l’hébergement en nuage, présidé par ${c.pick(PEOPLE)}, se réunit tous les ${c.pick(['mois', 'deux mois', 'trimestres'])}.`,
          question: `Qui préside le comité de suivi du cloud de ${c.org.ref} ?`,
        }),
      },
    ],
  },
  {
    key: 'identity',
    titles: ['Identité numérique des agents', 'Authentification et fédération d’identité'],
    intro: (c) => `Ce document fixe les règles d’identification et d’authentification des agents de ${theName(c.org.name)} pour l’accès aux services numériques.`,
    shared: [
      'Chaque agent dispose d’une identité numérique unique, créée à son arrivée et supprimée à son départ par le service des ressources humaines.',
      'Les mots de passe ne sont jamais transmis par courrier électronique ; les moyens d’authentification sont remis en main propre ou par un canal sécurisé.',
    ],
    facts: [
      {
        heading: 'Niveau de garantie',
        text: (c) => {
          const via = c.qc ? 'le service québécois d’authentification gouvernementale' : 'ProConnect';
          const level = c.qc ? c.pick(['modéré', 'élevé']) : c.pick(['substantiel', 'élevé']);
          return {
            text: `Les agents se connectent par ${via} ; le niveau de garantie exigé pour les applications métier est « ${level} ».`,
            question: `Quel niveau de garantie est exigé pour la connexion des agents de ${c.org.ref} ?`,
          };
        },
      },
      {
        heading: 'Authentification à deux facteurs',
        text: (c) => ({
          text: `L’authentification à deux facteurs devient obligatoire le ${c.int(1, 28)} ${c.pick(MONTHS)} ${c.pick(YEARS)} pour tous les comptes d’administration.`,
          question: `À partir de quand la double authentification est-elle imposée aux administrateurs de ${c.org.ref} ?`,
        }),
      },
      {
        heading: 'Comptes inactifs',
        text: (c) => ({
          text: `Les comptes inactifs depuis plus de ${c.int(30, 180)} jours sont désactivés automatiquement, puis supprimés après un an.`,
          question: `Après combien de jours sans connexion un compte est-il désactivé à ${c.org.ref} ?`,
        }),
      },
      {
        heading: 'Fédération',
        text: (c) => {
          const partner = c.qc ? c.pick(['la Préfecture de la Gironde', 'la Région Bretagne', 'la DINUM', 'la Ville de Lyon']) : c.pick(['Revenu Québec', 'la Ville de Montréal', 'le MSSS', 'Retraite Québec']);
          return {
            text: `Une fédération d’identité avec ${partner} permet aux agents des deux organisations d’accéder aux espaces de travail partagés entre la France et le Québec.`,
            question: `Avec quel partenaire ${c.org.ref} a-t-il fédéré les identités de ses agents ?`,
          };
        },
      },
      {
        heading: 'Attestations',
        text: (c) => ({
          text: `Les attestations numériques d’agent public sont délivrées sous ${c.int(2, 10)} jours ouvrables par le ${c.pick(['bureau des habilitations', 'service des accès', 'centre de services partagés', 'pôle identité'])}.`,
          question: `Quel service délivre les attestations d’agent public à ${c.org.ref} ?`,
        }),
      },
      {
        heading: 'Perte d’un moyen d’authentification',
        text: (c) => ({
          text: `En cas de perte d’un moyen d’authentification, l’agent appelle le centre d’assistance au poste ${c.int(1000, 9999)}, ouvert de ${c.int(7, 9)} h à ${c.int(17, 20)} h, qui bloque le moyen perdu.`,
          question: `Que faire si l’on perd sa clé d’authentification à ${c.org.ref} ?`,
        }),
      },
    ],
  },
  {
    key: 'ai',
    titles: ['Usage de l’intelligence artificielle', 'Cadre pour les systèmes d’IA'],
    intro: (c) => `Ce document encadre l’usage de l’intelligence artificielle par les agents de ${theName(c.org.name)}, dans le respect de la transparence due aux usagers.`,
    shared: [
      'Un agent reste responsable de toute décision : l’intelligence artificielle propose, l’agent vérifie et décide.',
      'Les usagers sont informés lorsqu’ils échangent avec un système d’intelligence artificielle, avant et pendant l’échange.',
    ],
    facts: [
      {
        heading: 'Assistant de rédaction',
        text: (c) => {
          const model = c.pick(['Mistral Small', 'Llama 3.3', 'Qwen 2.5', 'Lucie 7B', 'Gemma 3', 'CroissantLLM']);
          return {
            text: `Un assistant de rédaction fondé sur le modèle ${model} est expérimenté ; il est hébergé sur les serveurs de l’organisation et n’envoie aucune donnée à l’extérieur.`,
            question: `Quel modèle de langage fait tourner l’assistant de rédaction de ${c.org.ref} ?`,
          };
        },
      },
      {
        heading: 'Mention obligatoire',
        text: (c) => ({
          text: `Tout texte produit par l’IA porte la mention « ${c.pick(['Rédigé avec l’aide d’une IA', 'Contenu généré par IA, relu par un agent', 'Proposition automatique à vérifier', 'Texte assisté par intelligence artificielle'])} » et doit être relu par un agent avant envoi.`,
          question: `Quelle mention doivent porter les textes générés par intelligence artificielle à ${c.org.ref} ?`,
        }),
      },
      {
        heading: 'Registre des systèmes',
        text: (c) => ({
          text: `Le registre des systèmes d’IA recense ${c.int(4, 40)} systèmes en service, dont ${c.int(1, 3)} classés à haut risque, publiés chaque année.`,
          question: `Combien de systèmes d’intelligence artificielle figurent au registre de ${c.org.ref} ?`,
        }),
      },
      {
        heading: 'Données interdites',
        text: (c) => ({
          text: `Il est interdit de saisir des ${c.qc ? c.pick(['renseignements personnels', 'renseignements confidentiels']) : c.pick(['données à caractère personnel', 'informations Diffusion restreinte'])} dans un outil d’IA non qualifié, même pour un essai.`,
          question: `Quelles informations ne faut-il jamais coller dans un chatbot non qualifié à ${c.org.ref} ?`,
        }),
      },
      {
        heading: 'Empreinte environnementale',
        text: (c) => ({
          text: `L’empreinte carbone des requêtes est estimée à ${c.int(20, 900)} g CO2e pour mille requêtes, publiée dans le tableau de bord de sobriété numérique.`,
          question: `Quel est l’impact environnemental des requêtes d’IA de ${c.org.ref} ?`,
        }),
      },
      {
        heading: 'Formation',
        text: (c) => ({
          text: `Une formation de ${c.int(2, 14)} heures sur l’usage responsable de l’IA sera suivie par ${c.int(30, 100)} % des agents d’ici ${c.pick(YEARS)}.`,
          question: `Quelle formation à l’IA responsable est prévue pour les agents de ${c.org.ref} ?`,
        }),
      },
    ],
  },
  {
    key: 'accessibility',
    titles: ['Accessibilité numérique des services', 'Schéma pluriannuel d’accessibilité'],
    intro: (c) => `Ce document présente la politique d’accessibilité numérique de ${theName(c.org.name)} pour que chaque usager, en situation de handicap ou non, accède à ses services.`,
    shared: [
      'Les services numériques sont conçus pour être utilisables au clavier, avec un lecteur d’écran et avec un agrandissement du texte.',
      'Toute nouvelle démarche en ligne fait l’objet d’un audit d’accessibilité avant sa mise en service.',
    ],
    facts: [
      {
        heading: 'Taux de conformité',
        text: (c) => {
          const app = c.pick(APPS);
          return {
            text: `Le taux de conformité au ${c.qc ? 'standard SGQRI 008' : 'RGAA 4.1'} du ${app} atteint ${c.int(40, 99)} % selon l’audit de ${c.pick(MONTHS)} ${c.pick(YEARS)}.`,
            question: `Le ${app} de ${c.org.ref} est-il accessible, et à quel pourcentage ?`,
          };
        },
      },
      {
        heading: 'Période couverte',
        text: (c) => {
          const y = c.int(2024, 2027);
          return {
            text: `Le schéma pluriannuel d’accessibilité couvre la période ${y}-${y + 3} et fait l’objet d’un plan d’action annuel.`,
            question: `Sur quelles années porte le schéma d’accessibilité de ${c.org.ref} ?`,
          };
        },
      },
      {
        heading: 'Vidéos',
        text: (c) => ({
          text: `Depuis ${c.pick(MONTHS)} ${c.pick(YEARS)}, les ${c.int(20, 400)} vidéos publiées comportent des sous-titres et une transcription textuelle.`,
          question: `Les vidéos de ${c.org.ref} sont-elles sous-titrées ?`,
        }),
      },
      {
        heading: 'Référent',
        text: (c) => ({
          text: `Le référent accessibilité, ${c.pick(PEOPLE)}, est joignable par ${c.qc ? 'courriel' : 'courrier électronique'} pour toute question sur l’accessibilité des sites.`,
          question: `Qui est le référent accessibilité de ${c.org.ref} ?`,
        }),
      },
      {
        heading: 'Documents PDF',
        text: (c) => ({
          text: `Les documents PDF non accessibles seront remplacés par des pages HTML avant le ${c.int(1, 28)} ${c.pick(MONTHS)} ${c.pick(YEARS)}.`,
          question: `Quand les fichiers PDF inaccessibles de ${c.org.ref} seront-ils remplacés ?`,
        }),
      },
      {
        heading: 'Signalement',
        text: (c) => ({
          text: `Un usager peut signaler un défaut d’accessibilité par le formulaire « ${c.pick(['Contact accessibilité', 'Signaler un problème', 'Aidez-nous à améliorer'])} » ; une réponse lui est apportée sous ${c.int(5, 30)} jours.`,
          question: `Comment un usager signale-t-il un problème d’accessibilité à ${c.org.ref} ?`,
        }),
      },
    ],
  },
  {
    key: 'privacy',
    titles: ['Protection des données personnelles', 'Politique de protection des renseignements'],
    intro: (c) =>
      c.qc
        ? `Ce document décrit la politique de protection des renseignements personnels de ${theName(c.org.name)}, conformément à la Loi 25.`
        : `Ce document décrit la politique de protection des données à caractère personnel de ${theName(c.org.name)}, conformément au RGPD.`,
    shared: [
      'Seules les données nécessaires à la finalité du traitement sont collectées, et elles ne sont accessibles qu’aux agents habilités.',
      'Chaque traitement est inscrit au registre, avec sa finalité, sa durée de conservation et les catégories de personnes concernées.',
    ],
    facts: [
      {
        heading: 'Responsable',
        text: (c) => ({
          text: `${c.qc ? 'Le responsable de la protection des renseignements personnels' : 'Le délégué à la protection des données'} est ${c.pick(PEOPLE)}, rattaché à la direction générale.`,
          question: `Qui est ${c.qc ? 'le responsable de la protection des renseignements personnels' : 'le délégué à la protection des données'} de ${c.org.ref} ?`,
        }),
      },
      {
        heading: 'Journaux de connexion',
        text: (c) => ({
          text: `Les journaux de connexion sont conservés ${c.int(3, 24)} mois, puis détruits de façon sécurisée.`,
          question: `Combien de temps ${c.org.ref} garde-t-il les journaux de connexion ?`,
        }),
      },
      {
        heading: 'Analyse d’impact',
        text: (c) => {
          const app = c.pick(APPS);
          return {
            text: `${c.qc ? 'Une évaluation des facteurs relatifs à la vie privée' : 'Une analyse d’impact relative à la protection des données'} a été menée pour le ${app} en ${c.pick(MONTHS)} ${c.pick(YEARS)}.`,
            question: `Une analyse d’impact a-t-elle été réalisée pour le ${app} à ${c.org.ref} ?`,
          };
        },
      },
      {
        heading: 'Violations de données',
        text: (c) => ({
          text: `Toute violation de données est notifiée à ${c.qc ? 'la Commission d’accès à l’information' : 'la CNIL'} dans un délai de ${c.pick([24, 48, 72])} heures après sa découverte.`,
          question: `Dans quel délai ${c.org.ref} doit-il déclarer une fuite de données à ${c.qc ? 'la Commission d’accès à l’information' : 'la CNIL'} ?`,
        }),
      },
      {
        heading: 'Droit d’accès',
        text: (c) => ({
          text: `Les demandes d’accès d’une personne à ses données reçoivent une réponse sous ${c.int(10, 30)} jours, par ${c.qc ? 'courriel' : 'courrier électronique'} ou par la poste.`,
          question: `En combien de jours ${c.org.ref} répond-il à une demande d’accès à ses données personnelles ?`,
        }),
      },
      {
        heading: 'Transferts',
        text: (c) => ({
          text: `Les données des usagers restent ${c.qc ? 'au Québec' : 'dans l’Union européenne'} ; tout transfert ailleurs est interdit sauf décision écrite de ${c.pick(['la direction générale', 'la secrétaire générale', 'du sous-ministre'])}.`,
          question: `Les données des usagers de ${c.org.ref} peuvent-elles partir à l’étranger ?`,
        }),
      },
    ],
  },
  {
    key: 'hr',
    titles: ['Ressources humaines : télétravail et carrière', 'Gestion des ressources humaines'],
    intro: (c) => `Ce document rassemble les règles de ressources humaines applicables aux agents de ${theName(c.org.name)}.`,
    shared: [
      'Les agents sont informés des règles par l’intranet et par leur gestionnaire de proximité, qui répond à leurs questions.',
      'Le dialogue social est mené avec les représentants du personnel, consultés sur chaque évolution des règles.',
    ],
    facts: [
      {
        heading: 'Télétravail',
        text: (c) => ({
          text: `Le télétravail est autorisé ${c.int(1, 3)} jours par semaine, sur accord du responsable hiérarchique.`,
          question: `Combien de jours par semaine peut-on travailler à domicile à ${c.org.ref} ?`,
        }),
      },
      {
        heading: 'Indemnité',
        text: (c) => ({
          text: `Une indemnité forfaitaire de télétravail de ${c.int(2, 6)},${c.int(10, 90)} ${c.qc ? '$' : '€'} par jour est versée, dans la limite de ${c.int(150, 300)} ${c.qc ? '$' : '€'} par an.`,
          question: `Quel est le montant de l’allocation de télétravail versée par ${c.org.ref} ?`,
        }),
      },
      {
        heading: 'Entretiens annuels',
        text: (c) => ({
          text: `La campagne d’entretiens professionnels se déroule du ${c.int(1, 14)} au ${c.int(15, 28)} ${c.pick(MONTHS)}, avec un bilan des objectifs et des besoins de formation.`,
          question: `Quand ont lieu les entretiens annuels d’évaluation à ${c.org.ref} ?`,
        }),
      },
      {
        heading: 'Recrutements',
        text: (c) => {
          const job = c.pick(['développeurs', 'analystes de données', 'architectes infonuagiques', 'chefs de projet', 'ergonomes', 'spécialistes en cybersécurité']);
          return {
            text: `${c.int(2, 40)} postes de ${job} sont ouverts au recrutement cette année, par concours ou par contrat.`,
            question: `Combien de ${job} ${c.org.ref} embauche-t-il ?`,
          };
        },
      },
      {
        heading: 'Formation continue',
        text: (c) => ({
          text: `Le plan de formation prévoit ${c.int(3, 10)} jours de formation par agent et par an, dont au moins un consacré au numérique.`,
          question: `Combien de jours de formation chaque agent de ${c.org.ref} peut-il suivre ?`,
        }),
      },
      {
        heading: 'Signalement',
        text: (c) => ({
          text: `La cellule d’écoute ${c.pick(['Allô Écoute', 'Respect+', 'Parole d’agent', 'Vigilance'])} reçoit de façon confidentielle les signalements de harcèlement et de discrimination.`,
          question: `À qui s’adresser en cas de harcèlement au travail à ${c.org.ref} ?`,
        }),
      },
    ],
  },
  {
    key: 'purchasing',
    titles: ['Achats et marchés publics', 'Règles d’acquisition et contrats'],
    intro: (c) => `Ce document rappelle les règles d’achat de ${theName(c.org.name)}, pour une commande publique transparente et responsable.`,
    shared: [
      'Les besoins sont définis avant toute consultation, et les critères de choix sont publiés avec l’appel à la concurrence.',
      'Les achats intègrent des critères environnementaux et sociaux, pondérés dans l’analyse des offres.',
    ],
    facts: [
      {
        heading: 'Seuil de mise en concurrence',
        text: (c) => ({
          text: `Le seuil de mise en concurrence est fixé à ${money(c, 25_000, 140_000, 5_000)} hors taxes ; en dessous, trois devis sont demandés.`,
          question: `À partir de quel montant faut-il lancer un appel d’offres à ${c.org.ref} ?`,
        }),
      },
      {
        heading: 'Attribution',
        text: (c) => {
          const object = c.pick(['postes de travail', 'licences bureautiques', 'maintenance applicative', 'hébergement des sites', 'téléphonie', 'assistance utilisateurs']);
          return {
            text: `Le marché de ${object} a été attribué à ${c.pick(['la société Arcadis Numérique', 'Groupe Némésis', 'la coopérative Libre Avenir', 'Solutions Boréales inc.', 'Infogérance Atlantique', 'Nordik Services'])} pour une durée de ${c.int(2, 5)} ans.`,
            question: `Quelle entreprise a remporté le contrat de ${object} de ${c.org.ref} ?`,
          };
        },
      },
      {
        heading: 'Délais de paiement',
        text: (c) => ({
          text: `Les factures des fournisseurs sont payées dans un délai de ${c.pick([20, 30, 45])} jours à compter de leur réception.`,
          question: `Sous combien de jours ${c.org.ref} règle-t-il ses fournisseurs ?`,
        }),
      },
      {
        heading: 'Clause de réversibilité',
        text: (c) => ({
          text: `Une clause ${c.pick(['de réversibilité', 'de localisation des données', 'd’accessibilité numérique', 'de sécurité des données'])} est insérée dans tous les contrats informatiques.`,
          question: `Quelle clause figure obligatoirement dans les marchés informatiques de ${c.org.ref} ?`,
        }),
      },
      {
        heading: 'Logiciels libres',
        text: (c) => ({
          text: `Les achats de logiciels privilégient les logiciels libres référencés dans ${c.qc ? c.pick(['le répertoire du logiciel libre du Québec', 'le catalogue ouvert du MCN']) : c.pick(['le Socle interministériel de logiciels libres', 'le catalogue GouvTech'])}.`,
          question: `Dans quel catalogue ${c.org.ref} choisit-il ses logiciels libres ?`,
        }),
      },
      {
        heading: 'Commission',
        text: (c) => ({
          text: `La commission d’appel d’offres se réunit le ${c.pick(WEEKDAYS)} de la première semaine de chaque mois.`,
          question: `Quel jour se réunit la commission d’appel d’offres de ${c.org.ref} ?`,
        }),
      },
    ],
  },
  {
    key: 'skills',
    titles: ['Compétences numériques des agents', 'Plan de développement des compétences numériques'],
    intro: (c) => `Ce document présente le plan de ${theName(c.org.name)} pour développer les compétences numériques de ses agents.`,
    shared: [
      'Le référentiel de compétences numériques s’appuie sur DigComp 2.2 et sur les référentiels nationaux.',
      'Les agents peuvent suivre leur progression dans un tableau de bord personnel et demander un accompagnement.',
    ],
    facts: [
      {
        heading: 'Évaluation',
        text: (c) => ({
          text: `${c.int(20, 95)} % des agents ont passé l’évaluation ${c.qc ? 'du cadre de référence de la compétence numérique' : 'Pix'} en ${c.pick(YEARS)}.`,
          question: `Quelle part des agents de ${c.org.ref} a fait le test de compétences numériques ?`,
        }),
      },
      {
        heading: 'Parcours',
        text: (c) => {
          const path = c.pick(['Travailler en équipe à distance', 'Protéger ses données', 'Bureautique avancée', 'Découvrir l’IA', 'Piloter un projet numérique']);
          return {
            text: `Le parcours « ${path} » dure ${c.int(4, 30)} heures et se termine par un certificat vérifiable.`,
            question: `Combien d’heures dure le parcours ${path} à ${c.org.ref} ?`,
          };
        },
      },
      {
        heading: 'Médiation numérique',
        text: (c) => ({
          text: `Des ateliers de médiation numérique ont lieu chaque ${c.pick(WEEKDAYS)} à ${c.pick(['la médiathèque', 'l’espace France services', 'la salle Colibri', 'la bibliothèque centrale', 'la maison des associations'])} de ${c.org.city}.`,
          question: `Où se tiennent les ateliers d’aide au numérique de ${c.org.ref} ?`,
        }),
      },
      {
        heading: 'Niveau visé',
        text: (c) => ({
          text: `Le niveau visé pour les agents d’accueil est le niveau ${c.int(3, 6)} du référentiel DigComp, atteint en deux ans.`,
          question: `Quel niveau DigComp doivent atteindre les agents d’accueil de ${c.org.ref} ?`,
        }),
      },
      {
        heading: 'Formateurs internes',
        text: (c) => ({
          text: `Les ${c.int(5, 60)} formateurs internes sont coordonnés par ${c.pick(PEOPLE)}, qui organise leur programme annuel.`,
          question: `Qui coordonne les formateurs internes de ${c.org.ref} ?`,
        }),
      },
      {
        heading: 'Financement',
        text: (c) => ({
          text: `Un budget de ${money(c, 20_000, 600_000, 10_000)} finance les certifications numériques des agents cette année.`,
          question: `Quel budget paie les certifications des agents de ${c.org.ref} ?`,
        }),
      },
    ],
  },
];

const KINDS: { fr: string; qc: string; closing: string }[] = [
  { fr: 'Circulaire', qc: 'Directive', closing: 'Les directions veillent à l’application de ces dispositions et font remonter les difficultés rencontrées.' },
  { fr: 'Compte rendu du comité', qc: 'Compte rendu du comité', closing: 'Le présent compte rendu est diffusé aux participants et publié sur l’intranet.' },
  { fr: 'Procédure', qc: 'Procédure', closing: 'Cette procédure est révisée chaque année par le service compétent.' },
  { fr: 'Note de cadrage', qc: 'Note d’orientation', closing: 'Les orientations de cette note seront précisées dans le plan d’action.' },
  { fr: 'Foire aux questions', qc: 'Questions fréquentes', closing: 'Pour toute autre question, adressez-vous au service compétent.' },
];

export function buildCorpus(): { documents: CorpusDocument[]; questions: CorpusQuestion[] } {
  const documents: CorpusDocument[] = [];
  const answers: CorpusQuestion[] = [];
  for (const [o, org] of ORGANISATIONS.entries()) {
    for (const [s, subject] of SUBJECTS.entries()) {
      for (const variant of [0, 1] as const) {
        const random = rng(1000 * o + 10 * s + variant + 1);
        const c: Ctx = {
          org,
          qc: org.jurisdiction === 'QC',
          pick: (values) => values[Math.floor(random() * values.length)] as (typeof values)[number],
          int: (min, max) => min + Math.floor(random() * (max - min + 1)),
        };
        const kind = KINDS[(o + s + variant * 2) % KINDS.length] as (typeof KINDS)[number];
        const key = `${org.jurisdiction}-${o}-${subject.key}-${variant}`;
        const title = `${c.qc ? kind.qc : kind.fr} — ${subject.titles[variant]} (${org.name})`;
        const blocks: string[] = [];
        const facts: { start: number; text: string; question: string }[] = [];
        let length = 0;
        const push = (block: string) => {
          const start = length === 0 ? 0 : length + 2;
          blocks.push(block);
          length = start + block.length;
          return start;
        };
        push(contract(subject.intro(c)));
        push(subject.shared[variant] as string);
        for (const [i, fact] of subject.facts.slice(variant * 3, variant * 3 + 3).entries()) {
          const raw = fact.text(c);
          const made = { text: contract(raw.text), question: contract(raw.question) };
          push(fact.heading);
          const start = push(made.text);
          facts.push({ start, text: made.text, question: made.question });
          if (i === 1) push(subject.shared[1 - variant] as string);
        }
        push(kind.closing);
        documents.push({ key, jurisdiction: org.jurisdiction, organisation: org.name, title, body: blocks.join('\n\n') });
        // One document of each organisation and subject has a question, about one of its facts:
        // 128 questions spread over organisations, subjects, both kinds and every fact template.
        if ((o + s + variant) % 2 === 0) {
          const fact = facts[(o + 2 * s + variant) % 3] as (typeof facts)[number];
          answers.push({ question: fact.question, documentKey: key, answerStart: fact.start, answerLength: fact.text.length });
        }
      }
    }
  }
  return { documents, questions: answers };
}
