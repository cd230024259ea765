import type { Stores } from '../../platform/db/stores.ts';
import type { BankItem } from '../cat/index.ts';
import { COMPETENCES } from '../framework/digcomp.ts';
import { listOrgCompetences } from '../framework/framework.repo.ts';
import type { AreaId } from '../framework/types.ts';
import { type ItemRow, listLiveItems } from '../items/items.repo.ts';

/**
 * The bank a test draws from: live items of the shared bank and of the agent's organisations,
 * each placed in its competence's DigComp area (an organisation's own competence names its area).
 * Items of a competence nobody knows any more are left out rather than guessed.
 */
export interface Bank {
  items: BankItem[];
  rows: Map<string, ItemRow>;
}

const DIGCOMP_AREA = new Map<string, AreaId>(COMPETENCES.map((c) => [c.id, c.area]));

export async function loadBank(stores: Stores, organisationIds: readonly string[]): Promise<Bank> {
  const [rows, own] = await Promise.all([listLiveItems(stores.control.db, organisationIds), listOrgCompetences(stores.control.db, organisationIds)]);
  const areaOf = new Map(DIGCOMP_AREA);
  for (const c of own) areaOf.set(c.id, c.area);
  const items: BankItem[] = [];
  const byId = new Map<string, ItemRow>();
  for (const row of rows) {
    const area = areaOf.get(row.competence);
    if (!area) continue;
    items.push({ id: row.id, area, competence: row.competence, a: row.a, b: row.b, c: row.c, price: row.exposure_price });
    byId.set(row.id, row);
  }
  return { items, rows: byId };
}

export function areaOfCompetence(competence: string, own: ReadonlyMap<string, AreaId> = new Map()): AreaId | undefined {
  return DIGCOMP_AREA.get(competence) ?? own.get(competence);
}
