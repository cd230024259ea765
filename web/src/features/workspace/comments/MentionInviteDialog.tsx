import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { type InvitationAnswer, MENTION_INVITE_ROLES, type MentionInviteRole, commentsApi } from './comments-api.ts';
import { useCommentsText } from './text.ts';
import '../../../ui/confirm-dialog.css';

interface MentionInviteDialogProps {
  spaceId: string;
  email: string;
  /** Annuler, Escape: nothing was sent. */
  onCancel: () => void;
  /** The server's answer and the role given. */
  onInvited: (answer: InvitationAnswer, role: MentionInviteRole) => void;
}

/**
 * « Inviter <adresse> dans l'espace » from the `@` autocomplete: the role (commenter by default, or
 * reader) and the invitation sent through the space's invitations API. A native modal <dialog>
 * (the browser keeps focus inside while it is open, Escape closes it); its opener puts focus back
 * in the comment field. Rendered in <body>, so that its form is not nested in the comment's form
 * and its keys and submit do not reach the composer's handlers (which would post or cancel it).
 */
export function MentionInviteDialog({ spaceId, email, onCancel, onInvited }: MentionInviteDialogProps) {
  const { c, w, problem } = useCommentsText();
  const dialog = useRef<HTMLDialogElement>(null);
  const first = useRef<HTMLInputElement>(null);
  const [role, setRole] = useState<MentionInviteRole>('commenter');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const ids = { title: useId(), text: useId(), roles: useId(), error: useId() };

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (!element.open) element.showModal();
    first.current?.focus();
    return () => {
      if (element.open) element.close();
    };
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    event.stopPropagation();
    if (busy) return;
    setBusy(true);
    setError('');
    try {
      onInvited(await commentsApi.invite(spaceId, email, role), role);
    } catch (failure) {
      setError(c('comments.invite.failed', { reason: problem(failure) }));
      setBusy(false);
    }
  };

  return createPortal(
    <dialog
      ref={dialog}
      className="confirm-dialog cm-invite-dialog"
      aria-labelledby={ids.title}
      aria-describedby={ids.text}
      onCancel={(event) => {
        event.preventDefault(); // closed by the opener, so React's state stays the truth
        if (!busy) onCancel();
      }}
      // Keys stay here: the composer around the comment field cancels on Escape and posts on Ctrl+Enter.
      onKeyDown={(event) => event.stopPropagation()}
    >
      <form onSubmit={(event) => void submit(event)}>
        <h2 id={ids.title}>{c('comments.mention.invite', { email })}</h2>
        <p id={ids.text}>{c('comments.invite.text', { email })}</p>
        <fieldset className="cm-invite-roles">
          <legend>{c('comments.invite.role')}</legend>
          {MENTION_INVITE_ROLES.map((r, index) => (
            <label key={r} className="cm-invite-role">
              <input
                ref={index === 0 ? first : undefined}
                type="radio"
                name={ids.roles}
                value={r}
                checked={role === r}
                onChange={() => setRole(r)}
              />{' '}
              {c(`comments.invite.role.${r}`)}
            </label>
          ))}
        </fieldset>
        {error && (
          <p id={ids.error} role="alert" className="cm-error">
            {error}
          </p>
        )}
        <div className="confirm-dialog-actions">
          <button type="button" className="button button-secondary" onClick={onCancel} disabled={busy}>
            {w('workspace.cancel')}
          </button>
          <button type="submit" className="button" disabled={busy}>
            {c('comments.invite.submit')}
          </button>
        </div>
      </form>
    </dialog>,
    document.body,
  );
}
