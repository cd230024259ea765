import { describe, expect, it } from 'vitest';
import { type TallyEntry, viewTally } from './view-tally.ts';

/** Summing `count` over what was recorded must give every access, however they interleave. */
describe('viewTally', () => {
  it('counts every access when a new window opens while recordings are still under way', async () => {
    const recorded: TallyEntry<string>[] = [];
    // A slow audit store: each recording takes a few milliseconds.
    const tally = viewTally<string>(
      async (entry) => {
        await new Promise((r) => setTimeout(r, 5));
        recorded.push({ ...entry });
      },
      { windowMs: 50, maxKeys: 100 },
    );
    try {
      const at = (ms: number) => new Date(1_000_000 + ms);
      // A window, then accesses after it ended, all started together (not awaited one by one).
      await tally.add('k', 'page', at(0));
      await Promise.all([tally.add('k', 'page', at(10)), tally.add('k', 'page', at(20))]);
      // 60 ends the first window (its count is recorded), 61 opens a new one, 62 arrives in it while 60 is still waiting.
      const later = (ms: number) => new Promise((r) => setTimeout(r, ms));
      await Promise.all([tally.add('k', 'page', at(60)), tally.add('k', 'page', at(61)), later(7).then(() => tally.add('k', 'page', at(62)))]);
      await tally.flush();
      expect(recorded.reduce((sum, e) => sum + e.count, 0)).toBe(6);
    } finally {
      tally.stop();
    }
  });

  it('when full, records the pending windows in the background, not in the visitor’s request', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const recorded: TallyEntry<string>[] = [];
    let firstAccesses = 0;
    const tally = viewTally<string>(
      async (entry) => {
        // First accesses are recorded at once; grouped counts (count > 1 or from a window) wait for the gate.
        if (entry.count === 1 && entry.from === entry.to && firstAccesses < 3) firstAccesses += 1;
        else await gate;
        recorded.push(entry);
      },
      { windowMs: 60_000, maxKeys: 2 },
    );
    try {
      const now = new Date();
      await tally.add('a', 'x', now);
      await tally.add('a', 'x', now);
      await tally.add('b', 'x', now);
      // The tally is full: this third key's request must not wait for a's and b's counts.
      const third = tally.add('c', 'x', now);
      const done = await Promise.race([third.then(() => 'served'), new Promise((r) => setTimeout(() => r('waited'), 200))]);
      expect(done).toBe('served');
      release();
      await tally.flush();
      expect(recorded.reduce((sum, e) => sum + e.count, 0)).toBe(4);
    } finally {
      tally.stop();
    }
  });
});
