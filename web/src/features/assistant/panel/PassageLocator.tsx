import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { usePanelText } from './text.ts';

/**
 * On the document page: `?passage=<the cited text>` (a citation's link, api.ts `citationHref`)
 * scrolls the live document to that text and highlights it. The editor's DOM is ProseMirror's, so
 * nothing is inserted into it: the passage is marked with the CSS Custom Highlight API (a Range,
 * no DOM change) and scrolled into view. Text is compared without whitespace, since the indexed
 * text separates blocks with blank lines the editor's DOM does not have; if the document changed
 * and the whole passage is no longer there, its first words (the citation's quote) are looked for.
 */
export const PASSAGE_HIGHLIGHT = 'entente-passage';
const WAIT_MS = 15_000;

export function PassageLocator() {
  const [params] = useSearchParams();
  const passage = params.get('passage');
  const { t } = usePanelText();
  const [status, setStatus] = useState('');

  useEffect(() => {
    if (!passage) return;
    let stopped = false;
    const started = Date.now();
    const attempt = () => {
      if (stopped) return;
      const root = document.querySelector<HTMLElement>('.ws-editor-content .ProseMirror, .ProseMirror');
      const range = root ? findPassage(root, passage) : null;
      if (range) {
        highlight(range);
        (range.startContainer.parentElement ?? root)?.scrollIntoView({ block: 'center' });
        setStatus(t('assistantPanel.passage.found'));
        return;
      }
      // The live document arrives over the collaboration connection: wait for its text a while.
      if (Date.now() - started < WAIT_MS) window.setTimeout(attempt, 250);
      else setStatus(t('assistantPanel.passage.notFound'));
    };
    attempt();
    return () => {
      stopped = true;
      clearHighlight();
    };
  }, [passage, t]);

  if (!passage) return null;
  return (
    <p role="status" className="ap-passage-status">
      {status}
    </p>
  );
}

function highlight(range: Range) {
  const registry = (CSS as unknown as { highlights?: Map<string, unknown> }).highlights;
  const Ctor = (globalThis as unknown as { Highlight?: new (...ranges: Range[]) => unknown }).Highlight;
  if (registry && Ctor) registry.set(PASSAGE_HIGHLIGHT, new Ctor(range));
  else {
    // Without the Highlight API: select it, which shows it just as well.
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
  }
}

function clearHighlight() {
  (CSS as unknown as { highlights?: Map<string, unknown> }).highlights?.delete(PASSAGE_HIGHLIGHT);
}

/** The Range of `wanted` in the element's text, whitespace ignored; then its first 60 characters; null when absent. */
export function findPassage(root: HTMLElement, wanted: string): Range | null {
  const chars: { node: Text; offset: number }[] = [];
  let text = '';
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    // Other agents' carets and labels (collaboration) are not the document's text.
    acceptNode: (node) => (node.parentElement?.closest('[contenteditable="false"]') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    const value = node.data;
    for (let i = 0; i < value.length; i++) {
      if (/\s/u.test(value[i] as string)) continue;
      chars.push({ node, offset: i });
      text += value[i];
    }
  }
  const target = wanted.replace(/\s+/gu, '');
  for (const candidate of [target, target.slice(0, 60)]) {
    if (!candidate) continue;
    const at = text.indexOf(candidate);
    if (at < 0) continue;
    const start = chars[at] as { node: Text; offset: number };
    const end = chars[at + candidate.length - 1] as { node: Text; offset: number };
    const range = document.createRange();
    range.setStart(start.node, start.offset);
    range.setEnd(end.node, end.offset + 1);
    return range;
  }
  return null;
}
