import type { JSONContent } from './ydoc-json.ts';

/** A mark as found on a text node. */
export type Mark = NonNullable<JSONContent['marks']>[number];

/** Order in which marks are opened (outermost first): links wrap emphasis, code is innermost. */
// AI-generated text (helper D2) outermost: one span for a whole accepted run, whatever its inner marks.
const MARK_ORDER = ['aiGenerated', 'link', 'bold', 'italic', 'strike', 'underline', 'code'];

export function sortedMarks(marks: Mark[] | undefined): Mark[] {
  const rank = (m: Mark) => {
    const i = MARK_ORDER.indexOf(m.type);
    return i < 0 ? MARK_ORDER.length : i;
  };
  return [...(marks ?? [])].sort((a, b) => rank(a) - rank(b));
}

export function sameMark(a: Mark, b: Mark): boolean {
  return a.type === b.type && JSON.stringify(a.attrs ?? {}) === JSON.stringify(b.attrs ?? {});
}

export function attr<T>(node: JSONContent, name: string, fallback: T): T {
  const value = node.attrs?.[name];
  return value === undefined || value === null ? fallback : (value as T);
}
