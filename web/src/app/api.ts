import type { FieldIssue, FieldParams } from '@entente/common/field-issues.ts';

/**
 * The web app's one client of Entente's JSON API. Reads go out with the session cookie; changes
 * are cookie-authenticated too, so each carries the session's CSRF token, read from
 * `GET /api/session` right before (it does not change while the session lives). A failed call
 * throws a `Problem`, read from the RFC 9457 (problem+json) answer.
 */

/** A problem+json answer: its slug (`urn:entente:problem:<slug>`), the fields it names, the server's words. */
export class Problem extends Error {
  readonly status: number;
  readonly slug: string;
  /** The first field named (`body.label` → `label`), or null when the problem names none. */
  readonly field: string | null;
  /**
   * Field errors by top-level field name (`body.fr.options.1` → `fr`), the first one per field: a
   * stable code such as `too_big` with its params (a limit, the values allowed), which
   * `fieldIssueMessage` says in the page's language.
   */
  readonly fields: ReadonlyMap<string, FieldIssue>;
  /** Every field error, in the server's order, its path without the leading `body.` (`fr.options.1`). */
  readonly issues: readonly FieldIssue[];
  /** The server's title and detail, already in the page's language (its language cookie). */
  readonly title: string | null;
  readonly detail: string | null;
  /** The server's reference for the request, to quote when reporting a problem. */
  readonly requestId: string | null;

  constructor(
    status: number,
    slug: string,
    details: { issues?: readonly FieldIssue[]; title?: string | null; detail?: string | null; requestId?: string | null } = {},
  ) {
    super(`${status} ${slug}`);
    this.name = 'Problem';
    this.status = status;
    this.slug = slug;
    this.issues = details.issues ?? [];
    const fields = new Map<string, FieldIssue>();
    for (const issue of this.issues) {
      const field = issue.path.split('.')[0] || 'body';
      if (!fields.has(field)) fields.set(field, issue);
    }
    this.fields = fields;
    this.field = this.fields.keys().next().value ?? null;
    this.title = details.title ?? null;
    this.detail = details.detail ?? null;
    this.requestId = details.requestId ?? null;
  }
}

const text = (value: unknown, max: number): string | null => (typeof value === 'string' ? value.slice(0, max) : null);

/** Reads a problem+json body; anything else (a proxy's HTML page) becomes a bare status. */
/** The refusal a failed response carries (problem+json), for calls that do not go through `send`. */
export async function problemOf(response: Response): Promise<Problem> {
  let slug = response.status === 401 ? 'unauthenticated' : 'internal';
  const issues: FieldIssue[] = [];
  let body: { type?: unknown; title?: unknown; detail?: unknown; errors?: unknown; requestId?: unknown } = {};
  try {
    const parsed: unknown = await response.json();
    if (parsed !== null && typeof parsed === 'object') body = parsed as typeof body;
  } catch {
    // not JSON: the status says enough
  }
  const match = typeof body.type === 'string' ? /^urn:entente:problem:([a-z-]{1,60})$/.exec(body.type) : null;
  if (match?.[1]) slug = match[1].replaceAll('-', '_');
  if (Array.isArray(body.errors)) {
    for (const error of body.errors.slice(0, 1000) as { path?: unknown; code?: unknown; params?: unknown }[]) {
      if (typeof error?.path !== 'string') continue;
      issues.push({
        path: error.path.replace(/^body\.?/, '').slice(0, 200),
        code: typeof error.code === 'string' ? error.code.slice(0, 60) : 'invalid',
        // The details of the code (a limit, the values allowed…), said in words by fieldIssueMessage.
        ...(error.params !== null && typeof error.params === 'object' && !Array.isArray(error.params) ? { params: error.params as FieldParams } : {}),
      });
    }
  }
  // The session is gone (ended from another device, expired): the header says so at once, with
  // its « Se connecter » link, rather than « Session ouverte » beside « Connexion requise » (UI review).
  if (response.status === 401 && slug === 'unauthenticated' && typeof window !== 'undefined') window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
  return new Problem(response.status, slug, {
    issues,
    title: text(body.title, 200),
    detail: text(body.detail, 500),
    requestId: text(body.requestId, 100),
  });
}

const JSON_HEADERS = { accept: 'application/json' };

/** Sent on `window` when the server answers that no session holds (401 `unauthenticated`). */
export const SIGNED_OUT_EVENT = 'entente:signed-out';

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { credentials: 'same-origin', headers: JSON_HEADERS, signal });
  if (!response.ok) throw await problemOf(response);
  return (await response.json()) as T;
}

/** A CSRF-protected change; answers the JSON body, or undefined for 204. */
export async function send<T>(
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T | undefined> {
  const { csrfToken } = await getJson<{ csrfToken: string }>('/api/session');
  const headers: Record<string, string> = { ...JSON_HEADERS, 'x-csrf-token': csrfToken };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw await problemOf(response);
  return response.status === 204 ? undefined : ((await response.json()) as T);
}
