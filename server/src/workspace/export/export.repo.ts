import { type Kysely, sql } from 'kysely';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { AssuranceLevel } from '../../identity/federation/upstream.ts';
import type { OrganisationRole } from '../../identity/identity.tables.ts';
import type { AuditEventsTable } from '../../platform/audit/audit.tables.ts';
import type { CellDb, ControlDb } from '../../platform/db/types.ts';
import type { FileStatus } from '../files/files.tables.ts';
import type { Classification, SpaceRole } from '../workspace.tables.ts';
import type { SpaceImportsTable } from './export.tables.ts';
import '../workspace.tables.ts';
import '../images/images.tables.ts';
import '../files/files.tables.ts';
import '../../identity/identity.tables.ts';
import '../../identity/teams.tables.ts';
import './export.tables.ts';

/** All SQL of export and import: reads of a whole space (cell) and its routing (control plane), and the import's writes. */

/**
 * The classification level columns (issue 7, migrations 20261130110000) are declared by
 * workspace/classification only, with `withTables`, so that the rest of the workspace's rows keep
 * their shape; export and import read and write them the same way.
 */
interface LevelColumn {
  classification: string | null;
}
const cellWithLevels = (db: CellDb) => db.withTables<{ documents: LevelColumn }>();
const controlWithLevels = (db: ControlDb) => db.withTables<{ space_directory: LevelColumn }>();

// ── reading a space (its cell) ───────────────────────────────────────────────────────────────

