import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { JSONContent } from '../content/ydoc-json.ts';
import { isSafeArchivePath } from '../export/names.ts';
import { layoutTree, render } from './document-export.ts';

const doc = (i: number, title: string, parentId: string | null = null) => ({ id: `d${i}`, parentId, position: i, title, updatedAt: '2026-11-29T08:00:00Z' });

describe('layoutTree', () => {
  it('lays the tree out as folders, names sanitised and de-duplicated among siblings', () => {
    const placed = layoutTree('Espace / test', [doc(1, 'Note'), doc(2, 'note'), doc(3, '../../etc/passwd'), doc(4, 'CON'), doc(5, 'Annexe', 'd1'), doc(6, '', 'd1'), doc(7, 'Orphelin', 'absent')], 'md');
    const stems = new Map(placed.map((p) => [p.id, p.stem]));
    expect(stems.get('d1')).toBe('Espace _ test/Note');
    expect(stems.get('d2')).toBe('Espace _ test/note (2)');
    expect(stems.get('d3')).toBe('Espace _ test/_.._etc_passwd');
    expect(stems.get('d4')).toBe('Espace _ test/_CON');
    expect(stems.get('d5')).toBe('Espace _ test/Note/Annexe');
    expect(stems.get('d6')).toBe('Espace _ test/Note/Sans titre');
    // A parent the agent cannot see: the page comes at the top.
    expect(stems.get('d7')).toBe('Espace _ test/Orphelin');
    for (const p of placed) expect(isSafeArchivePath(`${p.stem}.md`), p.stem).toBe(true);
  });

  it('keeps paths bounded for a very deep tree', () => {
    const deep = Array.from({ length: 60 }, (_, i) => doc(i, 'Un titre assez long pour remplir un chemin '.repeat(2), i === 0 ? null : `d${i - 1}`));
    const placed = layoutTree('Espace', deep, 'docx');
    expect(placed).toHaveLength(60);
    for (const p of placed) expect(isSafeArchivePath(`${p.stem}.docx`), p.stem).toBe(true);
  });
});

describe('hostile links in DOCX and PDF', () => {
  const hostile: JSONContent = {
    type: 'doc',
    content: [
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'cliquez', marks: [{ type: 'link', attrs: { href: 'java\tscript:alert(1)' } }] },
          { type: 'text', text: ' ou ', marks: [] },
          { type: 'text', text: 'ici', marks: [{ type: 'link', attrs: { href: 'https://ok.test/' } }] },
        ],
      },
    ],
  };
  const options = {
    title: 'x',
    language: 'fr-FR' as const,
    images: () => null,
    link: (href: string) => href,
    markdownImage: (src: string) => src,
    modified: new Date(),
  };

  it('DOCX keeps the text of a refused link, without the link', async () => {
    const docx = unzipSync(await render('docx', hostile, options));
    const rels = strFromU8(docx['word/_rels/document.xml.rels'] as Uint8Array);
    expect(rels).toContain('Target="https://ok.test/"');
    expect(rels.toLowerCase()).not.toContain('script');
    expect(strFromU8(docx['word/document.xml'] as Uint8Array)).toContain('cliquez');
  });

  it('PDF makes no action of a refused link', async () => {
    const pdf = (await render('pdf', hostile, options)).toString('latin1');
    expect(pdf).toContain('/URI (https://ok.test/)');
    expect(pdf.toLowerCase()).not.toContain('script:');
    expect((pdf.match(/\/Subtype \/Link/g) ?? []).length).toBe(1);
  });
});
