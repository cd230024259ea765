import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import * as Y from 'yjs';
import { formatMessage } from '../../../../common/src/i18n/format.ts';
import type { Locale } from '../../../../common/src/i18n/locales.ts';
import { contentLanguageOf } from '../../../../common/src/i18n/content-language.ts';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Actor } from '../../identity/actor.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Cells } from '../../platform/cells/cells.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { AppError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { CalloutTone } from '../content/html.ts';
import { jsonToMarkdown } from '../content/markdown.ts';
import { type JSONContent, yDocToJson } from '../content/ydoc-json.ts';
import { documentForContent, listDocuments } from '../documents/documents.ts';
import { findDocumentRow } from '../documents/documents.repo.ts';
import { internalTarget, rewriteJson } from '../export/links.ts';
import { MAX_PATH_BYTES, relativePath, SiblingNames, sanitizeSegment } from '../export/names.ts';
import { jsonToOdt } from '../export/odt.ts';
import { ZipWriter } from '../export/zip.ts';
import { findReadableImage, openImage } from '../images/images.ts';
import { auditLinkUse } from '../sharing/link-audit.ts';
import type { DocumentContent, RequestMeta } from '../spaces/deps.ts';
import { requireActor, requireAssuranceFor } from '../spaces/deps.ts';
import { loadSpace, spacePath } from '../spaces/spaces.ts';
import { planFilesArea, writeFilesArea } from './files-area.ts';
import { EXPORT_FORMATS, type ExportFormat } from './formats.ts';
import { htmlPage } from './html-page.ts';
import { type ExportImage, prepareImage } from './images.ts';

/**
 * Export of one document, or of a whole space as a zip, in an open or common format: Markdown,
 * HTML, Word (DOCX), OpenDocument (ODT), PDF — all written in-process.
 *
 * Access: whoever may read a document may export it (readers too: an export shows nothing the
 * reader cannot already see), at the space's level of assurance; a restricted document is exported
 * only by those who reach it, and a space export leaves out every document the agent cannot read
 * (the same rule as the documents tree, access.ts) and the trash. Images are read through the
 * images' own rule (findReadableImage), one at a time, within a byte budget.
 */
export interface ExportLimits {
  /** Documents in one space export. */
  maxSpaceDocuments: number;
  /** Size of a space's zip. */
  maxSpaceBytes: number;
  /** Time a space export may take. */
  maxSpaceMillis: number;
  /** Images read for one document (bytes); the ones over it keep their description only. */
  maxImageBytesPerDocument: number;
}

export const DEFAULT_EXPORT_LIMITS: ExportLimits = {
  maxSpaceDocuments: 2000,
  maxSpaceBytes: 512 * 1024 * 1024,
  maxSpaceMillis: 120_000,
  maxImageBytesPerDocument: 64 * 1024 * 1024,
};

export interface DocumentExportDeps {
  stores: Stores;
  cells: Cells;
  audit: AuditLog;
  logger: Logger;
  content: () => DocumentContent | undefined;
  publicUrl: () => URL;
  exportLimits?: Partial<ExportLimits>;
}

export interface ExportedFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

export interface ExportedArchive {
  filename: string;
  size: number;
  /** The zip, read from its temporary file; the file is removed once the stream closes. */
  open(): Readable;
  /** Removes the temporary file (when the stream is never opened). */
  discard(): Promise<void>;
}

const tooLarge = (limits: ExportLimits) =>
  new AppError('export_too_large', { status: 413, params: { documents: limits.maxSpaceDocuments, megabytes: Math.round(limits.maxSpaceBytes / (1024 * 1024)) } });

/** The language of a space's documents (callout words, document metadata). */
const languageOf = (jurisdiction: Jurisdiction): Locale => contentLanguageOf(jurisdiction);

const calloutLabel = (language: Locale) => (tone: CalloutTone) => formatMessage(language, `exports.callout.${tone}`);

/** `workspace.document.exported` or `workspace.space.exported`, in the space's cell. */
function audited(
  deps: DocumentExportDeps,
  actor: Actor,
  meta: RequestMeta,
  jurisdiction: Jurisdiction,
  resource: { type: 'document' | 'space'; id: string },
  details: Record<string, string | number>,
): Promise<void> {
  return deps.audit.record({
    action: `workspace.${resource.type}.exported`,
    outcome: 'success',
    actorId: actor.principalId,
    jurisdiction,
    resource,
    ip: meta.ip,
    requestId: meta.requestId,
    details,
  });
}

// ── one document ─────────────────────────────────────────────────────────────────────────────

export async function exportDocument(deps: DocumentExportDeps, actorOrNull: Actor | null, documentId: string, format: ExportFormat, meta: RequestMeta): Promise<ExportedFile> {
  const actor = requireActor(actorOrNull);
  const access = await documentForContent(deps.stores, actor, documentId);
  const row = await findDocumentRow(deps.stores.cells[access.jurisdiction].db, access.documentId);
  if (!row) throw new AppError('not_found');
  const json = await loadJson(deps, { documentId: access.documentId, spaceId: access.spaceId, jurisdiction: access.jurisdiction });
  const limits = { ...DEFAULT_EXPORT_LIMITS, ...deps.exportLimits };
  const images = format === 'md' ? new Map<string, ExportImage>() : await readImages(deps, actor, json, limits.maxImageBytesPerDocument);
  const origin = deps.publicUrl();
  // Outside the application, a link or image on the instance needs its full address.
  const absolute = (href: string) => (internalTarget(href, [origin.origin]) ? new URL(href, origin).href : href);
  const body = await render(format, json, {
    title: row.title,
    language: languageOf(access.jurisdiction),
    images: (src) => images.get(src) ?? null,
    link: absolute,
    markdownImage: absolute,
    modified: row.updated_at,
  });
  await audited(deps, actor, meta, access.jurisdiction, { type: 'document', id: access.documentId }, { format, bytes: body.byteLength, spaceId: access.spaceId });
  await auditLinkUse(deps.audit, actor, access, 'export', meta, { format }); // share links: an export through a link
  const info = EXPORT_FORMATS[format];
  return { filename: `${sanitizeSegment(row.title, 'Sans titre')}.${info.extension}`, contentType: info.contentType, body };
}

async function loadJson(deps: DocumentExportDeps, ref: { documentId: string; spaceId: string; jurisdiction: Jurisdiction }): Promise<JSONContent> {
  const store = deps.content();
  if (!store) throw new AppError('unavailable');
  const { state } = await store.load(ref);
  const ydoc = new Y.Doc();
  try {
    Y.applyUpdate(ydoc, state);
    return yDocToJson(ydoc);
  } finally {
    ydoc.destroy();
  }
}

interface RenderOptions {
  title: string;
  language: Locale;
  images: (src: string) => ExportImage | null;
  link: (href: string) => string;
  /** Where a Markdown image points (Markdown does not embed). */
  markdownImage: (src: string) => string;
  modified: Date;
}

/** One document in one format. Exported for the benchmark and the format tests. */
export async function render(format: ExportFormat, json: JSONContent, options: RenderOptions): Promise<Buffer> {
  const { title, language, images, link } = options;
  switch (format) {
    case 'md':
      return Buffer.from(jsonToMarkdown(rewriteJson(json, (href, kind) => (kind === 'src' ? options.markdownImage(href) : link(href)))), 'utf8');
    case 'html':
      return Buffer.from(
        htmlPage(json, {
          title,
          language,
          link,
          calloutLabel: calloutLabel(language),
          images: (src) => {
            const image = images(src);
            return image ? `data:${image.original.contentType};base64,${image.original.bytes.toString('base64')}` : null;
          },
        }),
        'utf8',
      );
    case 'docx': {
      // docx and pdfkit load on first use, not at every start of the server or of a command.
      const { documentToDocx } = await import('./docx.ts');
      return documentToDocx(json, { title, language, images, link, calloutLabel: calloutLabel(language) });
    }
    case 'odt':
      return Buffer.from(
        jsonToOdt(json, {
          title,
          language,
          modified: options.modified,
          link,
          images: (src) => {
            const image = images(src);
            return image ? { bytes: image.bytes, contentType: image.contentType } : null;
          },
        }),
      );
    case 'pdf': {
      const { documentToPdf } = await import('./pdf.ts');
      return documentToPdf(json, { title, language, images, link, calloutLabel: calloutLabel(language) });
    }
  }
}

/** The image sources of a document, in order, once each. */
function imageSources(json: JSONContent): string[] {
  const out = new Set<string>();
  const visit = (node: JSONContent) => {
    if (node.type === 'image' && typeof node.attrs?.src === 'string') out.add(node.attrs.src);
    for (const child of node.content ?? []) visit(child);
  };
  visit(json);
  return [...out];
}

/**
 * The document's images the actor may read (the images' own rule), decrypted and prepared, within
 * `budget` bytes. Images from elsewhere are never fetched: an export calls no other server.
 */
async function readImages(deps: DocumentExportDeps, actor: Actor, json: JSONContent, budget: number, cache?: Map<string, ExportImage | null>): Promise<Map<string, ExportImage>> {
  const out = new Map<string, ExportImage>();
  const origin = deps.publicUrl().origin;
  let used = 0;
  for (const src of imageSources(json)) {
    const target = internalTarget(src, [origin]);
    if (target?.kind !== 'image') continue;
    let image = cache?.get(target.imageId);
    if (image === undefined) {
      image = await readImage(deps, actor, target.imageId, budget - used);
      cache?.set(target.imageId, image);
    }
    if (!image || used + image.original.bytes.byteLength > budget) continue;
    used += image.original.bytes.byteLength;
    out.set(src, image);
  }
  return out;
}

async function readImage(deps: DocumentExportDeps, actor: Actor, imageId: string, room: number): Promise<ExportImage | null> {
  try {
    const readable = await findReadableImage(deps.stores, actor, imageId);
    if (readable.image.size > room) return null;
    const got = await openImage(deps, readable);
    const chunks: Buffer[] = [];
    for await (const chunk of got.body) chunks.push(chunk as Buffer);
    return prepareImage(Buffer.concat(chunks), readable.image.content_type);
  } catch (error) {
    // An image the agent may not read, or gone: its description stays in the export.
    if (error instanceof AppError) return null;
    throw error;
  }
}

// ── a whole space ────────────────────────────────────────────────────────────────────────────

interface Placed {
  id: string;
  title: string;
  updatedAt: Date;
  /** Zip path without extension. */
  stem: string;
}

/**
 * The documents the agent may read, as folders: `<space>/<title>.<ext>`, a document's children in
 * `<space>/<title>/`. Names sanitised and de-duplicated among siblings (export/names.ts).
 */
export function layoutTree(spaceName: string, documents: readonly { id: string; parentId: string | null; position: number; title: string; updatedAt: string }[], extension: string): Placed[] {
  const root = sanitizeSegment(spaceName, 'Espace');
  const ids = new Set(documents.map((d) => d.id));
  type Doc = (typeof documents)[number];
  const children = new Map<string | null, Doc[]>();
  for (const d of documents) {
    const parent = d.parentId !== null && ids.has(d.parentId) ? d.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), d]);
  }
  for (const list of children.values()) list.sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : 1));
  const placed: Placed[] = [];
  const seen = new Set<string>();
  const deepNames = new SiblingNames('Sans titre');
  const place = (folder: string, names: SiblingNames, list: readonly Doc[]) => {
    for (const d of list) {
      if (seen.has(d.id)) continue;
      seen.add(d.id);
      let stem = `${folder}/${names.take(d.title, `.${extension}`)}`;
      // A tree too deep for a path: the document starts again at the top, in a folder of deep pages.
      if (Buffer.byteLength(`${stem}.${extension}`) > MAX_PATH_BYTES - 64) stem = `${root}/_/${deepNames.take(d.title, `.${extension}`)}`;
      placed.push({ id: d.id, title: d.title, updatedAt: new Date(d.updatedAt), stem });
      place(stem, new SiblingNames('Sans titre'), children.get(d.id) ?? []);
    }
  };
  place(root, new SiblingNames('Sans titre'), children.get(null) ?? []);
  return placed;
}

