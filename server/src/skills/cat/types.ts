/** What the engine receives: the live items of the bank and the answers given so far. */
import type { AreaId } from '../framework/types.ts';
import type { ItemParameters } from '../items/types.ts';

/** A live item as the engine sees it: its content stays with the caller. */
export interface BankItem extends ItemParameters {
  id: string;
  area: AreaId;
  competence: string;
  /**
   * Sympson–Hetter exposure parameter: the probability that the item, when it is among the
   * candidates, passes the exposure filter (select.ts). Absent = 1 (no filter). Computed for a
   * bank by simulation (exposure.ts), never by hand.
   */
  exposure?: number;
}

/** One answer, already scored, in the order given. */
export interface Response {
  itemId: string;
  correct: boolean;
}
