import type { FieldParams } from '../../../common/src/field-issues.ts';

/**
 * Errors a user or client can cause, thrown by use cases and turned into RFC 9457 problem details
 * by the HTTP layer. `slug` is stable: it makes the problem type `urn:entente:problem:<slug>` and
 * picks the localised title and detail (`errors.<slug>.title|detail` in common/src/i18n/catalog).
 * A module that needs a new kind of error adds a slug and its messages rather than a new class.
 */
export const STATUS_BY_SLUG = {
  bad_request: 400,
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  csrf: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  step_up_required: 401,
  // collaboration (helper B): the document's content was replaced wholesale since the client's copy
  epoch_changed: 409,
  // spaces and documents (helper A): a session below the space's minimum level of assurance
  insufficient_assurance: 403,
  last_owner: 409,
  already_member: 409,
  too_many_invitations: 429,
  document_move_refused: 409,
  document_in_trash: 409,
  document_not_in_trash: 409,
  // images of documents (helper E): over 10 MiB, not a raster type we serve, bytes not of the declared type
  image_too_large: 413,
  image_type_unsupported: 415,
  image_content_mismatch: 415,
  // end images
  // files (helper A): names, tree, quotas, tus uploads, downloads
  file_name_taken: 409,
  file_name_invalid: 400,
  file_move_refused: 409,
  file_in_trash: 409,
  file_not_in_trash: 409,
  file_quarantined: 403,
  file_too_large: 413,
  quota_exceeded: 413,
  scanner_unavailable: 503,
  upload_invalid: 400,
  upload_offset_mismatch: 409,
  upload_length_exceeded: 413,
  upload_content_type: 415,
  tus_version_unsupported: 412,
  range_not_satisfiable: 416,
  // end files
  internal: 500,
  unavailable: 503,
} as const;

export type ProblemSlug = keyof typeof STATUS_BY_SLUG | (string & {});

export interface FieldError {
  path: string;
  /** English fallback; the HTTP layer replaces it with the catalog's message for `code`. */
  message: string;
  /** Stable code of the problem with this field (zod's issue codes for schema validation). */
  code?: string;
  /** Stable details of some codes (a limit, the values allowed…): common/src/field-issues.ts. */
  params?: FieldParams;
}

export interface AppErrorOptions {
  /** Status for slugs not in STATUS_BY_SLUG (module-specific slugs). */
  status?: number;
  /** Values for the localised detail message. */
  params?: Record<string, string | number>;
  errors?: FieldError[];
  /** Extra response headers (Retry-After, Allow…). */
  headers?: Record<string, string>;
  /** Extension members of the problem (RFC 9457 §3.2), e.g. where to step up. */
  extensions?: Record<string, string | number | boolean>;
}

export class AppError extends Error {
  readonly slug: ProblemSlug;
  readonly status: number;
  readonly params: Record<string, string | number>;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;
  readonly extensions: Record<string, string | number | boolean>;
  constructor(slug: ProblemSlug, options: AppErrorOptions = {}) {
    super(slug);
    this.name = 'AppError';
    this.slug = slug;
    this.status = options.status ?? (STATUS_BY_SLUG as Record<string, number>)[slug] ?? 400;
    this.params = options.params ?? {};
    this.errors = options.errors;
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }
}

export const notFound = () => new AppError('not_found');
export const forbidden = () => new AppError('forbidden');
export const unauthenticated = () => new AppError('unauthenticated');
export const conflict = () => new AppError('conflict');
export const invalid = (errors: FieldError[]) => new AppError('validation', { errors });
