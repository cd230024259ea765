/**
 * The adaptive test as one pure step: from the bank, the answers so far and the options, either
 * the next item or the end with its result. No state is kept between steps, so a test can be
 * resumed from its stored answers (and, with the same seeded random source, shows the same item).
 */
import { AREA_IDS, type AreaId, type Level } from '../framework/types.ts';
import { DEFAULT_GRID, DEFAULT_PRIOR, eap, type Grid, type Prior, type ScoredAnswer } from './estimate.ts';
import { assertValidParameters } from './irt.ts';
import { assertCutPoints, DEFAULT_CUT_POINTS, levelOf } from './levels.ts';
import type { RandomSource } from './random.ts';
import { selectNextItem } from './select.ts';
import { assertStoppingRule, DEFAULT_STOPPING, estimateProgress, type Progress, type StoppingRule, stopReason } from './stopping.ts';
import type { BankItem, Response } from './types.ts';

/** Every option has a default (DEFAULT_ENGINE_OPTIONS); `step` takes any subset. */
export interface EngineOptions extends StoppingRule {
  /** EAP quadrature grid (default −4…4 by 0.05). */
  grid: Grid;
  /** Normal prior on θ (default N(0, 1)); also used for the per-area estimates. */
  prior: Prior;
  /** 7 cut points for levels 1–8 (default −2.25 … 2.25 by 0.75). */
  cutPoints: readonly number[];
  /**
   * Size of the randomesque draw among the items of best priced information (select.ts). Default:
   * 1 when the bank carries exposure prices (some item's `price` above 0: the prices do the
   * exposure control, exposure.ts), 5 when it does not (the control for a bank no test has been
   * taken on yet). Set it to override either.
   */
  randomesque?: number;
  /** Relative target share per area (default equal); see select.ts for the balancing rule. */
  areaTargets?: Partial<Record<AreaId, number>>;
  /** Never two items of the same competence in a row while another is available (default true). */
  avoidSameCompetence: boolean;
  /** Injected so that tests and simulations replay; Math.random when absent. */
  random: RandomSource;
}

/** Randomesque size for a bank without exposure prices, and with them (see EngineOptions.randomesque). */
export const DEFAULT_RANDOMESQUE = { withoutPrices: 5, withPrices: 1 } as const;

export const DEFAULT_ENGINE_OPTIONS: Omit<EngineOptions, 'random'> = {
  ...DEFAULT_STOPPING,
  grid: DEFAULT_GRID,
  prior: DEFAULT_PRIOR,
  cutPoints: DEFAULT_CUT_POINTS,
  avoidSameCompetence: true,
};

export interface Estimate {
  theta: number;
  /** Posterior SD of the EAP estimate. */
  sd: number;
  level: Level;
}

export interface AreaResult {
  area: AreaId;
  answered: number;
  /** EAP on this area's answers alone (same prior); null when the area got no question. */
  estimate: Estimate | null;
}

export interface AssessmentResult extends Estimate {
  answered: number;
  areas: AreaResult[];
}

export type StepResult =
  | { done: false; next: string; progress: Progress }
  | { done: true; reason: 'precision' | 'max_length' | 'bank_exhausted'; result: AssessmentResult };

/** Answers that do not fit the bank: a caller's error (an item retired mid-test must stay in the bank it passes). */
export class CatInputError extends Error {
  override name = 'CatInputError';
}

function estimateOf(answers: readonly ScoredAnswer[], options: EngineOptions): Estimate {
  const { theta, sd } = eap(answers, options.grid, options.prior);
  return { theta, sd, level: levelOf(theta, options.cutPoints) };
}

export function step(bank: readonly BankItem[], responses: readonly Response[], partial: Partial<EngineOptions> = {}): StepResult {
  const options: EngineOptions = { ...DEFAULT_ENGINE_OPTIONS, random: Math.random, ...partial };
  assertStoppingRule(options);
  assertCutPoints(options.cutPoints);

  const byId = new Map<string, BankItem>();
  let hasPrices = false;
  for (const item of bank) {
    if (byId.has(item.id)) throw new CatInputError(`bank: item ${item.id} appears twice`);
    assertValidParameters(item, `item ${item.id}`);
    if (item.price !== undefined) {
      if (!(Number.isFinite(item.price) && item.price >= 0)) throw new CatInputError(`item ${item.id}: price must be a finite number ≥ 0`);
      if (item.price > 0) hasPrices = true;
    }
    byId.set(item.id, item);
  }
  const administered: BankItem[] = [];
  const answers: (ScoredAnswer & { item: BankItem })[] = [];
  const seen = new Set<string>();
  for (const response of responses) {
    const item = byId.get(response.itemId);
    if (!item) throw new CatInputError(`response to ${response.itemId}, which is not in the bank`);
    if (seen.has(item.id)) throw new CatInputError(`item ${item.id} answered twice`);
    seen.add(item.id);
    administered.push(item);
    answers.push({ item, correct: response.correct });
  }

  const overall = estimateOf(answers, options);
  const finish = (reason: 'precision' | 'max_length' | 'bank_exhausted'): StepResult => ({
    done: true,
    reason,
    result: {
      ...overall,
      answered: answers.length,
      areas: AREA_IDS.map((area) => {
        const own = answers.filter((answer) => answer.item.area === area);
        return { area, answered: own.length, estimate: own.length === 0 ? null : estimateOf(own, options) };
      }),
    },
  });

  const reason = stopReason(answers.length, overall.sd, options);
  if (reason) return finish(reason);
  const randomesque = options.randomesque ?? (hasPrices ? DEFAULT_RANDOMESQUE.withPrices : DEFAULT_RANDOMESQUE.withoutPrices);
  const next = selectNextItem(bank, administered, overall.theta, { ...options, randomesque });
  if (!next) return finish('bank_exhausted');
  return { done: false, next: next.id, progress: estimateProgress(answers.length, overall.sd, options.prior.sd, options) };
}
