import type { CrcnCompetence, LocalisedText } from './types.ts';

/**
 * France's Cadre de référence des compétences numériques (CRCN, décret n° 2019-919 and its annex):
 * 16 competences in 5 domains, the ones Pix assesses. French names are the official ones; English
 * names are our translation (the CRCN has no official English version). `domain` is the domain's
 * number, named in CRCN_DOMAINS.
 */

export const CRCN_DOMAINS: Readonly<Record<string, LocalisedText>> = {
  '1': { fr: 'Informations et données', en: 'Information and data' },
  '2': { fr: 'Communication et collaboration', en: 'Communication and collaboration' },
  '3': { fr: 'Création de contenus', en: 'Content creation' },
  '4': { fr: 'Protection et sécurité', en: 'Protection and security' },
  '5': { fr: 'Environnement numérique', en: 'Digital environment' },
};

export const CRCN: readonly CrcnCompetence[] = [
  {
    id: '1.1',
    domain: '1',
    name: {
      fr: 'Mener une recherche et une veille d’information',
      en: 'Searching for and monitoring information',
    },
  },
  { id: '1.2', domain: '1', name: { fr: 'Gérer des données', en: 'Managing data' } },
  { id: '1.3', domain: '1', name: { fr: 'Traiter des données', en: 'Processing data' } },
  { id: '2.1', domain: '2', name: { fr: 'Interagir', en: 'Interacting' } },
  { id: '2.2', domain: '2', name: { fr: 'Partager et publier', en: 'Sharing and publishing' } },
  { id: '2.3', domain: '2', name: { fr: 'Collaborer', en: 'Collaborating' } },
  {
    id: '2.4',
    domain: '2',
    name: { fr: 'S’insérer dans le monde numérique', en: 'Finding one’s place in the digital world' },
  },
  {
    id: '3.1',
    domain: '3',
    name: { fr: 'Développer des documents textuels', en: 'Developing text documents' },
  },
  {
    id: '3.2',
    domain: '3',
    name: { fr: 'Développer des documents multimédia', en: 'Developing multimedia documents' },
  },
  {
    id: '3.3',
    domain: '3',
    name: {
      fr: 'Adapter les documents à leur finalité',
      en: 'Adapting documents to their purpose',
    },
  },
  { id: '3.4', domain: '3', name: { fr: 'Programmer', en: 'Programming' } },
  {
    id: '4.1',
    domain: '4',
    name: {
      fr: 'Sécuriser l’environnement numérique',
      en: 'Securing the digital environment',
    },
  },
  {
    id: '4.2',
    domain: '4',
    name: {
      fr: 'Protéger les données personnelles et la vie privée',
      frCA: 'Protéger les renseignements personnels et la vie privée',
      en: 'Protecting personal data and privacy',
    },
  },
  {
    id: '4.3',
    domain: '4',
    name: {
      fr: 'Protéger la santé, le bien-être et l’environnement',
      en: 'Protecting health, well-being and the environment',
    },
  },
  {
    id: '5.1',
    domain: '5',
    name: { fr: 'Résoudre des problèmes techniques', en: 'Solving technical problems' },
  },
  {
    id: '5.2',
    domain: '5',
    name: { fr: 'Construire un environnement numérique', en: 'Building a digital environment' },
  },
];
