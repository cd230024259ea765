import { getSchema, Node as TiptapNode } from '@tiptap/core';
import Image from '@tiptap/extension-image';
import { TaskItem, TaskList } from '@tiptap/extension-list';
import { Table, TableCell, TableHeader, TableRow } from '@tiptap/extension-table';
import { Node } from '@tiptap/pm/model';
import StarterKit from '@tiptap/starter-kit';
import { prosemirrorJSONToYDoc, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RICH_DOCUMENT } from './fixtures.ts';
import { FRAGMENT_NAME, type JSONContent, jsonToYDoc, yDocToJson } from './ydoc-json.ts';

/*
 * The server never imports the editor (a web dependency); this test does, on purpose: it is the
 * proof that what the server writes opens in Tiptap 3 and that what Tiptap writes reads back here.
 */
const Callout = TiptapNode.create({
  name: 'callout',
  group: 'block',
  content: 'block+',
  addAttributes: () => ({ tone: { default: 'info' } }),
});
const schema = getSchema([StarterKit, TaskList, TaskItem, Table, TableRow, TableHeader, TableCell, Image, Callout]);

const CONTRACT_NODES = ['doc', 'paragraph', 'heading', 'bulletList', 'orderedList', 'listItem', 'taskList', 'taskItem', 'blockquote', 'codeBlock', 'horizontalRule', 'hardBreak', 'image', 'table', 'tableRow', 'tableHeader', 'tableCell', 'callout', 'text'];
const CONTRACT_MARKS = ['bold', 'italic', 'strike', 'code', 'underline', 'link'];

function typesIn(node: JSONContent, nodes = new Set<string>(), marks = new Set<string>()) {
  if (node.type) nodes.add(node.type);
  for (const mark of node.marks ?? []) marks.add(mark.type);
  for (const child of node.content ?? []) typesIn(child, nodes, marks);
  return { nodes, marks };
}

describe('ProseMirror JSON ⇄ Yjs', () => {
  it('the fixture holds every node and mark of the contract', () => {
    const { nodes, marks } = typesIn(RICH_DOCUMENT);
    expect([...nodes].sort()).toEqual([...CONTRACT_NODES].sort());
    expect([...marks].sort()).toEqual([...CONTRACT_MARKS].sort());
  });

  it('round-trips every node and mark, also through an encoded update', () => {
    const doc = jsonToYDoc(RICH_DOCUMENT);
    expect(yDocToJson(doc)).toEqual(RICH_DOCUMENT);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    expect(yDocToJson(copy)).toEqual(RICH_DOCUMENT);
  });

  it('writes what the Tiptap 3 editor reads (y-tiptap, the editor schema)', () => {
    const doc = jsonToYDoc(RICH_DOCUMENT);
    const opened = yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(FRAGMENT_NAME), schema);
    expect(opened.toJSON()).toEqual(Node.fromJSON(schema, RICH_DOCUMENT).toJSON());
    // Every node came through: y-tiptap drops (deletes!) what its schema refuses.
    expect(opened.textContent).toContain('Attention à la résidence des données.');
    expect(opened.child(opened.childCount - 1).type.name).toBe('callout');
  });

  it('reads what the Tiptap 3 editor writes', () => {
    const written = prosemirrorJSONToYDoc(schema, RICH_DOCUMENT, FRAGMENT_NAME);
    const json = yDocToJson(written);
    expect(Node.fromJSON(schema, json).toJSON()).toEqual(Node.fromJSON(schema, RICH_DOCUMENT).toJSON());
    // Default attrs the editor stores (link target, rel…) are kept, marks keep their names.
    const link = json.content?.[1]?.content?.find((n) => n.marks?.some((m) => m.type === 'link'));
    expect(link?.marks?.[0]?.attrs).toMatchObject({ href: 'https://www.quebec.ca/' });
  });

  it('reads a mark stored under a hashed key (marks allowed to overlap themselves)', () => {
    const doc = new Y.Doc();
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    doc.getXmlFragment(FRAGMENT_NAME).insert(0, [paragraph]);
    text.insert(0, 'noté', { 'comment--AbC+/12=': { id: 'c1' } });
    expect(yDocToJson(doc).content?.[0]?.content).toEqual([{ type: 'text', text: 'noté', marks: [{ type: 'comment', attrs: { id: 'c1' } }] }]);
  });

  it('replaces the content of a non-empty document in one change', () => {
    const doc = jsonToYDoc(RICH_DOCUMENT);
    let updates = 0;
    doc.on('update', () => updates++);
    const short: JSONContent = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Court' }] }] };
    jsonToYDoc(short, doc);
    expect(yDocToJson(doc)).toEqual(short);
    expect(updates).toBe(1);
  });

  it('an empty document is an empty doc, and empty text nodes are not written', () => {
    expect(yDocToJson(new Y.Doc())).toEqual({ type: 'doc', content: [] });
    const doc = jsonToYDoc({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }] });
    expect(yDocToJson(doc)).toEqual({ type: 'doc', content: [{ type: 'paragraph' }] });
  });
});
