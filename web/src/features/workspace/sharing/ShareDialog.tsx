import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import type { FieldIssue } from '@entente/common/field-issues.ts';
import { Problem } from '../../../app/api.ts';
import { FilesDialog } from '../files/FilesDialog.tsx';
import { useWorkspaceText } from '../text.ts';
import { SHARE_LINK_REACHES, SHARE_LINK_ROLES, type ShareLink, type ShareLinkReach, type ShareLinkRole, sharingApi } from './api.ts';
import { useSharingText } from './text.ts';
import type { SharingKey } from '@entente/common/i18n/catalog/sharing.ts';
import { hasMessage } from '@entente/common/i18n/format.ts';
import type { SpaceRole } from '../api.ts';
import './sharing.css';

const RANK: Record<ShareLinkRole, number> = { reader: 1, commenter: 2, editor: 3 };
const DAY = 24 * 3600 * 1000;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

interface ShareDialogProps {
  open: boolean;
  onClose: () => void;
  documentId: string;
  title: string;
  /** The agent's role on the document: links go up to it (and never beyond editor). */
  role: SpaceRole;
  /** Whether the space takes public pages (classified public, no level of assurance asked); the server decides again. */
  publicAllowed: boolean;
}

type Listing = { state: 'loading' } | { state: 'failed'; error: unknown } | { state: 'ready'; links: ShareLink[] };

/**
 * « Partager »: a form for a new link (role, reach, expiry, indexing for public pages) and the
 * document's links with their addresses to copy and a button to revoke each. A native modal
 * <dialog> (focus kept inside, Escape closes, focus back to the button that opened it).
 */