export interface SpaceExportRow {
  id: string;
  name: string;
  description: string;
  min_assurance: AssuranceLevel;
  classification: Classification;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

/** The space, unless it does not exist or is being deleted (a deleted space is never exported). */
export async function findLiveSpace(db: CellDb, spaceId: string): Promise<SpaceExportRow | undefined> {
  return db
    .selectFrom('spaces')
    .select(['id', 'name', 'description', 'min_assurance', 'classification', 'created_by', 'created_at', 'updated_at'])
    .where('id', '=', spaceId)
    .where(sql<boolean>`deleted_at is null`)
    .executeTakeFirst();
}

/** Live spaces created by any of these principals (an organisation's export). */
export async function listLiveSpacesCreatedBy(db: CellDb, principalIds: readonly string[]): Promise<{ id: string; name: string }[]> {
  if (principalIds.length === 0) return [];
  return db
    .selectFrom('spaces')
    .select(['id', 'name'])
    .where('created_by', 'in', principalIds)
    .where(sql<boolean>`deleted_at is null`)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export interface DocumentExportRow {
  id: string;
  parent_id: string | null;
  title: string;
  position: number;
  restricted: boolean;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  trashed_at: Date | null;
  trashed_by: string | null;
  /** The document's own classification level (issue 7); null: it inherits its space's. */
  classification: string | null;
}

/** Every document of the space, in the trash too, parents before children where the order allows. */
export async function listSpaceDocuments(db: CellDb, spaceId: string): Promise<DocumentExportRow[]> {
  return cellWithLevels(db)
    .selectFrom('documents')
    .select(['id', 'parent_id', 'title', 'position', 'restricted', 'created_by', 'created_at', 'updated_at', 'trashed_at', 'trashed_by', 'classification'])
    .where('space_id', '=', spaceId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export async function listSpaceAccessRows(db: CellDb, spaceId: string): Promise<{ document_id: string; principal_id: string; role: SpaceRole }[]> {
  return db
    .selectFrom('document_access as a')
    .innerJoin('documents as d', 'd.id', 'a.document_id')
    .select(['a.document_id', 'a.principal_id', 'a.role'])
    .where('d.space_id', '=', spaceId)
    .orderBy('a.document_id')
    .orderBy('a.created_at')
    .orderBy('a.principal_id')
    .execute();
}

export interface VersionExportRow {
  id: string;
  epoch: number;
  kind: 'auto' | 'named' | 'before_restore';
  name: string | null;
  key_version: number;
  state: Uint8Array;
  created_by: string | null;
  created_at: Date;
}

/** A document's versions, oldest first, with their sealed state (one document at a time: states can be large). */
export async function listDocumentVersions(db: CellDb, documentId: string): Promise<VersionExportRow[]> {
  return db
    .selectFrom('document_versions')
    .select(['id', 'epoch', 'kind', 'name', 'key_version', 'state', 'created_by', 'created_at'])
    .where('document_id', '=', documentId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export interface ImageExportRow {
  id: string;
  document_id: string | null;
  content_type: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
  size: number;
  sha256: string;
  created_by: string;
  created_at: Date;
}

/** Images of the space whose document still exists (those of documents deleted for good are unreadable by anyone). */
export async function listSpaceImages(db: CellDb, spaceId: string): Promise<ImageExportRow[]> {
  return db
    .selectFrom('document_images as i')
    .select(['i.id', 'i.document_id', 'i.content_type', 'i.size', 'i.sha256', 'i.created_by', 'i.created_at'])
    .where('i.space_id', '=', spaceId)
    .where((eb) => eb.or([eb('i.document_id', 'is', null), eb.exists(eb.selectFrom('documents as d').select('d.id').whereRef('d.id', '=', 'i.document_id'))]))
    .orderBy('i.created_at')
    .orderBy('i.id')
    .execute();
}

export interface FileItemExportRow {
  id: string;
  parent_id: string | null;
  kind: 'folder' | 'file';
  name: string;
  current_version_id: string | null;
  created_by: string;
  created_at: Date;
  updated_by: string | null;
  updated_at: Date;
  trashed_at: Date | null;
  trashed_by: string | null;
  trashed_with: string | null;
}

export async function listSpaceFiles(db: CellDb, spaceId: string): Promise<FileItemExportRow[]> {
  return db
    .selectFrom('files')
    .select(['id', 'parent_id', 'kind', 'name', 'current_version_id', 'created_by', 'created_at', 'updated_by', 'updated_at', 'trashed_at', 'trashed_by', 'trashed_with'])
    .where('space_id', '=', spaceId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export interface FileVersionExportRow {
  id: string;
  file_id: string;
  number: number;
  object_key: string;
  size: number;
  content_type: string;
  sha256: string;
  status: FileStatus;
  signature: string | null;
  created_by: string | null;
  organisation_id: string | null;
  restored_from: string | null;
  created_at: Date;
}

export async function listSpaceFileVersions(db: CellDb, spaceId: string): Promise<FileVersionExportRow[]> {
  const rows = await db
    .selectFrom('file_versions')
    .select(['id', 'file_id', 'number', 'object_key', 'size', 'content_type', 'sha256', 'status', 'signature', 'created_by', 'organisation_id', 'restored_from', 'created_at'])
    .where('space_id', '=', spaceId)
    .orderBy('file_id')
    .orderBy('number')
    .execute();
  // bigint columns come back as strings on PostgreSQL.
  return rows.map((r) => ({ ...r, size: Number(r.size) }));
}

// ── audit ────────────────────────────────────────────────────────────────────────────────────

type AuditDb = Kysely<{ audit_events: AuditEventsTable; documents: { id: string; space_id: string }; document_images: { id: string; space_id: string }; files: { id: string; space_id: string } }>;

export interface AuditExportRow {
  id: string;
  occurred_at: Date;
  actor_id: string | null;
  organisation_id: string | null;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  outcome: 'success' | 'failure' | 'denied';
  ip: string | null;
  request_id: string | null;
  details: unknown;
  chain_id: string | null;
  seq: number | null;
  prev_hash: string | null;
  hash: string | null;
}

const AUDIT_COLUMNS = [
  'e.id',
  'e.occurred_at',
  'e.actor_id',
  'e.organisation_id',
  'e.action',
  'e.resource_type',
  'e.resource_id',
  'e.outcome',
  'e.ip',
  'e.request_id',
  'e.details',
  'e.chain_id',
  'e.seq',
  'e.prev_hash',
  'e.hash',
] as const;

/**
 * A page of the space's audit events in its cell (oldest first, after `after`): about the space
 * itself, or naming it in their details, or about one of its documents, images or files.
 */
export async function selectSpaceAuditPage(
  cell: CellDb,
  spaceId: string,
  after: { occurredAt: Date; id: string } | null,
  limit: number,
): Promise<AuditExportRow[]> {
  const db = cell as unknown as AuditDb;
  let q = db
    .selectFrom('audit_events as e')
    .select(AUDIT_COLUMNS)
    .where((eb) =>
      eb.or([
        eb.and([eb('e.resource_type', '=', 'space'), eb('e.resource_id', '=', spaceId)]),
        eb(sql`e.details->>'spaceId'`, '=', spaceId),
        eb.and([eb('e.resource_type', '=', 'document'), eb('e.resource_id', 'in', eb.selectFrom('documents').select(sql<string>`id::text`.as('id')).where('space_id', '=', spaceId))]),
        eb.and([eb('e.resource_type', '=', 'image'), eb('e.resource_id', 'in', eb.selectFrom('document_images').select(sql<string>`id::text`.as('id')).where('space_id', '=', spaceId))]),
        eb.and([eb('e.resource_type', '=', 'file'), eb('e.resource_id', 'in', eb.selectFrom('files').select(sql<string>`id::text`.as('id')).where('space_id', '=', spaceId))]),
      ]),
    );
  if (after) q = q.where((eb) => eb.or([eb('e.occurred_at', '>', after.occurredAt), eb.and([eb('e.occurred_at', '=', after.occurredAt), eb('e.id', '>', after.id)])]));
  const rows = await q.orderBy('e.occurred_at').orderBy('e.id').limit(limit).execute();
  return rows.map((r) => ({ ...r, seq: r.seq === null || r.seq === undefined ? null : Number(r.seq) })) as AuditExportRow[];
}

/** A page of the events accounted to an organisation in one store (control plane or a cell), oldest first. */
export async function selectOrganisationAuditPage(
  store: Kysely<unknown>,
  organisationId: string,
  after: { occurredAt: Date; id: string } | null,
  limit: number,
): Promise<AuditExportRow[]> {
  const db = store as unknown as AuditDb;
  let q = db.selectFrom('audit_events as e').select(AUDIT_COLUMNS).where('e.organisation_id', '=', organisationId);
  if (after) q = q.where((eb) => eb.or([eb('e.occurred_at', '>', after.occurredAt), eb.and([eb('e.occurred_at', '=', after.occurredAt), eb('e.id', '>', after.id)])]));
  const rows = await q.orderBy('e.occurred_at').orderBy('e.id').limit(limit).execute();
  return rows.map((r) => ({ ...r, seq: r.seq === null || r.seq === undefined ? null : Number(r.seq) })) as AuditExportRow[];
}

// ── control plane ────────────────────────────────────────────────────────────────────────────

export async function findPrincipals(db: ControlDb, ids: readonly string[]): Promise<{ id: string; home_jurisdiction: Jurisdiction; status: 'active' | 'disabled' }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('principals').select(['id', 'home_jurisdiction', 'status']).where('id', 'in', ids).execute();
}

export async function findOrganisation(db: ControlDb, id: string) {
  return db
    .selectFrom('organisations')
    .select(['id', 'name', 'jurisdiction', 'siret', 'neq', 'email_domains', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function listOrganisationMembers(
  db: ControlDb,
  organisationId: string,
): Promise<{ principal_id: string; roles: OrganisationRole[]; home_jurisdiction: Jurisdiction; status: 'active' | 'disabled'; created_at: Date }[]> {
  return db
    .selectFrom('memberships as m')
    .innerJoin('principals as p', 'p.id', 'm.principal_id')
    .select(['m.principal_id', 'm.roles', 'p.home_jurisdiction', 'p.status', 'm.created_at'])
    .where('m.organisation_id', '=', organisationId)
    .orderBy('m.created_at')
    .orderBy('m.principal_id')
    .execute();
}

export async function listOrganisationTeams(db: ControlDb, organisationId: string) {
  const teams = await db.selectFrom('teams').select(['id', 'name', 'created_at']).where('organisation_id', '=', organisationId).orderBy('created_at').orderBy('id').execute();
  const members = await db
    .selectFrom('team_members as tm')
    .innerJoin('teams as t', 't.id', 'tm.team_id')
    .select(['tm.team_id', 'tm.principal_id', 'tm.role'])
    .where('t.organisation_id', '=', organisationId)
    .orderBy('tm.created_at')
    .orderBy('tm.principal_id')
    .execute();
  return { teams, members };
}

/** Profiles (home cell) of these principals: names, address, language. */
export async function findProfiles(
  db: CellDb,
  ids: readonly string[],
): Promise<{ principal_id: string; given_name: string; family_name: string; email: string; preferred_language: string }[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('agent_profiles')
    .select(['principal_id', 'given_name', 'family_name', 'email', 'preferred_language'])
    .where('principal_id', 'in', ids)
    .execute();
}

/** Which of these principals are members of the organisation. */
export async function organisationMembersAmong(db: ControlDb, organisationId: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('memberships').select('principal_id').where('organisation_id', '=', organisationId).where('principal_id', 'in', ids).execute();
  return new Set(rows.map((r) => r.principal_id));
}

export async function organisationExists(db: ControlDb, id: string): Promise<boolean> {
  return (await db.selectFrom('organisations').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

// ── import: writes (cell) ────────────────────────────────────────────────────────────────────

export async function insertImportedSpace(
  db: CellDb,
  row: SpaceExportRow,
): Promise<void> {
  await db
    .insertInto('spaces')
    .values({
      id: row.id,
      name: row.name,
      description: row.description,
      min_assurance: row.min_assurance,
      classification: row.classification,
      created_by: row.created_by,
      created_at: row.created_at,
      updated_at: row.updated_at,
    })
    .execute();
}

export interface ImportedDocumentRow {
  id: string;
  space_id: string;
  parent_id: string | null;
  title: string;
  position: number;
  restricted: boolean;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  trashed_at: Date | null;
  trashed_by: string | null;
  /** The archive's own level of the document (issue 7), checked against this instance's scale; null: inherits. */
  classification: string | null;
}

export async function insertImportedDocuments(db: CellDb, rows: readonly ImportedDocumentRow[]): Promise<void> {
  if (rows.length === 0) return;
  // With their level in the same row: a document never exists here, even for a moment, without it.
  await cellWithLevels(db)
    .insertInto('documents')
    .values(rows.map((r) => ({ ...r, epoch: 1 })))
    .execute();
}

export async function insertImportedAccess(db: CellDb, rows: readonly { document_id: string; principal_id: string; role: SpaceRole }[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('document_access').values([...rows]).execute();
}

export async function insertImportedVersion(
  db: CellDb,
  row: { id: string; document_id: string; kind: 'auto' | 'named' | 'before_restore'; name: string | null; key_version: number; state: Uint8Array; content_text: string; created_by: string | null; created_at: Date },
): Promise<void> {
  await db
    .insertInto('document_versions')
    .values({ ...row, epoch: 1 })
    .execute();
}

export async function insertImportedImage(db: CellDb, row: { id: string; space_id: string; document_id: string | null; content_type: ImageExportRow['content_type']; size: number; sha256: string; created_by: string; created_at: Date }): Promise<void> {
  await db.insertInto('document_images').values(row).execute();
}

export async function insertImportedFiles(
  db: CellDb,
  rows: readonly (Omit<FileItemExportRow, 'current_version_id'> & { space_id: string; name_key: string })[],
): Promise<void> {
  if (rows.length === 0) return;
  // Without their current version first: version rows and files point at each other (set below).
  await db
    .insertInto('files')
    .values(rows.map((r) => ({ ...r, current_version_id: null })))
    .execute();
}

export async function insertImportedFileVersion(
  db: CellDb,
  row: Omit<FileVersionExportRow, 'size'> & { size: number; space_id: string; billed_bytes: number; thumbnail_key: null },
): Promise<void> {
  await db.insertInto('file_versions').values(row).execute();
}

export async function setCurrentFileVersion(db: CellDb, fileId: string, versionId: string): Promise<void> {
  await db.updateTable('files').set({ current_version_id: versionId }).where('id', '=', fileId).execute();
}

export async function insertSpaceImport(db: CellDb, row: Omit<SpaceImportsTable, 'started_at' | 'heartbeat_at' | 'completed_at' | 'mapping' | 'report'>): Promise<void> {
  await db.insertInto('space_imports').values(row).execute();
}

/** The import is still alive: abandoned ones (no heartbeat for a while) are cleaned up by the next import. */
export async function touchSpaceImport(db: CellDb, id: string): Promise<void> {
  await db.updateTable('space_imports').set({ heartbeat_at: new Date() }).where('id', '=', id).execute();
}

export async function completeSpaceImport(
  db: CellDb,
  id: string,
  patch: { mapping: Record<string, Record<string, string>>; report: Record<string, unknown>; auditObjectKey: string | null; auditSha256: string | null; auditEvents: number },
): Promise<void> {
  await db
    .updateTable('space_imports')
    .set({
      status: 'complete',
      completed_at: new Date(),
      heartbeat_at: new Date(),
      // jsonb parameters as JSON text (the pg driver would send a JS object as a PostgreSQL array literal otherwise).
      mapping: sql`${JSON.stringify(patch.mapping)}::jsonb`,
      report: sql`${JSON.stringify(patch.report)}::jsonb`,
      audit_object_key: patch.auditObjectKey,
      audit_sha256: patch.auditSha256,
      audit_events: patch.auditEvents,
    })
    .where('id', '=', id)
    .execute();
}

export async function listAbandonedImports(db: CellDb, staleBefore: Date): Promise<{ id: string; space_id: string }[]> {
  return db
    .selectFrom('space_imports')
    .select(['id', 'space_id'])
    .where('status', '=', 'importing')
    .where('heartbeat_at', '<', staleBefore)
    .execute();
}

/**
 * Spaces an archive (its manifest's SHA-256) already brought into this cell and that are still
 * here (a deleted space does not count: its copy may be imported again). Newest first.
 */
export async function listCompletedImportsOfArchive(db: CellDb, manifestSha256: string) {
  return db
    .selectFrom('space_imports')
    .innerJoin('spaces', 'spaces.id', 'space_imports.space_id')
    .select(['space_imports.id', 'space_imports.space_id', 'space_imports.source_space_id', 'space_imports.completed_at', 'space_imports.mapping', 'spaces.name'])
    .where('space_imports.manifest_sha256', '=', manifestSha256)
    .where('space_imports.status', '=', 'complete')
    .where('spaces.deleted_at', 'is', null)
    .orderBy('space_imports.completed_at', 'desc')
    .execute();
}

export async function findSpaceImport(db: CellDb, spaceId: string) {
  return db
    .selectFrom('space_imports')
    .select(['id', 'space_id', 'status', 'source_instance', 'source_space_id', 'source_created_at', 'manifest_sha256', 'audit_object_key', 'audit_sha256', 'audit_events', 'mapping', 'report', 'started_at', 'completed_at'])
    .where('space_id', '=', spaceId)
    .executeTakeFirst();
}

/** Removes a half-imported space: its row takes documents, versions, access, images, files and the import record (cascades). */
export async function deleteSpaceRow(db: CellDb, spaceId: string): Promise<void> {
  // Files point at their parents with a cascade, versions at files; document children likewise.
  await db.deleteFrom('spaces').where('id', '=', spaceId).execute();
}

// ── import: writes (control plane) ───────────────────────────────────────────────────────────

/** The directory entry (with the space's own classification level, issue 7: null when not set) and the members. */
export async function insertDirectoryAndMembers(
  db: ControlDb,
  spaceId: string,
  jurisdiction: Jurisdiction,
  classification: string | null,
  members: readonly { principalId: string; role: SpaceRole }[],
): Promise<void> {
  await controlWithLevels(db).insertInto('space_directory').values({ id: spaceId, jurisdiction, classification }).execute();
  if (members.length > 0) {
    await db
      .insertInto('space_members')
      .values(members.map((m) => ({ space_id: spaceId, principal_id: m.principalId, role: m.role })))
      .execute();
  }
}

export async function deleteDirectoryAndMembers(db: ControlDb, spaceId: string): Promise<void> {
  await db.deleteFrom('space_members').where('space_id', '=', spaceId).execute();
  await db.deleteFrom('space_directory').where('id', '=', spaceId).execute();
}
