import type { Locale } from '../../../common/src/i18n/locales.ts';
import type { Jurisdiction } from '../../../common/src/jurisdiction.ts';
import type { Stores } from '../platform/db/stores.ts';
import type { OrganisationRole, PlatformRole } from './identity.tables.ts';
import { registerOrganisation } from './organisations.ts';
import type { OutboxRegistry } from '../platform/jobs/index.ts';
import { grantPlatformRole } from './principals.repo.ts';
import { provisionAgent } from './provision-agent.ts';
import { findTeamById, insertTeam, upsertTeamMember } from './teams.repo.ts';

/**
 * Demo organisations and agents (demo mode only; refused in production by the configuration).
 * The identifiers are fictitious but well formed (SIRET passes Luhn), the names say « démo »,
 * and the email domains are under `.test`, reserved for testing, so nothing here can be
 * mistaken for — or routed to — a real administration.
 */
export const DEMO_ORGANISATIONS = [
  {
    id: '019ac9f0-0000-7000-8000-00000000f001',
    name: 'Ministère de la Transformation numérique (démo)',
    jurisdiction: 'FR',
    siret: '11000000100013',
    neq: null,
    email_domains: ['numerique.demo-gouv-fr.test'],
  },
  {
    id: '019ac9f0-0000-7000-8000-00000000f002',
    name: 'Direction des services numériques de l’État (démo)',
    jurisdiction: 'FR',
    siret: '11000000200011',
    neq: null,
    email_domains: ['dsne.demo-gouv-fr.test'],
  },
  {
    id: '019ac9f0-0000-7000-8000-00000000c001',
    name: 'Ministère de la Cybersécurité et du Numérique (démo)',
    jurisdiction: 'QC',
    siret: null,
    neq: '8800000001',
    email_domains: ['mcn.demo-gouv-qc.test'],
  },
] as const;

interface DemoAgent {
  id: string;
  jurisdiction: Jurisdiction;
  givenName: string;
  familyName: string;
  email: string;
  language: Locale;
  organisationId: string;
  roles: OrganisationRole[];
  platformRoles: PlatformRole[];
}

/** Non-empty: the first, Camille, manages the demo teams (`seedDemoData`). */
export const DEMO_AGENTS: readonly [DemoAgent, ...DemoAgent[]] = [
  {
    id: '019ac9f0-0000-7000-8000-0000000a0001',
    jurisdiction: 'FR',
    givenName: 'Camille',
    familyName: 'Martin',
    email: 'camille.martin@numerique.demo-gouv-fr.test',
    language: 'fr-FR',
    organisationId: DEMO_ORGANISATIONS[0].id,
    roles: ['member', 'admin'],
    platformRoles: ['operator'],
  },
  {
    id: '019ac9f0-0000-7000-8000-0000000a0002',
    jurisdiction: 'FR',
    givenName: 'Hugo',
    familyName: 'Bernard',
    email: 'hugo.bernard@dsne.demo-gouv-fr.test',
    language: 'fr-FR',
    organisationId: DEMO_ORGANISATIONS[1].id,
    roles: ['member'],
    platformRoles: [],
  },
  {
    id: '019ac9f0-0000-7000-8000-0000000a0003',
    jurisdiction: 'QC',
    givenName: 'Émilie',
    familyName: 'Tremblay',
    email: 'emilie.tremblay@mcn.demo-gouv-qc.test',
    language: 'fr-CA',
    organisationId: DEMO_ORGANISATIONS[2].id,
    roles: ['member', 'admin'],
    platformRoles: [],
  },
  {
    id: '019ac9f0-0000-7000-8000-0000000a0004',
    jurisdiction: 'QC',
    givenName: 'Olivier',
    familyName: 'Gagnon',
    email: 'olivier.gagnon@mcn.demo-gouv-qc.test',
    language: 'en',
    organisationId: DEMO_ORGANISATIONS[2].id,
    roles: ['member'],
    platformRoles: [],
  },
];

