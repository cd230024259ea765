import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Cells } from '../../platform/cells/cells.ts';
import type { KeyOwner } from '../../platform/crypto/keyring.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { OrganisationSkillsArchive } from '../../skills/index.ts';
import type { CellDb } from '../../platform/db/types.ts';
import { openDocumentBytes } from '../collab/sealed-update.ts';
import { jsonToMarkdown } from '../content/markdown.ts';
import { yDocToJson } from '../content/ydoc-json.ts';
import { findDirectoryEntry, listMemberRows } from '../spaces/spaces.repo.ts';
import { findSpaceLevels } from '../classification/classification.repo.ts';
import { commentsForExport } from '../comments/comments-archive.ts'; // comments (helper C)
import type { AuditLine, DocumentsFile, FilesFile, ImagesFile, Manifest, MembersFile, SpaceCounts, SpaceFile } from './archive-format.ts';
import { ArchiveBuilder, softwareVersion } from './archive-writer.ts';
import { ArchiveError, exportDamaged, spaceNotFound } from './errors.ts';
import {
  type AuditExportRow,
  type DocumentExportRow,
  type FileItemExportRow,
  type FileVersionExportRow,
  findLiveSpace,
  findPrincipals,
  findProfiles,
  type ImageExportRow,
  listDocumentVersions,
  listSpaceAccessRows,
  listSpaceDocuments,
  listSpaceFiles,
  listSpaceFileVersions,
  listSpaceImages,
  selectSpaceAuditPage,
  type SpaceExportRow,
} from './export.repo.ts';
import { internalTarget, rewriteJson } from './links.ts';
import { MAX_PATH_BYTES, relativePath, SiblingNames, sanitizeSegment } from './names.ts';
import { jsonToOdt, type OdtImage } from './odt.ts';

/**
 * Export of spaces into an archive (docs/export-format.md). Everything is read from the space's
 * cell and decrypted with the space's data key: the archive is plaintext by design.
 *
 * One space at a time and one document at a time: a document's content, its versions and its
 * images are read, written to the archive and dropped before the next; files stream from the
 * object store to the archive in 1 MiB chunks.
 */
export interface ExportDeps {
  stores: Stores;
  cells: Cells;
  /** The document store (workspace/collab): `load` merges the encrypted log and snapshot. */
  content: { load(ref: { documentId: string; spaceId: string; jurisdiction: Jurisdiction }): Promise<{ state: Uint8Array; epoch: number }> };
  audit: AuditLog;
  /** The instance's public URL (written in the manifest; links on its origin are internal). */
  publicUrl: URL;
  /** The skills module's part of an organisation's archive (injected; absent: not written). */
  skills?: OrganisationSkillsArchive;
}

/** The personal-data rule, written in every manifest. */
export const PERSONAL_DATA_RULE =
  'Members are listed by pseudonymous principal id, role and home jurisdiction. Names and email addresses are included only in an organisation export, and only for that organisation’s own agents; IP addresses in audit extracts likewise (elsewhere they are null). Pending invitations (addresses of people who may have no account) are never exported.';

const SPACE_KEY = (spaceId: string): KeyOwner => ({ type: 'space', id: spaceId });
const IMAGE_EXT: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp' };
export const COMPRESSIBLE = /^(text\/|application\/(json|ld\+json|xml|xhtml\+xml|javascript|x-yaml|yaml|rtf|x-sh|sql|x-tex|csv|geo\+json)|image\/(svg\+xml|bmp|tiff))/;

/** Where each document's files go, computed for every space of the export before writing (links cross spaces). */
export interface SpacePlan {
  id: string;
  jurisdiction: Jurisdiction;
  row: SpaceExportRow;
  /** The space's own classification level (issue 7, control plane); null: not set. */
  level: string | null;
  /** `spaces/<name>/` */
  prefix: string;
  documents: DocumentExportRow[];
  /** Document id → archive path without extension (`spaces/x/documents/Rapport/Annexe`). */
  documentStems: Map<string, string>;
  images: ImageExportRow[];
  imagePaths: Map<string, string>;
}

