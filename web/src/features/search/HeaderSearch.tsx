import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useSession } from '../../app/session.ts';
import { documentPath } from '../workspace/api.ts';
import { type SearchHit, SEARCH_PATH, searchDocuments, searchUrl, TYPING_DEBOUNCE_MS } from './api.ts';
import { Highlighted } from './Highlighted.tsx';
import { useSearchText } from './text.ts';
import './search.css';

const SUGGESTIONS = 5;

/** Whether a key press belongs to something being typed in (then « / » is a character, not a shortcut). */
function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

/**
 * The search box of the header (signed-in agents only): « / » or Ctrl+K (⌘K) focuses it, the first
 * results appear under it as the agent types (debounced), Enter opens the results page, Escape
 * closes the list, ↓ moves into it. A polite live region says how many results there are.
 */
export function HeaderSearch() {
  const session = useSession();
  const { pathname } = useLocation();
  // The results page has its own, bigger box.
  if (session.state !== 'signedIn' || pathname === SEARCH_PATH) return null;
  return <HeaderSearchBox />;
}

function HeaderSearchBox() {
  const s = useSearchText();
  const navigate = useNavigate();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [more, setMore] = useState(false);

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      const shortcut = (event.key === 'k' || event.key === 'K') && (event.ctrlKey || event.metaKey);
      if (shortcut || (event.key === '/' && !typingIn(event.target) && !event.ctrlKey && !event.metaKey && !event.altKey)) {
        event.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    const text = q.trim() ? q : '';
    if (!text) {
      setHits(null);
      return;
    }
    const abort = new AbortController();
    const timer = setTimeout(() => {
      searchDocuments(text.slice(0, 200), {}, { limit: SUGGESTIONS, signal: abort.signal })
        .then((answer) => {
          setHits(answer.results);
          setMore(answer.nextCursor !== null);
        })
        .catch(() => {
          if (!abort.signal.aborted) setHits([]);
        });
    }, TYPING_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [q]);

  const close = () => setOpen(false);
  const links = () => [...(panel.current?.querySelectorAll<HTMLAnchorElement>('a') ?? [])];

  const onInputKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape') {
      close();
    } else if (event.key === 'ArrowDown' && open && hits && hits.length > 0) {
      event.preventDefault();
      links()[0]?.focus();
    }
  };
  const onPanelKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const all = links();
    const at = all.indexOf(document.activeElement as HTMLAnchorElement);
    if (event.key === 'Escape') {
      close();
      input.current?.focus();
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      all[Math.min(at + 1, all.length - 1)]?.focus();
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      if (at <= 0) input.current?.focus();
      else all[at - 1]?.focus();
    }
  };

  const showing = open && q.trim() !== '' && hits !== null;
  const count = hits?.length ?? 0;
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: focus leaving the box and its list closes the list (no action of its own)
    <div
      className="header-search"
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) close();
      }}
    >
      {/* biome-ignore lint/a11y/useSemanticElements: a form with role="search" is announced everywhere; the <search> element not yet by every screen reader */}
      <form
        role="search"
        aria-label={s('search.box.label')}
        className="header-search-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (!q.trim()) return;
          close();
          navigate(searchUrl(q.trim()));
        }}
      >
        <label htmlFor={`${id}-q`} className="search-visually-hidden">
          {s('search.box.label')}
        </label>
        <input
          ref={input}
          id={`${id}-q`}
          type="search"
          className="header-search-input"
          value={q}
          maxLength={200}
          autoComplete="off"
          placeholder={s('search.box.placeholder')}
          aria-describedby={`${id}-hint`}
          aria-controls={`${id}-panel`}
          onChange={(event) => {
            setQ(event.target.value);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onKeyDown={onInputKey}
        />
        <button type="submit" className="button button-small header-search-submit">
          {s('search.box.submit')}
        </button>
        <span id={`${id}-hint`} className="search-visually-hidden">
          {s('search.box.hint')}
        </span>
      </form>
      <p className="search-visually-hidden" aria-live="polite" aria-atomic="true">
        {showing ? (more ? s('search.status.countMore', { count }) : s('search.status.count', { count })) : ''}
      </p>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: arrow keys move between the links it holds */}
      <div id={`${id}-panel`} ref={panel} className="header-search-panel" hidden={!showing} onKeyDown={onPanelKey}>
        {showing && (
          <>
            <p className="header-search-panel-title">{count === 0 ? s('search.status.count', { count: 0 }) : s('search.suggestions.label')}</p>
            {count > 0 && (
              <ul className="header-search-list">
                {hits.map((hit) => (
                  <li key={hit.documentId}>
                    <Link to={documentPath(hit.spaceId, hit.documentId)} className="header-search-hit" onClick={close}>
                      <span className="header-search-hit-title">
                        <Highlighted segments={hit.titleHighlight} fallback={hit.title} />
                      </span>
                      <span className="header-search-hit-space">{hit.spaceName}</span>
                    </Link>
                  </li>
                ))}
              </ul>
            )}
            <Link to={searchUrl(q.trim())} className="header-search-all" onClick={close}>
              {s('search.suggestions.all', { q: q.trim() })}
            </Link>
          </>
        )}
      </div>
    </div>
  );
}
