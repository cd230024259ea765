import { getJson } from './api.ts';

let inFlight: Promise<unknown> | undefined;

/**
 * `GET /api/me`, once for every component that asks while a request is under way: the header's
 * session status, search box and notification bell, the language and the page itself all want it
 * when a page opens, and used to send one request each. A caller's signal abandons its own wait,
 * not the shared request. Nothing is kept once it settles: a later call asks again, so a renamed
 * profile or an ended session is seen at once.
 */
export function fetchMe<T>(signal?: AbortSignal): Promise<T> {
  inFlight ??= getJson<unknown>('/api/me').finally(() => {
    inFlight = undefined;
  });
  const shared = inFlight as Promise<T>;
  if (!signal) return shared;
  return new Promise<T>((resolve, reject) => {
    const abandon = () => reject(signal.reason);
    if (signal.aborted) return abandon();
    signal.addEventListener('abort', abandon, { once: true });
    shared.then(resolve, reject).finally(() => signal.removeEventListener('abort', abandon));
  });
}