export interface ExportContext {
  plans: Map<string, SpacePlan>;
  /** Principals whose profiles (names, address) and IP addresses may be written: an organisation's agents; empty for a space export. */
  ownAgents: Set<string>;
  origins: string[];
}

export async function planSpace(deps: ExportDeps, spaceId: string, spaceNames: SiblingNames): Promise<SpacePlan> {
  const id = spaceId.toLowerCase();
  const entry = await findDirectoryEntry(deps.stores.control.db, id);
  if (!entry) throw spaceNotFound(spaceId);
  const cell = deps.stores.cells[entry.jurisdiction].db;
  const row = await findLiveSpace(cell, id);
  if (!row) throw spaceNotFound(spaceId);
  const prefix = `spaces/${spaceNames.take(row.name)}/`;
  const documents = await listSpaceDocuments(cell, id);
  const images = await listSpaceImages(cell, id);
  const [levels] = await findSpaceLevels(deps.stores.control.db, [id]);
  return {
    id,
    jurisdiction: entry.jurisdiction,
    row,
    level: levels?.classification ?? null,
    prefix,
    documents,
    documentStems: layoutDocuments(documents, prefix),
    images,
    imagePaths: new Map(images.map((i) => [i.id, `${prefix}images/${i.id}.${IMAGE_EXT[i.content_type] ?? 'bin'}`])),
  };
}

/**
 * The documents tree as folders: each document is `<title>.md|.odt|.yjs`, its children in the
 * folder `<title>/`. Documents in the trash whose parent is not go under `trash/documents/`.
 * Titles are sanitised and de-duplicated among siblings (names.ts).
 */
export function layoutDocuments(documents: readonly DocumentExportRow[], prefix: string): Map<string, string> {
  const byId = new Map(documents.map((d) => [d.id, d]));
  const children = new Map<string | null, DocumentExportRow[]>();
  for (const d of documents) {
    const parent = d.parent_id !== null && byId.has(d.parent_id) ? d.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), d]);
  }
  for (const list of children.values()) list.sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : 1));
  const stems = new Map<string, string>();
  const liveRoot = new SiblingNames('Sans titre');
  const trashRoot = new SiblingNames('Sans titre');
  const place = (doc: DocumentExportRow, folder: string, names: SiblingNames) => {
    if (stems.has(doc.id)) return; // a cycle cannot be stored, but never loop on one
    let stem = `${folder}${names.take(doc.title, '.odt')}`;
    // A tree too deep for its path (nested long titles): the document starts again in a short folder of its own.
    if (tooLong(`${stem}.odt`)) stem = `${prefix}deep/documents/${doc.id}/${new SiblingNames('Sans titre').take(doc.title, '.odt')}`;
    stems.set(doc.id, stem);
    const own = new SiblingNames('Sans titre');
    for (const child of children.get(doc.id) ?? []) {
      if (child.trashed_at && !doc.trashed_at) place(child, `${prefix}trash/documents/`, trashRoot);
      else place(child, `${stem}/`, own);
    }
  };
  for (const doc of children.get(null) ?? []) {
    if (doc.trashed_at) place(doc, `${prefix}trash/documents/`, trashRoot);
    else place(doc, `${prefix}documents/`, liveRoot);
  }
  // Whatever a cycle left unplaced still goes in (at the root).
  for (const doc of documents) if (!stems.has(doc.id)) place(doc, `${prefix}documents/`, liveRoot);
  return stems;
}

const iso = (d: Date | string) => new Date(d).toISOString();

