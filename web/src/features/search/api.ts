/** What search reads (the contract of server/src/workspace/search/routes.ts, GET /api/search). */
import { getJson } from '../../app/api.ts';

export interface Segment {
  text: string;
  match: boolean;
}

export interface SearchHit {
  documentId: string;
  spaceId: string;
  spaceName: string;
  jurisdiction: 'FR' | 'QC';
  title: string;
  titleHighlight: Segment[];
  snippet: Segment[];
  author: { id: string; name: string | null };
  changedAt: string;
  score: number;
}

export interface SearchAnswer {
  results: SearchHit[];
  nextCursor: string | null;
}

export interface SearchFilters {
  space?: string;
  author?: string;
  /** YYYY-MM-DD */
  from?: string;
  to?: string;
}

/** The results page's address: `/recherche?q=…` plus the filters set. */
export const SEARCH_PATH = '/recherche';

export function searchUrl(q: string, filters: SearchFilters = {}): string {
  const params = new URLSearchParams({ q });
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  return `${SEARCH_PATH}?${params.toString()}`;
}

export function searchDocuments(q: string, filters: SearchFilters, options: { limit?: number; cursor?: string | null; signal?: AbortSignal } = {}): Promise<SearchAnswer> {
  const params = new URLSearchParams({ q, limit: String(options.limit ?? 20) });
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  if (options.cursor) params.set('cursor', options.cursor);
  return getJson<SearchAnswer>(`/api/search?${params.toString()}`, options.signal);
}

/** Typing pauses this long before a request: a few requests per word, not one per key. */
export const TYPING_DEBOUNCE_MS = 250;
