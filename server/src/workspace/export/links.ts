import * as Y from 'yjs';
import type { JSONContent } from '../content/ydoc-json.ts';
import { FRAGMENT_NAME } from '../content/ydoc-json.ts';
import { limitContentDepth } from '../../../../common/src/content-depth.ts';

/**
 * References between the things of a space, as documents hold them: a link to another document
 * (`/espaces/<spaceId>/documents/<documentId>`, the web app's route) and an image
 * (`/api/images/<imageId>`), relative or absolute on the instance's own origin. The export rewrites
 * them to paths inside the archive in the Markdown and ODT copies (the Yjs state stays exact); the
 * import rewrites them to the new ids, as one change on top of the imported state.
 */
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const DOCUMENT = new RegExp(`^/espaces/(${UUID})/documents/(${UUID})(?=$|[?#/])(.*)$`);
const IMAGE = new RegExp(`^/api/images/(${UUID})(?=$|[?#])(.*)$`);

export type InternalTarget =
  | { kind: 'document'; spaceId: string; documentId: string; rest: string; absolute: boolean }
  | { kind: 'image'; imageId: string; rest: string; absolute: boolean };

/** What an href or src points to inside an instance whose origins are `origins`; null for anything else. */
export function internalTarget(href: string, origins: readonly string[]): InternalTarget | null {
  let path = href;
  let absolute = false;
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) {
    let url: URL;
    try {
      url = new URL(href);
    } catch {
      return null;
    }
    if (!origins.includes(url.origin)) return null;
    path = `${url.pathname}${url.search}${url.hash}`;
    absolute = true;
  } else if (!href.startsWith('/') || href.startsWith('//')) {
    return null;
  }
  const doc = DOCUMENT.exec(path);
  if (doc) return { kind: 'document', spaceId: (doc[1] as string).toLowerCase(), documentId: (doc[2] as string).toLowerCase(), rest: doc[3] ?? '', absolute };
  const image = IMAGE.exec(path);
  if (image) return { kind: 'image', imageId: (image[1] as string).toLowerCase(), rest: image[2] ?? '', absolute };
  return null;
}

/** A copy of the JSON with each image src and link href passed through `rewrite` (null: unchanged). */
export function rewriteJson(json: JSONContent, rewrite: (href: string, kind: 'src' | 'href') => string | null): JSONContent {
  const visit = (node: JSONContent): JSONContent => {
    const out: JSONContent = { ...node };
    if (node.type === 'image' && typeof node.attrs?.src === 'string') {
      const next = rewrite(node.attrs.src, 'src');
      if (next !== null) out.attrs = { ...node.attrs, src: next };
    }
    if (node.marks) {
      out.marks = node.marks.map((m) => {
        if (m.type !== 'link' || typeof m.attrs?.href !== 'string') return m;
        const next = rewrite(m.attrs.href, 'href');
        return next === null ? m : { ...m, attrs: { ...m.attrs, href: next } };
      });
    }
    if (node.content) out.content = node.content.map(visit);
    return out;
  };
  // Depth bounded first: `visit` recurses once per level (common/src/content-depth.ts).
  return visit(limitContentDepth(json));
}

const HASHED = /^(.*)--[a-zA-Z0-9+/=]{8}$/;

/**
 * The Yjs state with every image src and link href that `rewrite` changes set to the new value, as
 * one change on top of the state (its history is kept; the change is the importer's). The bytes
 * are returned unchanged when nothing needs rewriting: then the state is exactly the archive's.
 */
export function rewriteState(state: Uint8Array, rewrite: (href: string) => string | null): { state: Uint8Array; changed: number } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  let changed = 0;
  // Iterative: an archive's content may be nested deeper than any stack (common/src/content-depth.ts).
  const visit = (fragment: Y.XmlFragment) => {
    const stack: (Y.XmlFragment | Y.XmlElement)[] = [fragment];
    while (stack.length > 0) visitChildren(stack.pop() as Y.XmlFragment | Y.XmlElement, stack);
  };
  const visitChildren = (parent: Y.XmlFragment | Y.XmlElement, stack: (Y.XmlFragment | Y.XmlElement)[]) => {
    for (const child of parent.toArray()) {
      if (child instanceof Y.XmlElement) {
        if (child.nodeName === 'image') {
          const src = child.getAttribute('src') as unknown;
          if (typeof src === 'string') {
            const next = rewrite(src);
            if (next !== null && next !== src) {
              child.setAttribute('src', next);
              changed += 1;
            }
          }
        }
        stack.push(child);
      } else if (child instanceof Y.XmlText) {
        changed += rewriteText(child, rewrite);
      }
    }
  };
  doc.transact(() => visit(doc.getXmlFragment(FRAGMENT_NAME)));
  if (changed === 0) return { state, changed };
  return { state: Y.encodeStateAsUpdate(doc), changed };
}

type DeltaOp = { insert: unknown; attributes?: Record<string, unknown> };

/**
 * Rewrites the link hrefs of one text. Marks are attributes of the text, and their order in the
 * JSON is the order Yjs meets them: rewriting must not change it. A run is first written again in
 * place (delete, insert with its attributes in their order); where Yjs then orders the attributes
 * differently, the whole text is written again from its start, as it was built; the order of each
 * run is checked after each attempt.
 */
function rewriteText(text: Y.XmlText, rewrite: (href: string) => string | null): number {
  const before = text.toDelta() as DeltaOp[];
  let count = 0;
  const wanted = before.map((op) => {
    const attributes = Object.fromEntries(
      Object.entries(op.attributes ?? {}).map(([key, value]) => {
        const name = HASHED.exec(key)?.[1] ?? key;
        const href = name === 'link' && value && typeof value === 'object' ? (value as { href?: unknown }).href : undefined;
        if (typeof href !== 'string') return [key, value];
        const next = rewrite(href);
        if (next === null || next === href) return [key, value];
        count += 1;
        return [key, { ...(value as object), href: next }];
      }),
    );
    return { insert: op.insert, ...(op.attributes ? { attributes } : {}) };
  });
  if (count === 0) return 0;
  const same = () => JSON.stringify(text.toDelta()) === JSON.stringify(wanted);
  let index = 0;
  for (const [i, op] of wanted.entries()) {
    const length = typeof op.insert === 'string' ? op.insert.length : 1;
    if (typeof op.insert === 'string' && JSON.stringify(op) !== JSON.stringify(before[i])) {
      text.delete(index, length);
      text.insert(index, op.insert, op.attributes ?? {});
    }
    index += length;
  }
  if (same()) return count;
  text.delete(0, text.length);
  text.applyDelta(wanted);
  return count;
}

