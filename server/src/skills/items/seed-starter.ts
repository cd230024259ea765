import { createHash } from 'node:crypto';
import type { Stores } from '../../platform/db/stores.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { provisionalParameters } from '../cat/levels.ts';
import { insertItemIfAbsent, listItemsByKeys, updateItem } from './items.repo.ts';
import { STARTER_ITEMS } from './starter/index.ts';
import type { AuthoredItem } from './types.ts';

/**
 * Puts the starter bank shipped with Entente into the control plane, at every start
 * (idempotent). A starter item nobody has edited follows its source when a release improves it
 * (its hash changes); one a trainer or operator edited (`source` no longer `starter`) is theirs
 * and left alone. Parameters stay provisional (from the intended level) until calibrated.
 */
export function starterHash(item: AuthoredItem): string {
  return createHash('sha256').update(JSON.stringify(item)).digest('base64url').slice(0, 22);
}

export async function seedStarterBank(stores: Stores, items: readonly AuthoredItem[] = STARTER_ITEMS): Promise<{ inserted: number; updated: number }> {
  let inserted = 0;
  let updated = 0;
  const db = stores.control.db;
  // One read for the whole bank: this runs at every start.
  const known = new Map((await listItemsByKeys(db, items.map((i) => i.key))).map((row) => [row.key, row]));
  for (const item of items) {
    const hash = starterHash(item);
    const existing = known.get(item.key);
    const content = { fr: item.fr, ...(item.frCA ? { frCA: item.frCA } : {}), en: item.en };
    if (!existing) {
      const parameters = provisionalParameters(item.level);
      const added = await insertItemIfAbsent(db, {
        id: uuidv7(),
        key: item.key,
        organisation_id: null,
        competence: item.competence,
        level: item.level,
        kind: item.kind,
        status: 'live',
        correct: item.correct,
        content,
        a: parameters.a,
        b: parameters.b,
        c: parameters.c,
        calibrated_at: null,
        calibration: null,
        source: 'starter',
        source_hash: hash,
        created_by: null,
      });
      if (added) inserted += 1;
      continue;
    }
    if (existing.source !== 'starter' || existing.source_hash === hash) continue;
    const parameters = existing.calibrated_at ? { a: existing.a, b: existing.b, c: existing.c } : provisionalParameters(item.level);
    const changed = await updateItem(db, existing.id, existing.version, {
      competence: item.competence,
      level: item.level,
      kind: item.kind,
      correct: item.correct,
      content,
      ...parameters,
      source_hash: hash,
    });
    if (changed) updated += 1;
  }
  return { inserted, updated };
}
