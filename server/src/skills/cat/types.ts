/** What the engine receives: the live items of the bank and the answers given so far. */
import type { AreaId } from '../framework/types.ts';
import type { ItemParameters } from '../items/types.ts';

/** A live item as the engine sees it: its content stays with the caller. */
export interface BankItem extends ItemParameters {
  id: string;
  area: AreaId;
  competence: string;
  /**
   * Exposure price (≥ 0): when choosing, the item's information is divided by 1 + price, so an
   * overused item is given only where it is clearly better than the others (select.ts). Absent = 0.
   * Kept by the exposure control loop (exposure.ts) from the tests taken, never set by hand.
   */
  price?: number;
}

/** One answer, already scored, in the order given. */
export interface Response {
  itemId: string;
  correct: boolean;
}
