import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import * as Y from 'yjs';
import type { z } from 'zod';
import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Cells } from '../../platform/cells/cells.ts';
import type { KeyOwner } from '../../platform/crypto/keyring.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { OrganisationSkillsArchive, SkillsImportReport } from '../../skills/index.ts';
import { uuidv7 } from '../../platform/ids.ts';
import type { Logger } from '../../platform/logger.ts';
import type { MalwareScanner } from '../../platform/scanning/malware-scanner.ts';
import { sealDocumentBytes } from '../collab/sealed-update.ts';
import { jsonToText } from '../content/text.ts';
import { yDocToJson } from '../content/ydoc-json.ts';
import { deepestInsertion } from '../collab/update-depth.ts';
import { MAX_CONTENT_DEPTH } from '../../../../common/src/content-depth.ts';
import { nameKey, THUMBNAIL_TYPES, TypeProbe, validName } from '../files/content-types.ts';
import { MAX_FOLDER_DEPTH } from '../files/files.ts';
import { sniffImageType } from '../images/image-types.ts';
import { MAX_SOURCE_BYTES, makeThumbnail } from '../files/thumbnails.ts';
import { thumbnailKey, versionKey } from '../files/deps.ts';
import type { SpaceRole } from '../workspace.tables.ts';
import type { ClassificationScale } from '../classification/classification.ts';
import {
  DocumentsFileSchema,
  FilesFileSchema,
  FORMAT_NAME,
  FORMAT_VERSION,
  ImagesFileSchema,
  MANIFEST_PATH,
  type Manifest,
  ManifestSchema,
  MembersFileSchema,
  SpaceFileSchema,
} from './archive-format.ts';
import {
  ArchiveError,
  archiveTooLarge,
  damagedArchive,
  importFailed,
  invalidArchive,
  ownerNeeded,
  unknownClassificationLevel,
  unknownFormat,
  unknownOwner,
  unknownVersion,
  unreadableArchive,
} from './errors.ts';
import {
  completeSpaceImport,
  deleteDirectoryAndMembers,
  deleteSpaceRow,
  findPrincipals,
  type ImportedDocumentRow,
  insertDirectoryAndMembers,
  insertImportedAccess,
  insertImportedDocuments,
  insertImportedFiles,
  insertImportedFileVersion,
  insertImportedImage,
  insertImportedSpace,
  insertImportedVersion,
  insertSpaceImport,
  listAbandonedImports,
  listCompletedImportsOfArchive,
  organisationExists,
  setCurrentFileVersion,
  touchSpaceImport,
} from './export.repo.ts';
import { internalTarget, rewriteState } from './links.ts';
import { isSafeArchivePath } from './names.ts';
import { checkSkillsPart, importSkillsPart } from './org-skills-import.ts';
import { DEFAULT_ZIP_LIMITS, type ZipEntry, ZipFormatError, type ZipLimits, ZipReader } from './zip.ts';
import { importComments } from '../comments/comments-archive.ts'; // comments (helper C)

/**
 * `entente import --file FILE.zip [--cell FR|QC] [--owner PRINCIPAL_ID]` (docs/export-format.md):
 * loads the spaces of an archive as NEW spaces, with new ids everywhere.
 *
 * 1. The archive is checked whole before anything is written: a ZIP we accept (zip.ts: limits on
 *    entries, size and compression ratio, no overlapping entries), a manifest of a known format
 *    and version, exactly the entries it lists, each of the size and SHA-256 it states, and JSON
 *    files that validate and refer only to entries that exist. A damaged, unknown or oversized
 *    archive is refused with a bilingual message and nothing is written.
 * 2. Each space is written to its cell (the archive's jurisdiction unless `--cell` says another):
 *    the space, its documents (tree, order, restrictions, timestamps), their content from the Yjs
 *    state — exactly, plus one change rewriting internal links and images to the new ids when it
 *    has any —, versions, images and files (every version, re-encrypted with the new space's key),
 *    the source's audit extract kept verbatim as an imported record (never replayed into this
 *    instance's hash chains: it is evidence of what happened elsewhere, not new events).
 * 3. Members are re-attached when their principal exists here (the others are reported), then the
 *    control plane makes the space visible. An import that fails removes everything it created;
 *    one whose process died is removed by the next import (`space_imports` heartbeat).
 * 4. The same archive again (its manifest's SHA-256): the spaces an earlier import of it created and
 *    that are still here are reported, not created twice, unless `again` asks for new copies.
 */
export interface ImportDeps {
  stores: Stores;
  cells: Cells;
  /** The document store: `initialise` writes a new document's first content (encrypted log, then snapshot). */
  content: { initialise(ref: { documentId: string; spaceId: string; jurisdiction: Jurisdiction }, state: Uint8Array): Promise<void> };
  audit: AuditLog;
  /** This instance's public URL: absolute links to the source instance's documents become links here. */
  publicUrl?: URL;
  /** When configured (clamd), every imported file version is scanned again here. */
  scanner?: MalwareScanner;
  logger?: Logger;
  /**
   * This instance's classification scale (ENTENTE_CONFIG `aiPolicy.levels`, issue 7): every level
   * the archive names must be one of it. Absent: no level is known here, and an archive that names
   * any is refused (never imported without its label).
   */
  scale?: Pick<ClassificationScale, 'ids' | 'isLevel'>;
  /** The skills module's part of an organisation's archive (injected; absent: its files are not read). */
  skills?: OrganisationSkillsArchive;
}

