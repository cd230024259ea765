import { describe, expect, it } from 'vitest';
import { MARK_START, MARK_STOP, segmentsOf, snippetSegments, toTsQuery } from './query.ts';

describe('toTsQuery', () => {
  it('ands words, keeps the last one as a prefix while it is typed', () => {
    expect(toTsQuery('école numérique')).toBe('école & numérique:*');
    expect(toTsQuery('école numérique ')).toBe('école & numérique');
  });

  it('turns quotes into phrases, - into not, OR into or', () => {
    expect(toTsQuery('"chef de projet" budget ')).toBe('(chef <-> de <-> projet) & budget');
    expect(toTsQuery('cloud -"appel d’offres" ')).toBe('cloud & !(appel <-> d <-> offres)');
    expect(toTsQuery('cadrage OR nuage ')).toBe('(cadrage | nuage)');
    expect(toTsQuery('"phrase non fermée')).toBe('(phrase <-> non <-> fermée)');
  });

  it('keeps the word after an elision and splits on punctuation', () => {
    expect(toTsQuery("l'école d’été ")).toBe('école & été');
    expect(toTsQuery('peut-être ')).toBe('(peut <-> être)');
  });

  it('needs a positive term', () => {
    expect(toTsQuery('-budget')).toBeNull();
    expect(toTsQuery('   ')).toBeNull();
    // Alone, « or » is a French word (gold), not an operator.
    expect(toTsQuery('OR')).toBe('OR:*');
  });

  it('lets no operator typed by the agent through', () => {
    for (const input of ["'", '&', '|', '!x', 'a:*', '<->', 'a <2> b', '\\', "a' & 'b", '()', '(a | b)', ':', '*']) {
      const query = toTsQuery(input);
      if (query === null) continue;
      // Only lexemes of letters and digits, and the operators written by toTsQuery.
      expect(query.replace(/[\p{L}\p{N}\p{M}]+(:\*)?/gu, 'w'), input).toMatch(/^[w &|!()<\->]*$/u);
      expect(query, input).not.toMatch(/['\\]/u);
    }
  });

  it('caps what it reads', () => {
    expect(toTsQuery(`${'mot '.repeat(100)}`)?.split(' & ')).toHaveLength(16);
  });
});

describe('segmentsOf', () => {
  it('splits a headline on its markers', () => {
    expect(segmentsOf(`Les ${MARK_START}écoles${MARK_STOP} de la ${MARK_START}République${MARK_STOP}`)).toEqual([
      { text: 'Les ', match: false },
      { text: 'écoles', match: true },
      { text: ' de la ', match: false },
      { text: 'République', match: true },
    ]);
    expect(segmentsOf('<b>pas de HTML</b>')).toEqual([{ text: '<b>pas de HTML</b>', match: false }]);
  });

  it('shows a separator where the text had a new line or a table cell, none at the edges', () => {
    expect(snippetSegments(`\nSuivi\tLot\t${MARK_START}Applications${MARK_STOP}\n\nÉtat du projet \n`)).toEqual([
      { text: 'Suivi · Lot · ', match: false },
      { text: 'Applications', match: true },
      { text: ' · État du projet', match: false },
    ]);
  });
});
