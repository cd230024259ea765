import { useCallback, useEffect, useState } from 'react';
import { Problem } from '../../app/api.ts';

/** What a page knows of its data: still coming, nobody signed in, failed, or there. */
export type Loaded<T> = { state: 'loading' } | { state: 'signedOut' } | { state: 'failed' } | { state: 'ready'; data: T };

/**
 * Loads a page's data once (and again on `reload()`); a 401 means the visitor is not signed in,
 * which the page answers with a sign-in link rather than an error.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>): { loaded: Loaded<T>; reload: () => Promise<void> } {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const run = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const data = await load(signal ?? new AbortController().signal);
        if (!signal?.aborted) setLoaded({ state: 'ready', data });
      } catch (error) {
        if (signal?.aborted) return;
        setLoaded(error instanceof Problem && error.status === 401 ? { state: 'signedOut' } : { state: 'failed' });
      }
    },
    [load],
  );
  useEffect(() => {
    const abort = new AbortController();
    void run(abort.signal);
    return () => abort.abort();
  }, [run]);
  return { loaded, reload: () => run() };
}