export interface ImportLimits extends ZipLimits {
  /** A JSON file of the archive (documents.json…), read whole. */
  maxJsonBytes: number;
  /** A document's or a version's Yjs state (the collaboration server's limit is 16 MiB). */
  maxStateBytes: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = { ...DEFAULT_ZIP_LIMITS, maxJsonBytes: 256 * 1024 * 1024, maxStateBytes: 32 * 1024 * 1024 };
/** An import that has not signalled for this long is taken as dead, and removed by the next one. */
export const ABANDONED_AFTER_MS = 15 * 60_000;

export interface ImportOptions {
  file: string;
  cell?: Jurisdiction;
  owner?: string;
  limits?: Partial<ImportLimits>;
  /**
   * Import the archive's spaces again as new copies even when this archive was imported before
   * (`--again`). Without it, spaces an earlier import of the same archive created and that are
   * still here are left as they are, and reported.
   */
  again?: boolean;
}

/** A space of the archive an earlier import of the same archive created, still here: not created twice. */
export interface AlreadyImportedSpace {
  sourceId: string;
  id: string;
  name: string;
  jurisdiction: Jurisdiction;
  importedAt: Date;
}

export interface ImportedSpace {
  sourceId: string;
  id: string;
  importId: string;
  name: string;
  jurisdiction: Jurisdiction;
  documents: number;
  documentVersions: number;
  images: number;
  files: number;
  fileVersions: number;
  auditEvents: number;
  members: { attached: { principalId: string; role: SpaceRole }[]; missing: string[] };
  /** Documents' access entries of principals that are not members here (dropped). */
  droppedAccessEntries: number;
  /** The space's own classification level, as the archive says (null: not set); documents with their own level. */
  classificationLevel: string | null;
  labelledDocuments: number;
  quarantinedHere: number;
}

export interface ImportReport {
  spaces: ImportedSpace[];
  /** Spaces of the archive already imported here from this very archive, left as they are. */
  alreadyImported: AlreadyImportedSpace[];
  /** Half-imported spaces of dead imports removed first. */
  abandonedRemoved: number;
  /** The archive's source, as its manifest says. */
  source: Manifest['source'];
  /** The archive's organisation (not created here: identities come from the federations). */
  organisation: Manifest['organisation'];
  /** Skills results of an organisation's archive (null: none in the archive, or not an organisation's). */
  skills: SkillsImportReport | null;
}

const SPACE_KEY = (spaceId: string): KeyOwner => ({ type: 'space', id: spaceId });

export async function importArchive(deps: ImportDeps, options: ImportOptions): Promise<ImportReport> {
  const limits: ImportLimits = { ...DEFAULT_IMPORT_LIMITS, ...options.limits };
  const abandonedRemoved = await removeAbandonedImports(deps);
  let reader: ZipReader;
  try {
    reader = await ZipReader.open(options.file, limits);
  } catch (error) {
    throw zipRefusal(error);
  }
  try {
    const archive = new VerifiedArchive(reader, limits);
    const manifest = await archive.readManifest();
    await archive.verifyAll();
    const loaded: LoadedSpace[] = [];
    for (const entry of manifest.spaces) loaded.push(await archive.loadSpace(entry));
    checkLevels(loaded, deps.scale);
    const skillsPlan = await checkSkillsPart(deps.skills, archive, manifest.scope);

    // The same archive imported before (a re-run after an interruption, or by mistake): its spaces
    // still here are not created a second time — only `again` asks for new copies.
    const previous = options.again ? new Map<string, PreviousImport>() : await previousImports(deps, archive.manifestSha256);
    const toImport = loaded.filter((s) => !previous.has(s.space.id));

    // Who may own the new spaces: checked for every space before anything is written.
    const principalIds = new Set<string>();
    for (const s of toImport) for (const m of s.members.members) principalIds.add(m.principalId);
    if (options.owner) principalIds.add(options.owner.toLowerCase());
    const existing = new Map((await findPrincipals(deps.stores.control.db, [...principalIds])).map((p) => [p.id, p]));
    const owner = options.owner?.toLowerCase() ?? null;
    if (owner !== null && existing.get(owner)?.status !== 'active') throw unknownOwner(options.owner as string);
    const plans = toImport.map((s) => planMembers(s, existing, owner));

    // New ids for everything of every space first: a link may point into another space of the
    // archive — into the copy already here for a space imported before.
    const ids = assignIds(loaded);
    for (const earlier of previous.values()) reuseIds(ids, earlier.mapping);
    const created: { spaceId: string; jurisdiction: Jurisdiction }[] = [];
    const report: ImportedSpace[] = [];
    const alreadyImported: AlreadyImportedSpace[] = [];
    let skills: SkillsImportReport | null = null;
    try {
      for (const space of loaded) {
        const earlier = previous.get(space.space.id);
        if (!earlier) continue;
        alreadyImported.push({ sourceId: space.space.id, id: earlier.spaceId, name: earlier.name, jurisdiction: earlier.jurisdiction, importedAt: earlier.importedAt });
        await deps.audit.record({
          action: 'workspace.space.import_repeated',
          outcome: 'success',
          jurisdiction: earlier.jurisdiction,
          resource: { type: 'space', id: earlier.spaceId },
          details: { importId: earlier.importId, sourceSpaceId: space.space.id, sourceInstance: manifest.source.instanceUrl, by: 'cli' },
        });
      }
      for (const [i, space] of toImport.entries()) {
        const jurisdiction = options.cell ?? space.space.jurisdiction;
        report.push(await importSpace(deps, archive, manifest, space, plans[i] as MemberPlan, ids, jurisdiction, created));
      }
      skills = await importSkillsPart(deps, archive, skillsPlan);
    } catch (error) {
      for (const c of created.reverse()) await removeSpace(deps, c.spaceId, c.jurisdiction).catch((err: unknown) => deps.logger?.error({ err, spaceId: c.spaceId }, 'removing a failed import left something behind'));
      for (const c of created) {
        await deps.audit
          .record({ action: 'workspace.space.import_rolled_back', outcome: 'failure', jurisdiction: c.jurisdiction, resource: { type: 'space', id: c.spaceId }, details: { by: 'cli' } })
          .catch(() => {});
      }
      if (error instanceof ArchiveError) throw error;
      if (error instanceof ZipFormatError) throw damagedArchive(error.entry ?? '?', error.message);
      throw importFailed((error as Error).message, { cause: error });
    }
    return { spaces: report, alreadyImported, abandonedRemoved, source: manifest.source, organisation: manifest.organisation, skills };
  } finally {
    await reader.close();
  }
}

function zipRefusal(error: unknown): ArchiveError {
  if (error instanceof ArchiveError) return error;
  if (error instanceof ZipFormatError) {
    if (['too_many_entries', 'too_large', 'compression_ratio', 'entry_too_large'].includes(error.reason)) return archiveTooLarge(error.message);
    return unreadableArchive(error.message, { cause: error });
  }
  return unreadableArchive((error as Error).message, { cause: error });
}

// ── reading and verifying the archive ────────────────────────────────────────────────────────

type SpaceEntry = Manifest['spaces'][number];

interface LoadedSpace {
  entry: SpaceEntry;
  space: z.infer<typeof SpaceFileSchema>;
  members: z.infer<typeof MembersFileSchema>;
  documents: z.infer<typeof DocumentsFileSchema>['documents'];
  images: z.infer<typeof ImagesFileSchema>['images'];
  files: z.infer<typeof FilesFileSchema>['items'];
  audit: string | null;
}

/** The archive once its manifest is read: every read afterwards is checked against the manifest's SHA-256. */
class VerifiedArchive {
  readonly reader: ZipReader;
  readonly limits: ImportLimits;
  readonly expected = new Map<string, { size: number; sha256: string }>();
  manifestSha256 = '';

