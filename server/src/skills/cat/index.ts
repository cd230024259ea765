/** The adaptive-testing engine (pure: no database, no HTTP). See engine.ts for the step of a test. */
export { type AreaResult, type AssessmentResult, CatInputError, DEFAULT_ENGINE_OPTIONS, DEFAULT_RANDOMESQUE, type EngineOptions, type Estimate, step, type StepResult } from './engine.ts';
export { DEFAULT_GRID, DEFAULT_ML_BOUNDS, DEFAULT_PRIOR, eap, type EapEstimate, type Grid, gridPoints, maximumLikelihood, type MlEstimate, type Prior, type ScoredAnswer } from './estimate.ts';
export { information, logLikelihood, probability, testInformation } from './irt.ts';
export { DEFAULT_CUT_POINTS, levelOf, provisionalParameters } from './levels.ts';
export { mulberry32, normalSampler, type RandomSource } from './random.ts';
export { selectNextItem, type SelectionOptions } from './select.ts';
export { administrationRates, afterTest, assertExposureControl, DEFAULT_WARM_EXAMINEES, EXPOSURE_CONTROL, type ExposureControl, MAX_PRICE, nextPrice, type WarmPrices, type WarmPricesResult, warmPrices } from './exposure.ts';
export { DEFAULT_STOPPING, estimateProgress, type Progress, type StoppingRule } from './stopping.ts';
export type { BankItem, Response } from './types.ts';
