/** What the engine receives: the live items of the bank and the answers given so far. */
import type { AreaId } from '../framework/types.ts';
import type { ItemParameters } from '../items/types.ts';

/** A live item as the engine sees it: its content stays with the caller. */
export interface BankItem extends ItemParameters {
  id: string;
  area: AreaId;
  competence: string;
}

/** One answer, already scored, in the order given. */
export interface Response {
  itemId: string;
  correct: boolean;
}
