import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useI18n } from '../../app/i18n.tsx';
import { Page } from '../../app/Page.tsx';
import { useSession } from '../../app/session.ts';
import { documentPath, type Space, spacesApi } from '../workspace/api.ts';
import { type SearchFilters, type SearchHit, searchDocuments, TYPING_DEBOUNCE_MS } from './api.ts';
import { Highlighted } from './Highlighted.tsx';
import { useSearchText } from './text.ts';
import './search.css';
import { longDateFormat } from '@entente/common/i18n/long-date.ts';

const FILTERS = ['space', 'author', 'from', 'to'] as const;

/**
 * `/recherche?q=…&space=&author=&from=&to=`: every document the agent may read, ranked, with the
 * matched words highlighted in the title and extracts. The address holds the query and the
 * filters (shareable, back button), results follow it as the agent types.
 */
export function SearchPage() {
  const s = useSearchText();
  const { locale } = useI18n();
  const session = useSession();
  const id = useId();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const filters: SearchFilters = useMemo(
    () => Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? undefined]).filter(([, v]) => v)),
    [params],
  );
  const [typed, setTyped] = useState(q);
  const [spaces, setSpaces] = useState<Space[]>([]);
  const me = session.state === 'signedIn' ? session.principalId : null;
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const authorsSeen = useRef(new Map<string, string>());
  const dateFormat = useMemo(() => longDateFormat(locale), [locale]);

  // The box follows the address (back button, header search) unless the agent is typing in it.
  useEffect(() => setTyped(q), [q]);

  useEffect(() => {
    if (session.state !== 'signedIn') return;
    const abort = new AbortController();
    spacesApi
      .list(abort.signal)
      .then((answer) => setSpaces(answer.spaces))
      .catch(() => undefined);
    return () => abort.abort();
  }, [session.state]);

  // Typing updates the address after a pause; the search below follows the address.
  useEffect(() => {
    if (typed === q) return;
    const timer = setTimeout(() => {
      const next = new URLSearchParams(params);
      if (typed.trim()) next.set('q', typed);
      else next.delete('q');
      setParams(next, { replace: true });
    }, TYPING_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [typed, q, params, setParams]);

  useEffect(() => {
    if (session.state !== 'signedIn' || !q.trim()) {
      setHits(null);
      setCursor(null);
      return;
    }
    const abort = new AbortController();
    setBusy(true);
    setFailure(null);
    searchDocuments(q.slice(0, 200), filters, { signal: abort.signal })
      .then((answer) => {
        setHits(answer.results);
        setCursor(answer.nextCursor);
      })
      .catch((error: unknown) => {
        if (abort.signal.aborted) return;
        setHits([]);
        setCursor(null);
        setFailure(error instanceof Error ? error.message : String(error));
      })
      .finally(() => {
        if (!abort.signal.aborted) setBusy(false);
      });
    return () => abort.abort();
  }, [q, filters, session.state]);

  for (const hit of hits ?? []) if (hit.author.name) authorsSeen.current.set(hit.author.id, hit.author.name);

  const setFilter = (name: (typeof FILTERS)[number], value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  const loadMore = async () => {
    if (!cursor) return;
    setBusy(true);
    try {
      const answer = await searchDocuments(q.slice(0, 200), filters, { cursor });
      setHits((previous) => [...(previous ?? []), ...answer.results]);
      setCursor(answer.nextCursor);
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  const count = hits?.length ?? 0;
  const status = !q.trim()
    ? s('search.status.prompt')
    : busy && hits === null
      ? s('search.status.searching')
      : failure
        ? s('search.error', { reason: failure })
        : cursor
          ? s('search.status.countMore', { count })
          : s('search.status.count', { count });
  const title = q.trim() ? s('search.page.titleFor', { q: q.trim() }) : s('search.page.title');

  if (session.state === 'signedOut') {
    return (
      <Page title={s('search.page.title')}>
        <p>{s('search.signedOut')}</p>
      </Page>
    );
  }

  return (
    <Page title={title} heading={s('search.page.title')} className="search-page">
      <p className="search-intro">{s('search.page.intro')}</p>
      {/* biome-ignore lint/a11y/useSemanticElements: a form with role="search" is announced everywhere; the <search> element not yet by every screen reader */}
      <form
        role="search"
        aria-label={s('search.box.label')}
        className="search-form"
        onSubmit={(event) => {
          event.preventDefault();
          const next = new URLSearchParams(params);
          if (typed.trim()) next.set('q', typed);
          setParams(next);
        }}
      >
        <div className="search-query">
          <label htmlFor={`${id}-q`}>{s('search.form.query')}</label>
          <div className="search-query-row">
            <input id={`${id}-q`} type="search" value={typed} maxLength={200} autoComplete="off" onChange={(e) => setTyped(e.target.value)} />
            <button type="submit" className="button">
              {s('search.box.submit')}
            </button>
          </div>
        </div>
        <fieldset className="search-filters">
          <legend>{s('search.filters.legend')}</legend>
          <div className="search-filter">
            <label htmlFor={`${id}-space`}>{s('search.filters.space')}</label>
            <select id={`${id}-space`} value={filters.space ?? ''} onChange={(e) => setFilter('space', e.target.value)}>
              <option value="">{s('search.filters.anySpace')}</option>
              {spaces.map((space) => (
                <option key={space.id} value={space.id}>
                  {space.name} ({s(`search.jurisdiction.${space.jurisdiction}`)})
                </option>
              ))}
            </select>
          </div>
          <div className="search-filter">
            <label htmlFor={`${id}-author`}>{s('search.filters.author')}</label>
            <select id={`${id}-author`} value={filters.author ?? ''} onChange={(e) => setFilter('author', e.target.value)}>
              <option value="">{s('search.filters.anyAuthor')}</option>
              {me && <option value={me}>{s('search.filters.me')}</option>}
              {[...authorsSeen.current]
                .filter(([authorId]) => authorId !== me)
                .sort((a, b) => a[1].localeCompare(b[1], locale))
                .map(([authorId, name]) => (
                  <option key={authorId} value={authorId}>
                    {name}
                  </option>
                ))}
            </select>
          </div>
          <div className="search-filter">
            <label htmlFor={`${id}-from`}>{s('search.filters.from')}</label>
            <input id={`${id}-from`} type="date" value={filters.from ?? ''} onChange={(e) => setFilter('from', e.target.value)} />
          </div>
          <div className="search-filter">
            <label htmlFor={`${id}-to`}>{s('search.filters.to')}</label>
            <input id={`${id}-to`} type="date" value={filters.to ?? ''} onChange={(e) => setFilter('to', e.target.value)} />
          </div>
          {Object.keys(filters).length > 0 && (
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => {
                const next = new URLSearchParams();
                if (q) next.set('q', q);
                setParams(next, { replace: true });
              }}
            >
              {s('search.filters.reset')}
            </button>
          )}
        </fieldset>
      </form>

      <p className="search-status" role="status" aria-live="polite">
        {status}
      </p>
      {hits && hits.length === 0 && q.trim() && !busy && !failure && <p>{s('search.status.empty', { q: q.trim() })}</p>}
      {hits && hits.length > 0 && (
        <ol className="search-results" aria-label={s('search.results.label')}>
          {hits.map((hit) => (
            <li key={hit.documentId} className="search-result">
              <h2 className="search-result-title">
                <Link to={documentPath(hit.spaceId, hit.documentId)}>
                  <Highlighted segments={hit.titleHighlight} fallback={hit.title} />
                </Link>
              </h2>
              <p className="search-result-meta">
                {s('search.result.meta', {
                  space: hit.spaceName,
                  jurisdiction: s(`search.jurisdiction.${hit.jurisdiction}`),
                  date: dateFormat.format(new Date(hit.changedAt)),
                })}{' '}
                · {s('search.result.by', { name: hit.author.name ?? s('search.result.unknownAuthor') })}
              </p>
              {hit.snippet.some((segment) => segment.text.trim()) && (
                <p className="search-result-snippet">
                  <Highlighted segments={hit.snippet} />
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
      {cursor && (
        <button type="button" className="button button-secondary" disabled={busy} onClick={() => void loadMore()}>
          {s('search.more')}
        </button>
      )}
    </Page>
  );
}
