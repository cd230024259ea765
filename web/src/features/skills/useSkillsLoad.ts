import { formatMessage } from '@entente/common/i18n/format.ts';
import { useCallback, useEffect, useState } from 'react';
import { Problem } from '../../app/api.ts';
import { useSkillsText } from './text.ts';

/** What a skills page knows of its data; a failure keeps its reason, said to the agent. */
export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'signedOut' }
  | { state: 'failed'; reason: string; status: number | null }
  | { state: 'ready'; data: T };

/**
 * Loads a page's data (again when `load` changes or on `reload()`); a 401 means nobody is signed
 * in, which the page answers with a sign-in link rather than an error. A 400 on a page's own load
 * means its address names no such thing (an id mangled in the URL): said as « not found », as
 * for an id that does not exist, rather than as invalid data the agent never entered.
 */
export function useSkillsLoad<T>(load: (signal: AbortSignal) => Promise<T>) {
  const { problem, locale } = useSkillsText();
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const run = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const data = await load(signal ?? new AbortController().signal);
        if (!signal?.aborted) setLoaded({ state: 'ready', data });
      } catch (error) {
        if (signal?.aborted) return;
        if (error instanceof Problem && error.status === 401) setLoaded({ state: 'signedOut' });
        else if (error instanceof Problem && error.status === 400)
          setLoaded({ state: 'failed', reason: `${formatMessage(locale, 'errors.not_found.title')} — ${formatMessage(locale, 'errors.not_found.detail')}`, status: 404 });
        else setLoaded({ state: 'failed', reason: problem(error), status: error instanceof Problem ? error.status : null });
      }
    },
    [load, problem, locale],
  );
  useEffect(() => {
    const abort = new AbortController();
    void run(abort.signal);
    return () => abort.abort();
  }, [run]);
  return { loaded, setLoaded, reload: () => run() };
}
