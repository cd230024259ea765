/** Errors of the job queue and the outbox. Their messages never carry a payload (ids only anyway). */

export class JobPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobPayloadError';
  }
}

export class InvalidJobTypeError extends Error {
  readonly type: string;
  constructor(type: string) {
    super(`Invalid job type ${JSON.stringify(type.slice(0, 60))}: expected [a-z0-9] words joined by . _ : -`);
    this.name = 'InvalidJobTypeError';
    this.type = type;
  }
}

export class DuplicateHandlerError extends Error {
  readonly type: string;
  constructor(kind: 'job' | 'outbox', type: string) {
    super(`A ${kind} handler is already registered for ${type}`);
    this.name = 'DuplicateHandlerError';
    this.type = type;
  }
}

/** An outbox entry whose type has no handler: a programming error, reported by the reconciliation. */
export class UnknownOutboxTypeError extends Error {
  readonly type: string;
  constructor(type: string) {
    super(`No outbox handler is registered for ${type}`);
    this.name = 'UnknownOutboxTypeError';
    this.type = type;
  }
}

/** The runner was asked to do something after stop(). */
export class JobRunnerStoppedError extends Error {
  constructor() {
    super('The job runner is stopped');
    this.name = 'JobRunnerStoppedError';
  }
}

/** The reconciliation could not read or update some cells' outboxes (the others were handled). */
export class OutboxReconciliationError extends Error {
  readonly cells: readonly string[];
  constructor(cells: readonly string[]) {
    super(`The outbox of cell(s) ${cells.join(', ')} could not be reconciled`);
    this.name = 'OutboxReconciliationError';
    this.cells = cells;
  }
}
