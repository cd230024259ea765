/**
 * Document export benchmark (issue 5: "export of a 50-page document to each format: time and
 * peak memory"). A document of about 50 A4 pages in the PDF export — sections of headings,
 * paragraphs with marks and links, nested lists, a table, a code block and an image — is rendered
 * to each format by the same function the API uses (`render`, in-process, no HTTP), several runs
 * each. Peak memory is the process's RSS growth above the level before the run, sampled every
 * 5 ms. Markdown is the baseline of the same run (a text walk of the same document).
 */
import sharp from 'sharp';
import type { JSONContent } from '../server/src/workspace/content/ydoc-json.ts';
import { render } from '../server/src/workspace/document-export/document-export.ts';
import { EXPORT_FORMAT_IDS, type ExportFormat } from '../server/src/workspace/document-export/formats.ts';
import { type ExportImage, prepareImage } from '../server/src/workspace/document-export/images.ts';
import { fixed, median } from './support/stats.ts';
import { printTable } from './support/table.ts';

export interface DocumentExportSettings {
  /** Sections of the document (each about 1 page in the PDF). */
  sections: number;
  runs: number;
}

export const DEFAULT_DOCUMENT_EXPORT: DocumentExportSettings = { sections: 63, runs: 3 };

export interface DocumentExportResult {
  settings: DocumentExportSettings;
  pages: number;
  jsonKiB: number;
  formats: { format: ExportFormat; seconds: number[]; peakRssMiB: number[]; outputKiB: number }[];
}

const text = (value: string, ...marks: string[]): JSONContent => ({ type: 'text', text: value, ...(marks.length ? { marks: marks.map((type) => ({ type })) } : {}) });
const paragraph = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content });
const item = (...content: JSONContent[]): JSONContent => ({ type: 'listItem', content });
const cell = (type: string, value: string): JSONContent => ({ type, attrs: { colspan: 1, rowspan: 1 }, content: [paragraph(text(value))] });

const PROSE =
  'Les administrations des deux États partagent un espace de travail souverain : les données restent dans leur juridiction, chiffrées avec des clés propres à chaque cellule, et les agents collaborent en temps réel sur des documents ouverts. ';

export function benchDocument(sections: number): JSONContent {
  const content: JSONContent[] = [{ type: 'heading', attrs: { level: 1 }, content: [text('Rapport annuel de coopération numérique')] }];
  for (let s = 1; s <= sections; s++) {
    content.push(
      { type: 'heading', attrs: { level: 2 }, content: [text(`${s}. Chantier n° ${s} — état d’avancement`)] },
      paragraph(text(PROSE.repeat(2)), text('Point clé : ', 'bold'), text('la réversibilité', 'italic'), text(' est vérifiée à chaque livraison. '), {
        type: 'text',
        text: 'Référence',
        marks: [{ type: 'link', attrs: { href: `https://www.quebec.ca/chantier/${s}` } }],
      }),
      paragraph(text(PROSE.repeat(2))),
      {
        type: 'bulletList',
        content: [
          item(paragraph(text('Objectif principal atteint'))),
          item(paragraph(text('Dépendances :')), { type: 'orderedList', attrs: { start: 1 }, content: [item(paragraph(text('identité fédérée'))), item(paragraph(text('stockage chiffré')))] }),
          item(paragraph(text('Prochaine revue en comité'))),
        ],
      },
      {
        type: 'table',
        content: [
          { type: 'tableRow', content: ['Indicateur', 'France', 'Québec', 'Cible'].map((v) => cell('tableHeader', v)) },
          ...Array.from({ length: 4 }, (_, r) => ({ type: 'tableRow', content: [`Mesure ${r + 1}`, `${10 + r} %`, `${12 + r} %`, '15 %'].map((v) => cell('tableCell', v)) })),
        ],
      },
      { type: 'codeBlock', attrs: { language: 'sql' }, content: [text(`SELECT juridiction, count(*)\n  FROM documents\n WHERE chantier = ${s}\n GROUP BY juridiction;`)] },
    );
    if (s % 5 === 0) content.push({ type: 'image', attrs: { src: '/api/images/bench', alt: `Graphique du chantier ${s}`, title: null } });
  }
  return { type: 'doc', content };
}

function pdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type \/Page\n/g) ?? []).length;
}

export async function documentExportBench(settings: DocumentExportSettings): Promise<DocumentExportResult> {
  const png = await sharp({ create: { width: 640, height: 360, channels: 3, background: { r: 40, g: 90, b: 160 } } }).png().toBuffer();
  const image = (await prepareImage(png, 'image/png')) as ExportImage;
  const json = benchDocument(settings.sections);
  const options = {
    title: 'Rapport annuel de coopération numérique',
    language: 'fr-FR' as const,
    images: (src: string) => (src === '/api/images/bench' ? image : null),
    link: (href: string) => href,
    markdownImage: (src: string) => src,
    modified: new Date(),
  };
  // One warm-up of each format (fonts read, modules compiled) before measuring.
  for (const format of EXPORT_FORMAT_IDS) await render(format, json, options);
  const pages = pdfPages(await render('pdf', json, options));
  const formats: DocumentExportResult['formats'] = [];
  for (const format of ['md', ...EXPORT_FORMAT_IDS.filter((f) => f !== 'md')] as ExportFormat[]) {
    const seconds: number[] = [];
    const peaks: number[] = [];
    let outputKiB = 0;
    for (let run = 0; run < settings.runs; run++) {
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 5);
      const started = process.hrtime.bigint();
      const out = await render(format, json, options);
      const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      seconds.push(elapsed);
      peaks.push((peak - before) / (1024 * 1024));
      outputKiB = out.byteLength / 1024;
    }
    formats.push({ format, seconds, peakRssMiB: peaks, outputKiB });
  }
  return { settings, pages, jsonKiB: Buffer.byteLength(JSON.stringify(json)) / 1024, formats };
}

export function printDocumentExport(result: DocumentExportResult): void {
  printTable(
    `Document export: one document of ${result.pages} A4 pages in PDF (${result.settings.sections} sections, ${fixed(result.jsonKiB, 0)} KiB of ProseMirror JSON, ${Math.floor(result.settings.sections / 5)} images), ${result.settings.runs} runs each, in-process`,
    ['format', 'median (s)', 'each run (s)', 'peak RSS growth (MiB)', 'output (KiB)'],
    result.formats.map((f) => [f.format, fixed(median(f.seconds), 3), f.seconds.map((s) => fixed(s, 3)).join(' '), fixed(Math.max(...f.peakRssMiB), 0), fixed(f.outputKiB, 0)]),
  );
}