export async function exportSpace(deps: DocumentExportDeps, actorOrNull: Actor | null, spaceId: string, format: ExportFormat, meta: RequestMeta): Promise<ExportedArchive> {
  const actor = requireActor(actorOrNull);
  const limits = { ...DEFAULT_EXPORT_LIMITS, ...deps.exportLimits };
  const { access, space } = await loadSpace(deps.stores, actor, spaceId);
  requireAssuranceFor(actor, space.min_assurance, spacePath(access.spaceId));
  // The documents tree as the agent sees it: restricted documents they cannot read and the trash are left out.
  const documents = await listDocuments(deps.stores, actor, access.spaceId, false);
  if (documents.length > limits.maxSpaceDocuments) throw tooLarge(limits);
  const info = EXPORT_FORMATS[format];
  const placed = layoutTree(space.name, documents, info.extension);
  const byId = new Map(placed.map((p) => [p.id, p]));
  const origin = deps.publicUrl();
  const language = languageOf(access.jurisdiction);
  const started = Date.now();
  const files = await planFilesArea(deps.stores.cells[access.jurisdiction].db, access.spaceId, sanitizeSegment(space.name, 'Espace'), placed.map((p) => p.stem));
  // The files alone over the limit: said before anything is read or written.
  if (files.bytes > limits.maxSpaceBytes) throw tooLarge(limits);

  const folder = await mkdtemp(join(tmpdir(), 'entente-export-'));
  const path = join(folder, 'space.zip');
  const discard = () => rm(folder, { recursive: true, force: true });
  try {
    const zip = await ZipWriter.create(path);
    try {
      const imageCache = new Map<string, ExportImage | null>();
      const writtenImages = new Map<string, string>();
      const imageFolder = `${sanitizeSegment(space.name, 'Espace')}/_images`;
      for (const doc of placed) {
        if (Date.now() - started > limits.maxSpaceMillis || zip.size > limits.maxSpaceBytes) throw tooLarge(limits);
        const file = `${doc.stem}.${info.extension}`;
        const json = await loadJson(deps, { documentId: doc.id, spaceId: access.spaceId, jurisdiction: access.jurisdiction });
        const images = await readImages(deps, actor, json, limits.maxImageBytesPerDocument, imageCache);
        // A link to another exported document → its file, relative to this one; anything else on the instance → its full address.
        const link = (href: string) => {
          const target = internalTarget(href, [origin.origin]);
          if (!target) return href;
          const to = target.kind === 'document' && target.spaceId === access.spaceId ? byId.get(target.documentId) : undefined;
          if (!to) return new URL(href, origin).href;
          const hash = target.kind === 'document' ? (/#.*$/.exec(target.rest)?.[0] ?? '') : '';
          const relative = relativePath(file, `${to.stem}.${info.extension}`).split('/').map(encodeURIComponent).join('/');
          // ODF resolves a relative link from inside the package: one level up is the document's folder.
          return `${format === 'odt' ? '../' : ''}${relative}${hash}`;
        };
        // Markdown does not embed: its images are files beside the documents.
        const markdownImage = (src: string) => {
          const target = internalTarget(src, [origin.origin]);
          const image = images.get(src);
          if (target?.kind !== 'image' || !image) return target ? new URL(src, origin).href : src;
          const extension = image.original.contentType.split('/')[1]?.replace('jpeg', 'jpg') ?? 'bin';
          const imagePath = writtenImages.get(target.imageId) ?? `${imageFolder}/${target.imageId}.${extension}`;
          return relativePath(file, imagePath).split('/').map(encodeURIComponent).join('/');
        };
        if (format === 'md') {
          for (const [src, image] of images) {
            const target = internalTarget(src, [origin.origin]);
            if (target?.kind !== 'image' || writtenImages.has(target.imageId)) continue;
            const extension = image.original.contentType.split('/')[1]?.replace('jpeg', 'jpg') ?? 'bin';
            const imagePath = `${imageFolder}/${target.imageId}.${extension}`;
            await zip.add(imagePath, image.original.bytes, { compress: false });
            writtenImages.set(target.imageId, imagePath);
          }
        }
        const body = await render(format, json, { title: doc.title, language, images: (src) => images.get(src) ?? null, link, markdownImage, modified: doc.updatedAt });
        // Already-compressed formats (DOCX, ODT are zips; PDF streams are deflated) are stored.
        await zip.add(file, body, { compress: format === 'md' || format === 'html' });
      }
      // Files count at their full size (compression is not known in advance): the limit is kept, never passed.
      await writeFilesArea(deps.cells, access.jurisdiction, access.spaceId, files, zip, (size) => {
        if (Date.now() - started > limits.maxSpaceMillis || zip.size + size > limits.maxSpaceBytes) throw tooLarge(limits);
      });
      await zip.finish();
    } catch (error) {
      await zip.abort();
      throw error;
    }
    const size = (await stat(path)).size;
    if (size > limits.maxSpaceBytes) throw tooLarge(limits);
    await audited(deps, actor, meta, access.jurisdiction, { type: 'space', id: access.spaceId }, { format, documents: placed.length, files: files.files.length, quarantinedFilesLeftOut: files.quarantined, bytes: size, via: 'api' });
    return {
      filename: `${sanitizeSegment(space.name, 'Espace')} (${info.extension}).zip`,
      size,
      open: () => {
        const stream = createReadStream(path);
        stream.on('close', () => void discard());
        return stream;
      },
      discard,
    };
  } catch (error) {
    await discard();
    throw error;
  }
}
