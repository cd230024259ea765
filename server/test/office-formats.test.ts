import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RICH_DOCUMENT } from '../src/workspace/content/fixtures.ts';
import type { JSONContent } from '../src/workspace/content/ydoc-json.ts';
import { render } from '../src/workspace/document-export/document-export.ts';
import { type ExportImage, prepareImage } from '../src/workspace/document-export/images.ts';

/**
 * The DOCX and ODT files Entente writes open in a real office suite: Debian's LibreOffice
 * (`libreoffice-writer-nogui`) converts each of a fixture set — every block type, French accents,
 * lists nested three deep, a table with spans, an image — to PDF and to text, headless, one
 * soffice at a time with its own profile. Skipped where soffice is absent, except in CI.
 */
const SOFFICE = '/usr/bin/soffice';
const available = existsSync(SOFFICE);
if (!available && process.env.CI === 'true') throw new Error(`${SOFFICE} is required in CI (apt-get install libreoffice-writer-nogui)`);

const run = promisify(execFile);
let dir: string;
let image: ExportImage;

const text = (value: string, ...marks: string[]): JSONContent => ({ type: 'text', text: value, ...(marks.length ? { marks: marks.map((type) => ({ type })) } : {}) });
const paragraph = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content });
const item = (...content: JSONContent[]): JSONContent => ({ type: 'listItem', content });
const cell = (type: 'tableCell' | 'tableHeader', value: string, attrs: Record<string, number> = {}): JSONContent => ({
  type,
  attrs: { colspan: 1, rowspan: 1, ...attrs },
  content: [paragraph(text(value))],
});

const FIXTURES: Record<string, { json: JSONContent; headings: string[] }> = {
  riche: { json: RICH_DOCUMENT, headings: ['Groupe de travail « nuage »'] },
  accents: {
    headings: ['Élaboration des données — été 2026', 'Ça déménage à Trois-Rivières', 'Œuvres et façades'],
    json: {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 1 }, content: [text('Élaboration des données — été 2026')] },
        paragraph(text('Les agents de l’État québécois et français coopèrent ; « guillemets » et ’apostrophes’ compris.')),
        { type: 'heading', attrs: { level: 2 }, content: [text('Ça déménage à Trois-Rivières')] },
        {
          type: 'orderedList',
          attrs: { start: 1 },
          content: [
            item(
              paragraph(text('Niveau un')),
              {
                type: 'bulletList',
                content: [item(paragraph(text('Niveau deux')), { type: 'orderedList', attrs: { start: 5 }, content: [item(paragraph(text('Niveau trois, cinquième')))] })],
              },
            ),
            item(paragraph(text('Deuxième élément'))),
          ],
        },
        { type: 'heading', attrs: { level: 3 }, content: [text('Œuvres et façades')] },
        {
          type: 'table',
          content: [
            { type: 'tableRow', content: [cell('tableHeader', 'Région'), cell('tableHeader', 'Budget'), cell('tableHeader', 'Échéance')] },
            { type: 'tableRow', content: [cell('tableCell', 'Île-de-France', { rowspan: 2 }), cell('tableCell', '12 k€', { colspan: 2 })] },
            { type: 'tableRow', content: [cell('tableCell', '8 k€'), cell('tableCell', 'déc.')] },
          ],
        },
        { type: 'image', attrs: { src: '/api/images/fixture', alt: 'Graphique des dépenses', title: null } },
        { type: 'codeBlock', attrs: { language: 'sql' }, content: [text("SELECT 'é' AS lettre;\n  -- indenté")] },
        { type: 'callout', attrs: { tone: 'danger' }, content: [paragraph(text('Données sensibles : ne pas diffuser.'))] },
      ],
    },
  },
};

beforeAll(async () => {
  if (!available) return;
  dir = await mkdtemp(path.join(tmpdir(), 'entente-office-'));
  const png = await sharp({ create: { width: 120, height: 60, channels: 3, background: { r: 30, g: 90, b: 160 } } }).png().toBuffer();
  image = (await prepareImage(png, 'image/png')) as ExportImage;
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** One soffice run over every file: LibreOffice refuses a second instance on the same profile. */
async function convert(files: string[], to: string, outdir: string) {
  await run(SOFFICE, [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--norestore', '--convert-to', to, '--outdir', outdir, ...files], {
    timeout: 240_000,
    env: { ...process.env, HOME: dir },
  });
}

describe.skipIf(!available)('DOCX and ODT open in LibreOffice', () => {
  it('converts every fixture to PDF and to text with its headings', async () => {
    const sources: string[] = [];
    for (const [name, fixture] of Object.entries(FIXTURES)) {
      for (const format of ['docx', 'odt'] as const) {
        const body = await render(format, fixture.json, {
          title: `Fixture ${name}`,
          language: 'fr-FR',
          images: (src) => (src === '/api/images/fixture' ? image : null),
          link: (href) => href,
          markdownImage: (src) => src,
          modified: new Date('2026-11-29T08:00:00Z'),
        });
        const file = path.join(dir, `${name}-${format}.${format}`);
        await writeFile(file, body);
        sources.push(file);
      }
    }
    const pdfDir = path.join(dir, 'pdf');
    const txtDir = path.join(dir, 'txt');
    await convert(sources, 'pdf', pdfDir);
    await convert(sources, 'txt:Text (encoded):UTF8', txtDir);
    for (const [name, fixture] of Object.entries(FIXTURES)) {
      for (const format of ['docx', 'odt']) {
        const pdf = path.join(pdfDir, `${name}-${format}.pdf`);
        expect(existsSync(pdf), pdf).toBe(true);
        expect((await stat(pdf)).size, pdf).toBeGreaterThan(1000);
        expect((await readFile(pdf)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
        const txt = (await readFile(path.join(txtDir, `${name}-${format}.txt`), 'utf8')).normalize('NFC');
        for (const heading of fixture.headings) expect(txt, `${name}.${format}`).toContain(heading);
        if (name === 'accents') {
          for (const words of ['Niveau trois, cinquième', 'Île-de-France', '12 k€', "SELECT 'é' AS lettre;", 'Données sensibles']) expect(txt, `${name}.${format}`).toContain(words);
        }
      }
    }
  }, 300_000);
});
