import { nameValues } from '@entente/common/i18n/elision.ts';
import type { Editor } from '@tiptap/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { anchorOf, commentsPlugin, commentsPluginKey, rangeOf, showThreads } from './anchors.ts';
import {
  BODY_MAX,
  bodyParts,
  type Candidate,
  type CommentItem,
  commentsApi,
  fromTokens,
  type Listing,
  nameOf,
  type Person,
  QUOTE_MAX,
  REACTIONS,
  type Thread,
  toTokens,
} from './comments-api.ts';
import { ConfirmDialog } from '../../../ui/ConfirmDialog.tsx';
import { type MentionInvite, MentionInviteContext } from './mention-invite.ts';
import { MentionTextarea } from './MentionTextarea.tsx';
import { type CommentsText, useCommentsText } from './text.ts';
import './comments.css';

/** How often the panel asks for others' new comments while the page is visible. */
const POLL_MS = 3_000;

/**
 * The live editor of the page, once it is there: Tiptap hangs it on its element. Looked up
 * rather than passed down, so the editor's component does not have to know about comments.
 */
function findPageEditor(): Editor | null {
  const element = document.querySelector('.ws-document-page .ws-prose') as (HTMLElement & { editor?: Editor }) | null;
  return element?.editor && !element.editor.isDestroyed ? element.editor : null;
}

/** The selected range of `editor`, or of the page's selection inside it (a read-only editor may not take it). */
function selectedRange(editor: Editor): { from: number; to: number } | null {
  const { from, to } = editor.state.selection;
  if (to > from) return { from, to };
  const dom = window.getSelection();
  if (!dom || dom.isCollapsed || !dom.anchorNode || !dom.focusNode || !editor.view.dom.contains(dom.anchorNode) || !editor.view.dom.contains(dom.focusNode)) return null;
  try {
    const a = editor.view.posAtDOM(dom.anchorNode, dom.anchorOffset);
    const b = editor.view.posAtDOM(dom.focusNode, dom.focusOffset);
    return b === a ? null : { from: Math.min(a, b), to: Math.max(a, b) };
  } catch {
    return null;
  }
}

function usePageEditor(): Editor | null {
  const [editor, setEditor] = useState<Editor | null>(null);
  useEffect(() => {
    const look = () => {
      const found = findPageEditor();
      setEditor((current) => (current === found ? current : found));
    };
    look();
    const timer = setInterval(look, 400);
    return () => clearInterval(timer);
  }, []);
  return editor;
}

interface Draft {
  anchor: { start: string; end: string };
  quote: string;
}

interface ShareOffer {
  person: Person;
  canShare: boolean;
  granted?: boolean;
}

/**
 * Comments of one document: select text → « Commenter » (or Ctrl+Alt+M) → a thread anchored to
 * that range; highlighted ranges in the editor (clicking one opens its thread); a side panel with
 * open and resolved threads, replies, edit and delete, resolve and reopen, reactions and `@`
 * mentions. Others' comments arrive by polling every few seconds (the simplest thing that works
 * across nodes). Readers see everything but no composer; the server decides all of it.
 * `spaceId`: the document's space, where an address typed after `@` may be invited (owners).
 */