  constructor(reader: ZipReader, limits: ImportLimits) {
    this.reader = reader;
    this.limits = limits;
  }

  async readManifest(): Promise<Manifest> {
    const entry = this.reader.get(MANIFEST_PATH);
    if (!entry) throw unknownFormat();
    let raw: Buffer;
    try {
      raw = await this.reader.read(entry, 64 * 1024 * 1024);
    } catch (error) {
      throw zipRefusal(error);
    }
    this.manifestSha256 = createHash('sha256').update(raw).digest('hex');
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      throw unknownFormat();
    }
    const head = (parsed ?? {}) as { format?: unknown; version?: unknown };
    if (typeof parsed !== 'object' || parsed === null || head.format !== FORMAT_NAME) throw unknownFormat();
    if (head.version !== FORMAT_VERSION) throw unknownVersion(head.version, FORMAT_VERSION);
    const result = ManifestSchema.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw invalidArchive(`manifest.json: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
    }
    const manifest = result.data;
    // Exactly the entries the manifest lists, no more, no fewer, each safe to name.
    for (const e of manifest.entries) {
      if (!isSafeArchivePath(e.path) || e.path === MANIFEST_PATH) throw invalidArchive(`unsafe entry name ${JSON.stringify(e.path.slice(0, 200))}`);
      if (this.expected.has(e.path)) throw invalidArchive(`${e.path} is listed twice`);
      const zipEntry = this.reader.get(e.path);
      if (!zipEntry) throw damagedArchive(e.path, 'missing');
      if (zipEntry.size !== e.size) throw damagedArchive(e.path, `${zipEntry.size} bytes, ${e.size} expected`);
      this.expected.set(e.path, { size: e.size, sha256: e.sha256 });
    }
    for (const z of this.reader.entries) {
      if (z.name !== MANIFEST_PATH && !this.expected.has(z.name)) throw invalidArchive(`${JSON.stringify(z.name.slice(0, 200))} is not in the manifest`);
    }
    const prefixes = new Set<string>();
    for (const s of manifest.spaces) {
      if (!s.path.endsWith('/') || !isSafeArchivePath(s.path.slice(0, -1)) || prefixes.has(s.path)) throw invalidArchive(`bad space folder ${JSON.stringify(s.path)}`);
      prefixes.add(s.path);
    }
    return manifest;
  }

  /** Streams every entry once and compares its SHA-256 with the manifest's: nothing is written before this passes. */
  async verifyAll(): Promise<void> {
    for (const [path, want] of this.expected) {
      const hash = createHash('sha256');
      try {
        for await (const chunk of this.reader.chunks(this.zipEntry(path))) hash.update(chunk);
      } catch (error) {
        throw damagedArchive(path, error instanceof ZipFormatError ? error.reason : (error as Error).message);
      }
      if (hash.digest('hex') !== want.sha256) throw damagedArchive(path, 'SHA-256');
    }
  }

  zipEntry(path: string): ZipEntry {
    const entry = this.reader.get(path);
    if (!entry || !this.expected.has(path)) throw invalidArchive(`${JSON.stringify(path.slice(0, 200))} is referred to but not in the archive`);
    return entry;
  }

  has(path: string): boolean {
    return this.expected.has(path);
  }

  paths(): Iterable<string> {
    return this.expected.keys();
  }

  invalid(message: string): ArchiveError {
    return invalidArchive(message);
  }

  /**
   * The entry's bytes, hashed again as they stream: an archive changed on disk since it was
   * verified fails here (and the import is undone).
   */
  async *chunks(path: string): AsyncGenerator<Buffer> {
    const entry = this.zipEntry(path);
    const want = this.expected.get(path) as { sha256: string };
    const hash = createHash('sha256');
    try {
      for await (const chunk of this.reader.chunks(entry)) {
        hash.update(chunk);
        yield chunk;
      }
    } catch (error) {
      if (error instanceof ZipFormatError) throw damagedArchive(path, error.reason);
      throw error;
    }
    if (hash.digest('hex') !== want.sha256) throw damagedArchive(path, 'SHA-256 (changed since it was checked)');
  }

  async bytes(path: string, max: number): Promise<Buffer> {
    const entry = this.zipEntry(path);
    if (entry.size > max) throw archiveTooLarge(`${path}: ${entry.size} bytes, at most ${max}`);
    const chunks: Buffer[] = [];
    for await (const chunk of this.chunks(path)) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  async json<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    const raw = await this.bytes(path, this.limits.maxJsonBytes);
    let value: unknown;
    try {
      value = JSON.parse(raw.toString('utf8'));
    } catch {
      throw invalidArchive(`${path} is not JSON`);
    }
    const result = schema.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw invalidArchive(`${path}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
    }
    return result.data;
  }

