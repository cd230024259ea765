import type { AuditEvent, AuditLog } from '../../platform/audit/audit-log.ts';
import type { DocumentAccess } from '../access.ts';
import { roleAtLeast } from '../access.ts';
import type { AuditTrx, RequestMeta } from '../spaces/deps.ts';
import type { SpaceRole } from '../workspace.tables.ts';

/**
 * Every access a share link grants is audited (issue 5): one `workspace.share_link.used` event
 * per access of a signed-in agent, in the space's cell, naming the link, the document, the agent
 * and what was done (`action`). Opening a link (`redeem`, action `open`) and public page views
 * (public-links.ts, counted per window) are recorded where they happen; this covers what the
 * access rules give afterwards: reading the content, versions, exports, a collaboration ticket,
 * writing comments, editing through versions.
 *
 * Only what the link grants: when the agent's role as a member already allows the action (a
 * reader of the space who also holds an editor link, reading), the link played no part and
 * nothing is recorded here — a member's ordinary access never produces a link event.
 */
export type LinkAction = 'read' | 'export' | 'ticket' | 'comment' | 'edit';

const NEEDED: Record<LinkAction, SpaceRole> = { read: 'reader', export: 'reader', ticket: 'reader', comment: 'commenter', edit: 'editor' };

/** The event for this access, or null when no link granted it. `editing`: a ticket for writing. */
export function linkUseEvent(
  actor: { principalId: string; via?: 'session' | 'token' },
  access: DocumentAccess,
  action: LinkAction,
  meta: Partial<RequestMeta> | undefined,
  details: Record<string, string | number | boolean | null> = {},
): AuditEvent | null {
  const link = access.link;
  if (!link) return null;
  const needed = action === 'ticket' && details.editing === true ? 'editor' : NEEDED[action];
  if (link.memberRole && roleAtLeast(link.memberRole, needed)) return null;
  return {
    action: 'workspace.share_link.used',
    outcome: 'success',
    actorId: actor.principalId,
    jurisdiction: access.jurisdiction,
    resource: { type: 'share_link', id: link.id },
    ip: meta?.ip ?? null,
    requestId: meta?.requestId ?? null,
    // `api`: with a personal access token; `app`: in a browser session.
    details: { documentId: access.documentId, via: actor.via === 'token' ? 'api' : 'app', reach: link.reach, action, role: access.role, ...details },
  };
}

/** Records the event of an access through a link (nothing otherwise); `trx`: inside the caller's cell transaction. */
export async function auditLinkUse(
  audit: AuditLog | undefined,
  actor: { principalId: string; via?: 'session' | 'token' },
  access: DocumentAccess,
  action: LinkAction,
  meta: Partial<RequestMeta> | undefined,
  details?: Record<string, string | number | boolean | null>,
  trx?: AuditTrx,
): Promise<void> {
  const event = linkUseEvent(actor, access, action, meta, details);
  if (event && audit) await audit.record(event, trx);
}
