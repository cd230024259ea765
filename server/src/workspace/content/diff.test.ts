import { describe, expect, it } from 'vitest';
import { type DiffBlock, diffBlocks } from './diff.ts';

function sides(blocks: DiffBlock[]) {
  const join = (ops: string[]) =>
    blocks
      .filter((b) => ops.includes(b.op))
      .map((b) => b.text)
      .join('\n');
  return { before: join(['same', 'removed']), after: join(['same', 'added']) };
}

/** A deterministic pseudo-random generator, so that a failure can be replayed. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

function paragraphs(count: number, rnd: () => number): string[] {
  return Array.from({ length: count }, (_, i) => `Paragraphe ${i} : ${'mot '.repeat(5 + Math.floor(rnd() * 10))}${Math.floor(rnd() * 1e6)}`);
}

describe('diffBlocks', () => {
  it('shows a changed line as removed then added, the rest as the same', () => {
    expect(diffBlocks('a\nb\nc\nd', 'a\nB\nc\nd\ne')).toEqual([
      { op: 'same', text: 'a' },
      { op: 'removed', text: 'b' },
      { op: 'added', text: 'B' },
      { op: 'same', text: 'c\nd' },
      { op: 'added', text: 'e' },
    ]);
    expect(diffBlocks('', 'x\ny')).toEqual([{ op: 'added', text: 'x\ny' }]);
    expect(diffBlocks('x', '')).toEqual([{ op: 'removed', text: 'x' }]);
    expect(diffBlocks('', '')).toEqual([]);
    expect(diffBlocks('même', 'même')).toEqual([{ op: 'same', text: 'même' }]);
  });

  it('finds the smallest change (a moved block is one removal and one addition)', () => {
    const blocks = diffBlocks('1\n2\n3\n4\n5\n6', '1\n2\n4\n5\n6\n3');
    expect(blocks.filter((b) => b.op !== 'same')).toEqual([
      { op: 'removed', text: '3' },
      { op: 'added', text: '3' },
    ]);
  });

  it('gives both texts back exactly, on random edits', () => {
    const rnd = random(42);
    for (let round = 0; round < 200; round++) {
      const before = paragraphs(1 + Math.floor(rnd() * 30), rnd);
      const after = before.filter(() => rnd() > 0.2).map((line) => (rnd() > 0.85 ? `${line} modifié` : line));
      if (rnd() > 0.5) after.splice(Math.floor(rnd() * after.length), 0, 'inséré', '');
      const blocks = diffBlocks(before.join('\n'), after.join('\n'));
      expect(sides(blocks)).toEqual({ before: before.join('\n'), after: after.join('\n') });
      // Runs are maximal: two neighbours never share an op.
      for (let i = 1; i < blocks.length; i++) expect(blocks[i]?.op).not.toBe(blocks[i - 1]?.op);
    }
  });

  it('diffs 100k-character documents well under a second, even unrelated ones', () => {
    const rnd = random(7);
    const before = paragraphs(2500, rnd);
    expect(before.join('\n').length).toBeGreaterThan(100_000);
    const edited = before.map((line, i) => (i % 10 === 0 ? `${line} (revu)` : line));
    const unrelated = paragraphs(2500, random(8)).map((l) => `autre ${l}`);
    for (const after of [edited, unrelated]) {
      const started = performance.now();
      const blocks = diffBlocks(before.join('\n'), after.join('\n'));
      const elapsed = performance.now() - started;
      expect(elapsed).toBeLessThan(1000);
      expect(sides(blocks)).toEqual({ before: before.join('\n'), after: after.join('\n') });
    }
    // One line in ten changed: 250 lines removed and 250 added, the rest the same.
    const changed = diffBlocks(before.join('\n'), edited.join('\n')).filter((b) => b.op === 'added');
    expect(changed.length).toBe(250);
  });
});
