import { describe, expect, it } from 'vitest';
import { contentDepth, type DepthNode, limitContentDepth, MAX_CONTENT_DEPTH } from './content-depth.ts';

const text = (t: string, marks?: DepthNode['marks']): DepthNode => (marks ? { type: 'text', text: t, marks } : { type: 'text', text: t });
const paragraph = (t: string): DepthNode => ({ type: 'paragraph', content: [text(t)] });

/** `levels` containers of the given kinds nested in each other, each block container opening with a paragraph `niveauN`. */
function nested(levels: number, kinds: string[], last: DepthNode = paragraph('fond')): DepthNode {
  let inner: DepthNode = last;
  for (let i = levels - 1; i >= 0; i--) {
    const type = kinds[i % kinds.length] as string;
    // Lists hold only items, tables only rows, rows only cells (as the editor's schema says).
    const structural = ['bulletList', 'taskList', 'table', 'tableRow'].includes(type);
    inner = { type, content: structural ? [inner] : [paragraph(`niveau${i}`), inner] };
  }
  return { type: 'doc', content: [inner] };
}

/** All text, in document order, without recursion. */
function allText(root: DepthNode): string[] {
  const out: string[] = [];
  const stack: DepthNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as DepthNode;
    if (node.type === 'text') out.push(node.text ?? '');
    for (let i = (node.content ?? []).length - 1; i >= 0; i--) stack.push((node.content as DepthNode[])[i] as DepthNode);
  }
  return out;
}

describe('content depth limit', () => {
  it('leaves content within the limit untouched (the same object, no copy)', () => {
    const doc = nested(MAX_CONTENT_DEPTH - 1, ['blockquote']);
    expect(contentDepth(doc)).toBe(MAX_CONTENT_DEPTH);
    expect(limitContentDepth(doc)).toBe(doc);
  });

  it('flattens content 10,000 levels deep to the limit, keeping every word in order and its marks', () => {
    const doc = nested(10_000, ['blockquote', 'callout'], { type: 'paragraph', content: [text('le '), text('fond', [{ type: 'bold' }])] });
    expect(contentDepth(doc)).toBe(10_001);
    const limited = limitContentDepth(doc);
    expect(contentDepth(limited)).toBeLessThanOrEqual(MAX_CONTENT_DEPTH);
    expect(allText(limited)).toEqual(allText(doc));
    // The bold survives on the deepest word; the source is not modified.
    expect(JSON.stringify(limited)).toContain('{"type":"text","text":"fond","marks":[{"type":"bold"}]}');
    expect(contentDepth(doc)).toBe(10_001);
  });

  it('puts flattened paragraphs in the item, row or cell their list or table expects', () => {
    for (const [kinds, wrapper] of [
      [['bulletList', 'listItem'], 'listItem'],
      [['taskList', 'taskItem'], 'taskItem'],
      [['table', 'tableRow', 'tableCell'], null],
    ] as const) {
      const limited = limitContentDepth(nested(500, [...kinds]));
      expect(contentDepth(limited)).toBeLessThanOrEqual(MAX_CONTENT_DEPTH);
      expect(allText(limited)).toContain('fond');
      // Every child of a list is an item, every child of a table a row, every child of a row a cell.
      const stack: DepthNode[] = [limited];
      while (stack.length > 0) {
        const node = stack.pop() as DepthNode;
        for (const child of node.content ?? []) {
          if (node.type === 'bulletList' || node.type === 'taskList') expect(child.type).toBe(wrapper);
          if (node.type === 'table') expect(child.type).toBe('tableRow');
          if (node.type === 'tableRow') expect(child.type).toBe('tableCell');
          stack.push(child);
        }
      }
    }
  });

  it('keeps images and hard breaks of the flattened part', () => {
    const deep = nested(200, ['blockquote'], {
      type: 'blockquote',
      content: [{ type: 'image', attrs: { src: '/api/images/x', alt: 'Carte' } }, { type: 'paragraph', content: [text('a'), { type: 'hardBreak' }, text('b')] }],
    });
    const json = JSON.stringify(limitContentDepth(deep));
    expect(json).toContain('{"type":"image","attrs":{"src":"/api/images/x","alt":"Carte"}}');
    expect(json).toContain('[{"type":"text","text":"a"},{"type":"hardBreak"},{"type":"text","text":"b"}]');
  });
});
