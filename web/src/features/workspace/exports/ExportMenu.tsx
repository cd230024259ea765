import { problemSentence } from '@entente/common/i18n/problem-sentence.ts';
import { type FocusEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { Problem, problemOf } from '../../../app/api.ts';
import { useWorkspaceText } from '../text.ts';
import { useExportsText } from './text.ts';
import './exports.css';

/** In the order offered: the formats people ask for first. */
const FORMATS = ['pdf', 'docx', 'odt', 'md', 'html'] as const;
type Format = (typeof FORMATS)[number];

/**
 * A menu button (WAI-ARIA APG « menu button »): Enter, Space or ↓ open the menu on its first
 * format, ↑ on its last; ↑ ↓ Home End move, Escape closes and gives the focus back, Tab closes.
 * Choosing a format downloads the file through fetch (so that a refusal — a space too large, a
 * session expired — is said in words instead of a blank page) and saves it under the name the
 * server gives (Content-Disposition, filename*).
 */
function ExportMenu({ label, menuLabel, note, urlFor, fallbackName }: { label: string; menuLabel: string; note?: string; urlFor: (format: Format) => string; fallbackName: string }) {
  const t = useExportsText();
  const { problem } = useWorkspaceText();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ text: string; error: boolean }>({ text: '', error: false });
  const button = useRef<HTMLButtonElement>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  const items = useRef<(HTMLButtonElement | null)[]>([]);
  const focusIndex = useRef(0);
  const id = useId();
  const menuId = `${id}-menu`;
  const noteId = `${id}-note`;

  useEffect(() => {
    if (open) items.current[focusIndex.current]?.focus();
  }, [open]);

  const openAt = (index: number) => {
    focusIndex.current = index;
    setOpen(true);
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  const onButtonKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      openAt(0);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      openAt(FORMATS.length - 1);
    }
  };

  const onMenuKey = (event: KeyboardEvent) => {
    // Widened to Element so the focused element (any Element) can be looked up without a cast.
    const menuItems: readonly (Element | null)[] = items.current;
    const current = menuItems.indexOf(document.activeElement);
    const move = (to: number) => {
      event.preventDefault();
      items.current[(to + FORMATS.length) % FORMATS.length]?.focus();
    };
    if (event.key === 'ArrowDown') move(current + 1);
    else if (event.key === 'ArrowUp') move(current - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(FORMATS.length - 1);
    else if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    } else if (event.key === 'Tab') close(false);
  };

  const download = async (format: Format) => {
    close(true);
    const name = t(`exports.format.${format}`);
    setBusy(true);
    setStatus({ text: t('exports.preparing', { format: name }), error: false });
    try {
      const response = await fetch(urlFor(format), { credentials: 'same-origin' });
      if (!response.ok) throw await problemOf(response);
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = filenameOf(response.headers.get('content-disposition')) ?? fallbackName;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setStatus({ text: t('exports.ready', { format: name }), error: false });
    } catch (error) {
      // The server's own words first (they carry the limits); the catalog's otherwise.
      const reason = error instanceof Problem && error.title ? problemSentence(error.title, error.detail) : problem(error);
      setStatus({ text: t('exports.failed', { reason }), error: true });
    } finally {
      setBusy(false);
    }
  };

  // Focus leaving the whole menu (a click elsewhere, Tab) closes it.
  const onBlur = (event: FocusEvent) => {
    if (open && !wrapper.current?.contains(event.relatedTarget as Node | null)) setOpen(false);
  };

  return (
    <div className="ws-export" ref={wrapper}>
      <button
        ref={button}
        type="button"
        className="button button-secondary"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        aria-describedby={note ? noteId : undefined}
        aria-busy={busy}
        onClick={() => (open ? close(false) : openAt(0))}
        onKeyDown={onButtonKey}
        onBlur={onBlur}
      >
        {label}
      </button>
      <div className="ws-export-popup" hidden={!open}>
        <div id={menuId} role="menu" aria-label={menuLabel} className="ws-export-menu" onKeyDown={onMenuKey} onBlur={onBlur}>
          {FORMATS.map((format, i) => (
            <button
              key={format}
              ref={(el) => {
                items.current[i] = el;
              }}
              type="button"
              role="menuitem"
              tabIndex={-1}
              onClick={() => void download(format)}
            >
              {t(`exports.format.${format}`)}
            </button>
          ))}
        </div>
        {note && (
          // What the archive holds: read with the button, shown under the formats.
          <p id={noteId} className="ws-export-note">
            {note}
          </p>
        )}
      </div>
      <p role={status.error ? 'alert' : 'status'} className={`ws-export-status${status.error ? ' ws-export-error' : ''}`}>
        {status.text}
      </p>
    </div>
  );
}

/** The name in `filename*=UTF-8''…` (RFC 6266), else `filename="…"`. */
export function filenameOf(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header)?.[1];
  if (star) {
    try {
      return decodeURIComponent(star);
    } catch {
      // fall through to the plain name
    }
  }
  return /filename="([^"]*)"/i.exec(header)?.[1] ?? null;
}

/** The document page's « Exporter » menu. Mounted with one line in DocumentPage.tsx. */
export function DocumentExportMenu({ doc }: { doc: { id: string; title: string; insufficientAssurance: boolean } }) {
  const t = useExportsText();
  if (doc.insufficientAssurance) return null;
  return (
    <ExportMenu
      label={t('exports.document.button')}
      menuLabel={t('exports.document.menuLabel', { title: doc.title })}
      urlFor={(format) => `/api/documents/${encodeURIComponent(doc.id)}/export?format=${format}`}
      fallbackName={doc.title || 'document'}
    />
  );
}

/** The space page's « Exporter l’espace » menu (a zip of the documents tree and the live files). Mounted with one line in SpacePage.tsx. */
export function SpaceExportMenu({ space }: { space: { id: string; name: string } }) {
  const t = useExportsText();
  return (
    <ExportMenu
      label={t('exports.space.button')}
      menuLabel={t('exports.space.menuLabel', { name: space.name })}
      note={t('exports.space.note')}
      urlFor={(format) => `/api/spaces/${encodeURIComponent(space.id)}/export?format=${format}`}
      fallbackName={`${space.name || 'espace'}.zip`}
    />
  );
}
