import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type MarkdownIt from 'markdown-it';
import * as Y from 'yjs';
import { uuidv7 } from '../../platform/ids.ts';
import { ContentImportError, type DroppedKind, htmlToJson, type ImageResolution } from '../content/html-import.ts';
import { jsonToYDoc, type JSONContent } from '../content/ydoc-json.ts';
import { TITLE_MAX } from '../documents/documents.ts';
import { sniffImageType } from '../images/image-types.ts';
import type { ImageType } from '../images/images.tables.ts';
import { imageUrl } from '../images/images.ts';
import { type ZipEntry, ZipFormatError, ZipReader } from '../export/zip.ts';
import { DOCUMENT_EXTENSIONS, type DocumentKind, extensionOf, IMAGE_EXTENSIONS, type ImportLimits, NOT_YET_EXTENSIONS } from './limits.ts';
import { XmlDepthError, XmlDepthMeter } from './xml-depth.ts';

/**
 * Phase 1 of an import: everything is read, checked and converted before anything is written.
 * One pipeline: Markdown (markdown-it, raw HTML off: it stays visible as text) and DOCX (mammoth,
 * after our own zip reader has checked it — it is a zip) become HTML; every HTML goes through
 * content/html-import.ts's allow-list to the editor's JSON; images are only those given as
 * `data:` URIs, embedded in the DOCX or present in the same zip, their type proved by their
 * bytes (images/'s rule: PNG, JPEG, GIF, WebP), never fetched from anywhere.
 *
 * A zip keeps its folders as the documents tree: `a/b.md` goes under a document « a » — the
 * one made of `a.md` when there is one beside the folder, else an empty one named after the
 * folder. Each file gets its own line in the report: imported as « title », not converted
 * (why), or skipped; a problem of one file never stops the others, a problem of the zip itself
 * (not a zip, bomb, too many entries) refuses the whole upload.
 */
export type ReportStatus = 'imported' | 'failed' | 'skipped';

export interface ReportEntry {
  path: string;
  status: ReportStatus;
  title?: string;
  documentId?: string;
  /** Why it was not imported (`imports.reason.<reason>`). */
  reason?: string;
  /** What was left out of an imported file, by kind (`imports.dropped.<kind>`). */
  dropped?: Partial<Record<DroppedKind, number>>;
}

export interface PreparedImage {
  id: string;
  documentId: string;
  bytes: Buffer;
  type: ImageType;
  sha256: string;
}

export interface PreparedDocument {
  id: string;
  /** Null: directly under the import's target (its parent document, or the root). */
  parentId: string | null;
  title: string;
  /** The Yjs state of its content (empty for a folder without a document of its own). */
  state: Uint8Array | null;
  images: PreparedImage[];
}

export interface PreparedImport {
  /** Why the whole upload was refused (`imports.reason.<reason>`), or null. */
  fatal: string | null;
  /** Parents before their children. */
  documents: PreparedDocument[];
  report: ReportEntry[];
}

export interface PrepareInput {
  /** The uploaded bytes, on disk. */
  file: string;
  /** The name the agent gave it (its extension decides how it is read). */
  fileName: string;
  spaceId: string;
  /** A private folder for this import's temporary files (removed by the caller). */
  workDir: string;
  limits: ImportLimits;
  /** Called as files are converted, for the progress bar. */
  progress?: (processed: number, total: number) => Promise<void>;
}

interface SourceDocument {
  /** Path in the import, `/`-separated (a single upload: its name). */
  path: string;
  kind: DocumentKind;
  read: () => Promise<Buffer>;
  size: number;
}

interface SourceImage {
  read: () => Promise<Buffer>;
  size: number;
}

// markdown-it and mammoth are loaded on first use: every server and `entente` command start
// would otherwise pay for them (CLI processes and tests start many times).
let markdownParser: InstanceType<typeof MarkdownIt> | null = null;
async function markdown(): Promise<InstanceType<typeof MarkdownIt>> {
  if (!markdownParser) {
    const { default: MarkdownItClass } = await import('markdown-it');
    markdownParser = new MarkdownItClass({ html: false, linkify: true, typographer: false });
  }
  return markdownParser;
}
const ZIP_REASONS: Record<string, string> = {
  too_many_entries: 'too_many_entries',
  too_large: 'archive_too_large',
  compression_ratio: 'compression_ratio',
  not_a_zip: 'not_a_zip',
  encrypted_entry: 'encrypted',
};
/** System files of zip tools and desktops: not the agent's content, not reported. */
const SYSTEM_ENTRY = /(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)/i;
const DOCUMENTS_PATH = (spaceId: string, documentId: string) => `/espaces/${spaceId}/documents/${documentId}`;