  async loadSpace(entry: SpaceEntry): Promise<LoadedSpace> {
    const p = entry.path;
    const space = await this.json(`${p}space.json`, SpaceFileSchema);
    const members = await this.json(`${p}members.json`, MembersFileSchema);
    const documents = (await this.json(`${p}documents.json`, DocumentsFileSchema)).documents;
    const images = this.has(`${p}images.json`) ? (await this.json(`${p}images.json`, ImagesFileSchema)).images : [];
    const files = this.has(`${p}files.json`) ? (await this.json(`${p}files.json`, FilesFileSchema)).items : [];
    const audit = this.has(`${p}audit.jsonl`) ? `${p}audit.jsonl` : null;
    if (space.id !== entry.id) throw invalidArchive(`${p}space.json names another space`);
    // The manifest's level is a summary for whoever reads it first: it may not say less than space.json.
    if ((entry.classificationLevel ?? null) !== (space.classificationLevel ?? null)) throw invalidArchive(`${p}space.json and manifest.json give the space different classification levels`);
    checkReferences(this, p, documents, images, files, members);
    return { entry, space, members, documents, images, files, audit };
  }
}

/** Ids unique, parents inside the archive, no cycle, every path an entry of the archive. */
function checkReferences(
  archive: VerifiedArchive,
  prefix: string,
  documents: LoadedSpace['documents'],
  images: LoadedSpace['images'],
  files: LoadedSpace['files'],
  members: LoadedSpace['members'],
): void {
  const unique = (what: string, ids: string[]) => {
    if (new Set(ids).size !== ids.length) throw invalidArchive(`${prefix}: duplicate ${what} ids`);
  };
  unique('document', documents.map((d) => d.id));
  unique('version', documents.flatMap((d) => d.versions.map((v) => v.id)));
  unique('image', images.map((i) => i.id));
  unique('file', files.map((f) => f.id));
  unique('file version', files.flatMap((f) => f.versions.map((v) => v.id)));
  unique('member', members.members.map((m) => m.principalId));
  const need = (path: string | null) => {
    if (path !== null && !archive.has(path)) throw invalidArchive(`${JSON.stringify(path.slice(0, 200))} is referred to but not in the archive`);
  };
  const docIds = new Set(documents.map((d) => d.id));
  for (const d of documents) {
    if (d.parentId !== null && !docIds.has(d.parentId)) throw invalidArchive(`${prefix}documents.json: the parent of ${d.id} is not in the archive`);
    need(d.yjs);
    for (const v of d.versions) need(v.yjs);
  }
  acyclic(documents.map((d) => ({ id: d.id, parentId: d.parentId })), `${prefix}documents.json`);
  for (const i of images) {
    if (i.documentId !== null && !docIds.has(i.documentId)) throw invalidArchive(`${prefix}images.json: the document of ${i.id} is not in the archive`);
    need(i.path);
    if (archive.expected.get(i.path)?.sha256 !== i.sha256 || archive.zipEntry(i.path).size !== i.size) throw invalidArchive(`${prefix}images.json: image ${i.id} is not ${i.path}`);
  }
  const fileIds = new Map(files.map((f) => [f.id, f]));
  for (const f of files) {
    if (f.parentId !== null && fileIds.get(f.parentId)?.kind !== 'folder') throw invalidArchive(`${prefix}files.json: the folder of ${f.id} is not in the archive`);
    if (f.kind === 'folder' && (f.versions.length > 0 || f.currentVersionId !== null)) throw invalidArchive(`${prefix}files.json: folder ${f.id} has versions`);
    if (f.kind === 'file' && (f.currentVersionId === null || !f.versions.some((v) => v.id === f.currentVersionId))) throw invalidArchive(`${prefix}files.json: file ${f.id} has no current version`);
    unique(`version number of ${f.id}`, f.versions.map((v) => String(v.number)));
    for (const v of f.versions) {
      if (v.status !== 'quarantined' && v.path === null) throw invalidArchive(`${prefix}files.json: version ${v.id} has no content`);
      need(v.path);
      if (v.path !== null && (archive.zipEntry(v.path).size !== v.size || archive.expected.get(v.path)?.sha256 !== v.sha256)) {
        throw invalidArchive(`${prefix}files.json: version ${v.id} is not ${v.path}`);
      }
    }
  }
  acyclic(files.map((f) => ({ id: f.id, parentId: f.parentId })), `${prefix}files.json`);
  // Names and depth as the files area allows them (an agent could not have made anything else):
  // no bidirectional override to disguise an extension, no separator, no control character that
  // would reach a terminal or a header, no tree deeper than its walks go.
  for (const f of files) {
    if (validName(f.name) !== f.name) throw invalidArchive(`${prefix}files.json: the file name of ${f.id} is not one the files area accepts`);
  }
  const levels = new Map<string, number>();
  const levelOf = (id: string): number => {
    const chain: string[] = [];
    let at: string | null = id;
    while (at !== null && !levels.has(at)) {
      chain.push(at);
      at = fileIds.get(at)?.parentId ?? null;
    }
    let level = at === null ? 0 : (levels.get(at) as number);
    for (const node of chain.reverse()) levels.set(node, ++level);
    return levels.get(id) as number;
  };
  for (const f of files) {
    if (f.kind === 'folder' && levelOf(f.id) > MAX_FOLDER_DEPTH) throw invalidArchive(`${prefix}files.json: folders nested more than ${MAX_FOLDER_DEPTH} levels deep`);
  }
}

/**
 * Classification levels (issue 7): the archive's levels are taken as they are — an import is the
 * operator's act creating a new space, like a creation — but each must be a level of this
 * instance's scale. A level unknown here is refused before anything is written, rather than
 * dropped: a space imported without its label would send its content to models not cleared for it.
 * Level ids are compared as they are: two instances exchanging archives agree on what each means.
 */