export async function exportPlannedSpace(deps: ExportDeps, archive: ArchiveBuilder, plan: SpacePlan, ctx: ExportContext): Promise<Manifest['spaces'][number]> {
  const cell = deps.cells.get(plan.jurisdiction);
  const db = cell.db;
  const { prefix } = plan;
  const counts: SpaceCounts = {
    documents: 0,
    trashedDocuments: 0,
    documentVersions: 0,
    images: 0,
    folders: 0,
    files: 0,
    fileVersions: 0,
    fileBytes: 0,
    members: 0,
    auditEvents: 0,
    comments: 0, // comments (helper C)
  };

  const space: SpaceFile = {
    id: plan.id,
    name: plan.row.name,
    description: plan.row.description,
    jurisdiction: plan.jurisdiction,
    classification: plan.row.classification,
    // Classification levels (issue 7): written only when set, so that an archive without any still
    // reads in an Entente that predates them; one that has them is refused there (strict schemas),
    // never imported without its label.
    ...(plan.level ? { classificationLevel: plan.level } : {}),
    minAssurance: plan.row.min_assurance,
    createdBy: plan.row.created_by,
    createdAt: iso(plan.row.created_at),
    updatedAt: iso(plan.row.updated_at),
  };
  await archive.json(`${prefix}space.json`, space);

  // Members: ids and roles; profiles only for the exporting organisation's own agents.
  const memberRows = await listMemberRows(deps.stores.control.db, plan.id);
  const principals = new Map((await findPrincipals(deps.stores.control.db, memberRows.map((m) => m.principal_id))).map((p) => [p.id, p]));
  const profiles = new Map<string, { given_name: string; family_name: string; email: string }>();
  const wanted = memberRows.map((m) => m.principal_id).filter((id) => ctx.ownAgents.has(id));
  for (const j of ['FR', 'QC'] as const) for (const p of await findProfiles(deps.stores.cells[j].db, wanted)) profiles.set(p.principal_id, p);
  const members: MembersFile = {
    members: memberRows.map((m) => {
      const profile = profiles.get(m.principal_id);
      return {
        principalId: m.principal_id,
        role: m.role,
        homeJurisdiction: principals.get(m.principal_id)?.home_jurisdiction ?? null,
        profile: profile ? { givenName: profile.given_name, familyName: profile.family_name, email: profile.email } : null,
      };
    }),
  };
  counts.members = members.members.length;
  await archive.json(`${prefix}members.json`, members);

  // Images first (their bytes are needed by the ODT of their documents); then documents one by one.
  const imagesByDocument = new Map<string | null, ImageExportRow[]>();
  for (const image of plan.images) imagesByDocument.set(image.document_id, [...(imagesByDocument.get(image.document_id) ?? []), image]);
  const imagesFile: ImagesFile = { images: [] };
  for (const image of plan.images) {
    const entry = plan.imagePaths.get(image.id) as string;
    const added = await streamObject(deps, archive, plan, `spaces/${plan.id}/images/${image.id}`, entry, image.size, false, `image ${image.id}`);
    if (added.sha256 !== image.sha256) throw exportDamaged(`image ${image.id}`, 'SHA-256 differs from the recorded one');
    imagesFile.images.push({
      id: image.id,
      documentId: image.document_id,
      contentType: image.content_type,
      size: image.size,
      sha256: image.sha256,
      createdBy: image.created_by,
      createdAt: iso(image.created_at),
      path: entry,
    });
    counts.images += 1;
  }
  await archive.json(`${prefix}images.json`, imagesFile);

  const access = new Map<string, { principalId: string; role: DocumentsFile['documents'][number]['access'][number]['role'] }[]>();
  for (const a of await listSpaceAccessRows(db, plan.id)) access.set(a.document_id, [...(access.get(a.document_id) ?? []), { principalId: a.principal_id, role: a.role }]);

  const documentsFile: DocumentsFile = { documents: [] };
  const threadsOf = await commentsForExport(db, plan.id); // comments (helper C)
  for (const doc of plan.documents) {
    const stem = plan.documentStems.get(doc.id) as string;
    const paths = { markdown: `${stem}.md`, odt: `${stem}.odt`, yjs: `${stem}.yjs` };
    let loaded: { state: Uint8Array };
    try {
      loaded = await deps.content.load({ documentId: doc.id, spaceId: plan.id, jurisdiction: plan.jurisdiction });
    } catch (error) {
      throw exportDamaged(`document ${doc.id}`, (error as Error).message);
    }
    const ydoc = new Y.Doc();
    Y.applyUpdate(ydoc, loaded.state);
    const json = yDocToJson(ydoc);
    ydoc.destroy();
    await archive.bytes(paths.yjs, loaded.state, true);
    const toArchive = (from: string, kind: 'md' | 'odt') => (href: string) => archiveLink(href, from, kind, ctx);
    await archive.bytes(paths.markdown, jsonToMarkdown(rewriteJson(json, toArchive(paths.markdown, 'md'))), true);
    const pictures = await readImages(deps, plan, imagesByDocument.get(doc.id) ?? []);
    const odt = jsonToOdt(json, {
      title: doc.title,
      language: plan.jurisdiction === 'QC' ? 'fr-CA' : 'fr-FR',
      created: new Date(doc.created_at),
      modified: new Date(doc.updated_at),
      images: (src) => {
        const target = internalTarget(src, ctx.origins);
        return target?.kind === 'image' ? (pictures.get(target.imageId) ?? null) : null;
      },
      link: (href) => {
        const rewritten = archiveLink(href, paths.odt, 'odt', ctx);
        // ODF resolves a relative link from inside the package: one level up is the document's folder.
        return rewritten === null ? href : `../${rewritten}`;
      },
    });
    // An ODT is already a ZIP: stored, not compressed twice.
    await archive.bytes(paths.odt, odt, false);

    const versions: DocumentsFile['documents'][number]['versions'] = [];
    for (const version of await listDocumentVersions(db, doc.id)) {
      const key = await cell.keyring.getDataKey(db, SPACE_KEY(plan.id), version.key_version).catch((error: unknown) => {
        throw exportDamaged(`version ${version.id}`, (error as Error).message);
      });
      let state: Uint8Array;
      try {
        state = openDocumentBytes(key, 'version', doc.id, version.epoch, version.state);
      } catch (error) {
        throw exportDamaged(`version ${version.id}`, (error as Error).message);
      }
      const path = `${prefix}versions/${doc.id}/${version.id}.yjs`;
      await archive.bytes(path, state, true);
      versions.push({ id: version.id, kind: version.kind, name: version.name, createdBy: version.created_by, createdAt: iso(version.created_at), yjs: path });
      counts.documentVersions += 1;
    }

    documentsFile.documents.push({
      id: doc.id,
      parentId: doc.parent_id,
      position: doc.position,
      title: doc.title,
      restricted: doc.restricted,
      ...(doc.classification ? { classificationLevel: doc.classification } : {}), // classification levels (issue 7)
      access: access.get(doc.id) ?? [],
      createdBy: doc.created_by,
      createdAt: iso(doc.created_at),
      updatedAt: iso(doc.updated_at),
      trashedAt: doc.trashed_at ? iso(doc.trashed_at) : null,
      trashedBy: doc.trashed_by,
      contentHash: createHash('sha256').update(JSON.stringify(json)).digest('hex'),
      ...paths,
      versions,
      // ── comments (helper C): the document's threads, when it has any ──
      ...(threadsOf.get(doc.id)?.length ? { comments: threadsOf.get(doc.id) } : {}),
      // ── end comments ──
    });
    counts.comments = (counts.comments ?? 0) + (threadsOf.get(doc.id)?.length ?? 0); // comments (helper C)
    counts.documents += 1;
    if (doc.trashed_at) counts.trashedDocuments += 1;
  }
  await archive.json(`${prefix}documents.json`, documentsFile);

  await exportFiles(deps, archive, plan, db, counts);

  // The space's audit events, oldest first, paged.
  const auditEntry = `${prefix}audit.jsonl`;
  await archive.stream(auditEntry, auditLines(db, plan, ctx, counts), { compress: true });

  return { id: plan.id, name: plan.row.name, jurisdiction: plan.jurisdiction, path: prefix, ...(plan.level ? { classificationLevel: plan.level } : {}), counts };
}

