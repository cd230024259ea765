import { describe, expect, it } from 'vitest';
import { RICH_DOCUMENT } from './fixtures.ts';
import { jsonToMarkdown } from './markdown.ts';
import { jsonToText } from './text.ts';
import type { JSONContent } from './ydoc-json.ts';

const paragraph = (...content: JSONContent[]): JSONContent => ({ type: 'doc', content: [{ type: 'paragraph', content }] });
const text = (value: string, ...marks: string[]): JSONContent => ({ type: 'text', text: value, ...(marks.length ? { marks: marks.map((type) => ({ type })) } : {}) });

describe('jsonToMarkdown', () => {
  it('writes a rich document as GitHub-flavoured Markdown', () => {
    expect(jsonToMarkdown(RICH_DOCUMENT)).toBe(
      [
        '# Groupe de travail « nuage »',
        '',
        'Texte **gras**, *italique*, ~~barré~~, `code`, <u>souligné</u> et [un lien](https://www.quebec.ca/).\\',
        'Ligne suivante, ***gras et italique***',
        '',
        '- Premier point',
        '- Second point',
        '  3. Sous-point',
        '',
        '- [x] Fait',
        '- [ ] À faire',
        '',
        '> Une citation',
        '',
        '```ts',
        'const a = 1;',
        'const b = `x`;',
        '```',
        '',
        '---',
        '',
        '![Carte](https://example.org/carte.png "La carte")',
        '',
        '| État | Ville |',
        '| --- | --- |',
        '| France | Paris \\| Lyon |',
        '',
        '> [!WARNING]',
        '> Attention à la résidence des données.',
        '',
      ].join('\n'),
    );
  });

  it('escapes what a user typed so that it stays text', () => {
    expect(jsonToMarkdown(paragraph(text('*pas gras* _ni_ `code` [lien](x) <b>html</b> ~~non~~ \\ R&D &amp;')))).toBe(
      '\\*pas gras\\* \\_ni\\_ \\`code\\` \\[lien\\](x) \\<b\\>html\\</b\\> \\~\\~non\\~\\~ \\\\ R&D \\&amp;\n',
    );
    expect(jsonToMarkdown(paragraph(text('# pas un titre')))).toBe('\\# pas un titre\n');
    expect(jsonToMarkdown(paragraph(text('- pas une liste')))).toBe('\\- pas une liste\n');
    expect(jsonToMarkdown(paragraph(text('1. pas une liste')))).toBe('1\\. pas une liste\n');
    expect(jsonToMarkdown(paragraph(text('> pas une citation')))).toBe('\\> pas une citation\n');
    expect(jsonToMarkdown(paragraph(text('#hashtag reste tel quel')))).toBe('#hashtag reste tel quel\n');
    // After a hard break the next line is a line start too.
    expect(jsonToMarkdown(paragraph(text('a'), { type: 'hardBreak' }, text('## b')))).toBe('a\\\n\\## b\n');
  });

  it('keeps spaces outside the delimiters and nests marks', () => {
    expect(jsonToMarkdown(paragraph(text('a'), text(' gras ', 'bold'), text('b')))).toBe('a **gras** b\n');
    expect(jsonToMarkdown(paragraph(text('gras ', 'bold'), text('et italique', 'bold', 'italic'), text(' fin')))).toBe('**gras *et italique*** fin\n');
    expect(jsonToMarkdown(paragraph(text('   ', 'bold'), text('x')))).toBe('   x\n');
    expect(jsonToMarkdown(paragraph(text('a `b` c', 'code')))).toBe('``a `b` c``\n');
    expect(
      jsonToMarkdown(paragraph({ type: 'text', text: 'ici', marks: [{ type: 'bold' }, { type: 'link', attrs: { href: 'https://a.example/x y' } }] })),
    ).toBe('[**ici**](<https://a.example/x y>)\n');
  });

  it('writes callouts of every tone as GitHub alerts and spans as aligned columns', () => {
    const callout = (tone: string) => ({ type: 'callout', attrs: { tone }, content: [{ type: 'paragraph', content: [text(tone)] }] });
    expect(jsonToMarkdown({ type: 'doc', content: ['info', 'warning', 'success', 'danger'].map(callout) })).toBe(
      '> [!NOTE]\n> info\n\n> [!WARNING]\n> warning\n\n> [!TIP]\n> success\n\n> [!CAUTION]\n> danger\n',
    );
    const cell = (value: string, colspan = 1) => ({ type: 'tableCell', attrs: { colspan, rowspan: 1 }, content: [{ type: 'paragraph', content: [text(value)] }] });
    const table = {
      type: 'table',
      content: [
        { type: 'tableRow', content: [cell('a'), cell('b'), cell('c')] },
        { type: 'tableRow', content: [cell('large', 2), cell('z')] },
      ],
    };
    expect(jsonToMarkdown({ type: 'doc', content: [table] })).toBe('| a | b | c |\n| --- | --- | --- |\n| large |  | z |\n');
  });

  it('uses a longer fence when the code contains one', () => {
    const code = { type: 'codeBlock', attrs: { language: null }, content: [text('```\ninside\n```')] };
    expect(jsonToMarkdown({ type: 'doc', content: [code] })).toBe('````\n```\ninside\n```\n````\n');
  });

  it('an empty document is an empty string', () => {
    expect(jsonToMarkdown({ type: 'doc', content: [] })).toBe('');
    expect(jsonToText({ type: 'doc' })).toBe('');
  });
});

describe('jsonToText', () => {
  it('keeps the words, one line per block, no markup', () => {
    const plain = jsonToText(RICH_DOCUMENT);
    expect(plain).toContain('Texte gras, italique, barré, code, souligné et un lien.\nLigne suivante, gras et italique');
    expect(plain).toContain('Premier point\nSecond point\nSous-point');
    expect(plain).toContain('État\tVille\nFrance\tParis | Lyon');
    expect(plain).toContain('Carte');
    expect(plain.replace("const b = `x`;", "")).not.toMatch(/[*#>`[\]]/);
  });
});
