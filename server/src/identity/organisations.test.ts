import { describe, expect, it } from 'vitest';
import { DEMO_ORGANISATIONS } from './demo-data.ts';
import { isValidEmailDomain, isValidNeq, isValidSiret } from './organisation-ids.ts';
import { type OrganisationInput, validateOrganisation } from './organisations.ts';

describe('official identifiers', () => {
  it('checks the SIRET’s Luhn key, with La Poste’s exception', () => {
    expect(isValidSiret('13002526500013')).toBe(true); // a real public establishment's SIRET
    expect(isValidSiret('13002526500014')).toBe(false);
    expect(isValidSiret('1300252650001')).toBe(false);
    expect(isValidSiret('1300252650001a')).toBe(false);
    expect(isValidSiret('35600000000048')).toBe(true); // La Poste's head office: Luhn
    expect(isValidSiret('35600000000010')).toBe(true); // a La Poste establishment: digit sum 15
    expect(isValidSiret('35600000000049')).toBe(false);
  });
  it('checks the NEQ’s and domains’ shape', () => {
    expect(isValidNeq('8800000001')).toBe(true);
    expect(isValidNeq('880000000')).toBe(false);
    expect(isValidEmailDomain('numerique.gouv.fr')).toBe(true);
    for (const bad of ['Numerique.gouv.fr', 'gouv', '-x.fr', 'a..fr', 'x.fr/evil', 'x fr.fr']) expect(isValidEmailDomain(bad), bad).toBe(false);
  });
});

describe('validateOrganisation', () => {
  const fr: OrganisationInput = {
    id: '019ac9f0-0000-7000-8000-00000000f0aa',
    name: 'Ministère',
    jurisdiction: 'FR',
    siret: '13002526500013',
    neq: null,
    emailDomains: ['ministere.gouv.fr'],
    demo: false,
  };
  it('accepts a well-formed organisation and every demo organisation', () => {
    expect(validateOrganisation(fr)).toEqual([]);
    for (const o of DEMO_ORGANISATIONS) {
      expect(validateOrganisation({ ...o, emailDomains: [...o.email_domains], demo: true })).toEqual([]);
    }
  });
  it('names each wrong field', () => {
    const errors = validateOrganisation({ ...fr, name: ' ', siret: '13002526500014', neq: '8800000001', emailDomains: ['BAD', 'BAD'] });
    expect(errors.map((e) => e.path).sort()).toEqual(['emailDomains', 'emailDomains.0', 'emailDomains.1', 'name', 'neq', 'siret']);
    expect(validateOrganisation({ ...fr, jurisdiction: 'QC', siret: null, neq: '12' }).map((e) => e.path)).toEqual(['neq']);
  });
});
