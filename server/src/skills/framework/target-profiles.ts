import type { TargetProfile } from './types.ts';

/**
 * Default target profiles: the level a role needs per DigComp competence. Levels follow DigComp
 * 2.2 (1–2 foundation, 3–4 intermediate, 5–6 advanced, 7–8 highly specialised). These are
 * starting points an organisation adjusts, not norms; the reasoning:
 *  - agent: works autonomously on everyday tasks (3–4), and must be solid (4) where a mistake
 *    costs the organisation: securing devices and accounts (4.1) and personal data (4.2), plus
 *    searching and judging sources (1.1, 1.2); programming is not part of the job (2).
 *  - manager: guides others, so one step higher on collaboration, sharing and data (2.x, 1.x up
 *    to 5), on personal data (5: accountable for the team's processing) and on spotting the
 *    team's competence gaps (5.4).
 *  - digital specialist: advanced across the board (5–6), highly specialised (7) where the role
 *    is the organisation's expertise: security (4.1), programming (3.4), technical problems (5.1).
 */

export const TARGET_PROFILES: readonly TargetProfile[] = [
  {
    id: 'default-agent',
    role: 'agent',
    name: { fr: 'Agent public', en: 'Public servant' },
    required: {
      '1.1': 4, '1.2': 4, '1.3': 3,
      '2.1': 3, '2.2': 3, '2.3': 3, '2.4': 3, '2.5': 3, '2.6': 3,
      '3.1': 3, '3.2': 3, '3.3': 3, '3.4': 2,
      '4.1': 4, '4.2': 4, '4.3': 3, '4.4': 3,
      '5.1': 3, '5.2': 3, '5.3': 3, '5.4': 3,
    },
  },
  {
    id: 'default-manager',
    role: 'manager',
    name: { fr: 'Manager d’équipe', frCA: 'Gestionnaire d’équipe', en: 'Team manager' },
    required: {
      '1.1': 4, '1.2': 5, '1.3': 5,
      '2.1': 4, '2.2': 5, '2.3': 4, '2.4': 5, '2.5': 4, '2.6': 4,
      '3.1': 4, '3.2': 4, '3.3': 4, '3.4': 2,
      '4.1': 4, '4.2': 5, '4.3': 4, '4.4': 4,
      '5.1': 3, '5.2': 4, '5.3': 4, '5.4': 5,
    },
  },
  {
    id: 'default-digital-specialist',
    role: 'digital-specialist',
    name: { fr: 'Spécialiste du numérique', en: 'Digital specialist' },
    required: {
      '1.1': 5, '1.2': 5, '1.3': 6,
      '2.1': 5, '2.2': 5, '2.3': 5, '2.4': 5, '2.5': 5, '2.6': 5,
      '3.1': 5, '3.2': 5, '3.3': 5, '3.4': 7,
      '4.1': 7, '4.2': 6, '4.3': 5, '4.4': 5,
      '5.1': 7, '5.2': 6, '5.3': 6, '5.4': 5,
    },
  },
];