function checkLevels(spaces: readonly LoadedSpace[], scale: ImportDeps['scale']): void {
  const known = (level: string | null | undefined) => level === null || level === undefined || (scale?.isLevel(level) ?? false);
  for (const s of spaces) {
    const name = s.space.name.slice(0, 200);
    if (!known(s.space.classificationLevel)) {
      throw unknownClassificationLevel(s.space.classificationLevel as string, { fr: `espace « ${name} »`, en: `space "${name}"` }, scale?.ids ?? []);
    }
    const doc = s.documents.find((d) => !known(d.classificationLevel));
    if (doc) {
      const title = doc.title.slice(0, 200);
      throw unknownClassificationLevel(
        doc.classificationLevel as string,
        { fr: `document « ${title} » (${doc.id}) de l’espace « ${name} »`, en: `document "${title}" (${doc.id}) of the space "${name}"` },
        scale?.ids ?? [],
      );
    }
  }
}

function acyclic(nodes: { id: string; parentId: string | null }[], where: string): void {
  const parent = new Map(nodes.map((n) => [n.id, n.parentId]));
  const done = new Set<string>();
  for (const n of nodes) {
    const seen = new Set<string>();
    let at: string | null = n.id;
    while (at !== null && !done.has(at)) {
      if (seen.has(at)) throw invalidArchive(`${where}: the tree has a cycle`);
      seen.add(at);
      at = parent.get(at) ?? null;
    }
    for (const s of seen) done.add(s);
  }
}

// ── members ──────────────────────────────────────────────────────────────────────────────────

interface MemberPlan {
  attached: { principalId: string; role: SpaceRole }[];
  missing: string[];
}

function planMembers(space: LoadedSpace, existing: Map<string, { status: 'active' | 'disabled' }>, owner: string | null): MemberPlan {
  const attached: MemberPlan['attached'] = [];
  const missing: string[] = [];
  for (const m of space.members.members) {
    if (existing.has(m.principalId)) attached.push({ principalId: m.principalId, role: m.principalId === owner ? 'owner' : m.role });
    else missing.push(m.principalId);
  }
  if (owner !== null && !attached.some((m) => m.principalId === owner)) attached.push({ principalId: owner, role: 'owner' });
  if (!attached.some((m) => m.role === 'owner' && existing.get(m.principalId)?.status === 'active')) throw ownerNeeded(space.space.name);
  return { attached, missing };
}

// ── ids ──────────────────────────────────────────────────────────────────────────────────────

interface IdMaps {
  spaces: Map<string, string>;
  documents: Map<string, string>;
  documentVersions: Map<string, string>;
  images: Map<string, string>;
  files: Map<string, string>;
  fileVersions: Map<string, string>;
}

/** New UUID v7s, handed out so that their order is the old ids' order (lists ordered by id keep their order). */
function orderedIds(old: Iterable<string>): Map<string, string> {
  const sortedOld = [...new Set(old)].sort();
  const fresh = sortedOld.map(() => uuidv7()).sort();
  return new Map(sortedOld.map((id, i) => [id, fresh[i] as string]));
}

function assignIds(spaces: readonly LoadedSpace[]): IdMaps {
  // Ids are unique within each space (checkReferences); across the spaces of one archive too.
  const all = spaces.flatMap((s) => [s.space.id, ...s.documents.flatMap((d) => [d.id, ...d.versions.map((v) => v.id)]), ...s.images.map((i) => i.id), ...s.files.flatMap((f) => [f.id, ...f.versions.map((v) => v.id)])]);
  if (new Set(all).size !== all.length) throw invalidArchive('the same id appears in two places');
  return {
    spaces: orderedIds(spaces.map((s) => s.space.id)),
    documents: orderedIds(spaces.flatMap((s) => s.documents.map((d) => d.id))),
    documentVersions: orderedIds(spaces.flatMap((s) => s.documents.flatMap((d) => d.versions.map((v) => v.id)))),
    images: orderedIds(spaces.flatMap((s) => s.images.map((i) => i.id))),
    files: orderedIds(spaces.flatMap((s) => s.files.map((f) => f.id))),
    fileVersions: orderedIds(spaces.flatMap((s) => s.files.flatMap((f) => f.versions.map((v) => v.id)))),
  };
}

interface PreviousImport {
  importId: string;
  spaceId: string;
  name: string;
  jurisdiction: Jurisdiction;
  importedAt: Date;
  mapping: Partial<Record<keyof IdMaps, Record<string, string>>>;
}

/** By the archive's space id: the newest import of this archive (same manifest SHA-256) whose space is still here, in either cell. */
async function previousImports(deps: ImportDeps, manifestSha256: string): Promise<Map<string, PreviousImport>> {
  const found = new Map<string, PreviousImport>();
  for (const jurisdiction of JURISDICTIONS) {
    for (const row of await listCompletedImportsOfArchive(deps.cells.get(jurisdiction).db, manifestSha256)) {
      const importedAt = row.completed_at ?? new Date(0);
      const known = found.get(row.source_space_id);
      if (known && known.importedAt >= importedAt) continue;
      const mapping = (typeof row.mapping === 'string' ? JSON.parse(row.mapping) : row.mapping) as PreviousImport['mapping'];
      found.set(row.source_space_id, { importId: row.id, spaceId: row.space_id, name: row.name, jurisdiction, importedAt, mapping });
    }
  }
  return found;
}

/** The ids an earlier import gave a space's contents, in place of fresh ones (links from the new spaces reach that copy). */
function reuseIds(ids: IdMaps, mapping: PreviousImport['mapping']): void {
  for (const kind of Object.keys(ids) as (keyof IdMaps)[]) {
    for (const [oldId, newId] of Object.entries(mapping[kind] ?? {})) if (ids[kind].has(oldId)) ids[kind].set(oldId, newId);
  }
}

