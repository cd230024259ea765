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
// ── images of documents (helper E) ──
export { type ImageDeps, type ImageView, imageUrl } from './images/images.ts';
export { imageRoutes } from './images/routes.ts';
// ── end images ──
