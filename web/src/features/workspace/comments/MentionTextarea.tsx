import { useContext, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { type Candidate, commentsApi, type InvitationAnswer, isAddress, type MentionInviteRole, nameOf } from './comments-api.ts';
import { MentionInviteContext } from './mention-invite.ts';
import { MentionInviteDialog } from './MentionInviteDialog.tsx';
import { useCommentsText } from './text.ts';

interface MentionTextareaProps {
  documentId: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** Display name → principal, for the mentions picked so far. */
  known: Map<string, string>;
  /** Someone picked who cannot read the document (the panel offers to share). */
  onUnreachable: (candidate: Candidate, canShare: boolean) => void;
  onSubmit: () => void;
  autoFocus?: boolean;
  hint?: string;
}

/** The `@word` (or `@an.address@a.domain`) being typed just before the caret, if any. */
function mentionQuery(text: string, caret: number): { at: number; query: string } | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)@([^\s@<>]{0,64}(?:@[^\s@<>]{0,190})?)$/u.exec(before);
  return match ? { at: caret - (match[2]?.length ?? 0) - 1, query: match[2] ?? '' } : null;
}

/** Accents and case aside, as the server matches names (comments.ts, `mentionCandidates`). */
const fold = (text: string) => text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();

/** Whether `candidate` is one the server would answer for `query` (given then family name, or the reverse). */
function matches(candidate: Candidate, query: string): boolean {
  const wanted = fold(query.trim());
  return !wanted || [`${candidate.givenName ?? ''} ${candidate.familyName ?? ''}`, `${candidate.familyName ?? ''} ${candidate.givenName ?? ''}`].some((name) => fold(name).includes(wanted));
}

/** A member to mention, or the offer to invite the address typed (disabled for non-owners). */
type Option = { kind: 'agent'; candidate: Candidate } | { kind: 'invite'; email: string; enabled: boolean };

/**
 * A plain textarea for a comment, with `@` mention suggestions from the space's members (those who
 * can read the document first). Arrow keys move in the suggestions, Enter or Tab picks, Escape
 * closes them; Ctrl+Enter posts. Focus stays in the textarea (aria-activedescendant).
 *
 * An address typed after `@` that no member matches is offered « Inviter <adresse> dans
 * l'espace »: owners pick the role in a dialog and the invitation is sent; an agent who joins at
 * once is mentioned as any member (and notified), anyone else stays plain text until they sign in.
 * Others see the offer disabled, with the reason. The server says who may invite (`canInvite`,
 * from the actor's role only).
 */