export async function prepareImport(input: PrepareInput): Promise<PreparedImport> {
  const { limits } = input;
  const report: ReportEntry[] = [];
  const sources: SourceDocument[] = [];
  const images = new Map<string, SourceImage>();
  const extension = extensionOf(input.fileName);
  let zip: ZipReader | null = null;
  try {
    if (extension === 'zip') {
      try {
        zip = await ZipReader.open(input.file, { maxEntries: limits.maxEntries, maxTotalBytes: limits.maxTotalBytes, maxRatio: limits.maxRatio });
      } catch (error) {
        return { fatal: zipReason(error), documents: [], report };
      }
      const opened = zip;
      for (const entry of opened.entries) {
        const name = entry.name;
        if (SYSTEM_ENTRY.test(name)) continue;
        if (name.endsWith('/') && unsafePath(name.slice(0, -1)) === null) continue; // a folder: made from its files
        const unsafe = unsafePath(name);
        if (unsafe) {
          report.push({ path: printable(name), status: 'failed', reason: unsafe });
          continue;
        }
        if (name.split('/').length - 1 > limits.maxFolderDepth) {
          report.push({ path: name, status: 'failed', reason: 'folders_too_deep' });
          continue;
        }
        // A bomb disguised as many entries: each entry's own ratio, not only the reader's (it
        // checks entries above 16 MiB).
        if (entry.size > 1024 * 1024 && entry.size / Math.max(1, entry.compressedSize) > limits.maxRatio) {
          report.push({ path: name, status: 'failed', reason: 'compression_ratio' });
          continue;
        }
        const ext = extensionOf(name);
        const read = (max: number) => () => opened.read(entry, max);
        if (ext in DOCUMENT_EXTENSIONS) {
          const kind = DOCUMENT_EXTENSIONS[ext as keyof typeof DOCUMENT_EXTENSIONS];
          const max = kind === 'docx' ? limits.maxDocxBytes : limits.maxTextFileBytes;
          if (entry.size > max) report.push({ path: name, status: 'failed', reason: 'file_too_large' });
          else sources.push({ path: name, kind, read: read(max), size: entry.size });
        } else if (IMAGE_EXTENSIONS.has(ext)) {
          images.set(name, { read: read(limits.maxImageBytes), size: entry.size });
        } else if (NOT_YET_EXTENSIONS.has(ext)) {
          // A document the agent meant to import (not a stray file): a failure that says why.
          report.push({ path: name, status: 'failed', reason: `${ext}_not_supported_yet` });
        } else {
          report.push({ path: name, status: 'skipped', reason: 'unsupported_type' });
        }
      }
    } else if (extension in DOCUMENT_EXTENSIONS) {
      const kind = DOCUMENT_EXTENSIONS[extension as keyof typeof DOCUMENT_EXTENSIONS];
      const size = (await stat(input.file)).size;
      const name = baseName(input.fileName);
      if (size > (kind === 'docx' ? limits.maxDocxBytes : limits.maxTextFileBytes)) return { fatal: 'file_too_large', documents: [], report };
      sources.push({ path: name, kind, read: () => readFile(input.file), size });
    } else {
      return { fatal: 'unsupported_type', documents: [], report };
    }
    const documents = await convertAll(input, sources, images, report);
    // Images of the zip no document showed: not documents themselves.
    for (const [imagePath, image] of images) if (!(image as SourceImage & { used?: boolean }).used) report.push({ path: imagePath, status: 'skipped', reason: 'not_a_document' });
    // In the order of the archive's tree, as a file manager shows it.
    const collator = new Intl.Collator('fr', { numeric: true, sensitivity: 'base' });
    report.sort((a, b) => collator.compare(a.path, b.path));
    return { fatal: null, documents, report };
  } finally {
    await zip?.close();
  }
}

