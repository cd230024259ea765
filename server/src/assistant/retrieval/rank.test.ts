import { describe, expect, it } from 'vitest';
import { bm25Scores, type PassageTerms, reciprocalRankFusion, RRF_K } from './rank.ts';

describe('reciprocal rank fusion', () => {
  it('sums 1 / (k + rank) over the rankings', () => {
    const fused = reciprocalRankFusion([
      ['a', 'b', 'c'],
      ['c', 'a', 'd'],
    ]);
    expect(fused.map((f) => f.id)).toEqual(['a', 'c', 'b', 'd']);
    expect(fused[0]?.score).toBeCloseTo(1 / (RRF_K + 1) + 1 / (RRF_K + 2), 10);
    expect(fused.find((f) => f.id === 'd')?.score).toBeCloseTo(1 / (RRF_K + 3), 10);
  });

  it('an item both retrievers like beats one only the first ranks first', () => {
    const fused = reciprocalRankFusion([
      ['x', 'y'],
      ['y', 'z', 'w', 'x'].slice(0, 2),
    ]);
    expect(fused[0]?.id).toBe('y');
  });

  it('keeps the first ranking’s order on ties, counts a repeat once, and is empty for nothing', () => {
    expect(reciprocalRankFusion([['a', 'b'], ['b', 'a']]).map((f) => f.id)).toEqual(['a', 'b']);
    expect(reciprocalRankFusion([['a', 'a', 'b']]).map((f) => f.score)).toEqual([1 / 61, 1 / 63]);
    expect(reciprocalRankFusion([])).toEqual([]);
  });
});

describe('BM25 over the candidates', () => {
  it('a rare word of the question weighs more than a word every candidate has', () => {
    const passages: PassageTerms[] = [
      { counts: { agent: 3 }, length: 50 },
      { counts: { agent: 1, habilit: 1 }, length: 50 },
      { counts: { agent: 2 }, length: 50 },
    ];
    const scores = bm25Scores(passages, ['agent', 'habilit']);
    expect(scores[1]).toBeGreaterThan(scores[0] as number);
    expect(scores[1]).toBeGreaterThan(scores[2] as number);
  });

  it('a passage with none of the words scores 0', () => {
    expect(bm25Scores([{ counts: {}, length: 10 }, { counts: { a: 1 }, length: 10 }], ['a'])[0]).toBe(0);
    expect(bm25Scores([], ['a'])).toEqual([]);
  });
});
