import { createHash } from 'node:crypto';
import { DEMO_AGENTS, DEMO_ORGANISATIONS } from '../../demo-data.ts';

/**
 * The demo agents as each demo identity provider knows them: its own subject, its own claim names.
 * The subject is stable (derived from the agent) but deliberately not Entente's principal id: a
 * real federation knows nothing of Entente's ids, and the broker must map (upstream, subject).
 */
export type DemoIdpName = 'fr' | 'qc';

export interface DemoIdpAccount {
  /** Upstream subject (`sub`), e.g. `fr-demo-3f2a…`. */
  sub: string;
  displayName: string;
  email: string;
  organisationName: string;
  /** Claims by name, in this provider's vocabulary (without sub, acr, amr). */
  claims: Readonly<Record<string, string>>;
}

function subjectFor(idp: DemoIdpName, agentId: string): string {
  return `${idp}-demo-${createHash('sha256').update(`entente-demo-idp:${idp}:${agentId}`).digest('hex').slice(0, 16)}`;
}

/** What the FR demo provider calls itself in `idp_id` (ProConnect names the agent's IdP there). */
export const FR_DEMO_IDP_ID = 'entente-demo-fr';

function build(idp: DemoIdpName): readonly DemoIdpAccount[] {
  const jurisdiction = idp === 'fr' ? 'FR' : 'QC';
  return DEMO_AGENTS.filter((agent) => agent.jurisdiction === jurisdiction).map((agent) => {
    const organisation = DEMO_ORGANISATIONS.find((org) => org.id === agent.organisationId);
    if (!organisation) throw new Error(`demo agent ${agent.id} has no demo organisation`);
    const sub = subjectFor(idp, agent.id);
    const claims: Record<string, string> =
      idp === 'fr'
        ? {
            given_name: agent.givenName,
            usual_name: agent.familyName,
            email: agent.email,
            uid: sub.slice(idp.length + 1),
            siret: organisation.siret ?? '',
            idp_id: FR_DEMO_IDP_ID,
            organization_label: organisation.name,
          }
        : {
            prenom: agent.givenName,
            nom_famille: agent.familyName,
            courriel: agent.email,
            identifiant: sub.slice(idp.length + 1),
            neq: organisation.neq ?? '',
            organisation: organisation.name,
          };
    return {
      sub,
      displayName: `${agent.givenName} ${agent.familyName}`,
      email: agent.email,
      organisationName: organisation.name,
      claims,
    };
  });
}

export const DEMO_IDP_ACCOUNTS: Readonly<Record<DemoIdpName, readonly DemoIdpAccount[]>> = {
  fr: build('fr'),
  qc: build('qc'),
};

export function findDemoAccount(idp: DemoIdpName, sub: string): DemoIdpAccount | undefined {
  return DEMO_IDP_ACCOUNTS[idp].find((account) => account.sub === sub);
}
