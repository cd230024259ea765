import type { QuebecDimension } from './types.ts';

/**
 * The 12 dimensions of Québec's Cadre de référence de la compétence numérique (ministère de
 * l'Éducation et de l'Enseignement supérieur, 2019), in the order of the framework's numbering
 * (dimension 1 « citoyen éthique » … dimension 12 « innover et faire preuve de créativité »).
 * French names are the official ones; English names follow the ministry's Digital Competency
 * Framework translation as closely as we know it. The ministry published an updated version of
 * the framework later; these ids stay tied to the 2019 dimensions.
 */
export const QUEBEC_DIMENSIONS: readonly QuebecDimension[] = [
  {
    id: 'qc-1',
    name: {
      fr: 'Agir en citoyen éthique à l’ère du numérique',
      en: 'Act as an ethical citizen in the digital age',
    },
  },
  {
    id: 'qc-2',
    name: {
      fr: 'Développer et mobiliser ses habiletés technologiques',
      en: 'Develop and mobilize technological skills',
    },
  },
  {
    id: 'qc-3',
    name: {
      fr: 'Exploiter le potentiel du numérique pour l’apprentissage',
      en: 'Harness the potential of digital technology for learning',
    },
  },
  {
    id: 'qc-4',
    name: {
      fr: 'Développer et mobiliser sa culture informationnelle',
      en: 'Develop and mobilize information literacy',
    },
  },
  {
    id: 'qc-5',
    name: { fr: 'Collaborer à l’aide du numérique', en: 'Collaborate via digital technology' },
  },
  {
    id: 'qc-6',
    name: { fr: 'Communiquer à l’aide du numérique', en: 'Communicate via digital technology' },
  },
  {
    id: 'qc-7',
    name: { fr: 'Produire du contenu avec le numérique', en: 'Produce content with digital technology' },
  },
  {
    id: 'qc-8',
    name: {
      fr: 'Mettre à profit le numérique en tant que vecteur d’inclusion et pour répondre à des besoins diversifiés',
      en: 'Use digital technology as a vector of inclusion and to meet diverse needs',
    },
  },
  {
    id: 'qc-9',
    name: {
      fr: 'Adopter une perspective de développement personnel et professionnel avec le numérique dans une posture d’autonomisation',
      en: 'Adopt a personal and professional development perspective with digital technology in a spirit of empowerment',
    },
  },
  {
    id: 'qc-10',
    name: {
      fr: 'Résoudre une variété de problèmes avec le numérique',
      en: 'Solve a variety of problems with digital technology',
    },
  },
  {
    id: 'qc-11',
    name: {
      fr: 'Développer sa pensée critique envers le numérique',
      en: 'Develop critical thinking with regard to digital technology',
    },
  },
  {
    id: 'qc-12',
    name: {
      fr: 'Innover et faire preuve de créativité avec le numérique',
      en: 'Innovate and be creative with digital technology',
    },
  },
];
