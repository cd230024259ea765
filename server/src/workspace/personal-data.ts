import { JURISDICTIONS, type Jurisdiction } from '../../../common/src/jurisdiction.ts';
import type { PersonalDataContext, PersonalDataSource } from '../identity/personal-data/personal-data.ts';
import type { WorkspaceSection } from '../identity/personal-data/schema.ts';
import type { Stores } from '../platform/db/stores.ts';
import { notificationsPersonalData } from './notifications/personal-data.ts'; // notifications (helper N)
import { effectiveRolesInSpace } from './access.ts';
import { replaceMentions } from './comments/comments.ts';
import {
  listCommentReactionsBy,
  listCommentsBy,
  listDocumentAccessOf,
  listDocumentsCreatedBy,
  listDocumentVersionsBy,
  listFileVersionsBy,
  listFilesCreatedBy,
  listImagesBy,
  listInvitationsBy,
  listInvitationsTo,
  listLiveSpaceNames,
  listShareLinkRedemptionsBy,
  listShareLinksBy,
  listSpaceMembershipRecords,
  listUploadsBy,
} from './personal-data.repo.ts';

/**
 * The workspace's part of an agent's personal data export (identity/personal-data): spaces they
 * belong to, invitations to and from them, and what they created in every cell — documents'
 * titles, files' names, versions, images, uploads, their comments and reactions, the share links
 * they made (never the link) and opened — never the documents' content, never other people's
 * names or addresses. Both cells are read: an agent works in spaces of either jurisdiction.
 */