/** A link or image source as a path inside the archive relative to `from`; null when it points elsewhere. */
function archiveLink(href: string, from: string, kind: 'md' | 'odt', ctx: ExportContext): string | null {
  const target = internalTarget(href, ctx.origins);
  if (!target) return null;
  let to: string | undefined;
  let hash = '';
  if (target.kind === 'image') {
    for (const plan of ctx.plans.values()) to ??= plan.imagePaths.get(target.imageId);
  } else {
    const stem = ctx.plans.get(target.spaceId)?.documentStems.get(target.documentId);
    if (stem) to = `${stem}.${kind}`;
    hash = /#.*$/.exec(target.rest)?.[0] ?? '';
  }
  if (!to) return null;
  return `${relativePath(from, to).split('/').map(encodeURIComponent).join('/')}${hash}`;
}

async function readImages(deps: ExportDeps, plan: SpacePlan, images: readonly ImageExportRow[]): Promise<Map<string, OdtImage>> {
  const out = new Map<string, OdtImage>();
  const cell = deps.cells.get(plan.jurisdiction);
  for (const image of images) {
    try {
      const got = await cell.encryptedObjects.getDecrypted(cell.db, SPACE_KEY(plan.id), `spaces/${plan.id}/images/${image.id}`);
      const chunks: Buffer[] = [];
      for await (const chunk of got.body) chunks.push(chunk as Buffer);
      out.set(image.id, { bytes: Buffer.concat(chunks), contentType: image.content_type });
    } catch {
      // Its bytes were checked when written to the archive just before; an ODT without it is still an ODT.
    }
  }
  return out;
}

