/** The job queue (control plane) and the cells' outbox: what other modules may use. */
export { type BackoffOptions, DEFAULT_BACKOFF, retryDelayMs } from './backoff.ts';
export { DEFAULT_MAX_ATTEMPTS, type EnqueueRequest, type EnqueueResult, enqueue, getJob } from './enqueue.ts';
export {
  DuplicateHandlerError,
  InvalidJobTypeError,
  JobPayloadError,
  JobRunnerStoppedError,
  OutboxReconciliationError,
  UnknownOutboxTypeError,
} from './errors.ts';
export type { Job } from './job.ts';
export { type JobContext, type JobHandler, JobRunner, type JobRunnerOptions, type JobsLogger } from './job-runner.ts';
export type { JobStatus } from './jobs.tables.ts';
export {
  completeOutbox,
  getOutboxEntry,
  type OutboxContext,
  type OutboxEntry,
  type OutboxHandler,
  OutboxRegistry,
  recordInOutbox,
} from './outbox.ts';
export {
  type CellHandles,
  OUTBOX_RECONCILE_JOB,
  type ReconcileOptions,
  type ReconcileReport,
  reconcileOutbox,
  registerOutboxReconciliation,
} from './outbox-reconciliation.ts';
export type { JobPayload, JsonValue } from './types.ts';