export function ShareDialog({ open, onClose, documentId, title, role, publicAllowed }: ShareDialogProps) {
  const s = useSharingText();
  const { w, problem, dateTime, fieldError } = useWorkspaceText();
  const ids = { role: useId(), reach: useId(), expires: useId(), expiresHint: useId(), expiresError: useId(), indexing: useId(), roleError: useId(), reachError: useId(), publicRefused: useId() };
  const roles = SHARE_LINK_ROLES.filter((r) => role === 'owner' || (role in RANK && RANK[r] <= RANK[role as ShareLinkRole]));
  const [linkRole, setLinkRole] = useState<ShareLinkRole>('reader');
  const [reach, setReach] = useState<ShareLinkReach>('members');
  const [expires, setExpires] = useState('');
  const [indexing, setIndexing] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<ReadonlyMap<string, FieldIssue>>(new Map());
  const [status, setStatus] = useState('');
  const [alert, setAlert] = useState('');
  const [busy, setBusy] = useState(false);
  const [listing, setListing] = useState<Listing>({ state: 'loading' });

  const reload = useCallback(async () => {
    try {
      setListing({ state: 'ready', links: (await sharingApi.list(documentId)).links });
    } catch (error) {
      setListing({ state: 'failed', error });
    }
  }, [documentId]);
  useEffect(() => {
    if (open) void reload();
  }, [open, reload]);

  const isPublic = reach === 'public';
  const fieldMessage = (field: string) => {
    const issue = fieldErrors.get(field);
    if (!issue) return '';
    const key = `sharing.field.${issue.code}`;
    return hasMessage(key) ? s(key as SharingKey) : fieldError(issue);
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setStatus('');
    setAlert('');
    setFieldErrors(new Map());
    try {
      const created = await sharingApi.create(documentId, {
        role: isPublic ? 'reader' : linkRole,
        reach,
        expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : null,
        ...(isPublic ? { allowIndexing: indexing } : {}),
      });
      setStatus(s('sharing.form.created'));
      await reload();
      // The keyboard goes to the new link's address, ready to copy (it fell to <body> with the
      // button disabled while the link was made).
      if (created) setRefocus({ linkId: created.id, on: 'url' });
    } catch (error) {
      if (error instanceof Problem && error.fields.size > 0) setFieldErrors(error.fields);
      else setAlert(problem(error));
    } finally {
      setBusy(false);
    }
  }

  async function copy(link: ShareLink) {
    if (!link.url) return;
    try {
      await navigator.clipboard.writeText(link.url);
      setStatus(s('sharing.list.copied'));
    } catch {
      setAlert(s('sharing.list.copyFailed'));
    }
  }

  async function revoke(link: ShareLink) {
    setAlert('');
    try {
      await sharingApi.revoke(link.id);
      setStatus(s('sharing.list.revoked'));
      await reload();
      // Its « Révoquer » button is gone: the keyboard goes to the link's line, which says « révoqué ».
      setRefocus({ linkId: link.id, on: 'summary' });
    } catch (error) {
      setAlert(problem(error));
    }
  }

  const [refocus, setRefocus] = useState<{ linkId: string; on: 'url' | 'summary' } | null>(null);
  useEffect(() => {
    if (!refocus || listing.state !== 'ready') return;
    const item = document.querySelector(`[data-link-id="${CSS.escape(refocus.linkId)}"]`);
    item?.querySelector<HTMLElement>(refocus.on === 'url' ? 'input' : '.ws-share-summary')?.focus();
    setRefocus(null);
  }, [refocus, listing]);

  const expiresError = fieldMessage('expiresAt');
  const roleError = fieldMessage('role');
  const reachError = fieldMessage('reach') || fieldMessage('allowIndexing');
  const today = new Date();

  return (
    <FilesDialog open={open} title={s('sharing.dialog.title', { title })} onClose={onClose} className="ws-share-dialog" initialFocus={() => document.getElementById(ids.role)}>
      <p role="status" className="ws-status">
        {status}
      </p>
      <p role="alert" className="ws-alert">
        {alert}
      </p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <h3>{s('sharing.form.heading')}</h3>
        <div className="ws-share-field">
          <label htmlFor={ids.role}>{s('sharing.form.role')}</label>
          <select
            id={ids.role}
            value={isPublic ? 'reader' : linkRole}
            disabled={isPublic}
            onChange={(event) => setLinkRole(event.target.value as ShareLinkRole)}
            aria-describedby={isPublic ? ids.reachError : roleError ? ids.roleError : undefined}
            aria-invalid={roleError ? true : undefined}
          >
            {roles.map((r) => (
              <option key={r} value={r}>
                {w(`workspace.role.${r}`)}
              </option>
            ))}
          </select>
          {roleError && (
            <p id={ids.roleError} className="ws-field-error">
              {roleError}
            </p>
          )}
        </div>
        <fieldset className="ws-share-field" aria-describedby={reachError ? ids.reachError : undefined}>
          <legend>{s('sharing.form.reach')}</legend>
          {SHARE_LINK_REACHES.map((r) => (
            <label key={r} className="ws-share-choice">
              <input
                type="radio"
                name={ids.reach}
                value={r}
                checked={reach === r}
                // An « Interne » or « Restreinte » space never goes on a public page: offered, it
                // would only be refused after the agent filled the form.
                disabled={r === 'public' && !publicAllowed}
                aria-describedby={r === 'public' && !publicAllowed ? ids.publicRefused : undefined}
                onChange={() => {
                  setReach(r);
                  if (r === 'public' && !expires) setExpires(isoDay(new Date(Date.now() + 30 * DAY)));
                }}
              />{' '}
              {s(`sharing.reach.${r}`)}
            </label>
          ))}
          {!publicAllowed && (
            <p id={ids.publicRefused} className="ws-share-hint">
              {s('sharing.form.publicRefused')}
            </p>
          )}
          <p id={ids.reachError} className={reachError ? 'ws-field-error' : 'ws-share-hint'}>
            {reachError || (isPublic ? s('sharing.form.publicRole') : '')}
          </p>
        </fieldset>
        <div className="ws-share-field">
          <label htmlFor={ids.expires}>{s('sharing.form.expires')}</label>
          <input
            id={ids.expires}
            type="date"
            value={expires}
            min={isoDay(new Date(today.getTime() + DAY))}
            max={isoDay(new Date(today.getTime() + 365 * DAY))}
            required={isPublic}
            onChange={(event) => setExpires(event.target.value)}
            aria-describedby={`${ids.expiresHint}${expiresError ? ` ${ids.expiresError}` : ''}`}
            aria-invalid={expiresError ? true : undefined}
          />
          <p id={ids.expiresHint} className="ws-share-hint">
            {s('sharing.form.expiresHint')}
          </p>
          {expiresError && (
            <p id={ids.expiresError} className="ws-field-error">
              {expiresError}
            </p>
          )}
        </div>
        {isPublic && (
          <div className="ws-share-field">
            <label className="ws-share-choice">
              <input id={ids.indexing} type="checkbox" checked={indexing} onChange={(event) => setIndexing(event.target.checked)} /> {s('sharing.form.indexing')}
            </label>
          </div>
        )}
        <p>
          <button type="submit" className="button" disabled={busy}>
            {s('sharing.form.create')}
          </button>
        </p>
      </form>

      <h3>{s('sharing.list.heading')}</h3>
      {listing.state === 'loading' && <p role="status">{s('sharing.list.loading')}</p>}
      {listing.state === 'failed' && <p role="alert">{problem(listing.error)}</p>}
      {listing.state === 'ready' && listing.links.length === 0 && <p>{s('sharing.list.empty')}</p>}
      {listing.state === 'ready' && listing.links.length > 0 && (
        <ul className="ws-share-links">
          {listing.links.map((link) => (
            <ShareLinkItem key={link.id} link={link} onCopy={() => void copy(link)} onRevoke={() => void revoke(link)} dateTime={dateTime} />
          ))}
        </ul>
      )}
      <div className="confirm-dialog-actions">
        <button type="button" className="button button-secondary" onClick={onClose}>
          {s('sharing.close')}
        </button>
      </div>
    </FilesDialog>
  );
}

function ShareLinkItem({ link, onCopy, onRevoke, dateTime }: { link: ShareLink; onCopy: () => void; onRevoke: () => void; dateTime: (iso: string) => string }) {
  const s = useSharingText();
  const { w } = useWorkspaceText();
  const urlId = useId();
  const summaryId = useId();
  const summary = s('sharing.list.item', { role: w(`workspace.role.${link.role}`), reach: s(`sharing.reach.${link.reach}`) });
  return (
    <li className={`ws-share-link ws-share-${link.state}`} data-link-id={link.id}>
      <p id={summaryId} className="ws-share-summary" tabIndex={-1}>
        <strong>{summary}</strong> — {s(`sharing.state.${link.state}`)} — {link.expiresAt ? s('sharing.list.expires', { date: dateTime(link.expiresAt) }) : s('sharing.list.noExpiry')}
        {link.allowIndexing && ` — ${s('sharing.list.indexed')}`}
      </p>
      {link.url && (
        <div className="ws-share-url">
          <label htmlFor={urlId}>{s('sharing.list.url')}</label>
          <input id={urlId} type="text" readOnly value={link.url} onFocus={(event) => event.currentTarget.select()} />
          <button type="button" className="button button-secondary" onClick={onCopy} aria-describedby={summaryId}>
            {s('sharing.list.copy')}
          </button>
          {link.state !== 'revoked' && (
            <button type="button" className="button button-danger" onClick={onRevoke} aria-describedby={summaryId}>
              {s('sharing.list.revoke')}
            </button>
          )}
        </div>
      )}
    </li>
  );
}
