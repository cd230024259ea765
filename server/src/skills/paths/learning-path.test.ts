import { describe, expect, it } from 'vitest';
import { RESOURCES } from '../resources/catalogue.ts';
import type { StoredResult } from '../skills.tables.ts';
import { gapsOf, learningPath } from './learning-path.ts';

const info = (id: string) => ({ name: `C${id}`, area: id.split('.')[0] as string });

const result: StoredResult = {
  level: 3,
  theta: -1,
  standardError: 0.3,
  stopReason: 'precision',
  areas: [
    { area: '1', level: 5, theta: 0.2, standardError: 0.6, answered: 6 },
    { area: '4', level: 2, theta: -1.8, standardError: 0.6, answered: 6 },
  ],
  competences: [{ competence: '1.1', area: '1', level: 5, answered: 3, correct: 3 }],
};

describe('gaps against a target profile', () => {
  it('says whether a level reached is the competence’s own or its area’s, and null when neither was measured', () => {
    const { gaps, strengths } = gapsOf(result, { '1.1': 4, '1.2': 4, '4.1': 4, '5.1': 3 }, info);
    const all = new Map([...gaps, ...strengths].map((row) => [row.competence, row]));
    expect(all.get('1.1')).toMatchObject({ reached: 5, basis: 'competence', gap: 0 });
    // No question on 1.2: the area's 5, shown as an estimate from the area.
    expect(all.get('1.2')).toMatchObject({ reached: 5, basis: 'area', gap: 0 });
    expect(all.get('4.1')).toMatchObject({ reached: 2, basis: 'area', gap: 2 });
    expect(all.get('5.1')).toMatchObject({ reached: null, basis: null, gap: 3 });
    expect(strengths.map((row) => row.competence)).toEqual(['1.1', '1.2']);
    expect(gaps.map((row) => row.competence)).toEqual(['5.1', '4.1']);
  });
});

describe('learning path', () => {
  const progress = new Map();

  it('offers a resource published in two languages once, in the agent’s language', () => {
    const gaps = gapsOf(result, { '4.1': 4, '4.2': 4, '2.6': 4, '4.3': 4 }, info).gaps;
    const french = learningPath(gaps, RESOURCES, { jurisdiction: 'QC', language: 'fr', progress }).map((r) => r.id);
    const english = learningPath(gaps, RESOURCES, { jurisdiction: 'QC', language: 'en', progress }).map((r) => r.id);
    expect(french).toContain('pensez-cybersecurite');
    expect(french).not.toContain('get-cyber-safe');
    expect(english).toContain('get-cyber-safe');
    expect(english).not.toContain('pensez-cybersecurite');
    for (const path of [french, english]) {
      const keys = path.map((id) => RESOURCES.find((r) => r.id === id)?.versionOf ?? id);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('every version names an existing resource in the other language, one level deep', () => {
    const byId = new Map(RESOURCES.map((r) => [r.id, r]));
    const versions = RESOURCES.filter((r) => r.versionOf);
    expect(versions.length).toBeGreaterThanOrEqual(5);
    for (const r of versions) {
      const other = byId.get(r.versionOf as string);
      expect(other, r.id).toBeDefined();
      expect(other?.language, r.id).not.toBe(r.language);
      expect(other?.versionOf, r.id).toBeUndefined();
    }
  });
});