const get = (map: Map<string, string>, id: string): string => {
  const value = map.get(id);
  if (!value) throw new Error(`No new id for ${id}`);
  return value;
};

// ── writing one space ────────────────────────────────────────────────────────────────────────

async function importSpace(
  deps: ImportDeps,
  archive: VerifiedArchive,
  manifest: Manifest,
  source: LoadedSpace,
  members: MemberPlan,
  ids: IdMaps,
  jurisdiction: Jurisdiction,
  created: { spaceId: string; jurisdiction: Jurisdiction }[],
): Promise<ImportedSpace> {
  const cell = deps.cells.get(jurisdiction);
  const db = cell.db;
  const spaceId = get(ids.spaces, source.space.id);
  const importId = uuidv7();
  const owner = SPACE_KEY(spaceId);
  const origins = [new URL(manifest.source.instanceUrl).origin];
  const beat = heartbeat(db, importId);

  // The key first, on the plain handle (keyring.ts: never create a key inside a transaction).
  const key = await cell.keyring.getOrCreateDataKey(db, owner);
  await db.transaction().execute(async (trx) => {
    await insertImportedSpace(trx, {
      id: spaceId,
      name: source.space.name,
      description: source.space.description,
      min_assurance: source.space.minAssurance,
      classification: source.space.classification,
      created_by: source.space.createdBy,
      created_at: new Date(source.space.createdAt),
      updated_at: new Date(source.space.updatedAt),
    });
    await insertSpaceImport(trx, {
      id: importId,
      space_id: spaceId,
      status: 'importing',
      source_instance: manifest.source.instanceUrl,
      source_space_id: source.space.id,
      source_created_at: new Date(manifest.createdAt),
      format_version: manifest.version,
      manifest_sha256: archive.manifestSha256,
      audit_object_key: null,
      audit_sha256: null,
      audit_events: 0,
    });
  });
  created.push({ spaceId, jurisdiction });

  // Links and images inside documents: old ids → new ones, in the same form (relative, or absolute on this instance's origin).
  const here = deps.publicUrl ? deps.publicUrl.origin : '';
  const rewrite = (href: string): string | null => {
    const target = internalTarget(href, origins);
    if (!target) return null;
    const base = target.absolute ? here : '';
    if (target.kind === 'image') {
      const image = ids.images.get(target.imageId);
      return image ? `${base}/api/images/${image}${target.rest}` : null;
    }
    const space = ids.spaces.get(target.spaceId);
    const doc = ids.documents.get(target.documentId);
    return space && doc ? `${base}/espaces/${space}/documents/${doc}${target.rest}` : null;
  };

  // Documents, parents first, in small transactions (PGlite has one connection).
  const attached = new Set(members.attached.map((m) => m.principalId));
  const ordered = parentsFirst(source.documents);
  let dropped = 0;
  for (let i = 0; i < ordered.length; i += 200) {
    const batch = ordered.slice(i, i + 200);
    const rows: ImportedDocumentRow[] = batch.map((d) => ({
      id: get(ids.documents, d.id),
      space_id: spaceId,
      parent_id: d.parentId === null ? null : get(ids.documents, d.parentId),
      title: d.title,
      position: d.position,
      restricted: d.restricted,
      created_by: d.createdBy,
      created_at: new Date(d.createdAt),
      updated_at: new Date(d.updatedAt),
      trashed_at: d.trashedAt ? new Date(d.trashedAt) : null,
      trashed_by: d.trashedBy,
      classification: d.classificationLevel ?? null, // checked against this scale before anything was written (checkLevels)
    }));
    const access = batch.flatMap((d) =>
      d.access.filter((a) => attached.has(a.principalId)).map((a) => ({ document_id: get(ids.documents, d.id), principal_id: a.principalId, role: a.role })),
    );
    dropped += batch.reduce((n, d) => n + d.access.filter((a) => !attached.has(a.principalId)).length, 0);
    await db.transaction().execute(async (trx) => {
      await insertImportedDocuments(trx, rows);
      await insertImportedAccess(trx, access);
    });
    await beat();
  }

  // Images before content: the documents' state refers to them.
  for (const image of source.images) {
    const id = get(ids.images, image.id);
    // Served inline to readers: the bytes must be the image type the archive says (as at upload).
    const bytes = await archive.bytes(image.path, 10 * 1024 * 1024);
    if (sniffImageType(bytes.subarray(0, 64)) !== image.contentType) throw invalidArchive(`${image.path} is not ${image.contentType}`);
    await cell.encryptedObjects.putEncrypted(db, owner, `spaces/${spaceId}/images/${id}`, bytes);
    await insertImportedImage(db, {
      id,
      space_id: spaceId,
      document_id: image.documentId === null ? null : get(ids.documents, image.documentId),
      content_type: image.contentType,
      size: image.size,
      sha256: image.sha256,
      created_by: image.createdBy,
      created_at: new Date(image.createdAt),
    });
    await beat();
  }

  let versions = 0;
  for (const d of source.documents) {
    const documentId = get(ids.documents, d.id);
    const state = rewritten(await archive.bytes(d.yjs, archive.limits.maxStateBytes), rewrite, d.yjs);
    assertYjs(state, d.yjs).destroy();
    await deps.content.initialise({ documentId, spaceId, jurisdiction }, state);
    // comments (helper C): anchors point into this exact state, loaded as is just above.
    if (d.comments?.length) await importComments(db, { spaceId, documentId }, d.comments);
    for (const v of d.versions) {
      const versionState = rewritten(await archive.bytes(v.yjs, archive.limits.maxStateBytes), rewrite, v.yjs);
      const doc = assertYjs(versionState, v.yjs);
      await insertImportedVersion(db, {
        id: get(ids.documentVersions, v.id),
        document_id: documentId,
        kind: v.kind,
        name: v.name,
        key_version: key.version,
        state: sealDocumentBytes(key, 'version', documentId, 1, versionState),
        content_text: jsonToText(yDocToJson(doc)),
        created_by: v.createdBy,
        created_at: new Date(v.createdAt),
      });
      doc.destroy();
      versions += 1;
    }
    await beat();
  }

  const files = await importFiles(deps, archive, source, ids, spaceId, jurisdiction, beat);

  // The source's audit extract: kept as it is, encrypted, referenced by the import record.
  let auditKey: string | null = null;
  let auditSha: string | null = null;
  let auditEvents = 0;
  if (source.audit) {
    auditKey = `spaces/${spaceId}/imports/${importId}/audit.jsonl`;
    const counted = async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        for (const byte of chunk) if (byte === 0x0a) auditEvents += 1;
        yield chunk;
      }
    };
    await cell.encryptedObjects.putEncrypted(db, owner, auditKey, Readable.from(counted(archive.chunks(source.audit))));
    auditSha = archive.expected.get(source.audit)?.sha256 ?? null;
  }

  // Visible last: the control plane's directory entry and the members.
  await deps.stores.control.db.transaction().execute(async (trx) => {
    await insertDirectoryAndMembers(trx, spaceId, jurisdiction, source.space.classificationLevel ?? null, members.attached);
  });
  const mapping = {
    spaces: { [source.space.id]: spaceId },
    documents: Object.fromEntries(source.documents.map((d) => [d.id, get(ids.documents, d.id)])),
    documentVersions: Object.fromEntries(source.documents.flatMap((d) => d.versions.map((v) => [v.id, get(ids.documentVersions, v.id)]))),
    images: Object.fromEntries(source.images.map((i) => [i.id, get(ids.images, i.id)])),
    files: Object.fromEntries(source.files.map((f) => [f.id, get(ids.files, f.id)])),
    fileVersions: Object.fromEntries(source.files.flatMap((f) => f.versions.map((v) => [v.id, get(ids.fileVersions, v.id)]))),
  };
  const result: ImportedSpace = {
    sourceId: source.space.id,
    id: spaceId,
    importId,
    name: source.space.name,
    jurisdiction,
    documents: source.documents.length,
    documentVersions: versions,
    images: source.images.length,
    files: files.files,
    fileVersions: files.versions,
    auditEvents,
    members: { attached: members.attached, missing: members.missing },
    droppedAccessEntries: dropped,
    classificationLevel: source.space.classificationLevel ?? null,
    labelledDocuments: source.documents.filter((d) => d.classificationLevel).length,
    quarantinedHere: files.quarantinedHere,
  };
  await completeSpaceImport(db, importId, {
    mapping,
    report: { missingMembers: members.missing, droppedAccessEntries: dropped, quarantinedHere: files.quarantinedHere, sourceJurisdiction: source.space.jurisdiction },
    auditObjectKey: auditKey,
    auditSha256: auditSha,
    auditEvents,
  });
  await deps.audit.record({
    action: 'workspace.space.imported',
    outcome: 'success',
    jurisdiction,
    resource: { type: 'space', id: spaceId },
    details: {
      importId,
      sourceSpaceId: source.space.id,
      sourceInstance: manifest.source.instanceUrl,
      sourceJurisdiction: source.space.jurisdiction,
      documents: result.documents,
      files: result.files,
      auditEvents,
      missingMembers: members.missing.length,
      classificationLevel: result.classificationLevel,
      labelledDocuments: result.labelledDocuments,
      by: 'cli',
    },
  });
  return result;
}