interface Planned {
  key: string;
  id: string;
  title: string;
  parentKey: string | null;
  source: SourceDocument | null;
  depth: number;
}

async function convertAll(input: PrepareInput, sources: SourceDocument[], images: Map<string, SourceImage>, report: ReportEntry[]): Promise<PreparedDocument[]> {
  const { limits } = input;
  // The tree: each document is keyed by its path without extension; folders are keys too.
  const planned = new Map<string, Planned>();
  const byPath = new Map<string, Planned>();
  const collator = new Intl.Collator('fr', { numeric: true, sensitivity: 'base' });
  const ordered = [...sources].sort((a, b) => collator.compare(a.path, b.path));
  const accepted: SourceDocument[] = [];
  for (const source of ordered) {
    if (accepted.length >= limits.maxDocuments) report.push({ path: source.path, status: 'failed', reason: 'too_many_documents' });
    else accepted.push(source);
  }
  const ensureFolder = (key: string): Planned => {
    const existing = planned.get(key);
    if (existing) return existing;
    const segments = key.split('/');
    const parentKey = segments.length > 1 ? segments.slice(0, -1).join('/') : null;
    if (parentKey) ensureFolder(parentKey);
    const folder: Planned = { key, id: uuidv7(), title: titleOf(segments[segments.length - 1] ?? key), parentKey, source: null, depth: segments.length };
    planned.set(key, folder);
    return folder;
  };
  for (const source of accepted) {
    const stem = source.path.slice(0, source.path.length - extensionOf(source.path).length - 1);
    // `Note.md` and `Note.html` side by side: the second keeps its extension in its key.
    const key = planned.get(stem)?.source ? source.path : stem;
    const segments = key.split('/');
    const parentKey = segments.length > 1 ? segments.slice(0, -1).join('/') : null;
    if (parentKey) ensureFolder(parentKey);
    const existing = planned.get(key);
    const title = titleOf(baseName(source.path).replace(/\.[^.]+$/, '')) || titleOf(baseName(source.path));
    const entry: Planned = existing
      ? { ...existing, source, title }
      : { key, id: uuidv7(), title, parentKey, source, depth: segments.length };
    planned.set(key, entry);
    byPath.set(source.path, entry);
  }
  for (const folder of planned.values()) if (!folder.source) byPath.set(folder.key, folder);

  const converted = new Map<string, PreparedDocument & { json: JSONContent }>();
  let processed = 0;
  let imageCount = 0;
  let imageBytes = 0;
  const total = accepted.length;
  await input.progress?.(0, total);
  for (const doc of planned.values()) {
    const source = doc.source;
    if (!source) continue;
    const line: ReportEntry = { path: source.path, status: 'failed' };
    report.push(line);
    try {
      const html = await toHtml(source, input);
      const requests: ImageRequest[] = [];
      const directory = path.posix.dirname(source.path) === '.' ? '' : path.posix.dirname(source.path);
      const { json, dropped } = htmlToJson(html.html, {
        limits: limits.html,
        link: (href) => {
          const target = resolveRelative(directory, href);
          const found = target === null ? undefined : (byPath.get(target) ?? planned.get(target));
          return found ? DOCUMENTS_PATH(input.spaceId, found.id) : null;
        },
        image: (src) => requestImage(src, directory, html.docxImages, images, requests),
      });
      // Images are read now (they may be zip entries): each proved by its bytes, within the limits.
      const stored: PreparedImage[] = [];
      const outcome = new Map<string, string | DroppedKind>();
      for (const request of requests) {
        const bytes = await request.load().catch(() => null);
        const type = bytes ? sniffImageType(bytes.subarray(0, 12)) : null;
        if (!bytes || !type) {
          outcome.set(request.placeholder, bytes ? 'unsupported_image' : 'unresolved_image');
          continue;
        }
        if (bytes.byteLength > limits.maxImageBytes || imageCount + 1 > limits.maxImages || imageBytes + bytes.byteLength > limits.maxImagesBytes) {
          outcome.set(request.placeholder, 'image_limit');
          continue;
        }
        imageCount += 1;
        imageBytes += bytes.byteLength;
        const id = uuidv7();
        stored.push({ id, documentId: doc.id, bytes, type, sha256: createHash('sha256').update(bytes).digest('hex') });
        outcome.set(request.placeholder, imageUrl(id));
      }
      const content = placeImages(json, outcome, dropped);
      const state = Y.encodeStateAsUpdate(jsonToYDoc(content));
      if (state.byteLength > limits.maxStateBytes) throw new ImportFileError('content_too_large');
      converted.set(doc.key, { id: doc.id, parentId: null, title: doc.title, state, images: stored, json: content });
      line.status = 'imported';
      line.title = doc.title;
      line.documentId = doc.id;
      const kept = Object.fromEntries(Object.entries({ ...html.dropped, ...dropped }).filter(([, n]) => (n ?? 0) > 0));
      if (Object.keys(kept).length > 0) line.dropped = kept;
    } catch (error) {
      line.reason = error instanceof ImportFileError ? error.reason : error instanceof ContentImportError ? error.reason : 'conversion_failed';
    }
    processed += 1;
    await input.progress?.(processed, total);
  }

  // A link to a file of the import that could not be converted would lead nowhere: its text stays.
  const missing = new Set([...planned.values()].filter((p) => p.source && !converted.has(p.key)).map((p) => DOCUMENTS_PATH(input.spaceId, p.id)));
  if (missing.size > 0) {
    for (const doc of converted.values()) {
      const json = withoutLinks(doc.json, missing);
      if (json !== doc.json) doc.state = Y.encodeStateAsUpdate(jsonToYDoc(json));
    }
  }

  // Folders are created only when something under them was imported.
  const keep = new Set<string>();
  for (const key of converted.keys()) {
    let current: Planned | undefined = planned.get(key);
    while (current) {
      keep.add(current.key);
      current = current.parentKey ? planned.get(current.parentKey) : undefined;
    }
  }
  const out: PreparedDocument[] = [];
  const levels = [...planned.values()].filter((p) => keep.has(p.key)).sort((a, b) => a.depth - b.depth || collator.compare(a.key, b.key));
  for (const p of levels) {
    const parentId = p.parentKey ? (planned.get(p.parentKey)?.id ?? null) : null;
    const done = converted.get(p.key);
    if (done) out.push({ id: done.id, parentId, title: done.title, state: done.state, images: done.images });
    else {
      out.push({ id: p.id, parentId, title: p.title, state: null, images: [] });
      report.push({ path: `${p.key}/`, status: 'imported', title: p.title, documentId: p.id });
    }
  }
  return out;
}