export function MentionTextarea({ documentId, label, value, onChange, known, onUnreachable, onSubmit, autoFocus, hint }: MentionTextareaProps) {
  const { c, w } = useCommentsText();
  const id = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  const [query, setQuery] = useState<{ at: number; query: string } | null>(null);
  /** The latest answer, for the query `answered`: possibly a word typed before the one being typed now. */
  const [candidates, setCandidates] = useState<Candidate[]>([]);
  const [canShare, setCanShare] = useState(false);
  const [canInvite, setCanInvite] = useState(false);
  /** The query the candidates answer (the invite offer waits for the answer, so it never flickers). */
  const [answered, setAnswered] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const invite = useContext(MentionInviteContext);
  const [inviting, setInviting] = useState<{ email: string; at: number } | null>(null);
  // The latest text, for the answer of the invitation dialog (the field cannot change meanwhile: it is modal).
  const latest = useRef(value);
  latest.current = value;
  // Where the caret goes once the invitation dialog is gone. Not from a timer: while the modal
  // dialog is open the field is inert and ignores focus(), and a busy browser may run a frame
  // callback before React has removed the dialog; a layout effect runs after the removal.
  const caretAfterDialog = useRef<number | null>(null);
  // Where the caret goes once a picked name is in the text: set in the very commit that shows the
  // new text, before the browser handles the next key. A frame callback came too late for someone
  // typing on at once: what they typed meanwhile landed after the caret, then before it.
  const caretAfterPick = useRef<number | null>(null);
  useLayoutEffect(() => {
    const place = caretAfterPick.current;
    if (place === null) return;
    caretAfterPick.current = null;
    ref.current?.setSelectionRange(place, place);
  }, [value]);
  useLayoutEffect(() => {
    const place = caretAfterDialog.current;
    if (inviting || place === null) return;
    caretAfterDialog.current = null;
    // The text the dialog's answer put in is committed with the dialog's removal (one batch).
    ref.current?.focus();
    ref.current?.setSelectionRange(place, place);
  }, [inviting]);

  useEffect(() => {
    if (autoFocus) ref.current?.focus();
  }, [autoFocus]);

  useEffect(() => {
    if (!query) {
      setCandidates([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      commentsApi
        .mentionable(documentId, query.query, controller.signal)
        .then((found) => {
          setCandidates(found.agents);
          setCanShare(found.canShare);
          setCanInvite(found.canInvite);
          setAnswered(query.query);
          setActive(0);
        })
        .catch(() => {
          if (controller.signal.aborted) return;
          setCandidates([]);
          setAnswered(query.query);
        });
    }, 150);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [documentId, query?.query, query]);

  const update = (text: string, caret: number) => {
    onChange(text);
    setQuery(mentionQuery(text, caret));
    setActive(0);
  };

  const pick = (candidate: Candidate) => {
    if (!query) return;
    const name = nameOf(candidate) ?? c('comments.unknown');
    known.set(name, candidate.principalId);
    const caret = ref.current?.selectionStart ?? value.length;
    const text = `${value.slice(0, query.at)}@${name} ${value.slice(caret)}`;
    onChange(text);
    setQuery(null);
    caretAfterPick.current = query.at + name.length + 2;
    if (!candidate.canRead) onUnreachable(candidate, canShare);
  };

  /** Puts `inserted` in place of the `@address` typed at `at`, then the caret after it. */
  const replaceAddress = (at: number, email: string, inserted: string) => {
    const text = latest.current;
    const typed = `@${email}`;
    const end = text.slice(at, at + typed.length) === typed ? at + typed.length : at;
    const after = text.slice(end).replace(/^ /, '');
    onChange(`${text.slice(0, at)}${inserted} ${after}`);
    caretAfterDialog.current = at + inserted.length + 1;
  };

  const invited = async (at: number, email: string, answer: InvitationAnswer, role: MentionInviteRole) => {
    setInviting(null);
    const roleName = w(`workspace.role.${role}`);
    const member = answer.member;
    if (!member) {
      // Not an agent yet (or not vouched for): the address as plain text; access comes at sign-in.
      replaceAddress(at, email, email);
      invite?.announce(c('comments.invite.pending', { email, role: roleName }));
      return;
    }
    // A member at once: mentioned exactly as one picked from the list, so the comment notifies them.
    const name = nameOf(member) ?? email;
    known.set(name, member.principalId);
    replaceAddress(at, email, `@${name}`);
    // A restricted document is not theirs to read yet: the panel offers to share it, as for any member.
    const found = await commentsApi
      .mentionable(documentId, name)
      .then((answer) => answer.agents.find((a) => a.principalId === member.principalId))
      .catch(() => undefined);
    if (found && !found.canRead) {
      onUnreachable(found, true);
      invite?.announce(c('comments.invite.joined', { name, role: roleName }));
    } else {
      invite?.announce(c('comments.invite.member', { name, role: roleName }));
    }
  };

  const choose = (option: Option) => {
    if (option.kind === 'agent') pick(option.candidate);
    else if (option.enabled && query) {
      setInviting({ email: option.email, at: query.at });
      setQuery(null);
    }
  };

  const open = query !== null;
  // The answer for what is typed now, or — until it comes (a pause after « @ », then « Émi » and
  // Enter at once) — the people of the previous answer who match what is typed now, never the
  // others: Enter picked the first of an older, wider answer (« @Émi » mentioned Olivier Gagnon).
  const answeredNow = query !== null && answered === query.query;
  const shown = query === null ? [] : answeredNow ? candidates : candidates.filter((candidate) => matches(candidate, query.query));
  const address = invite && query && isAddress(query.query) ? query.query : null;
  const options: Option[] = [
    ...shown.map((candidate) => ({ kind: 'agent' as const, candidate })),
    // Only when no member matches: names never hold an `@`, so an address is nobody's name here.
    ...(address && answeredNow && shown.length === 0 ? [{ kind: 'invite' as const, email: address, enabled: canInvite }] : []),
  ];
  const listId = `${id}-mentions`;
  const hintId = `${id}-hint`;
  return (
    <div className="cm-mention-field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={hintId} className="cm-hint">
          {hint}
        </p>
      )}
      <textarea
        id={id}
        ref={ref}
        value={value}
        rows={3}
        aria-describedby={hint ? hintId : undefined}
        aria-controls={open ? listId : undefined}
        aria-activedescendant={open && options[active] ? `${listId}-${active}` : undefined}
        onChange={(event) => update(event.target.value, event.target.selectionStart)}
        onClick={(event) => setQuery(mentionQuery(value, event.currentTarget.selectionStart))}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            onSubmit();
            return;
          }
          if (open && !answeredNow && options.length === 0 && event.key === 'Enter') {
            // Still looking for who matches: nothing to pick yet, and no line break either.
            event.preventDefault();
            return;
          }
          if (!open || options.length === 0) {
            if (event.key === 'Escape' && open) setQuery(null);
            return;
          }
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            setActive((i) => (i + (event.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length);
          } else if (event.key === 'Enter' || event.key === 'Tab') {
            const chosen = options[active];
            // A disabled offer is not picked: Enter does nothing (its reason is read), Tab leaves the field.
            if (chosen?.kind === 'invite' && !chosen.enabled && event.key === 'Tab') return;
            event.preventDefault();
            if (chosen) choose(chosen);
          } else if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            setQuery(null);
          }
        }}
      />
      {open && (
        <div id={listId} role="listbox" aria-label={c('comments.mention.list')} aria-busy={!answeredNow} className="cm-mentions">
          {options.length === 0 && answeredNow && (
            <div role="option" tabIndex={-1} aria-selected="false" aria-disabled="true" id={`${listId}-none`} className="cm-mention-none">
              {c('comments.mention.none')}
            </div>
          )}
          {options.map((option, index) => {
            const disabled = option.kind === 'invite' && !option.enabled;
            const classes = ['cm-mention', index === active ? 'cm-mention-active' : '', option.kind === 'invite' ? 'cm-mention-invite' : '', disabled ? 'cm-mention-disabled' : '']
              .filter(Boolean)
              .join(' ');
            return (
              <div
                key={option.kind === 'agent' ? option.candidate.principalId : `invite-${option.email}`}
                id={`${listId}-${index}`}
                role="option"
                tabIndex={-1}
                aria-selected={index === active}
                aria-disabled={disabled ? true : undefined}
                className={classes}
                onMouseDown={(event) => {
                  event.preventDefault();
                  choose(option);
                }}
              >
                {option.kind === 'agent' ? (
                  <>
                    {nameOf(option.candidate) ?? c('comments.unknown')}
                    {!option.candidate.canRead && <span className="cm-mention-noaccess"> — {c('comments.mention.noAccess')}</span>}
                  </>
                ) : (
                  <>
                    {c('comments.mention.invite', { email: option.email })}
                    {disabled && <span className="cm-mention-noaccess"> — {c('comments.mention.inviteOwnersOnly')}</span>}
                  </>
                )}
              </div>
            );
          })}
        </div>
      )}
      {inviting && invite && (
        <MentionInviteDialog
          spaceId={invite.spaceId}
          email={inviting.email}
          onCancel={() => {
            caretAfterDialog.current = inviting.at + inviting.email.length + 1;
            setInviting(null);
          }}
          onInvited={(answer, role) => void invited(inviting.at, inviting.email, answer, role)}
        />
      )}
    </div>
  );
}