export function workspacePersonalData(stores: Stores): PersonalDataSource<WorkspaceSection> {
  return async (context: PersonalDataContext) => {
    const { principalId, email } = context;
    const memberships = await listSpaceMembershipRecords(stores.control.db, principalId);
    const perCell = await Promise.all(
      JURISDICTIONS.map(async (jurisdiction) => {
        const db = stores.cells[jurisdiction].db;
        const spaceIds = memberships.filter((m) => m.jurisdiction === jurisdiction).map((m) => m.space_id);
        const [names, received, sent, documents, access, versions, images, files, fileVersions, uploads, comments, reactions, links] = await Promise.all([
          listLiveSpaceNames(db, spaceIds),
          email ? listInvitationsTo(db, email) : Promise.resolve([]),
          listInvitationsBy(db, principalId),
          listDocumentsCreatedBy(db, principalId),
          listDocumentAccessOf(db, principalId),
          listDocumentVersionsBy(db, principalId),
          listImagesBy(db, principalId),
          listFilesCreatedBy(db, principalId),
          listFileVersionsBy(db, principalId),
          listUploadsBy(db, principalId),
          listCommentsBy(db, principalId),
          listCommentReactionsBy(db, principalId),
          listShareLinksBy(db, principalId),
        ]);
        // Titles and names are the space's, as its members see them now (renamed, restricted): only
        // where the agent is still a member and can still read the document.
        const member = new Set(spaceIds);
        const readable = new Set<string>();
        for (const m of memberships.filter((x) => x.jurisdiction === jurisdiction)) {
          const roles = await effectiveRolesInSpace(stores, { spaceId: m.space_id, jurisdiction, role: m.role }, principalId);
          for (const [id, role] of roles) if (role !== null) readable.add(id);
        }
        return {
          jurisdiction,
          names,
          received,
          sent,
          documents: documents.filter((d) => member.has(d.space_id) && readable.has(d.id)),
          access,
          versions: versions.filter((v) => readable.has(v.document_id)),
          images,
          files: files.filter((f) => member.has(f.space_id)),
          fileVersions,
          uploads,
          // Their own words, where the document is still theirs to read (as assistant conversations).
          comments: comments.filter((c) => readable.has(c.document_id)),
          reactions: reactions.filter((r) => readable.has(r.document_id)),
          links,
        };
      }),
    );
    const opened = await listShareLinkRedemptionsBy(stores.control.db, principalId);
    const someoneElse = '@(autre personne / another person)';
    const nameOf = new Map(perCell.flatMap((c) => c.names.map((s) => [s.id, s.name] as const)));
    const each = <T, U>(pick: (c: (typeof perCell)[number]) => T[], map: (row: T, jurisdiction: Jurisdiction) => U): U[] =>
      perCell.flatMap((c) => pick(c).map((row) => map(row, c.jurisdiction)));
    const invitation = (
      row: { id: string; space_id: string; role: string; created_at: Date; expires_at: Date; accepted_at: Date | null; revoked_at: Date | null },
      jurisdiction: Jurisdiction,
    ) => ({
      id: row.id,
      spaceId: row.space_id,
      jurisdiction,
      role: row.role,
      createdAt: iso(row.created_at),
      expiresAt: iso(row.expires_at),
      acceptedAt: isoOrNull(row.accepted_at),
      revokedAt: isoOrNull(row.revoked_at),
    });
    return {
      spaces: memberships
        // A deleted space has no name any more, and no content to speak of: left out.
        .filter((m) => nameOf.has(m.space_id))
        .map((m) => ({
          id: m.space_id,
          name: nameOf.get(m.space_id) ?? null,
          jurisdiction: m.jurisdiction,
          role: m.role,
          memberSince: iso(m.created_at),
        })),
      invitationsReceived: each((c) => c.received, invitation),
      invitationsSent: each((c) => c.sent, invitation),
      documents: each(
        (c) => c.documents,
        (d, jurisdiction) => ({
          id: d.id,
          spaceId: d.space_id,
          jurisdiction,
          title: d.title,
          parentId: d.parent_id,
          createdAt: iso(d.created_at),
          updatedAt: iso(d.updated_at),
          trashedAt: isoOrNull(d.trashed_at),
        }),
      ),
      documentAccess: each(
        (c) => c.access,
        (a, jurisdiction) => ({ documentId: a.document_id, spaceId: a.space_id, jurisdiction, role: a.role, grantedAt: iso(a.created_at) }),
      ),
      documentVersions: each(
        (c) => c.versions,
        (v, jurisdiction) => ({ id: v.id, documentId: v.document_id, jurisdiction, kind: v.kind, name: v.name, createdAt: iso(v.created_at) }),
      ),
      images: each(
        (c) => c.images,
        (i, jurisdiction) => ({
          id: i.id,
          spaceId: i.space_id,
          documentId: i.document_id,
          jurisdiction,
          contentType: i.content_type,
          size: Number(i.size),
          createdAt: iso(i.created_at),
        }),
      ),
      files: each(
        (c) => c.files,
        (f, jurisdiction) => ({
          id: f.id,
          spaceId: f.space_id,
          jurisdiction,
          kind: f.kind,
          name: f.name,
          parentId: f.parent_id,
          createdAt: iso(f.created_at),
          trashedAt: isoOrNull(f.trashed_at),
        }),
      ),
      fileVersions: each(
        (c) => c.fileVersions,
        (v, jurisdiction) => ({
          id: v.id,
          fileId: v.file_id,
          spaceId: v.space_id,
          jurisdiction,
          number: Number(v.number),
          size: Number(v.size),
          contentType: v.content_type,
          status: v.status,
          signature: v.signature,
          createdAt: iso(v.created_at),
        }),
      ),
      uploads: each(
        (c) => c.uploads,
        (u, jurisdiction) => ({
          id: u.id,
          spaceId: u.space_id,
          jurisdiction,
          filename: u.filename,
          length: Number(u.length),
          offset: Number(u.offset),
          status: u.status,
          createdAt: iso(u.created_at),
          expiresAt: iso(u.expires_at),
        }),
      ),
      comments: each(
        (c) => c.comments,
        (m, jurisdiction) => ({
          id: m.id,
          threadId: m.thread_id,
          documentId: m.document_id,
          spaceId: m.space_id,
          jurisdiction,
          // Another agent's id is theirs, not the exporter's: a mention of anyone else stays a mention, unnamed.
          text: replaceMentions(m.body, (id) => (id === principalId.toLowerCase() ? `<@${id}>` : someoneElse)),
          createdAt: iso(m.created_at),
          editedAt: isoOrNull(m.edited_at),
          deletedAt: isoOrNull(m.deleted_at),
        }),
      ),
      commentReactions: each(
        (c) => c.reactions,
        (r, jurisdiction) => ({ commentId: r.comment_id, documentId: r.document_id, spaceId: r.space_id, jurisdiction, emoji: r.emoji, createdAt: iso(r.created_at) }),
      ),
      shareLinks: each(
        (c) => c.links,
        (l, jurisdiction) => ({
          id: l.id,
          documentId: l.document_id,
          spaceId: l.space_id,
          jurisdiction,
          role: l.role,
          reach: l.reach,
          expiresAt: isoOrNull(l.expires_at),
          allowIndexing: l.allow_indexing,
          createdAt: iso(l.created_at),
          revokedAt: isoOrNull(l.revoked_at),
        }),
      ),
      shareLinksOpened: opened.map((o) => ({ linkId: o.link_id, documentId: o.document_id, spaceId: o.space_id, openedAt: iso(o.redeemed_at) })),
      // ── notifications (helper N): from the agent's home cell ──
      ...(await notificationsPersonalData(stores, principalId, context.homeJurisdiction)),
      // ── end notifications ──
    };
  };
}

const iso = (d: Date | string): string => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null): string | null => (d === null ? null : iso(d));