class ImportFileError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.reason = reason;
  }
}

interface ImageRequest {
  placeholder: string;
  load: () => Promise<Buffer>;
}

const PLACEHOLDER = 'entente-import-image:';
const DOCX_IMAGE = 'entente-docx-image:';

/** The image's fate, decided without reading it: a placeholder to fill once read, or why it goes. */
function requestImage(src: string, directory: string, docxImages: Map<string, Buffer> | null, images: Map<string, SourceImage>, requests: ImageRequest[]): ImageResolution {
  const value = src.trim();
  const placeholder = `${PLACEHOLDER}${requests.length}`;
  if (docxImages && value.startsWith(DOCX_IMAGE)) {
    const bytes = docxImages.get(value);
    if (!bytes) return { dropped: 'unresolved_image' };
    requests.push({ placeholder, load: async () => bytes });
    return { src: placeholder };
  }
  const data = /^data:image\/(png|jpeg|jpg|gif|webp);base64,([a-z0-9+/=\s]*)$/i.exec(value);
  if (data?.[2] !== undefined) {
    const encoded = data[2];
    requests.push({ placeholder, load: async () => Buffer.from(encoded, 'base64') });
    return { src: placeholder };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https' || value.startsWith('//')) return { dropped: 'remote_image' };
  if (scheme) return { dropped: 'unsupported_image' };
  const target = resolveRelative(directory, value);
  const image = target === null ? undefined : images.get(target);
  if (!image) return { dropped: 'unresolved_image' };
  (image as SourceImage & { used?: boolean }).used = true;
  requests.push({ placeholder, load: image.read });
  return { src: placeholder };
}

/** Replaces image placeholders by the stored address; images that could not be kept go (counted). */
function placeImages(json: JSONContent, outcome: Map<string, string>, dropped: Partial<Record<DroppedKind, number>>): JSONContent {
  const walk = (nodes: JSONContent[]): JSONContent[] => {
    const out: JSONContent[] = [];
    for (const node of nodes) {
      if (node.type === 'image') {
        const result = outcome.get(String(node.attrs?.src ?? ''));
        if (result?.startsWith('/api/images/')) out.push({ ...node, attrs: { ...node.attrs, src: result } });
        else {
          const kind = (result ?? 'unresolved_image') as DroppedKind;
          dropped[kind] = (dropped[kind] ?? 0) + 1;
        }
        continue;
      }
      out.push(node.content ? { ...node, content: walk(node.content) } : node);
    }
    return out;
  };
  return { ...json, content: walk(json.content ?? []) };
}

/** `json` without the link marks whose target is in `targets` (the same object when there is none). */
function withoutLinks(json: JSONContent, targets: Set<string>): JSONContent {
  let changed = false;
  const walk = (node: JSONContent): JSONContent => {
    const marks = node.marks?.filter((m) => !(m.type === 'link' && targets.has(String(m.attrs?.href))));
    const content = node.content?.map(walk);
    if (marks && marks.length !== node.marks?.length) changed = true;
    const next: JSONContent = { ...node };
    if (content) next.content = content;
    if (marks) {
      if (marks.length > 0) next.marks = marks;
      else delete next.marks;
    }
    return next;
  };
  const result = walk(json);
  return changed ? result : json;
}

/** A relative reference from a file of `directory` → the path it names in the import, or null. */
function resolveRelative(directory: string, href: string): string | null {
  let target = href.split('#')[0]?.split('?')[0] ?? '';
  if (target === '') return null;
  try {
    target = decodeURIComponent(target);
  } catch {
    return null;
  }
  if (target.startsWith('/') || target.includes('\\') || target.includes('\0')) return null;
  const joined = path.posix.normalize(path.posix.join(directory || '.', target));
  if (joined === '..' || joined.startsWith('../') || joined.startsWith('/')) return null;
  return joined === '.' ? null : joined;
}

async function toHtml(source: SourceDocument, input: PrepareInput): Promise<{ html: string; docxImages: Map<string, Buffer> | null; dropped: Partial<Record<DroppedKind, number>> }> {
  const bytes = await source.read().catch((error: unknown) => {
    throw new ImportFileError(error instanceof ZipFormatError ? (error.reason === 'entry_too_large' ? 'file_too_large' : 'damaged_archive') : 'unreadable');
  });
  if (source.kind === 'markdown') return { html: (await markdown()).render(decodeText(bytes)), docxImages: null, dropped: {} };
  if (source.kind === 'html') return { html: decodeText(bytes), docxImages: null, dropped: {} };
  return docxToHtml(bytes, input);
}

/** UTF-8 (a byte order mark is dropped); a file that is not text is refused rather than shown as noise. */
function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ImportFileError('not_text');
  }
}