/**
 * Colleagues of Camille in the first demo organisation, who never sign in (the demo identity
 * providers do not list them): they give the skills dashboards a team large enough to show
 * (at least 5 assessed agents) and a small one that must stay withheld. The skills module gives
 * them demo results (skills/demo-results.ts).
 */
export const DEMO_COLLEAGUES = [
  { id: '019ac9f0-0000-7000-8000-0000000b0001', givenName: 'Léa', familyName: 'Petit' },
  { id: '019ac9f0-0000-7000-8000-0000000b0002', givenName: 'Thomas', familyName: 'Dubois' },
  { id: '019ac9f0-0000-7000-8000-0000000b0003', givenName: 'Inès', familyName: 'Moreau' },
  { id: '019ac9f0-0000-7000-8000-0000000b0004', givenName: 'Lucas', familyName: 'Laurent' },
  { id: '019ac9f0-0000-7000-8000-0000000b0005', givenName: 'Chloé', familyName: 'Simon' },
  { id: '019ac9f0-0000-7000-8000-0000000b0006', givenName: 'Nathan', familyName: 'Michel' },
  { id: '019ac9f0-0000-7000-8000-0000000b0007', givenName: 'Manon', familyName: 'Garcia' },
] as const;

/** Teams of the first demo organisation, managed by Camille: five assessed colleagues (shown), and two (withheld). */
export const DEMO_TEAMS = [
  { id: '019ac9f0-0000-7000-8000-0000000d0001', name: 'Pôle usages numériques (démo)', members: DEMO_COLLEAGUES.slice(0, 5).map((c) => c.id) },
  { id: '019ac9f0-0000-7000-8000-0000000d0002', name: 'Cellule IA (démo)', members: DEMO_COLLEAGUES.slice(5).map((c) => c.id) },
] as const;

/** Idempotent: safe at every start. Agents are provisioned like real ones (cell, outbox, control plane). */
export async function seedDemoData(stores: Stores, outbox: OutboxRegistry): Promise<void> {
  for (const organisation of DEMO_ORGANISATIONS) {
    await registerOrganisation(stores, {
      id: organisation.id,
      name: organisation.name,
      jurisdiction: organisation.jurisdiction,
      siret: organisation.siret,
      neq: organisation.neq,
      emailDomains: [...organisation.email_domains],
      demo: true,
    });
  }
  for (const agent of DEMO_AGENTS) {
    await provisionAgent(stores, outbox, {
      id: agent.id,
      jurisdiction: agent.jurisdiction,
      givenName: agent.givenName,
      familyName: agent.familyName,
      email: agent.email,
      preferredLanguage: agent.language,
      organisationId: agent.organisationId,
      roles: agent.roles,
    });
    for (const role of agent.platformRoles) await grantPlatformRole(stores.control.db, agent.id, role);
  }
  const organisation = DEMO_ORGANISATIONS[0];
  for (const colleague of DEMO_COLLEAGUES) {
    // « Léa Petit » → lea.petit@…: accents dropped, as administrations' addresses do.
    const localPart = `${colleague.givenName}.${colleague.familyName}`.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    await provisionAgent(stores, outbox, {
      id: colleague.id,
      jurisdiction: 'FR',
      givenName: colleague.givenName,
      familyName: colleague.familyName,
      email: `${localPart}@${organisation.email_domains[0]}`,
      preferredLanguage: 'fr-FR',
      organisationId: organisation.id,
      roles: ['member'],
    });
  }
  const camille = DEMO_AGENTS[0].id;
  for (const team of DEMO_TEAMS) {
    if (await findTeamById(stores.control.db, team.id)) continue;
    await insertTeam(stores.control.db, { id: team.id, organisation_id: organisation.id, name: team.name });
    await upsertTeamMember(stores.control.db, { team_id: team.id, principal_id: camille, role: 'manager' });
    for (const member of team.members) await upsertTeamMember(stores.control.db, { team_id: team.id, principal_id: member, role: 'member' });
  }
}