function parentsFirst<T extends { id: string; parentId: string | null }>(nodes: readonly T[]): T[] {
  const children = new Map<string | null, T[]>();
  for (const n of nodes) children.set(n.parentId, [...(children.get(n.parentId) ?? []), n]);
  const out: T[] = [];
  const queue = [...(children.get(null) ?? [])];
  while (queue.length > 0) {
    const n = queue.shift() as T;
    out.push(n);
    queue.push(...(children.get(n.id) ?? []));
  }
  return out;
}

/** A state with its references rewritten; bytes that are not a Yjs update are refused. */
function rewritten(state: Uint8Array, rewrite: (href: string) => string | null, path: string): Uint8Array {
  try {
    return rewriteState(state, rewrite).state;
  } catch {
    throw invalidArchive(`${path} is not a Yjs state`);
  }
}

/** The bytes must be a Yjs update that applies (a damaged one would otherwise only show in the editor). */
function assertYjs(state: Uint8Array, path: string): Y.Doc {
  // Content nested deeper than the collaboration server accepts would crash the editors that open
  // it (and Yjs itself when it is deleted): such an archive was not written by Entente. Measured
  // before it is applied, with the collaboration server's own measure (elements, text in text,
  // any root type), as if the whole state were one update to an empty document.
  let depth: number;
  try {
    depth = deepestInsertion(new Y.Doc(), state, MAX_CONTENT_DEPTH);
  } catch {
    throw invalidArchive(`${path} is not a Yjs state`);
  }
  if (depth > MAX_CONTENT_DEPTH) throw invalidArchive(`${path} nests content deeper than ${MAX_CONTENT_DEPTH} levels`);
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
  } catch {
    doc.destroy();
    throw invalidArchive(`${path} is not a Yjs state`);
  }
  return doc;
}

function heartbeat(db: import('../../platform/db/types.ts').CellDb, importId: string): () => Promise<void> {
  let last = Date.now();
  return async () => {
    if (Date.now() - last < 10_000) return;
    last = Date.now();
    await touchSpaceImport(db, importId);
  };
}