let docxCount = 0;

/**
 * A DOCX is a zip: our reader checks it with its limits (bomb, overlapping entries, encryption…)
 * and inflates every entry once (`inspectDocxEntry`) before mammoth opens it. Mammoth never reads
 * external files (`externalFileAccess: false`); its images come back as placeholders mapped to
 * their bytes.
 */
async function docxToHtml(bytes: Buffer, input: PrepareInput): Promise<{ html: string; docxImages: Map<string, Buffer>; dropped: Partial<Record<DroppedKind, number>> }> {
  const { limits } = input;
  const checked = path.join(input.workDir, `check-${++docxCount}.docx`);
  await writeFile(checked, bytes, { mode: 0o600 });
  let reader: ZipReader | null = null;
  try {
    reader = await ZipReader.open(checked, { maxEntries: limits.maxDocxEntries, maxTotalBytes: limits.maxDocxTotalBytes, maxRatio: limits.maxRatio });
    if (!reader.get('word/document.xml')) throw new ImportFileError('malformed_docx');
    for (const entry of reader.entries) {
      if (entry.size > 1024 * 1024 && entry.size / Math.max(1, entry.compressedSize) > limits.maxRatio) throw new ImportFileError('compression_ratio');
    }
    for (const entry of reader.entries) await inspectDocxEntry(reader, entry, limits.maxDocxXmlDepth);
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    if (error instanceof XmlDepthError) throw new ImportFileError('too_deep');
    const reason = error instanceof ZipFormatError ? ZIP_REASONS[error.reason] : undefined;
    throw new ImportFileError(reason === 'compression_ratio' || reason === 'archive_too_large' ? reason : 'malformed_docx');
  } finally {
    await reader?.close();
  }
  const docxImages = new Map<string, Buffer>();
  const { default: mammoth } = await import('mammoth');
  try {
    const result = await mammoth.convertToHtml(
      { buffer: bytes },
      {
        externalFileAccess: false,
        convertImage: mammoth.images.imgElement(async (image) => {
          const key = `${DOCX_IMAGE}${docxImages.size}`;
          docxImages.set(key, await image.readAsBuffer());
          return { src: key };
        }),
      },
    );
    return { html: result.value, docxImages, dropped: {} };
  } catch {
    throw new ImportFileError('malformed_docx');
  }
}

