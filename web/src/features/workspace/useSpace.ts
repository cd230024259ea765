import { useCallback, useEffect, useState } from 'react';
import { Problem } from '../../app/api.ts';
import { fetchMe } from '../../app/me.ts';
import { type DocumentSummary, documentsApi, type Me, type Space, spacesApi } from './api.ts';
import { useWorkspaceText } from './text.ts';
import { useSpaceEvents } from './useSpaceEvents.ts';

export type SpaceState =
  | { state: 'loading' }
  | { state: 'signedOut' }
  /** 404: not a member, or no such space (the server does not say which). */
  | { state: 'notFound' }
  | { state: 'failed'; error: unknown }
  | { state: 'ready'; space: Space; documents: DocumentSummary[]; me: Me | null };

/**
 * A space, its live documents and who is looking, with `act`: run a change, reload, and say the
 * outcome in the page's live regions (`status` for success, `alert` for a failure). Kept current
 * with what others change (useSpaceEvents); `membersTick`, `filesTick` and `spaceTick` move when the
 * members, the files or the space's own settings did (their panels read them again).
 */
export function useSpace(spaceId: string) {
  const { problem } = useWorkspaceText();
  const [loaded, setLoaded] = useState<SpaceState>({ state: 'loading' });
  const [status, setStatus] = useState('');
  const [alert, setAlert] = useState('');

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const [space, { documents }, me] = await Promise.all([
          spacesApi.get(spaceId, signal),
          documentsApi.list(spaceId, false, signal),
          fetchMe<Me>(signal).catch(() => null),
        ]);
        if (!signal?.aborted) setLoaded({ state: 'ready', space, documents, me });
      } catch (error) {
        if (signal?.aborted) return;
        if (error instanceof Problem && error.status === 401) setLoaded({ state: 'signedOut' });
        // 400: an address whose id is not one (« /espaces/pas-un-uuid »): no such space either.
        else if (error instanceof Problem && (error.status === 404 || error.status === 403 || error.status === 400)) setLoaded({ state: 'notFound' });
        else setLoaded({ state: 'failed', error });
      }
    },
    [spaceId],
  );

  useEffect(() => {
    const abort = new AbortController();
    void load(abort.signal);
    return () => abort.abort();
  }, [load]);

  // Others' changes, as they happen: the tree and header reload; the members panel reloads on its tick.
  const [membersTick, setMembersTick] = useState(0);
  const [filesTick, setFilesTick] = useState(0);
  const [spaceTick, setSpaceTick] = useState(0);
  useSpaceEvents(
    spaceId,
    loaded.state === 'ready',
    (parts) => {
      if (parts.has('members')) setMembersTick((n) => n + 1);
      if (parts.has('files')) setFilesTick((n) => n + 1);
      if (parts.has('space')) setSpaceTick((n) => n + 1);
      // The tree and the header: only when they may have changed (files alone leave them be).
      if (parts.has('documents') || parts.has('space') || parts.has('members')) void load();
    },
    () => void load(),
  );

  const act = useCallback(
    async (change: () => Promise<unknown>, done: string): Promise<boolean> => {
      setStatus('');
      setAlert('');
      try {
        await change();
        await load();
        setStatus(done);
        return true;
      } catch (error) {
        setAlert(problem(error));
        return false;
      }
    },
    [load, problem],
  );

  return { loaded, reload: load, act, status, alert, setStatus, setAlert, membersTick, filesTick, spaceTick };
}
