/**
 * When the test ends, and the progress shown while it runs.
 */

export interface StoppingRule {
  /** Stop once the posterior SD of the EAP estimate is at or below this (default 0.30). */
  seThreshold: number;
  /** Never stop on precision before this many answers (default 8). */
  minItems: number;
  /** Always stop at this many answers (default 40). */
  maxItems: number;
}

export const DEFAULT_STOPPING: StoppingRule = { seThreshold: 0.3, minItems: 8, maxItems: 40 };

export function assertStoppingRule(rule: StoppingRule): void {
  if (!(rule.seThreshold > 0)) throw new RangeError('seThreshold must be positive');
  if (!(Number.isInteger(rule.minItems) && rule.minItems >= 0)) throw new RangeError('minItems must be an integer ≥ 0');
  if (!(Number.isInteger(rule.maxItems) && rule.maxItems >= 1 && rule.maxItems >= rule.minItems)) throw new RangeError('maxItems must be an integer ≥ 1 and ≥ minItems');
}

/**
 * Precision first: a test that reaches the threshold on its last allowed item ended because it was
 * precise, which is what a reader of the reason wants to know.
 */
export function stopReason(answered: number, posteriorSd: number, rule: StoppingRule): 'precision' | 'max_length' | undefined {
  if (answered >= rule.minItems && posteriorSd <= rule.seThreshold) return 'precision';
  if (answered >= rule.maxItems) return 'max_length';
  return undefined;
}

export interface Progress {
  answered: number;
  /** The most questions the test can have. */
  maxItems: number;
  /** Estimated share of the test done, in [0, 1) while it runs (0 before the first answer), never below answered / maxItems. */
  fraction: number;
}

/**
 * Progress that says nothing about the adaptive logic: it never depends on which answers were
 * right, only on how much the answers so far have narrowed the estimate. The posterior precision
 * 1/SD² grows by about the information of each item; at the average gain so far, the answers
 * still needed to reach 1/threshold² are the estimated remainder, kept between what the minimum
 * length still requires and what the maximum length allows. The fraction can step back slightly
 * when a precise answer is followed by a less informative one: a display may keep the highest value shown.
 */
export function estimateProgress(answered: number, posteriorSd: number, priorSd: number, rule: StoppingRule): Progress {
  const allowed = rule.maxItems - answered;
  const required = Math.max(0, rule.minItems - answered);
  let remaining = allowed;
  if (answered > 0) {
    const gainPerItem = (1 / (posteriorSd * posteriorSd) - 1 / (priorSd * priorSd)) / answered;
    const missing = 1 / (rule.seThreshold * rule.seThreshold) - 1 / (posteriorSd * posteriorSd);
    if (gainPerItem > 0) remaining = Math.ceil(Math.max(0, missing) / gainPerItem);
  }
  remaining = Math.min(allowed, Math.max(required, remaining, 1));
  return { answered, maxItems: rule.maxItems, fraction: answered / (answered + remaining) };
}
