import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedStarterBank } from '../src/skills/index.ts';
import { STARTER_ITEMS } from '../src/skills/items/starter/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';

/** The starter bank at start: loaded once, improved with releases, never over an author's edit. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const row = (key: string) =>
  t.entente.stores.control.db.selectFrom('skills_items').select(['key', 'content', 'source', 'source_hash', 'status', 'b']).where('key', '=', key).executeTakeFirstOrThrow();

describe('the starter bank', () => {
  it('is loaded whole and live at the first start, and a second start changes nothing', async () => {
    const count = await t.entente.stores.control.db.selectFrom('skills_items').select((eb) => eb.fn.countAll<number>().as('n')).where('source', '=', 'starter').executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(STARTER_ITEMS.length);
    expect(await seedStarterBank(t.entente.stores)).toEqual({ inserted: 0, updated: 0 });
  });

  it('follows its source while nobody edits an item, and leaves an edited one alone', async () => {
    const [first, second] = STARTER_ITEMS as [(typeof STARTER_ITEMS)[number], (typeof STARTER_ITEMS)[number]];
    // An older release's text (another hash) is brought up to date…
    await t.entente.stores.control.db
      .updateTable('skills_items')
      .set({ content: JSON.stringify({ fr: { stem: 'ancienne version', explanation: 'x' }, en: { stem: 'old', explanation: 'x' } }), source_hash: 'older' })
      .where('key', '=', first.key)
      .execute();
    // …but an item an author changed keeps the author's text.
    await t.entente.stores.control.db
      .updateTable('skills_items')
      .set({ content: JSON.stringify({ fr: { ...second.fr, stem: 'Texte du formateur' }, en: second.en }), source: 'authored' })
      .where('key', '=', second.key)
      .execute();
    expect(await seedStarterBank(t.entente.stores)).toEqual({ inserted: 0, updated: 1 });
    expect((await row(first.key)).content.fr.stem).toBe(first.fr.stem);
    expect((await row(second.key)).content.fr.stem).toBe('Texte du formateur');
  });
});
