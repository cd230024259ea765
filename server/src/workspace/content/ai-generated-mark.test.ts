import { getSchema, Mark as TiptapMark } from '@tiptap/core';
import { Node } from '@tiptap/pm/model';
import StarterKit from '@tiptap/starter-kit';
import { prosemirrorJSONToYDoc, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import { contentDepth, limitContentDepth } from '../../../../common/src/content-depth.ts';
import { documentToHtml } from './html.ts';
import { jsonToMarkdown } from './markdown.ts';
import { jsonToText } from './text.ts';
import { type JSONContent, jsonToYDoc, yDocToJson } from './ydoc-json.ts';

/*
 * The editor's `aiGenerated` mark (AI text accepted into a document, editor AI actions, issue 7)
 * through the server's conversions: collaboration's Yjs encoding keeps it and its attributes (and
 * Tiptap reads it back), HTML keeps the machine-readable `data-ai-*` attributes (escaped), Markdown
 * and plain text keep the text, the depth measure is not bothered.
 */
// The same name and attributes as web/src/features/workspace/editor/ai/ai-generated.ts.
const AiGenerated = TiptapMark.create({
  name: 'aiGenerated',
  priority: 1100,
  inclusive: false,
  addAttributes: () => ({ model: { default: null }, action: { default: null }, at: { default: null } }),
});
const schema = getSchema([StarterKit, AiGenerated]);

const attrs = { model: 'mistral-small', action: 'plain-language', at: '2026-11-29T14:00:00.000Z' };
const DOC: JSONContent = {
  type: 'doc',
  content: [
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Avant. ' },
        { type: 'text', text: 'Vous pouvez travailler ', marks: [{ type: 'aiGenerated', attrs }] },
        { type: 'text', text: 'deux jours', marks: [{ type: 'aiGenerated', attrs }, { type: 'bold' }] },
        { type: 'text', text: ' par semaine.', marks: [{ type: 'aiGenerated', attrs }] },
      ],
    },
  ],
};

describe('the aiGenerated mark in the server’s conversions', () => {
  it('survives the Yjs encoding both ways, as Tiptap reads and writes it', () => {
    const back = yDocToJson(jsonToYDoc(DOC));
    expect(back).toEqual(DOC);
    // What the server writes opens in Tiptap with the mark; what Tiptap writes reads back here.
    const node = yXmlFragmentToProseMirrorRootNode(jsonToYDoc(DOC).getXmlFragment('default'), schema);
    expect(node.toJSON()).toEqual(DOC);
    const fromTiptap = prosemirrorJSONToYDoc(schema, Node.fromJSON(schema, DOC).toJSON(), 'default');
    expect(yDocToJson(fromTiptap)).toEqual(DOC);
  });

  it('is one span in HTML with its data attributes, around the inner marks', () => {
    const html = documentToHtml(DOC);
    expect(html).toContain(
      '<span class="ai-generated" data-ai-generated="" data-ai-model="mistral-small" data-ai-action="plain-language" data-ai-at="2026-11-29T14:00:00.000Z">Vous pouvez travailler <strong>deux jours</strong> par semaine.</span>',
    );
    expect(html.match(/data-ai-generated/g)).toHaveLength(1);
  });

  it('escapes hostile attribute values', () => {
    const hostile: JSONContent = {
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'aiGenerated', attrs: { model: '"><script>alert(1)</script>', action: null, at: 42 } }] }] }],
    };
    const html = documentToHtml(hostile);
    expect(html).not.toContain('<script>');
    expect(html).toContain('data-ai-model="&quot;&gt;&lt;script&gt;');
    expect(html).not.toContain('data-ai-action');
  });

  it('keeps the text in Markdown and plain text, and does not count for depth', () => {
    expect(jsonToMarkdown(DOC).trim()).toBe('Avant. Vous pouvez travailler **deux jours** par semaine.');
    expect(jsonToText(DOC)).toContain('Vous pouvez travailler deux jours par semaine.');
    expect(contentDepth(DOC)).toBe(1);
    expect(limitContentDepth(DOC)).toBe(DOC);
  });
});
