/**
 * Export and import benchmark (issue 6: "export and import time for a space of 1,000 documents
 * and 1 GB of files"). A space is generated straight through the stores and use cases (no HTTP):
 * 1,000 documents in a tree (each a few paragraphs, a list and a table, written by the document
 * store: encrypted log, then snapshot) and files of random bytes (incompressible, the worst case
 * for time; encrypted objects and rows as the files area writes them), 1 GiB in all by default.
 * Then, timed:
 *
 *  - export: `exportSpaceArchive` to a ZIP (documents as Markdown, ODT and Yjs, files stored);
 *  - import: `importArchive` of that ZIP into a second, fresh instance (every entry's SHA-256
 *    checked first, then documents, files re-encrypted with the new space's key);
 *  - baseline: a plain copy of the archive file (copy_file_range) in the same run, for scale.
 *
 * With ENTENTE_BENCH_DATABASE_URL, the same on PostgreSQL (databases of their own, dropped after).
 * The peak RSS growth of the process during each step shows that file bytes are streamed.
 */
import { createHash, randomFillSync } from 'node:crypto';
import { statfsSync } from 'node:fs';
import { copyFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import * as Y from 'yjs';
import { loadConfig } from '../server/src/config.ts';
import { createEntente, type Entente } from '../server/src/entente.ts';
import { DEMO_AGENTS } from '../server/src/identity/demo-data.ts';
import { uuidv7 } from '../server/src/platform/ids.ts';
import { createLogger } from '../server/src/platform/logger.ts';
import type { JSONContent } from '../server/src/workspace/content/ydoc-json.ts';
import { jsonToYDoc } from '../server/src/workspace/content/ydoc-json.ts';
import { exportSpaceArchive } from '../server/src/workspace/export/space-export.ts';
import { importArchive } from '../server/src/workspace/export/space-import.ts';
import { fixed } from './support/stats.ts';
import { printTable } from './support/table.ts';
import { withDatabase, withDataDir } from './support/temporary-stores.ts';

export interface ExportSettings {
  documents: number;
  /** Total bytes of files, MiB; lowered (and said) when the disk has not 5 times that free. */
  fileMiB: number;
  /** Size of each file, MiB. */
  fileSizeMiB: number;
}
export const DEFAULT_EXPORT: ExportSettings = { documents: 1000, fileMiB: 1024, fileSizeMiB: 16 };

export interface ExportFigures {
  target: string;
  documents: number;
  fileMiB: number;
  generateSeconds: number;
  exportSeconds: number;
  archiveMiB: number;
  importSeconds: number;
  copySeconds: number;
  exportRssMiB: number;
  importRssMiB: number;
}

export interface ExportResult {
  settings: ExportSettings;
  figures: ExportFigures[];
  notes: string[];
}

const OWNER = DEMO_AGENTS[0] as (typeof DEMO_AGENTS)[number];
const MiB = 1024 * 1024;

function documentContent(i: number): JSONContent {
  const text = (t: string) => ({ type: 'text', text: t });
  return {
    type: 'doc',
    content: [
      { type: 'heading', attrs: { level: 1 }, content: [text(`Document ${i}`)] },
      ...Array.from({ length: 6 }, (_, p) => ({
        type: 'paragraph',
        content: [text(`Paragraphe ${p} du document ${i} : la résidence des données et la réversibilité des services numériques de l’État. `), { type: 'text', text: 'gras', marks: [{ type: 'bold' }] }],
      })),
      { type: 'bulletList', content: [1, 2, 3].map((n) => ({ type: 'listItem', content: [{ type: 'paragraph', content: [text(`Point ${n}`)] }] })) },
      {
        type: 'table',
        content: [0, 1, 2].map((r) => ({ type: 'tableRow', content: [0, 1].map((c) => ({ type: r === 0 ? 'tableHeader' : 'tableCell', attrs: { colspan: 1, rowspan: 1 }, content: [{ type: 'paragraph', content: [text(`${r}-${c}`)] }] })) })),
      },
    ],
  };
}

/** The space: rows as the use cases write them, content through the document store, files as encrypted objects. */
async function generate(entente: Entente, settings: ExportSettings): Promise<string> {
  const spaceId = uuidv7();
  const cell = entente.cells.get('QC');
  const db = cell.db;
  await db.insertInto('spaces').values({ id: spaceId, name: 'Banc d’essai export', description: '', min_assurance: 'low', classification: 'internal', created_by: OWNER.id }).execute();
  await entente.stores.control.db.insertInto('space_directory').values({ id: spaceId, jurisdiction: 'QC' }).execute();
  await entente.stores.control.db.insertInto('space_members').values({ space_id: spaceId, principal_id: OWNER.id, role: 'owner' }).execute();
  // A tree: 20 roots, each with children, each child with children.
  const ids: string[] = [];
  for (let i = 0; i < settings.documents; i++) {
    const id = uuidv7();
    const parent = i < 20 ? null : (ids[i < 220 ? i % 20 : 20 + (i % 200)] as string);
    await db.insertInto('documents').values({ id, space_id: spaceId, parent_id: parent, title: `Document ${i % 50}`, position: i, restricted: false, epoch: 1, created_by: OWNER.id }).execute();
    ids.push(id);
    await entente.collab.store.initialise({ documentId: id, spaceId, jurisdiction: 'QC' }, Y.encodeStateAsUpdate(jsonToYDoc(documentContent(i))));
  }
  const files = Math.max(1, Math.round(settings.fileMiB / settings.fileSizeMiB));
  const size = Math.round((settings.fileMiB * MiB) / files);
  for (let f = 0; f < files; f++) {
    const fileId = uuidv7();
    const versionId = uuidv7();
    const key = `spaces/${spaceId}/files/${fileId}/${versionId}`;
    const hash = createHash('sha256');
    async function* random(): AsyncGenerator<Buffer> {
      for (let left = size; left > 0; left -= MiB) {
        const chunk = randomFillSync(Buffer.allocUnsafe(Math.min(MiB, left)));
        hash.update(chunk);
        yield chunk;
      }
    }
    await cell.encryptedObjects.putEncrypted(db, { type: 'space', id: spaceId }, key, Readable.from(random()));
    await db
      .insertInto('files')
      .values({ id: fileId, space_id: spaceId, parent_id: null, kind: 'file', name: `donnees-${f}.bin`, name_key: `donnees-${f}.bin`, current_version_id: null, created_by: OWNER.id, updated_by: OWNER.id, trashed_at: null, trashed_by: null, trashed_with: null })
      .execute();
    await db
      .insertInto('file_versions')
      .values({ id: versionId, file_id: fileId, space_id: spaceId, number: 1, object_key: key, size, content_type: 'application/octet-stream', sha256: hash.digest('hex'), status: 'unscanned', signature: null, thumbnail_key: null, created_by: OWNER.id, organisation_id: null, billed_bytes: size, restored_from: null })
      .execute();
    await db.updateTable('files').set({ current_version_id: versionId }).where('id', '=', fileId).execute();
  }
  return spaceId;
}

/** Runs `step` while sampling this process's RSS; returns its time and the peak growth. */
async function measured<T>(step: () => Promise<T>): Promise<{ value: T; seconds: number; rssMiB: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  try {
    const value = await step();
    return { value, seconds: (performance.now() - started) / 1000, rssMiB: (Math.max(peak, process.memoryUsage().rss) - base) / MiB };
  } finally {
    clearInterval(timer);
  }
}

async function runOne(target: string, dir: string, env: (name: string) => Record<string, string>, settings: ExportSettings): Promise<ExportFigures> {
  const logger = createLogger({ logLevel: 'silent' });
  const sourceConfig = loadConfig({ ENTENTE_DATA_DIR: path.join(dir, 'source'), ENTENTE_LOG_LEVEL: 'silent', ...env('source') });
  const source = await createEntente({ config: sourceConfig, logger, webDist: null, startJobs: false });
  const archive = path.join(dir, 'export.zip');
  let generateSeconds: number;
  let exported: { seconds: number; rssMiB: number };
  try {
    const generated = await measured(() => generate(source, settings));
    generateSeconds = generated.seconds;
    exported = await measured(() =>
      exportSpaceArchive({ stores: source.stores, cells: source.cells, content: source.collab.store, audit: source.audit, publicUrl: sourceConfig.publicUrl }, { spaceId: generated.value, out: archive }),
    );
  } finally {
    await source.close();
  }
  const copyStarted = performance.now();
  await copyFile(archive, `${archive}.copy`);
  const copySeconds = (performance.now() - copyStarted) / 1000;

  const targetConfig = loadConfig({ ENTENTE_DATA_DIR: path.join(dir, 'target'), ENTENTE_LOG_LEVEL: 'silent', ...env('target') });
  const destination = await createEntente({ config: targetConfig, logger, webDist: null, startJobs: false });
  let imported: { seconds: number; rssMiB: number; value: Awaited<ReturnType<typeof importArchive>> };
  try {
    imported = await measured(() =>
      importArchive({ stores: destination.stores, cells: destination.cells, content: destination.collab.store, audit: destination.audit, publicUrl: targetConfig.publicUrl }, { file: archive }),
    );
  } finally {
    await destination.close();
  }
  const space = imported.value.spaces[0];
  if (space?.documents !== settings.documents) throw new Error(`imported ${space?.documents} documents, not ${settings.documents}`);
  return {
    target,
    documents: settings.documents,
    fileMiB: settings.fileMiB,
    generateSeconds,
    exportSeconds: exported.seconds,
    archiveMiB: (await stat(archive)).size / MiB,
    importSeconds: imported.seconds,
    copySeconds,
    exportRssMiB: exported.rssMiB,
    importRssMiB: imported.rssMiB,
  };
}

export async function exportBench(requested: ExportSettings = DEFAULT_EXPORT): Promise<ExportResult> {
  const notes: string[] = [];
  const figures: ExportFigures[] = [];
  const settings = { ...requested };
  await withDataDir(async (dir) => {
    const fs = statfsSync(dir);
    const freeMiB = (fs.bavail * fs.bsize) / MiB;
    // Source objects, the archive, its copy and the target's objects: four copies, and room to spare.
    if (freeMiB < settings.fileMiB * 5) {
      notes.push(`only ${fixed(freeMiB / 1024, 1)} GiB free: files reduced from ${settings.fileMiB} MiB to 100 MiB (extrapolate linearly: the file bytes dominate)`);
      settings.fileMiB = 100;
    }
    figures.push(await runOne('PGlite', path.join(dir, 'pglite'), () => ({}), settings));
  });
  const adminUrl = process.env.ENTENTE_BENCH_DATABASE_URL;
  if (adminUrl) {
    await withDataDir(async (dir) =>
      withDatabase(adminUrl, async (sourceUrl) =>
        withDatabase(adminUrl, async (targetUrl) => {
          figures.push(await runOne('PostgreSQL', dir, (name) => ({ DATABASE_URL: name === 'source' ? sourceUrl : targetUrl }), settings));
        }),
      ),
    );
  } else notes.push('set ENTENTE_BENCH_DATABASE_URL for PostgreSQL figures');
  return { settings, figures, notes };
}

export function printExport(result: ExportResult): void {
  const { documents, fileMiB, fileSizeMiB } = result.settings;
  const mibps = (seconds: number, f: ExportFigures) => fixed(f.fileMiB / seconds, 0);
  printTable(
    `Export and import of a space of ${documents} documents and ${fileMiB} MiB of files (${fileSizeMiB} MiB each, random bytes), one run`,
    ['target', 'export (s)', 'MiB of files / s', 'archive (MiB)', 'import (s)', 'MiB of files / s', 'plain copy of the archive (s)', 'RSS growth export / import (MiB)', 'generation (s)'],
    result.figures.map((f) => [
      f.target,
      fixed(f.exportSeconds, 1),
      mibps(f.exportSeconds, f),
      fixed(f.archiveMiB, 0),
      fixed(f.importSeconds, 1),
      mibps(f.importSeconds, f),
      fixed(f.copySeconds, 1),
      `${fixed(f.exportRssMiB, 0)} / ${fixed(f.importRssMiB, 0)}`,
      fixed(f.generateSeconds, 1),
    ]),
  );
  for (const note of result.notes) console.log(`(${note})`);
}

