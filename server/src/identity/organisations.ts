import type { Jurisdiction } from '../../../common/src/jurisdiction.ts';
import type { Stores } from '../platform/db/stores.ts';
import { type FieldError, invalid } from '../platform/errors.ts';
import { isValidEmailDomain, isValidNeq, isValidSiret } from './organisation-ids.ts';
import { insertOrganisationIfAbsent, listOrganisations as selectOrganisations, type OrganisationRow } from './organisations.repo.ts';

export interface OrganisationInput {
  id: string;
  name: string;
  jurisdiction: Jurisdiction;
  siret: string | null;
  neq: string | null;
  emailDomains: string[];
  demo: boolean;
  /** False when created at a sign-in: an operator confirms it later. */
  confirmed?: boolean;
}

/** The rules an organisation's identity must satisfy, as field errors (empty when valid). */
export function validateOrganisation(input: OrganisationInput): FieldError[] {
  const errors: FieldError[] = [];
  const name = input.name.trim();
  if (name.length < 1 || name.length > 300) errors.push({ path: 'name', message: '1 to 300 characters' });
  if (input.jurisdiction === 'FR') {
    if (!input.siret || !isValidSiret(input.siret)) errors.push({ path: 'siret', message: 'a SIRET: 14 digits with a valid Luhn key' });
    if (input.neq) errors.push({ path: 'neq', message: 'a French organisation has no NEQ' });
  } else {
    if (!input.neq || !isValidNeq(input.neq)) errors.push({ path: 'neq', message: 'a NEQ: 10 digits' });
    if (input.siret) errors.push({ path: 'siret', message: 'a Québec organisation has no SIRET' });
  }
  input.emailDomains.forEach((domain, i) => {
    if (!isValidEmailDomain(domain)) errors.push({ path: `emailDomains.${i}`, message: 'a lower-case domain name' });
  });
  if (new Set(input.emailDomains).size !== input.emailDomains.length) {
    errors.push({ path: 'emailDomains', message: 'no duplicates' });
  }
  return errors;
}

/**
 * Registers an organisation, idempotently by its official identifier (SIRET or NEQ). The
 * operator API and CLI of the identity-federation issue call this; so does the demo seed.
 */
export async function registerOrganisation(stores: Stores, input: OrganisationInput): Promise<OrganisationRow> {
  const errors = validateOrganisation(input);
  if (errors.length > 0) throw invalid(errors);
  return insertOrganisationIfAbsent(stores.control.db, {
    id: input.id,
    name: input.name.trim(),
    jurisdiction: input.jurisdiction,
    siret: input.siret,
    neq: input.neq,
    email_domains: input.emailDomains,
    demo: input.demo,
    confirmed: input.confirmed ?? true,
  });
}

/** Organisations are public information: anyone may list them. */
export function listOrganisations(stores: Stores): Promise<OrganisationRow[]> {
  return selectOrganisations(stores.control.db);
}