async function streamObject(
  deps: ExportDeps,
  archive: ArchiveBuilder,
  plan: SpacePlan,
  key: string,
  entry: string,
  size: number,
  compress: boolean,
  what: string,
): Promise<{ sha256: string; size: number }> {
  const cell = deps.cells.get(plan.jurisdiction);
  let body: AsyncIterable<Uint8Array>;
  try {
    body = (await cell.encryptedObjects.getDecrypted(cell.db, SPACE_KEY(plan.id), key)).body;
  } catch (error) {
    throw exportDamaged(what, (error as Error).message);
  }
  try {
    return await archive.stream(entry, body, { compress, declaredSize: size });
  } catch (error) {
    if (error instanceof ArchiveError) throw error;
    throw exportDamaged(what, (error as Error).message);
  }
}

/**
 * The files area: `files/` mirrors the live tree with each file's current version, `trash/files/`
 * the trashed items, `file-versions/<fileId>/` the other versions' bytes. A version restored from
 * another shares its bytes (same object): written once. Quarantined bytes are never written (an
 * archive must not hand out known malware): their versions are listed, with the signature.
 */
async function exportFiles(deps: ExportDeps, archive: ArchiveBuilder, plan: SpacePlan, db: CellDb, counts: SpaceCounts): Promise<void> {
  const { prefix } = plan;
  const items = await listSpaceFiles(db, plan.id);
  const versions = await listSpaceFileVersions(db, plan.id);
  const byFile = new Map<string, FileVersionExportRow[]>();
  for (const v of versions) byFile.set(v.file_id, [...(byFile.get(v.file_id) ?? []), v]);
  const paths = layoutFiles(items, prefix);

  const written = new Map<string, string>(); // object key → archive entry
  const entryOf = async (item: FileItemExportRow, version: FileVersionExportRow): Promise<string | null> => {
    if (version.status === 'quarantined') return null;
    const done = written.get(version.object_key);
    if (done) return done;
    const current = item.current_version_id === version.id;
    const base = paths.get(item.id) as string;
    const leaf = base.slice(base.lastIndexOf('/') + 1);
    const entry = current ? base : `${prefix}file-versions/${item.id}/${version.number}-${leaf}`;
    const added = await streamObject(deps, archive, plan, version.object_key, entry, version.size, COMPRESSIBLE.test(version.content_type), `file ${item.id} version ${version.number}`);
    if (added.sha256 !== version.sha256) throw exportDamaged(`file ${item.id} version ${version.number}`, 'SHA-256 differs from the recorded one');
    written.set(version.object_key, entry);
    counts.fileBytes += added.size;
    return entry;
  };

  const out: FilesFile = { items: [] };
  // Current versions first, so that they get the readable path.
  const ordered = (item: FileItemExportRow) => {
    const list = byFile.get(item.id) ?? [];
    return [...list.filter((v) => v.id === item.current_version_id), ...list.filter((v) => v.id !== item.current_version_id)];
  };
  for (const item of items) {
    const entryVersions: FilesFile['items'][number]['versions'] = [];
    const pathByVersion = new Map<string, string | null>();
    for (const version of ordered(item)) pathByVersion.set(version.id, await entryOf(item, version));
    for (const version of byFile.get(item.id) ?? []) {
      entryVersions.push({
        id: version.id,
        number: version.number,
        size: version.size,
        contentType: version.content_type,
        sha256: version.sha256,
        status: version.status,
        signature: version.signature,
        createdBy: version.created_by,
        organisationId: version.organisation_id,
        createdAt: iso(version.created_at),
        restoredFrom: version.restored_from,
        path: pathByVersion.get(version.id) ?? null,
      });
      counts.fileVersions += 1;
    }
    out.items.push({
      id: item.id,
      kind: item.kind,
      parentId: item.parent_id,
      name: item.name,
      currentVersionId: item.current_version_id,
      createdBy: item.created_by,
      createdAt: iso(item.created_at),
      updatedBy: item.updated_by,
      updatedAt: iso(item.updated_at),
      trashedAt: item.trashed_at ? iso(item.trashed_at) : null,
      trashedBy: item.trashed_by,
      trashedWith: item.trashed_with,
      versions: entryVersions,
    });
    if (item.kind === 'folder') counts.folders += 1;
    else counts.files += 1;
  }
  await archive.json(`${prefix}files.json`, out);
}

