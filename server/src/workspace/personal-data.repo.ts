import type { CellDb, ControlDb } from '../platform/db/types.ts';
import './workspace.tables.ts';
import './images/images.tables.ts';
import './files/files.tables.ts';
import './comments/comments.tables.ts';
import './sharing/sharing.tables.ts';

/**
 * The SQL of the workspace's part of a personal data export (identity/personal-data): what one
 * principal created or was given, in one cell, with explicit columns — titles and names, never
 * content. Rows of deleted spaces are left out (nothing reads a deleted space; its keys are gone).
 */

// ── control plane ────────────────────────────────────────────────────────────────────────────
export async function listSpaceMembershipRecords(db: ControlDb, principalId: string) {
  return db
    .selectFrom('space_members')
    .innerJoin('space_directory', 'space_directory.id', 'space_members.space_id')
    .select(['space_members.space_id', 'space_directory.jurisdiction', 'space_members.role', 'space_members.created_at'])
    .where('space_members.principal_id', '=', principalId)
    .orderBy('space_members.created_at')
    .execute();
}

export async function listShareLinkRedemptionsBy(db: ControlDb, principalId: string) {
  return db
    .selectFrom('share_link_redemptions')
    .select(['link_id', 'document_id', 'space_id', 'redeemed_at'])
    .where('principal_id', '=', principalId)
    .orderBy('redeemed_at')
    .execute();
}

// ── cell ─────────────────────────────────────────────────────────────────────────────────────
export async function listLiveSpaceNames(db: CellDb, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('spaces').select(['id', 'name']).where('id', 'in', ids).where('deleted_at', 'is', null).execute();
}

export async function listInvitationsTo(db: CellDb, email: string) {
  return db
    .selectFrom('space_invitations')
    .innerJoin('spaces', 'spaces.id', 'space_invitations.space_id')
    .select([
      'space_invitations.id',
      'space_invitations.space_id',
      'space_invitations.role',
      'space_invitations.created_at',
      'space_invitations.expires_at',
      'space_invitations.accepted_at',
      'space_invitations.revoked_at',
    ])
    .where((eb) => eb(eb.fn('lower', ['space_invitations.email']), '=', email.toLowerCase()))
    .where('spaces.deleted_at', 'is', null)
    .orderBy('space_invitations.created_at', 'desc')
    .execute();
}

/** Without `email`: the invited addresses are other people's data. */
export async function listInvitationsBy(db: CellDb, principalId: string) {
  return db
    .selectFrom('space_invitations')
    .innerJoin('spaces', 'spaces.id', 'space_invitations.space_id')
    .select([
      'space_invitations.id',
      'space_invitations.space_id',
      'space_invitations.role',
      'space_invitations.created_at',
      'space_invitations.expires_at',
      'space_invitations.accepted_at',
      'space_invitations.revoked_at',
    ])
    .where('space_invitations.invited_by', '=', principalId)
    .where('spaces.deleted_at', 'is', null)
    .orderBy('space_invitations.created_at', 'desc')
    .execute();
}

export async function listDocumentsCreatedBy(db: CellDb, principalId: string) {
  return db
    .selectFrom('documents')
    .innerJoin('spaces', 'spaces.id', 'documents.space_id')
    .select([
      'documents.id',
      'documents.space_id',
      'documents.title',
      'documents.parent_id',
      'documents.created_at',
      'documents.updated_at',
      'documents.trashed_at',
    ])
    .where('documents.created_by', '=', principalId)
    .where('spaces.deleted_at', 'is', null)
    .orderBy('documents.created_at')
    .execute();
}

export async function listDocumentAccessOf(db: CellDb, principalId: string) {
  return db
    .selectFrom('document_access')
    .innerJoin('documents', 'documents.id', 'document_access.document_id')
    .innerJoin('spaces', 'spaces.id', 'documents.space_id')
    .select(['document_access.document_id', 'documents.space_id', 'document_access.role', 'document_access.created_at'])
    .where('document_access.principal_id', '=', principalId)
    .where('spaces.deleted_at', 'is', null)
    .execute();
}

export async function listDocumentVersionsBy(db: CellDb, principalId: string) {
  return db
    .selectFrom('document_versions')
    .innerJoin('documents', 'documents.id', 'document_versions.document_id')
    .innerJoin('spaces', 'spaces.id', 'documents.space_id')
    .select(['document_versions.id', 'document_versions.document_id', 'document_versions.kind', 'document_versions.name', 'document_versions.created_at'])
    .where('document_versions.created_by', '=', principalId)
    .where('spaces.deleted_at', 'is', null)
    .orderBy('document_versions.created_at')
    .execute();
}

