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
