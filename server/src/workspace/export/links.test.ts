import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RICH_DOCUMENT } from '../content/fixtures.ts';
import { type JSONContent, jsonToYDoc, yDocToJson } from '../content/ydoc-json.ts';
import { internalTarget, rewriteJson, rewriteState } from './links.ts';

/** References inside documents: recognised, and rewritten without changing anything else. */
const SPACE = '0198a000-0000-7000-8000-00000000aaaa';
const DOC = '0198a000-0000-7000-8000-00000000bbbb';
const IMAGE = '0198a000-0000-7000-8000-00000000cccc';
const origins = ['https://entente.gouv.example'];

const t = (text: string, marks?: JSONContent['marks']): JSONContent => (marks ? { type: 'text', text, marks } : { type: 'text', text });
const link = (href: string) => ({ type: 'link', attrs: { href, target: null } });

describe('internal references', () => {
  it('recognises document links and images, relative or on the instance’s origin only', () => {
    expect(internalTarget(`/espaces/${SPACE}/documents/${DOC}`, origins)).toMatchObject({ kind: 'document', spaceId: SPACE, documentId: DOC, rest: '' });
    expect(internalTarget(`https://entente.gouv.example/espaces/${SPACE}/documents/${DOC.toUpperCase()}#titre`, origins)).toMatchObject({ documentId: DOC, rest: '#titre', absolute: true });
    expect(internalTarget(`/api/images/${IMAGE}`, origins)).toMatchObject({ kind: 'image', imageId: IMAGE });
    for (const other of [
      `https://ailleurs.example/espaces/${SPACE}/documents/${DOC}`,
      `//entente.gouv.example/api/images/${IMAGE}`,
      `/espaces/${SPACE}/documents/${DOC}x`,
      `/api/images/${IMAGE}/../../etc`,
      'javascript:alert(1)',
      'relatif/chemin',
      'https://[bad',
    ]) {
      expect(internalTarget(other, origins), other).toBeNull();
    }
  });

  it('rewrites a Yjs state: links keep their place among the marks, images their other attributes, the rest its bytes', () => {
    const json: JSONContent = {
      type: 'doc',
      content: [
        ...(RICH_DOCUMENT.content ?? []),
        { type: 'image', attrs: { src: `/api/images/${IMAGE}`, alt: 'Carte', title: 'T' } },
        {
          type: 'paragraph',
          content: [
            t('a', [{ type: 'bold' }, link(`/espaces/${SPACE}/documents/${DOC}`)]),
            t('b', [link(`/espaces/${SPACE}/documents/${DOC}`), { type: 'italic' }]),
            t('c', [link(`/espaces/${SPACE}/documents/${DOC}`), { type: 'italic' }, { type: 'bold' }]),
            t(' d ', [link('https://www.quebec.ca/')]),
            t('e', [{ type: 'code' }, link(`https://entente.gouv.example/espaces/${SPACE}/documents/${DOC}#x`)]),
          ],
        },
      ],
    };
    const state = Y.encodeStateAsUpdate(jsonToYDoc(json));
    const map = (href: string) => {
      const target = internalTarget(href, origins);
      if (target?.kind === 'document') return `/espaces/NEW-SPACE/documents/NEW-DOC${target.rest}`;
      if (target?.kind === 'image') return '/api/images/NEW-IMAGE';
      return null;
    };
    const out = rewriteState(state, map);
    expect(out.changed).toBe(5);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, out.state);
    const original = new Y.Doc();
    Y.applyUpdate(original, state);
    expect(JSON.stringify(yDocToJson(doc))).toBe(JSON.stringify(rewriteJson(yDocToJson(original), map)));
    // The original state is part of the new one (a change on top, history kept).
    expect(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(original)).length).toBeGreaterThan(0);
    expect(Y.encodeStateAsUpdate(original, Y.encodeStateVector(doc)).length).toBeLessThan(10);
    // Nothing to rewrite: the very same bytes.
    const plain = Y.encodeStateAsUpdate(jsonToYDoc(RICH_DOCUMENT));
    expect(rewriteState(plain, map)).toEqual({ state: plain, changed: 0 });
  });
});