/**
 * Inflates one entry of a DOCX through our reader, keeping nothing, before mammoth may read it:
 * - its size: mammoth's unzip (JSZip) inflates an entry whole and only then compares it with the
 *   size the archive declares, so an entry declared as 1000 bytes that inflates to gigabytes (a
 *   1 MiB file) took seconds and a gigabyte of memory there. Our reader stops at the declared size
 *   (`entry_size_mismatch`), and those sizes passed the limits above; mammoth then reads the same
 *   bytes (the same directory, the same data ranges), which are no larger than declared.
 * - the depth of its XML (any entry that starts as markup, whatever its name: the package's
 *   relationships decide which parts mammoth reads): see xml-depth.ts.
 */
async function inspectDocxEntry(reader: ZipReader, entry: ZipEntry, maxDepth: number): Promise<void> {
  // Undecided while only a byte order mark and white space came (a part may start with any amount).
  let meter: XmlDepthMeter | null | undefined;
  let first = true;
  for await (const chunk of reader.chunks(entry)) {
    if (meter === undefined) {
      const at = firstSignificant(chunk, first);
      first = false;
      if (at === -1) continue;
      meter = chunk[at] === 0x3c ? new XmlDepthMeter(maxDepth) : null;
    }
    meter?.push(chunk);
  }
}

/** Where the first byte that is not white space (nor, at the start, a UTF-8 byte order mark) is, or -1. */
function firstSignificant(chunk: Uint8Array, start: boolean): number {
  let i = start && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 3 : 0;
  while (i < chunk.length && (chunk[i] === 0x20 || chunk[i] === 0x09 || chunk[i] === 0x0a || chunk[i] === 0x0d)) i += 1;
  return i < chunk.length ? i : -1;
}

function zipReason(error: unknown): string {
  if (error instanceof ZipFormatError) return ZIP_REASONS[error.reason] ?? 'damaged_archive';
  // Names that are not UTF-8 (old tools' code pages) make the reader's decoder throw.
  if (error instanceof TypeError) return 'damaged_archive';
  throw error;
}

/**
 * Why an entry's name cannot be a place in the tree, or null: absolute paths, drive letters,
 * backslashes, `.` and `..` segments, empty segments, NUL and control characters.
 */
export function unsafePath(name: string): string | null {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (name === '' || /[\u0000-\u001f\u007f\\]/.test(name) || name.startsWith('/') || /^[a-z]:/i.test(name)) return 'unsafe_path';
  if (name.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) return 'unsafe_path';
  return null;
}

/** A name for the report that shows what was refused without its control characters. */
function printable(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
  return name.replace(/[\u0000-\u001f\u007f]/g, '�').slice(0, 500);
}

function baseName(name: string): string {
  const parts = name.split(/[/\\]/);
  return parts[parts.length - 1] ?? name;
}

/** A file or folder name as a document title: the agent's words, without controls, within the title limit. */
export function titleOf(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const cleaned = name.normalize('NFC').replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '').replace(/\s+/g, ' ').trim();
  return [...cleaned].slice(0, TITLE_MAX).join('');
}