export async function listImagesBy(db: CellDb, principalId: string) {
  return db
    .selectFrom('document_images')
    .innerJoin('spaces', 'spaces.id', 'document_images.space_id')
    .select([
      'document_images.id',
      'document_images.space_id',
      'document_images.document_id',
      'document_images.content_type',
      'document_images.size',
      'document_images.created_at',
    ])
    .where('document_images.created_by', '=', principalId)
    .where('spaces.deleted_at', 'is', null)
    .orderBy('document_images.created_at')
    .execute();
}

export async function listFilesCreatedBy(db: CellDb, principalId: string) {
  return db
    .selectFrom('files')
    .innerJoin('spaces', 'spaces.id', 'files.space_id')
    .select(['files.id', 'files.space_id', 'files.kind', 'files.name', 'files.parent_id', 'files.created_at', 'files.trashed_at'])
    .where('files.created_by', '=', principalId)
    .where('spaces.deleted_at', 'is', null)
    .orderBy('files.created_at')
    .execute();
}

export async function listFileVersionsBy(db: CellDb, principalId: string) {
  return db
    .selectFrom('file_versions')
    .innerJoin('spaces', 'spaces.id', 'file_versions.space_id')
    .select([
      'file_versions.id',
      'file_versions.file_id',
      'file_versions.space_id',
      'file_versions.number',
      'file_versions.size',
      'file_versions.content_type',
      'file_versions.status',
      'file_versions.signature',
      'file_versions.created_at',
    ])
    .where('file_versions.created_by', '=', principalId)
    .where('spaces.deleted_at', 'is', null)
    .orderBy('file_versions.created_at')
    .execute();
}

export async function listUploadsBy(db: CellDb, principalId: string) {
  return db
    .selectFrom('file_uploads')
    .innerJoin('spaces', 'spaces.id', 'file_uploads.space_id')
    .select([
      'file_uploads.id',
      'file_uploads.space_id',
      'file_uploads.filename',
      'file_uploads.length',
      'file_uploads.offset',
      'file_uploads.status',
      'file_uploads.created_at',
      'file_uploads.expires_at',
    ])
    .where('file_uploads.created_by', '=', principalId)
    .where('spaces.deleted_at', 'is', null)
    .orderBy('file_uploads.created_at')
    .execute();
}

/** The agent's comments (deleted ones keep their dates, their text is already gone). */
export async function listCommentsBy(db: CellDb, principalId: string) {
  return db
    .selectFrom('comments')
    .innerJoin('spaces', 'spaces.id', 'comments.space_id')
    .select(['comments.id', 'comments.thread_id', 'comments.document_id', 'comments.space_id', 'comments.body', 'comments.created_at', 'comments.edited_at', 'comments.deleted_at'])
    .where('comments.author_id', '=', principalId)
    .where('spaces.deleted_at', 'is', null)
    .orderBy('comments.created_at')
    .execute();
}

export async function listCommentReactionsBy(db: CellDb, principalId: string) {
  return db
    .selectFrom('comment_reactions')
    .innerJoin('spaces', 'spaces.id', 'comment_reactions.space_id')
    .select(['comment_reactions.comment_id', 'comment_reactions.document_id', 'comment_reactions.space_id', 'comment_reactions.emoji', 'comment_reactions.created_at'])
    .where('comment_reactions.principal_id', '=', principalId)
    .where('spaces.deleted_at', 'is', null)
    .orderBy('comment_reactions.created_at')
    .execute();
}

/** Share links the agent made: what they open and until when — the token is never stored, only its hash, which stays out. */
export async function listShareLinksBy(db: CellDb, principalId: string) {
  return db
    .selectFrom('share_links')
    .innerJoin('spaces', 'spaces.id', 'share_links.space_id')
    .select([
      'share_links.id',
      'share_links.document_id',
      'share_links.space_id',
      'share_links.role',
      'share_links.reach',
      'share_links.expires_at',
      'share_links.allow_indexing',
      'share_links.created_at',
      'share_links.revoked_at',
    ])
    .where('share_links.created_by', '=', principalId)
    .where('spaces.deleted_at', 'is', null)
    .orderBy('share_links.created_at')
    .execute();
}
