import { describe, expect, it } from 'vitest';
import { RESOURCES } from '../resources/catalogue.ts';
import { CRCN, CRCN_DOMAINS } from './crcn.ts';
import { AREAS, COMPETENCES, FRAMEWORK_VERSION } from './digcomp.ts';
import { QUEBEC_DIMENSIONS } from './quebec.ts';
import { TARGET_PROFILES } from './target-profiles.ts';
import { AREA_IDS, LEVELS, type LocalisedText } from './types.ts';

const DIGCOMP_IDS = [
  '1.1', '1.2', '1.3',
  '2.1', '2.2', '2.3', '2.4', '2.5', '2.6',
  '3.1', '3.2', '3.3', '3.4',
  '4.1', '4.2', '4.3', '4.4',
  '5.1', '5.2', '5.3', '5.4',
];
const CRCN_IDS = [
  '1.1', '1.2', '1.3', '2.1', '2.2', '2.3', '2.4', '3.1', '3.2', '3.3', '3.4', '4.1', '4.2', '4.3',
  '5.1', '5.2',
];

function expectFilled(text: LocalisedText, where: string): void {
  expect(text.fr.trim(), `${where} fr`).not.toBe('');
  expect(text.en.trim(), `${where} en`).not.toBe('');
  if (text.frCA !== undefined) {
    expect(text.frCA.trim(), `${where} frCA`).not.toBe('');
    // frCA exists only where Québec usage differs.
    expect(text.frCA, `${where} frCA`).not.toBe(text.fr);
  }
}

describe('DigComp 2.2 framework', () => {
  it('names its version', () => {
    expect(FRAMEWORK_VERSION).toBe('digcomp-2.2');
  });

  it('has exactly the 5 areas, in order', () => {
    expect(AREAS.map((a) => a.id)).toEqual([...AREA_IDS]);
    for (const area of AREAS) {
      expectFilled(area.name, `area ${area.id} name`);
      expectFilled(area.description, `area ${area.id} description`);
    }
  });

  it('has exactly the 21 competences, unique, in order, each in its own area', () => {
    expect(COMPETENCES.map((c) => c.id)).toEqual(DIGCOMP_IDS);
    for (const competence of COMPETENCES) {
      expect(AREA_IDS).toContain(competence.area);
      // '2.4' belongs to area '2': the id's first digit is the area.
      expect(competence.id.split('.')[0], competence.id).toBe(competence.area);
      expectFilled(competence.name, `${competence.id} name`);
      expectFilled(competence.description, `${competence.id} description`);
    }
  });

  it('uses the Québec wording where it differs, and only there', () => {
    const dataPrivacy = COMPETENCES.find((c) => c.id === '4.2');
    expect(dataPrivacy?.name.frCA).toMatch(/renseignements personnels/);
    expect(dataPrivacy?.name.fr).toMatch(/données personnelles/);
    const health = COMPETENCES.find((c) => c.id === '4.3');
    expect(health?.description.frCA).toMatch(/cyberintimidation/);
  });
});

describe('CRCN and Québec frameworks', () => {
  it('has the 16 CRCN competences in 5 named domains', () => {
    expect(CRCN.map((c) => c.id)).toEqual(CRCN_IDS);
    expect(Object.keys(CRCN_DOMAINS).sort()).toEqual(['1', '2', '3', '4', '5']);
    for (const competence of CRCN) {
      expect(competence.id.split('.')[0], competence.id).toBe(competence.domain);
      expectFilled(competence.name, `CRCN ${competence.id}`);
    }
    for (const [id, name] of Object.entries(CRCN_DOMAINS)) expectFilled(name, `CRCN domain ${id}`);
  });

  it('has the 12 Québec dimensions qc-1 … qc-12', () => {
    expect(QUEBEC_DIMENSIONS.map((d) => d.id)).toEqual(
      Array.from({ length: 12 }, (_, i) => `qc-${i + 1}`),
    );
    for (const dimension of QUEBEC_DIMENSIONS) expectFilled(dimension.name, dimension.id);
    expect(QUEBEC_DIMENSIONS[0]?.name.fr).toMatch(/citoyen éthique/);
    expect(QUEBEC_DIMENSIONS[10]?.name.fr).toMatch(/pensée critique/);
  });

  it('maps every DigComp competence only to known CRCN and Québec entries, without repeats', () => {
    const crcnIds = new Set(CRCN.map((c) => c.id));
    const quebecIds = new Set(QUEBEC_DIMENSIONS.map((d) => d.id));
    for (const competence of COMPETENCES) {
      for (const id of competence.crcn) expect(crcnIds, `${competence.id} → CRCN ${id}`).toContain(id);
      for (const id of competence.quebec) expect(quebecIds, `${competence.id} → ${id}`).toContain(id);
      expect(new Set(competence.crcn).size).toBe(competence.crcn.length);
      expect(new Set(competence.quebec).size).toBe(competence.quebec.length);
      // Québec's framework is broad enough that every DigComp competence has a counterpart.
      expect(competence.quebec.length, competence.id).toBeGreaterThan(0);
    }
  });

  it('reaches every CRCN competence and every Québec dimension from at least one DigComp competence', () => {
    const reachedCrcn = new Set(COMPETENCES.flatMap((c) => c.crcn));
    const reachedQuebec = new Set(COMPETENCES.flatMap((c) => c.quebec));
    expect([...reachedCrcn].sort()).toEqual([...CRCN_IDS].sort());
    expect(QUEBEC_DIMENSIONS.filter((d) => !reachedQuebec.has(d.id))).toEqual([]);
  });

  it('leaves unmapped to the CRCN only the two competences Pix dropped', () => {
    expect(COMPETENCES.filter((c) => c.crcn.length === 0).map((c) => c.id)).toEqual(['5.3', '5.4']);
  });
});

