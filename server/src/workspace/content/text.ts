import type { JSONContent } from './ydoc-json.ts';
import { limitContentDepth } from '../../../../common/src/content-depth.ts';

/**
 * ProseMirror JSON → plain text, for full-text search, the assistant and the version diff: one
 * line per paragraph, heading, list item or table row (cells separated by tabs), top-level blocks
 * separated by a blank line; images count by their alternative text; no markup at all.
 */
export function jsonToText(json: JSONContent): string {
  // Depth bounded first: the walk below recurses once per level (common/src/content-depth.ts).
  return (limitContentDepth(json).content ?? [])
    .map(blockText)
    .filter((t) => t !== '')
    .join('\n\n');
}

const TEXTBLOCKS = new Set(['paragraph', 'heading', 'codeBlock']);

function blockText(node: JSONContent): string {
  if (node.type === 'horizontalRule') return '';
  if (node.type === 'image') return String(node.attrs?.alt ?? '');
  if (node.type === 'tableRow') return (node.content ?? []).map((cell) => lines(cell).replace(/\n/g, ' ')).join('\t');
  if (TEXTBLOCKS.has(node.type ?? '') || (node.content ?? []).some((c) => c.type === 'text')) return inlineText(node.content ?? []);
  return lines(node);
}

/** A container's blocks, one per line. */
function lines(node: JSONContent): string {
  return (node.content ?? [])
    .map(blockText)
    .filter((t) => t !== '')
    .join('\n');
}

function inlineText(nodes: JSONContent[]): string {
  return nodes
    .map((n) => {
      if (n.type === 'text') return n.text ?? '';
      if (n.type === 'hardBreak') return '\n';
      if (n.type === 'image') return String(n.attrs?.alt ?? '');
      return inlineText(n.content ?? []);
    })
    .join('');
}