/** Whether an archive path would pass what the importer accepts (names.ts isSafeArchivePath). */
const tooLong = (path: string) => Buffer.byteLength(path, 'utf8') > MAX_PATH_BYTES;

/** Archive paths of the files tree (folders end without `/`); trashed subtrees under `trash/files/`. */
export function layoutFiles(items: readonly FileItemExportRow[], prefix: string): Map<string, string> {
  const byId = new Map(items.map((i) => [i.id, i]));
  const children = new Map<string | null, FileItemExportRow[]>();
  for (const i of items) {
    const parent = i.parent_id !== null && byId.has(i.parent_id) ? i.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), i]);
  }
  for (const list of children.values()) list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
  const paths = new Map<string, string>();
  const liveRoot = new SiblingNames('sans-nom');
  const trashRoot = new SiblingNames('sans-nom');
  const take = (names: SiblingNames, item: FileItemExportRow) => {
    if (item.kind === 'folder') return names.take(item.name);
    const dot = item.name.lastIndexOf('.');
    const ext = dot > 0 && item.name.length - dot <= 16 ? `.${sanitizeSegment(item.name.slice(dot + 1), 'bin')}` : '';
    return `${names.take(ext ? item.name.slice(0, dot) : item.name, ext)}${ext}`;
  };
  const place = (item: FileItemExportRow, folder: string, names: SiblingNames) => {
    if (paths.has(item.id)) return;
    let path = `${folder}${take(names, item)}`;
    // A tree too deep for its path (nested long names): the item starts again in a short folder of its own.
    if (tooLong(path)) path = `${prefix}deep/files/${item.id}/${take(new SiblingNames('sans-nom'), item)}`;
    paths.set(item.id, path);
    const own = new SiblingNames('sans-nom');
    for (const child of children.get(item.id) ?? []) {
      if (child.trashed_at && !item.trashed_at) place(child, `${prefix}trash/files/`, trashRoot);
      else place(child, `${path}/`, own);
    }
  };
  for (const item of children.get(null) ?? []) place(item, item.trashed_at ? `${prefix}trash/files/` : `${prefix}files/`, item.trashed_at ? trashRoot : liveRoot);
  for (const item of items) if (!paths.has(item.id)) place(item, `${prefix}files/`, liveRoot);
  return paths;
}

async function* auditLines(db: CellDb, plan: SpacePlan, ctx: ExportContext, counts: SpaceCounts): AsyncGenerator<Uint8Array> {
  let after: { occurredAt: Date; id: string } | null = null;
  for (;;) {
    const page = await selectSpaceAuditPage(db, plan.id, after, 1000);
    if (page.length === 0) return;
    const text = page.map((row) => `${JSON.stringify(auditLine(row, plan.jurisdiction.toLowerCase(), ctx))}\n`).join('');
    counts.auditEvents += page.length;
    yield Buffer.from(text, 'utf8');
    const last = page.at(-1) as AuditExportRow;
    after = { occurredAt: new Date(last.occurred_at), id: last.id };
  }
}