async function importFiles(
  deps: ImportDeps,
  archive: VerifiedArchive,
  source: LoadedSpace,
  ids: IdMaps,
  spaceId: string,
  jurisdiction: Jurisdiction,
  beat: () => Promise<void>,
): Promise<{ files: number; versions: number; quarantinedHere: number }> {
  if (source.files.length === 0) return { files: 0, versions: 0, quarantinedHere: 0 };
  const cell = deps.cells.get(jurisdiction);
  const db = cell.db;
  const owner = SPACE_KEY(spaceId);
  const ordered = parentsFirst(source.files);
  for (let i = 0; i < ordered.length; i += 200) {
    await insertImportedFiles(
      db,
      ordered.slice(i, i + 200).map((f) => ({
        id: get(ids.files, f.id),
        space_id: spaceId,
        parent_id: f.parentId === null ? null : get(ids.files, f.parentId),
        kind: f.kind,
        name: f.name,
        name_key: nameKey(f.name),
        created_by: f.createdBy,
        created_at: new Date(f.createdAt),
        updated_by: f.updatedBy,
        updated_at: new Date(f.updatedAt),
        trashed_at: f.trashedAt ? new Date(f.trashedAt) : null,
        trashed_by: f.trashedBy,
        trashed_with: f.trashedAt === null ? null : (ids.files.get(f.trashedWith ?? '') ?? get(ids.files, f.id)),
      })),
    );
  }
  const organisations = new Map<string, boolean>();
  let versions = 0;
  let quarantinedHere = 0;
  const scanner = deps.scanner && deps.scanner.name !== 'none' ? deps.scanner : null;
  for (const f of source.files) {
    if (f.kind !== 'file') continue;
    const fileId = get(ids.files, f.id);
    const objectOf = new Map<string, { key: string; contentType: string }>(); // archive entry → object (restored versions share bytes)
    for (const v of [...f.versions].sort((a, b) => a.number - b.number)) {
      const versionId = get(ids.fileVersions, v.id);
      let objectKey = versionKey(spaceId, fileId, versionId);
      let contentType = v.contentType;
      let status = v.status;
      let signature = v.signature;
      let thumbnail: string | null = null;
      if (v.path !== null) {
        const shared = objectOf.get(v.path);
        if (shared) ({ key: objectKey, contentType } = shared);
        else {
          if (scanner) {
            const verdict = await scanner.scan(Readable.from(archive.chunks(v.path)));
            if (verdict.status === 'infected') {
              status = 'quarantined';
              signature = verdict.signature;
              quarantinedHere += 1;
            } else if (verdict.status === 'clean') status = 'clean';
          }
          // The type is detected from the bytes again, as at upload: the archive's claim decides nothing.
          const probe = new TypeProbe();
          const probed = async function* (chunks: AsyncIterable<Buffer>) {
            for await (const chunk of chunks) {
              probe.push(chunk);
              yield chunk;
            }
          };
          await cell.encryptedObjects.putEncrypted(db, owner, objectKey, Readable.from(probed(archive.chunks(v.path))));
          contentType = await probe.result();
          objectOf.set(v.path, { key: objectKey, contentType });
        }
        if (status !== 'quarantined' && THUMBNAIL_TYPES.has(contentType) && v.size <= MAX_SOURCE_BYTES) {
          const thumb = await makeThumbnail(Readable.from(archive.chunks(v.path)));
          if (thumb) {
            thumbnail = thumbnailKey(spaceId, versionId);
            await cell.encryptedObjects.putEncrypted(db, owner, thumbnail, thumb);
          }
        }
      }
      // The uploader's organisation keeps counting the bytes only if it exists here too.
      let organisationId: string | null = null;
      if (v.organisationId !== null) {
        if (!organisations.has(v.organisationId)) organisations.set(v.organisationId, await organisationExists(deps.stores.control.db, v.organisationId));
        organisationId = organisations.get(v.organisationId) ? v.organisationId : null;
      }
      await insertImportedFileVersion(db, {
        id: versionId,
        file_id: fileId,
        space_id: spaceId,
        number: v.number,
        object_key: objectKey,
        size: v.size,
        content_type: contentType,
        sha256: v.sha256,
        status,
        signature,
        thumbnail_key: thumbnail as null,
        created_by: v.createdBy,
        organisation_id: organisationId,
        billed_bytes: v.restoredFrom === null ? v.size : 0,
        restored_from: v.restoredFrom === null ? null : (ids.fileVersions.get(v.restoredFrom) ?? null),
        created_at: new Date(v.createdAt),
      });
      versions += 1;
      await beat();
    }
    await setCurrentFileVersion(db, fileId, get(ids.fileVersions, f.currentVersionId as string));
  }
  return { files: source.files.filter((f) => f.kind === 'file').length, versions, quarantinedHere };
}

// ── clean-up ─────────────────────────────────────────────────────────────────────────────────

/** Removes a space this import created: control plane, cell rows (cascades), objects, keys. */
async function removeSpace(deps: ImportDeps, spaceId: string, jurisdiction: Jurisdiction): Promise<void> {
  const cell = deps.cells.get(jurisdiction);
  await deleteDirectoryAndMembers(deps.stores.control.db, spaceId);
  await deleteSpaceRow(cell.db, spaceId);
  const keys: string[] = [];
  for await (const object of cell.objects.list(`spaces/${spaceId}/`)) keys.push(object.key);
  for (const key of keys) await cell.objects.delete(key);
  // Nothing of it may be readable any more, even from a backup taken meanwhile.
  await cell.keyring.destroyOwnerKeys(cell.db, SPACE_KEY(spaceId));
}

/** Half spaces of imports whose process died (no heartbeat for ABANDONED_AFTER_MS). */
export async function removeAbandonedImports(deps: Pick<ImportDeps, 'stores' | 'cells' | 'logger'>, now = new Date()): Promise<number> {
  let removed = 0;
  for (const j of JURISDICTIONS) {
    for (const row of await listAbandonedImports(deps.cells.get(j).db, new Date(now.getTime() - ABANDONED_AFTER_MS))) {
      await removeSpace(deps as ImportDeps, row.space_id, j);
      deps.logger?.warn({ spaceId: row.space_id, importId: row.id }, 'removed the space of an abandoned import');
      removed += 1;
    }
  }
  return removed;
}