export function CommentsPanel({ documentId, spaceId }: { documentId: string; spaceId: string }) {
  const text = useCommentsText();
  const { c, problem } = text;
  const editor = usePageEditor();
  const [listing, setListing] = useState<Listing | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [tab, setTab] = useState<'open' | 'resolved'>('open');
  const [active, setActive] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [status, setStatus] = useState('');
  const [alert, setAlert] = useState('');
  const [offers, setOffers] = useState<ShareOffer[]>([]);
  const [hasSelection, setHasSelection] = useState(false);
  const selection = useRef<{ from: number; to: number } | null>(null);
  const seen = useRef<Set<string> | null>(null);
  const panel = useRef<HTMLElement>(null);
  // The `@` autocomplete's invitations say their outcome in the panel's status line.
  const mentionInvite = useMemo<MentionInvite>(
    () => ({
      spaceId,
      announce: (message) => {
        setAlert('');
        setStatus(message);
      },
    }),
    [spaceId],
  );

  // Lists asked for, in order: an answer older than the last one shown is dropped, so a poll that
  // comes back late cannot put back the list from before a comment just posted (and close the
  // reply or edit form open on it).
  const listsAsked = useRef(0);
  const listShown = useRef(0);
  const refresh = useCallback(
    async (signal?: AbortSignal) => {
      const request = ++listsAsked.current;
      try {
        const next = await commentsApi.list(documentId, signal);
        if (request < listShown.current) return;
        listShown.current = request;
        const all = next.threads.flatMap((t) => t.comments);
        const ids = new Set(all.map((m) => m.id));
        // Announce what others wrote since the last look (not one's own — those one may edit —, not the first load).
        if (seen.current) {
          const fresh = all.filter((m) => !m.canEdit && !m.deleted && !seen.current?.has(m.id)).length;
          if (fresh > 0) setStatus(c('comments.status.incoming', { count: fresh }));
        }
        seen.current = ids;
        setListing(next);
        setLoadError(null);
      } catch (error) {
        if (!signal?.aborted && request >= listShown.current) setLoadError(error);
      }
    },
    [documentId, c],
  );

  useEffect(() => {
    const controller = new AbortController();
    seen.current = null;
    void refresh(controller.signal);
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void refresh(controller.signal);
    }, POLL_MS);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [refresh]);

  // A notification's link names a thread: open it.
  useEffect(() => {
    const fromHash = () => {
      const match = /^#commentaire-([0-9a-f-]{36})$/.exec(window.location.hash);
      if (match?.[1]) setActive(match[1]);
    };
    fromHash();
    window.addEventListener('hashchange', fromHash);
    return () => window.removeEventListener('hashchange', fromHash);
  }, []);

  const threads = listing?.threads ?? [];
  const canComment = listing?.canComment ?? false;
  const people = useMemo(() => new Map((listing?.people ?? []).map((p) => [p.principalId, p])), [listing]);

  // The highlights: registered once per editor, fed with the threads and the active one.
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    if (!commentsPluginKey.getState(editor.state)) editor.registerPlugin(commentsPlugin((id) => setActive(id)));
    return () => {
      if (!editor.isDestroyed) editor.unregisterPlugin(commentsPluginKey);
    };
  }, [editor]);
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    showThreads(
      editor.view,
      threads.map((t) => ({ id: t.id, start: t.anchor.start, end: t.anchor.end, resolved: t.resolvedAt !== null })),
      active,
    );
  }, [editor, threads, active]);

  // The selection to comment on: read from the editor (it may be read-only for commenters).
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    const track = () => {
      if (editor.isDestroyed) return;
      const { from, to } = editor.state.selection;
      let range = to > from ? { from, to } : null;
      const dom = window.getSelection();
      if (!range && dom && !dom.isCollapsed && dom.anchorNode && dom.focusNode && editor.view.dom.contains(dom.anchorNode) && editor.view.dom.contains(dom.focusNode)) {
        // A read-only editor may not take the selection as its own: read the page's.
        try {
          const a = editor.view.posAtDOM(dom.anchorNode, dom.anchorOffset);
          const b = editor.view.posAtDOM(dom.focusNode, dom.focusOffset);
          range = { from: Math.min(a, b), to: Math.max(a, b) };
        } catch {
          range = null;
        }
      }
      if (range && range.to > range.from) {
        selection.current = range;
        setHasSelection(true);
      } else if (dom && editor.view.dom.contains(dom.anchorNode)) {
        selection.current = null;
        setHasSelection(false);
      }
    };
    document.addEventListener('selectionchange', track);
    editor.on('selectionUpdate', track);
    return () => {
      document.removeEventListener('selectionchange', track);
      editor.off('selectionUpdate', track);
    };
  }, [editor]);

  const startComment = useCallback(() => {
    if (!canComment) return;
    // The editor may have appeared (or been re-created) since the last look, and the selection made
    // before the panel saw it: read both now rather than refuse what the agent plainly did.
    const live = editor && !editor.isDestroyed ? editor : findPageEditor();
    const range = selection.current ?? (live ? selectedRange(live) : null);
    const made = live && range ? anchorOf(live.state, range.from, range.to) : null;
    if (!made) {
      setAlert(c('comments.selectFirst'));
      return;
    }
    setAlert('');
    setTab('open');
    setDraft({ anchor: made.anchor, quote: made.quote.slice(0, QUOTE_MAX) });
  }, [canComment, editor, c]);

  // Ctrl+Alt+M (as in other office suites) from the editor or the panel.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey && event.altKey && event.code === 'KeyM')) return;
      const target = event.target as Node | null;
      const live = editor && !editor.isDestroyed ? editor : findPageEditor();
      // A commenter's editor is not editable, so not focused: after selecting with the mouse the
      // key comes from <body>. The page's selection inside the editor is what counts then.
      const selection = document.getSelection();
      const selectedInEditor = !!selection && !selection.isCollapsed && !!live?.view.dom.contains(selection.anchorNode);
      if (!target || !(live?.view.dom.contains(target) || panel.current?.contains(target) || selectedInEditor)) return;
      event.preventDefault();
      startComment();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [editor, startComment]);

  const act = useCallback(
    async (action: () => Promise<unknown>, done: string) => {
      setAlert('');
      try {
        await action();
        setStatus(done);
        await refresh();
        return true;
      } catch (error) {
        setAlert(c('comments.failed', { reason: problem(error) }));
        return false;
      }
    },
    [refresh, c, problem],
  );

  const offerShare = useCallback((person: Person, canShare: boolean) => {
    setOffers((current) => (current.some((o) => o.person.principalId === person.principalId) ? current : [...current, { person, canShare }]));
  }, []);
  const lastCanShare = useRef(false);
  const onUnreachable = useCallback(
    (candidate: Candidate, canShare: boolean) => {
      lastCanShare.current = canShare;
      offerShare(candidate, canShare);
    },
    [offerShare],
  );

  const show = (thread: Thread) => {
    setActive(thread.id);
    if (!editor || editor.isDestroyed) return;
    const range = rangeOf(editor.state, thread.anchor);
    if (!range) return;
    editor.commands.setTextSelection(range);
    editor.commands.scrollIntoView();
    editor.view.focus();
  };

  // Open threads in the order of the text; resolved ones latest first.
  const ordered = useMemo(() => {
    const open = threads.filter((t) => t.resolvedAt === null);
    const resolved = threads.filter((t) => t.resolvedAt !== null).sort((a, b) => (b.resolvedAt ?? '').localeCompare(a.resolvedAt ?? ''));
    if (editor && !editor.isDestroyed) {
      const place = new Map(open.map((t) => [t.id, rangeOf(editor.state, t.anchor)?.from ?? Number.MAX_SAFE_INTEGER]));
      open.sort((a, b) => (place.get(a.id) ?? 0) - (place.get(b.id) ?? 0));
    }
    return { open, resolved };
  }, [threads, editor]);

  // The active thread: on its tab and in view.
  useEffect(() => {
    if (!active) return;
    const thread = threads.find((t) => t.id === active);
    if (!thread) return;
    setTab(thread.resolvedAt ? 'resolved' : 'open');
    requestAnimationFrame(() => document.getElementById(`commentaire-${active}`)?.scrollIntoView({ block: 'nearest' }));
  }, [active, threads]);

  // Wide screens: the panel sits beside the text (comments.css); its column keeps it in the page.
  useEffect(() => {
    const element = panel.current;
    const parent = element?.parentElement;
    if (!element || !parent || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      parent.style.minHeight = getComputedStyle(element).position === 'absolute' ? `${element.offsetHeight}px` : '';
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      parent.style.minHeight = '';
    };
  }, []);

  const shown = tab === 'open' ? ordered.open : ordered.resolved;
  // A thread resolved or reopened leaves the list it was in, and the button pressed with it. The
  // active thread is followed to its new tab: the keyboard goes to its button there (« Rouvrir »).
  // Any other: to the thread after it (or before), else to the list's tab — never to <body>. The
  // list may come back a render or two later (the tab follows in an effect): tried on each render
  // until found. Given up as soon as the agent moves on (a key, a click), or after 10 s, so that it
  // never takes the focus from them later; a fixed 2 s was short on a loaded machine.
  const [refocus, setRefocus] = useState<Refocus | null>(null);
  const leaving = (threadId: string): Refocus => {
    const at = shown.findIndex((t) => t.id === threadId);
    return { thread: (shown[at + 1] ?? shown[at - 1])?.id ?? null, on: 'card' };
  };
  useEffect(() => {
    if (!refocus) return;
    const card = refocus.thread ? document.getElementById(`commentaire-${refocus.thread}`) : null;
    const target = !refocus.thread
      ? panel.current?.querySelector<HTMLElement>('.cm-tabs [aria-pressed="true"]')
      : refocus.on === 'card'
        ? card
        : card?.querySelector<HTMLElement>('.cm-resolve');
    if (target) {
      target.focus();
      setRefocus(null);
    }
  }, [refocus, shown]);
  useEffect(() => {
    if (!refocus) return;
    const giveUp = () => setRefocus(null);
    const timer = setTimeout(giveUp, 10_000);
    document.addEventListener('keydown', giveUp, { once: true });
    document.addEventListener('pointerdown', giveUp, { once: true });
    return () => {
      clearTimeout(timer);
      document.removeEventListener('keydown', giveUp);
      document.removeEventListener('pointerdown', giveUp);
    };
  }, [refocus]);
  return (
    <MentionInviteContext.Provider value={mentionInvite}>
    <section ref={panel} className="cm-panel" aria-labelledby="comments-heading">
      <h2 id="comments-heading">{c('comments.heading')}</h2>
      <p role="status" className="cm-status">
        {status}
      </p>
      <p role="alert" className="cm-alert">
        {alert}
      </p>
      {listing && canComment && (
        <div className="cm-add">
          <button
            type="button"
            className="button"
            aria-keyshortcuts="Control+Alt+M"
            aria-describedby="comments-add-hint"
            // Keep the text selected: the button must not take it away.
            onMouseDown={(event) => event.preventDefault()}
            onClick={startComment}
            data-has-selection={hasSelection}
          >
            {c('comments.add')}
          </button>
          <p id="comments-add-hint" className="cm-hint">
            {c('comments.add.hint')}
          </p>
        </div>
      )}
      {listing && !canComment && <p className="cm-hint">{c('comments.readOnly')}</p>}
      {draft && (
        <NewThread
          documentId={documentId}
          draft={draft}
          text={text}
          onUnreachable={onUnreachable}
          onCancel={() => setDraft(null)}
          onPosted={async (written) => {
            setDraft(null);
            setActive(written.thread.id);
            for (const person of written.unreachableMentions) offerShare(person, lastCanShare.current);
            setStatus(c('comments.status.posted'));
            await refresh();
          }}
        />
      )}
      {offers.length > 0 && (
        <ul className="cm-offers">
          {offers.map((offer) => {
            const name = nameOf(offer.person) ?? c('comments.unknown');
            return (
              <li key={offer.person.principalId}>
                {offer.granted ? (
                  c('comments.share.granted', { name })
                ) : (
                  <>
                    {c('comments.share.noAccess', { name })}{' '}
                    {offer.canShare ? (
                      <button
                        type="button"
                        className="button button-secondary"
                        onClick={async () => {
                          const ok = await act(() => commentsApi.grantAccess(documentId, offer.person.principalId, 'commenter'), c('comments.share.granted', { name }));
                          if (ok) setOffers((all) => all.map((o) => (o === offer ? { ...o, granted: true } : o)));
                        }}
                      >
                        {c('comments.share.grant', { name })}
                      </button>
                    ) : (
                      c('comments.share.askOwner')
                    )}
                  </>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {!listing && !loadError && <p role="status">{c('comments.loading')}</p>}
      {loadError !== null && !listing && <p role="alert">{c('comments.loadFailed', { reason: problem(loadError) })}</p>}
      {listing && (
        <>
          <fieldset className="cm-tabs">
            <legend className="ws-sr-only">{c('comments.tabs.label')}</legend>
            <button type="button" aria-pressed={tab === 'open'} onClick={() => setTab('open')}>
              {c('comments.tabs.open', { count: ordered.open.length })}
            </button>
            <button type="button" aria-pressed={tab === 'resolved'} onClick={() => setTab('resolved')}>
              {c('comments.tabs.resolved', { count: ordered.resolved.length })}
            </button>
          </fieldset>
          {shown.length === 0 && <p className="cm-empty">{tab === 'resolved' ? c('comments.empty.resolved') : canComment ? c('comments.empty.open') : c('comments.empty.openReader')}</p>}
          <ol className="cm-threads">
            {shown.map((thread) => (
              <li key={thread.id}>
                <ThreadCard
                  thread={thread}
                  documentId={documentId}
                  active={thread.id === active}
                  people={people}
                  canComment={canComment}
                  orphan={editor !== null && !editor.isDestroyed && rangeOf(editor.state, thread.anchor) === null}
                  text={text}
                  act={act}
                  onShow={() => show(thread)}
                  onMoved={setRefocus}
                  leaving={() => leaving(thread.id)}
                  onUnreachable={onUnreachable}
                  onWritten={(written) => {
                    for (const person of written.unreachableMentions) offerShare(person, lastCanShare.current);
                  }}
                />
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
    </MentionInviteContext.Provider>
  );
}

function NewThread({
  documentId,
  draft,
  text,
  onUnreachable,
  onCancel,
  onPosted,
}: {
  documentId: string;
  draft: Draft;
  text: CommentsText;
  onUnreachable: (candidate: Candidate, canShare: boolean) => void;
  onCancel: () => void;
  onPosted: (written: Awaited<ReturnType<typeof commentsApi.open>>) => Promise<void>;
}) {
  const { c, problem } = text;
  const [value, setValue] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const known = useRef(new Map<string, string>());
  const submit = async () => {
    const body = toTokens(value, known.current).trim();
    if (!body) return setError(c('comments.composer.empty'));
    if (body.length > BODY_MAX) return setError(c('comments.composer.tooLong', { count: body.length }));
    setBusy(true);
    try {
      await onPosted(await commentsApi.open(documentId, { anchor: draft.anchor, quote: draft.quote, body }));
    } catch (failure) {
      setError(c('comments.failed', { reason: problem(failure) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="cm-composer"
      aria-labelledby="comments-new-heading"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
      }}
    >
      <h3 id="comments-new-heading">{c('comments.composer.heading')}</h3>
      <blockquote className="cm-quote">{c('comments.composer.quote', { quote: draft.quote })}</blockquote>
      <MentionTextarea
        documentId={documentId}
        label={c('comments.composer.label')}
        hint={c('comments.composer.hint')}
        value={value}
        onChange={setValue}
        known={known.current}
        onUnreachable={onUnreachable}
        onSubmit={() => void submit()}
        autoFocus
      />
      {error && (
        <p role="alert" className="cm-error">
          {error}
        </p>
      )}
      <div className="cm-actions">
        <button type="submit" className="button" disabled={busy}>
          {c('comments.composer.submit')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {c('comments.composer.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Where the keyboard goes once a thread moved between « Ouverts » and « Résolus » (null: the tab). */
interface Refocus {
  thread: string | null;
  on: 'card' | 'resolveButton';
}

interface ThreadCardProps {
  thread: Thread;
  documentId: string;
  active: boolean;
  people: Map<string, Person>;
  canComment: boolean;
  orphan: boolean;
  text: CommentsText;
  act: (action: () => Promise<unknown>, done: string) => Promise<boolean>;
  onShow: () => void;
  /** What takes the keyboard when this thread leaves the list (asked before it does). */
  leaving: () => Refocus;
  /** Resolved or reopened: `next` takes the keyboard. */
  onMoved: (next: Refocus) => void;
  onUnreachable: (candidate: Candidate, canShare: boolean) => void;
  onWritten: (written: Awaited<ReturnType<typeof commentsApi.reply>>) => void;
}

function ThreadCard({ thread, documentId, active, people, canComment, orphan, text, act, onShow, leaving, onMoved, onUnreachable, onWritten }: ThreadCardProps) {
  const { c, dateTime } = text;
  const [reply, setReply] = useState('');
  const [replyError, setReplyError] = useState('');
  const known = useRef(new Map<string, string>());
  const name = (id: string | null) => nameOf(id ? people.get(id) : undefined) ?? c('comments.unknown');
  const quote = thread.quote.length > 80 ? `${thread.quote.slice(0, 79)}…` : thread.quote;
  const sendReply = async () => {
    const body = toTokens(reply, known.current).trim();
    setReplyError('');
    if (!body) return;
    // Said, as for a new thread: a click that did nothing left the agent guessing.
    if (body.length > BODY_MAX) return setReplyError(c('comments.composer.tooLong', { count: body.length }));
    let written: Awaited<ReturnType<typeof commentsApi.reply>> | null = null;
    const ok = await act(async () => {
      written = await commentsApi.reply(documentId, thread.id, body);
    }, c('comments.status.replied'));
    if (ok) {
      setReply('');
      known.current.clear();
      if (written) onWritten(written);
    }
  };
  return (
    <article
      id={`commentaire-${thread.id}`}
      className={active ? 'cm-thread cm-thread-active' : 'cm-thread'}
      aria-label={c('comments.thread.label', { quote })}
      // Focused by the panel when the thread before it was resolved (not in the Tab order).
      tabIndex={-1}
    >
      <div className="cm-thread-head">
        <blockquote className="cm-quote">{quote}</blockquote>
        {orphan ? (
          <p className="cm-hint">{c('comments.thread.orphan')}</p>
        ) : (
          <button type="button" className="button button-small button-secondary" onClick={onShow}>
            {c('comments.thread.show')}
          </button>
        )}
      </div>
      {thread.resolvedAt && <p className="cm-hint">{c('comments.resolvedBy', { name: name(thread.resolvedBy), date: dateTime(thread.resolvedAt) })}</p>}
      <ol className="cm-comments">
        {thread.comments.map((comment) => (
          <li key={comment.id}>
            <CommentEntry comment={comment} documentId={documentId} people={people} canComment={canComment} text={text} act={act} onUnreachable={onUnreachable} />
          </li>
        ))}
      </ol>
      {canComment && (
        <div className="cm-thread-actions">
          {thread.resolvedAt === null && (
            <form
              className="cm-reply"
              onSubmit={(event) => {
                event.preventDefault();
                void sendReply();
              }}
            >
              <MentionTextarea
                documentId={documentId}
                label={c('comments.reply.label')}
                value={reply}
                onChange={setReply}
                known={known.current}
                onUnreachable={onUnreachable}
                onSubmit={() => void sendReply()}
              />
              {replyError && (
                <p role="alert" className="cm-error">
                  {replyError}
                </p>
              )}
              <div className="cm-actions">
                <button type="submit" className="button button-secondary" disabled={!reply.trim()}>
                  {c('comments.reply.submit')}
                </button>
              </div>
            </form>
          )}
          <button
            type="button"
            className="button button-secondary cm-resolve"
            onClick={async () => {
              const next: Refocus = active ? { thread: thread.id, on: 'resolveButton' } : leaving();
              const ok = await act(
                () => commentsApi.resolve(documentId, thread.id, thread.resolvedAt === null),
                c(thread.resolvedAt === null ? 'comments.status.resolved' : 'comments.status.reopened'),
              );
              if (ok) onMoved(next);
            }}
          >
            {c(thread.resolvedAt === null ? 'comments.resolve' : 'comments.reopen')}
          </button>
        </div>
      )}
    </article>
  );
}

function CommentEntry({
  comment,
  documentId,
  people,
  canComment,
  text,
  act,
  onUnreachable,
}: {
  comment: CommentItem;
  documentId: string;
  people: Map<string, Person>;
  canComment: boolean;
  text: CommentsText;
  act: ThreadCardProps['act'];
  onUnreachable: ThreadCardProps['onUnreachable'];
}) {
  const { c, dateTime } = text;
  const [editing, setEditing] = useState<{ value: string; known: Map<string, string> } | null>(null);
  const [editError, setEditError] = useState('');
  const [picking, setPicking] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const author = nameOf(people.get(comment.authorId)) ?? c('comments.unknown');
  if (comment.deleted) {
    return <p className="cm-comment cm-comment-deleted">{c('comments.deleted')}</p>;
  }
  const own = comment.canEdit;
  return (
    <div className="cm-comment">
      <p className="cm-meta">
        <strong>{author}</strong> <time dateTime={comment.createdAt}>{dateTime(comment.createdAt)}</time>
        {comment.editedAt && <span className="cm-edited"> ({c('comments.edited')})</span>}
      </p>
      {editing ? (
        <form
          onSubmit={async (event) => {
            event.preventDefault();
            const body = toTokens(editing.value, editing.known).trim();
            setEditError('');
            if (!body) return;
            if (body.length > BODY_MAX) return setEditError(c('comments.composer.tooLong', { count: body.length }));
            if (await act(() => commentsApi.edit(documentId, comment.id, body), c('comments.status.saved'))) setEditing(null);
          }}
        >
          <MentionTextarea
            documentId={documentId}
            label={c('comments.edit.label')}
            value={editing.value}
            onChange={(value) => setEditing((e) => (e ? { ...e, value } : e))}
            known={editing.known}
            onUnreachable={onUnreachable}
            onSubmit={() => undefined}
            autoFocus
          />
          {editError && (
            <p role="alert" className="cm-error">
              {editError}
            </p>
          )}
          <div className="cm-actions">
            <button type="submit" className="button">
              {c('comments.edit.save')}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setEditing(null)}>
              {c('comments.composer.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <p className="cm-body">
          {bodyParts(comment.body).map((part, index) =>
            'text' in part ? (
              <span key={index}>{part.text}</span>
            ) : (
              <span key={index} className="cm-mention-chip">
                @{nameOf(people.get(part.mention)) ?? c('comments.unknown')}
              </span>
            ),
          )}
        </p>
      )}
      <div className="cm-reactions">
        {comment.reactions.map((reaction) => (
          <button
            key={reaction.emoji}
            type="button"
            className="cm-reaction"
            aria-pressed={reaction.mine}
            disabled={!canComment}
            aria-label={c('comments.reaction.label', { emoji: reaction.emoji, count: reaction.count, mine: String(reaction.mine) })}
            onClick={() => void act(() => commentsApi.react(documentId, comment.id, reaction.emoji, !reaction.mine), '')}
          >
            <span aria-hidden="true">{reaction.emoji}</span> <span aria-hidden="true">{reaction.count}</span>
          </button>
        ))}
        {canComment && (
          <button type="button" className="cm-reaction cm-react" aria-expanded={picking} onClick={() => setPicking((p) => !p)}>
            {c('comments.react')}
          </button>
        )}
      </div>
      {picking && (
        <fieldset className="cm-picker">
          <legend className="ws-sr-only">{c('comments.react.menu')}</legend>
          {REACTIONS.map((emoji) => (
            <button
              key={emoji}
              type="button"
              className="cm-reaction"
              aria-label={c('comments.react.add', { emoji })}
              onClick={async () => {
                setPicking(false);
                await act(() => commentsApi.react(documentId, comment.id, emoji, true), '');
              }}
            >
              <span aria-hidden="true">{emoji}</span>
            </button>
          ))}
        </fieldset>
      )}
      {(own || comment.canDelete) && !editing && (
        <div className="cm-actions">
          {own && (
            <button type="button" className="button button-small button-secondary" onClick={() => {
                const { text: value, known } = fromTokens(comment.body, people, c('comments.unknown'));
                setEditing({ value, known });
              }}>
              {c('comments.edit')}
            </button>
          )}
          {comment.canDelete && (
            <button type="button" className="button button-small button-danger" onClick={() => setConfirming(true)}>
              {own ? c('comments.delete') : c('comments.moderate')}
            </button>
          )}
          <ConfirmDialog
            open={confirming}
            title={own ? c('comments.delete') : c('comments.moderate')}
            text={own ? c('comments.delete.confirm') : c('comments.moderate.confirm', nameValues(author))}
            cancelLabel={c('comments.composer.cancel')}
            confirmLabel={own ? c('comments.delete') : c('comments.moderate')}
            onCancel={() => setConfirming(false)}
            onConfirm={() => {
              setConfirming(false);
              void act(() => commentsApi.remove(documentId, comment.id), c('comments.status.deleted'));
            }}
          />
        </div>
      )}
    </div>
  );
}
