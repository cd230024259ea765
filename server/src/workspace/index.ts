/** What other modules and the composition root use of the workspace module. */
// ── spaces, members, invitations, documents tree (helper A) ──
export { type DocumentAccess, documentAccessFor, type SpaceAccess, spaceAccessFor } from './access.ts';
export { documentRoutes } from './documents/routes.ts';
export { type DocumentDetail, type DocumentSummary, documentForContent } from './documents/documents.ts';
export { DOCUMENT_ACCESS_CHANGED, MEMBERSHIP_CHANGED, requireAssuranceFor, type WorkspaceDeps } from './spaces/deps.ts';
export { acceptInvitationsAtSignIn, registerInvitationOutboxHandlers } from './spaces/invitations.ts';
export { spaceRoutes } from './spaces/routes.ts';
export { registerSpacesOutboxHandlers } from './spaces/spaces.ts';
export { seedDemoContent } from './demo-content.ts';
// ── end spaces ──
// ── space deletion with crypto-shredding (helper F) ──
export { deleteSpace, purgeDeletedSpace, registerSpaceDeletion, type SpaceDeletionDeps } from './spaces/delete-space.ts';
export { spaceDeletionRoutes } from './spaces/routes.ts';
// ── end space deletion ──
// ── organisation deletion (helper O): the workspace's part, and space shredding for the command line ──
export { organisationSpacesPort } from './spaces/organisation-spaces.ts';
export { registerSpaceDeletedOutbox, type ShredDeps } from './spaces/delete-space.ts';
// ── end organisation deletion ──
// ── images of documents (helper E) ──
export { type ImageDeps, type ImageView, imageUrl } from './images/images.ts';
export { imageRoutes } from './images/routes.ts';
// ── end images ──
// ── files (helper A) ──
export type { FilesDeps, FilesLimits } from './files/deps.ts';
export { type FileItem, type FilesListing, purgeTrash, processObjectDeletions } from './files/files.ts';
export { type QuotaView, quotaView } from './files/quotas.ts';
export { registerFileJobs } from './files/jobs.ts';
export { fileRoutes } from './files/routes.ts';
export { tusRoutes } from './files/tus-routes.ts';
export { expireUploads } from './files/uploads.ts';
// ── end files ──
// ── personal data export (helper E): the workspace's part of « Télécharger mes données » ──
export { workspacePersonalData } from './personal-data.ts';
// ── end personal data ──
// ── full-text search (helper Q) ──
export { registerSearchIndexing, scheduleIndex } from './search/indexer.ts';
export { searchRoutes } from './search/routes.ts';
// ── end search ──
// ── assistant retrieval (helper E3): the readable documents' indexed text, same rules as search ──
export { READABLE_TEXTS_MAX, type ReadableText, readableTextOf, readableTextsFor } from './search/readable-texts.ts';
export { MARK_START, MARK_STOP, type Segment, segmentsOf } from './search/query.ts';
// ── end assistant retrieval ──
// ── notifications (helper N): notify(), routes, mail job ──
export {
  NOTIFICATION_KINDS,
  type NotificationEvent,
  type NotificationKind,
  type NotificationsDeps,
  notificationRoutes,
  notificationsPersonalData,
  notify,
  registerNotificationJobs,
} from './notifications/index.ts';
// ── end notifications ──
// ── document imports (helper I): Markdown, HTML, DOCX and zips into a space ──
export { type ImportDeps, ImportRunner } from './imports/imports.ts';
export { importRoutes } from './imports/routes.ts';
// ── end document imports ──
// ── comments (helper C): threads anchored in documents, replies, reactions, mentions ──
export { commentExcerpt } from './comments/comments.ts';
export type { CommentNotification, CommentNotifier, CommentsDeps } from './comments/deps.ts';
export { commentRoutes } from './comments/routes.ts';
// ── end comments ──
// ── exports of documents and spaces (helper E): PDF, DOCX, ODT, Markdown, HTML ──
export { documentExportRoutes } from './document-export/routes.ts';
// ── end exports ──
// ── share links (helper S): links per document, public read-only pages ──
export { sharingRoutes } from './sharing/routes.ts';
// ── end share links ──
// ── assistant conversations (helper D1): a member's space and the move lock, for conversations kept in the space's cell ──
export { requireNotMoving } from './access.ts';
export { getSpace } from './spaces/spaces.ts';
// ── end assistant conversations ──
// ── classification labels (helper B): levels of spaces and documents on the configured scale ──
export { type ClassificationDeps, type ClassificationScale, type ContentLabel, contentLabels } from './classification/classification.ts';
export { serviceContentLabels } from './classification/classification.ts'; // hybrid retrieval (helper E): the embeddings indexer's labels
export { classificationRoutes } from './classification/routes.ts';
// ── end classification labels ──
