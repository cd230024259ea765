import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RICH_DOCUMENT } from '../content/fixtures.ts';
import { FRAGMENT_NAME, type JSONContent, jsonToYDoc, yDocToJson } from '../content/ydoc-json.ts';
import { restoreUpdate } from './version-content.ts';

const paragraphs = (...texts: string[]): JSONContent => ({
  type: 'doc',
  content: texts.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
});

describe('restoreUpdate', () => {
  it('turns the current content into the version’s, as an update on top of the current state', () => {
    const current = Y.encodeStateAsUpdate(jsonToYDoc(paragraphs('Maintenant', 'Encore')));
    const update = restoreUpdate(current, RICH_DOCUMENT);
    const live = new Y.Doc();
    Y.applyUpdate(live, current);
    Y.applyUpdate(live, update);
    expect(yDocToJson(live)).toEqual(RICH_DOCUMENT);
    // Only what is new travels: none of the current state's items is sent again.
    const baseClients = new Set(Y.decodeUpdate(current).structs.map((struct) => struct.id.client));
    expect(Y.decodeUpdate(update).structs.some((struct) => baseClients.has(struct.id.client))).toBe(false);
  });

  it('merges with a concurrent edit made elsewhere instead of erasing it', () => {
    const base = jsonToYDoc(paragraphs('Un'));
    const current = Y.encodeStateAsUpdate(base);
    // Someone adds a paragraph while the restore is computed from `current`.
    const other = new Y.Doc();
    Y.applyUpdate(other, current);
    const added = new Y.XmlElement('paragraph');
    added.insert(0, [new Y.XmlText('Ajouté pendant ce temps')]);
    other.getXmlFragment(FRAGMENT_NAME).push([added]);

    Y.applyUpdate(other, restoreUpdate(current, paragraphs('Version')));
    const texts = (yDocToJson(other).content ?? []).map((p) => p.content?.[0]?.text);
    expect(texts).toContain('Version');
    expect(texts).toContain('Ajouté pendant ce temps');
    expect(texts).not.toContain('Un');
  });
});