describe('default target profiles', () => {
  it('has one profile per role, each with a name', () => {
    expect(TARGET_PROFILES.map((p) => p.role).sort()).toEqual(['agent', 'digital-specialist', 'manager']);
    expect(new Set(TARGET_PROFILES.map((p) => p.id)).size).toBe(TARGET_PROFILES.length);
    for (const profile of TARGET_PROFILES) expectFilled(profile.name, profile.id);
  });

  it('requires a level 1–8 for every DigComp competence, and for nothing else', () => {
    for (const profile of TARGET_PROFILES) {
      expect(Object.keys(profile.required).sort(), profile.id).toEqual([...DIGCOMP_IDS].sort());
      for (const level of Object.values(profile.required)) expect(LEVELS).toContain(level);
    }
  });

  it('never asks a manager or a specialist for less than an agent', () => {
    const byRole = Object.fromEntries(TARGET_PROFILES.map((p) => [p.role, p.required]));
    const agent = byRole.agent!;
    const manager = byRole.manager!;
    const specialist = byRole['digital-specialist']!;
    for (const id of DIGCOMP_IDS) {
      expect(manager[id]!, `manager ${id}`).toBeGreaterThanOrEqual(agent[id]!);
      expect(specialist[id]!, `specialist ${id}`).toBeGreaterThanOrEqual(agent[id]!);
    }
    // The agent's floor: security and personal data at 4.
    expect(agent['4.1']).toBe(4);
    expect(agent['4.2']).toBe(4);
    // The specialist's expertise: security, programming and technical problems at 7.
    expect([specialist['4.1'], specialist['3.4'], specialist['5.1']]).toEqual([7, 7, 7]);
  });
});

describe('learning-resource catalogue', () => {
  it('has at least 50 resources with unique ids and unique URLs', () => {
    expect(RESOURCES.length).toBeGreaterThanOrEqual(50);
    expect(new Set(RESOURCES.map((r) => r.id)).size).toBe(RESOURCES.length);
    expect(new Set(RESOURCES.map((r) => r.url)).size).toBe(RESOURCES.length);
  });

  it('links only over https, with a well-formed URL and no tracking parameters', () => {
    for (const resource of RESOURCES) {
      const url = new URL(resource.url);
      expect(url.protocol, resource.id).toBe('https:');
      expect(url.search, resource.id).toBe('');
    }
  });

  it('describes each resource completely', () => {
    for (const resource of RESOURCES) {
      const title = resource.title[resource.language];
      expect(title?.trim(), `${resource.id} title in ${resource.language}`).toBeTruthy();
      expect(resource.provider.trim(), resource.id).not.toBe('');
      expect(resource.access.trim(), resource.id).not.toBe('');
      expect(Number.isInteger(resource.durationMinutes), resource.id).toBe(true);
      expect(resource.durationMinutes, resource.id).toBeGreaterThan(0);
      const [min, max] = resource.levels;
      expect(LEVELS, resource.id).toContain(min);
      expect(LEVELS, resource.id).toContain(max);
      expect(min, resource.id).toBeLessThanOrEqual(max);
      expect(resource.competences.length, resource.id).toBeGreaterThan(0);
      for (const id of resource.competences) expect(DIGCOMP_IDS, `${resource.id} → ${id}`).toContain(id);
    }
  });

  it('offers at least 2 resources for every DigComp competence, and some in French for each', () => {
    for (const id of DIGCOMP_IDS) {
      const offered = RESOURCES.filter((r) => r.competences.includes(id));
      expect(offered.length, id).toBeGreaterThanOrEqual(2);
      expect(offered.some((r) => r.language === 'fr'), `${id} in French`).toBe(true);
    }
  });

  it('serves both jurisdictions on the topics where the law differs', () => {
    const personalData = RESOURCES.filter((r) => r.competences.includes('4.2'));
    expect(personalData.some((r) => r.jurisdiction === 'FR')).toBe(true);
    expect(personalData.some((r) => r.jurisdiction === 'QC')).toBe(true);
  });
});