/** One audit entry as a line; the IP address only for the exporting organisation's own agents. */
export function auditLine(row: AuditExportRow, store: string, ctx: Pick<ExportContext, 'ownAgents'>): AuditLine {
  const details = typeof row.details === 'string' ? (JSON.parse(row.details) as Record<string, unknown>) : ((row.details ?? {}) as Record<string, unknown>);
  return {
    id: row.id,
    occurredAt: iso(row.occurred_at),
    store,
    actorId: row.actor_id,
    organisationId: row.organisation_id,
    action: row.action,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    outcome: row.outcome,
    ip: row.actor_id && ctx.ownAgents.has(row.actor_id) ? row.ip : null,
    requestId: row.request_id,
    details,
    chainId: row.chain_id ?? null,
    seq: row.seq ?? null,
    prevHash: row.prev_hash ?? null,
    hash: row.hash ?? null,
  };
}

export interface ExportResult {
  out: string;
  manifest: Manifest;
  bytes: number;
}

/** `entente export --space ID --out FILE`: one space, plaintext, with no personal profile. */
export async function exportSpaceArchive(deps: ExportDeps, input: { spaceId: string; out: string; now?: Date }): Promise<ExportResult> {
  const createdAt = input.now ?? new Date();
  const plan = await planSpace(deps, input.spaceId, new SiblingNames('Espace'));
  const ctx: ExportContext = { plans: new Map([[plan.id, plan]]), ownAgents: new Set(), origins: [deps.publicUrl.origin] };
  const archive = await ArchiveBuilder.create(input.out, createdAt);
  let manifest: Manifest;
  let entry: Manifest['spaces'][number];
  try {
    entry = await exportPlannedSpace(deps, archive, plan, ctx);
    manifest = await archive.finish(manifestFor(deps, { kind: 'space', id: plan.id }, createdAt, null, [entry], false));
  } catch (error) {
    await archive.abort();
    throw error;
  }
  await deps.audit.record({
    action: 'workspace.space.exported',
    outcome: 'success',
    jurisdiction: plan.jurisdiction,
    resource: { type: 'space', id: plan.id },
    details: { scope: 'space', entries: manifest.entries.length, documents: entry.counts.documents, files: entry.counts.files, by: 'cli' },
  });
  return { out: archive.out, manifest, bytes: archive.size };
}

/** A space's archive has no skills results: they are an organisation's agents' data, not a space's. */
const SKILLS_IN_ORGANISATION_EXPORTS = { present: false, reason: 'space export: skills results belong to an organisation’s agents and are exported with --org' } as const;

export function manifestFor(
  deps: Pick<ExportDeps, 'publicUrl'>,
  scope: Manifest['scope'],
  createdAt: Date,
  organisation: Manifest['organisation'],
  spaces: Manifest['spaces'],
  profiles: boolean,
  skillsResults: Manifest['contents']['skillsResults'] = SKILLS_IN_ORGANISATION_EXPORTS,
): Omit<Manifest, 'entries' | 'format' | 'version'> {
  const sum = (key: keyof SpaceCounts) => spaces.reduce((n, s) => n + (s.counts[key] ?? 0), 0); // ?? 0: comments (helper C) are optional
  return {
    createdAt: createdAt.toISOString(),
    source: { instanceUrl: deps.publicUrl.href, software: 'entente', softwareVersion: softwareVersion() },
    scope,
    encrypted: false,
    personalData: { profiles, rule: PERSONAL_DATA_RULE },
    organisation,
    spaces,
    contents: {
      documents: { present: true, count: sum('documents') },
      documentVersions: { present: true, count: sum('documentVersions') },
      images: { present: true, count: sum('images') },
      files: { present: true, count: sum('files') },
      members: { present: true, count: sum('members') },
      audit: { present: true, count: sum('auditEvents') },
      organisation: organisation ? { present: true, count: 1 } : { present: false, reason: 'space export: the organisation is exported with --org' },
      comments: { present: true, count: sum('comments') }, // comments (helper C)
      skillsResults,
    },
  };
}
