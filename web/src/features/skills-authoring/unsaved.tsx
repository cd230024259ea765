import { type ReactNode, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { type BlockerFunction, useBlocker } from 'react-router';
import { registerLeaveGuard } from '../../app/leave-guard.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import type { AuthoringText } from './text.ts';

export interface UnsavedGuard {
  /**
   * Runs `discard` (an action of the page that would lose the unsaved edits: another question
   * opened, the editor closed…) at once when nothing would be lost, else only once the agent has
   * confirmed. `dirty` says whether this action loses anything; by default, whether anything on
   * the page is unsaved.
   */
  confirmDiscard: (discard: () => void, dirty?: boolean) => void;
  /** The confirmation: rendered by the page before its editors (see below). */
  dialog: ReactNode;
}

/**
 * Unsaved edits are lost only when the agent says so. While `dirty`:
 *  - an action of the page goes through `confirmDiscard`, which asks in the page's confirmation
 *    (the project's ConfirmDialog: modal, focus on the harmless choice, Escape cancels);
 *  - another page of the app (a link, the header, the browser's Back) asks the same, through the
 *    data router's blocker;
 *  - reloading or closing the tab, or leaving for another site, gets the browser's own question
 *    (`beforeunload`: a page may not word it);
 *  - « Se déconnecter » asks in the page's confirmation before the session ends (app/leave-guard),
 *    and once the agent has chosen to discard, the browser does not ask a second time.
 * The dialog is to be rendered before the editors it guards: once an action is confirmed, its
 * closing returns focus to the control that opened it, and an editor opened by that action then
 * moves focus to its heading, in that order.
 */
export function useUnsavedGuard(text: AuthoringText, dirty: boolean): UnsavedGuard {
  const { a } = text;
  const [pending, setPending] = useState<{ discard: () => void; keep?: () => void } | null>(null);
  // Read by the listeners below when the browser or the router asks, and set in the same commit as
  // the keystroke that made the form dirty (layout effects, here and in useReportDirty): the
  // blocker is registered in a passive effect, a moment later, and Back pressed right after typing
  // went through.
  const dirtyNow = useRef(dirty);
  useLayoutEffect(() => {
    dirtyNow.current = dirty;
  }, [dirty]);
  // Set while the agent signs out after choosing to discard: the page is about to be left.
  const leaving = useRef(false);

  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (!dirtyNow.current || leaving.current) return;
      event.preventDefault();
      event.returnValue = ''; // browsers that predate preventDefault() here
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);

  // Only a change of page: a link to #main (the skip link) or to the page itself loses nothing.
  const shouldBlock = useCallback<BlockerFunction>(
    ({ currentLocation, nextLocation }) => dirtyNow.current && (currentLocation.pathname !== nextLocation.pathname || currentLocation.search !== nextLocation.search),
    [],
  );
  const blocker = useBlocker(shouldBlock);

  useEffect(
    () =>
      registerLeaveGuard({
        ask: () =>
          new Promise<boolean>((resolve) => {
            if (!dirtyNow.current) return resolve(true);
            setPending({
              discard: () => {
                leaving.current = true;
                resolve(true);
              },
              keep: () => resolve(false),
            });
          }),
        stay: () => {
          leaving.current = false;
        },
      }),
    [],
  );

  const confirmDiscard = (discard: () => void, loses = dirty) => {
    if (loses) setPending({ discard });
    else discard();
  };

  const onConfirm = () => {
    if (blocker.state === 'blocked') blocker.proceed();
    const action = pending?.discard;
    setPending(null);
    action?.();
  };
  const onCancel = () => {
    if (blocker.state === 'blocked') blocker.reset();
    pending?.keep?.();
    setPending(null);
  };

  const dialog = (
    <ConfirmDialog
      open={pending !== null || blocker.state === 'blocked'}
      title={a('skillsAuthoring.unsaved.title')}
      text={a('skillsAuthoring.unsaved.text')}
      cancelLabel={a('skillsAuthoring.unsaved.keep')}
      confirmLabel={a('skillsAuthoring.unsaved.discard')}
      onConfirm={onConfirm}
      onCancel={onCancel}
    />
  );
  return { confirmDiscard, dialog };
}

/**
 * An editor tells its page whether it holds unsaved edits: at each change, and « none » when it
 * goes away (saved and closed, or discarded), so the page's guard does not outlive it. Layout
 * effects: the page knows within the commit of the keystroke (see useUnsavedGuard).
 */
export function useReportDirty(dirty: boolean, report: ((dirty: boolean) => void) | undefined): void {
  const latest = useRef(report);
  useLayoutEffect(() => {
    latest.current = report;
  });
  useLayoutEffect(() => {
    latest.current?.(dirty);
  }, [dirty]);
  useLayoutEffect(() => () => latest.current?.(false), []);
}
