/**
 * Why a scan could not give a verdict. Every reason fails closed: the caller refuses the file
 * (uploads answer 503), it never treats it as clean.
 * - `unreachable`: no connection to clamd (stopped, wrong socket or port).
 * - `timeout`: clamd did not answer within the configured time (hung, overloaded).
 * - `size_limit`: the stream is longer than clamd's StreamMaxLength; clamd stopped reading it.
 * - `error`: clamd answered with an error, or with something that is not its protocol.
 */
export type ScannerUnavailableReason = 'unreachable' | 'timeout' | 'size_limit' | 'error';

/** The scanner gave no verdict; stable code `scanner_unavailable` (problem+json, logs). */
export class ScannerUnavailableError extends Error {
  readonly code = 'scanner_unavailable';
  readonly reason: ScannerUnavailableReason;
  constructor(message = 'The malware scanner is unavailable', options: { reason?: ScannerUnavailableReason; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ScannerUnavailableError';
    this.reason = options.reason ?? 'unreachable';
  }
}
