import type { JSONContent } from './ydoc-json.ts';

/**
 * A document using every node and mark of the editor's schema (the contract's list), for the
 * converters' tests and the history tests.
 */
export const RICH_DOCUMENT: JSONContent = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Groupe de travail « nuage »' }] },
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Texte ' },
        { type: 'text', text: 'gras', marks: [{ type: 'bold' }] },
        { type: 'text', text: ', ' },
        { type: 'text', text: 'italique', marks: [{ type: 'italic' }] },
        { type: 'text', text: ', ' },
        { type: 'text', text: 'barré', marks: [{ type: 'strike' }] },
        { type: 'text', text: ', ' },
        { type: 'text', text: 'code', marks: [{ type: 'code' }] },
        { type: 'text', text: ', ' },
        { type: 'text', text: 'souligné', marks: [{ type: 'underline' }] },
        { type: 'text', text: ' et ' },
        { type: 'text', text: 'un lien', marks: [{ type: 'link', attrs: { href: 'https://www.quebec.ca/' } }] },
        { type: 'text', text: '.' },
        { type: 'hardBreak' },
        { type: 'text', text: 'Ligne suivante, ' },
        { type: 'text', text: 'gras et italique', marks: [{ type: 'bold' }, { type: 'italic' }] },
      ],
    },
    {
      type: 'bulletList',
      content: [
        { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Premier point' }] }] },
        {
          type: 'listItem',
          content: [
            { type: 'paragraph', content: [{ type: 'text', text: 'Second point' }] },
            {
              type: 'orderedList',
              attrs: { start: 3 },
              content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Sous-point' }] }] }],
            },
          ],
        },
      ],
    },
    {
      type: 'taskList',
      content: [
        { type: 'taskItem', attrs: { checked: true }, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Fait' }] }] },
        { type: 'taskItem', attrs: { checked: false }, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'À faire' }] }] },
      ],
    },
    { type: 'blockquote', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Une citation' }] }] },
    { type: 'codeBlock', attrs: { language: 'ts' }, content: [{ type: 'text', text: 'const a = 1;\nconst b = `x`;' }] },
    { type: 'horizontalRule' },
    { type: 'image', attrs: { src: 'https://example.org/carte.png', alt: 'Carte', title: 'La carte' } },
    {
      type: 'table',
      content: [
        {
          type: 'tableRow',
          content: [
            { type: 'tableHeader', attrs: { colspan: 1, rowspan: 1 }, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'État' }] }] },
            { type: 'tableHeader', attrs: { colspan: 1, rowspan: 1 }, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Ville' }] }] },
          ],
        },
        {
          type: 'tableRow',
          content: [
            { type: 'tableCell', attrs: { colspan: 1, rowspan: 1 }, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'France' }] }] },
            { type: 'tableCell', attrs: { colspan: 1, rowspan: 1 }, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Paris | Lyon' }] }] },
          ],
        },
      ],
    },
    {
      type: 'callout',
      attrs: { tone: 'warning' },
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Attention à la résidence des données.' }] }],
    },
  ],
};
