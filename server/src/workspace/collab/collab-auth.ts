import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { isUuid } from '../../platform/ids.ts';
import { findPrincipal } from '../../identity/principals.repo.ts';
import { findProfile } from '../../identity/profiles.repo.ts';
import { listLiveSessions } from '../../identity/sessions.repo.ts';
import { canEditText, type DocumentAccess, documentAccessFor } from '../access.ts';
import { type CollabAuthenticate, type CollabContext, CollabRefusal } from './collab-server.ts';
import { TicketError, verifyTicket } from './tickets.ts';

/**
 * The authenticator of `/collab`: a ticket from `POST /api/collab/tickets`, checked again in
 * full when the socket opens — signature, expiry, the document it names, the session still
 * live, the access recomputed now (the ticket's role is never trusted: a member removed since
 * the ticket was issued is refused) and the epoch still current.
 */
export function createTicketAuthenticator(deps: { stores: Stores; ticketKey: Buffer; audit?: AuditLog }): CollabAuthenticate {
  const check = checkTicket(deps);
  return async (payload) => {
    try {
      const granted = await check(payload);
      // Opening a document on the socket is reading it (issue 6): audited before any byte is sent.
      await deps.audit?.record({
        action: 'workspace.document.opened',
        outcome: 'success',
        actorId: granted.context.principalId,
        jurisdiction: granted.context.jurisdiction,
        resource: { type: 'document', id: granted.context.documentId },
        details: { role: granted.context.role, readOnly: granted.readOnly },
      });
      return granted;
    } catch (error) {
      if (error instanceof CollabRefusal && deps.audit) {
        // A refused socket is a denial like a 403: who (when the ticket was genuine), what, why.
        await deps.audit
          .record({
            action: 'workspace.collab.refused',
            outcome: 'denied',
            actorId: error.principalId,
            resource: isUuid(payload.documentName) ? { type: 'document', id: payload.documentName } : null,
            details: { reason: error.reason },
          })
          .catch(() => {});
      }
      throw error;
    }
  };
}

function checkTicket(deps: { stores: Stores; ticketKey: Buffer }): CollabAuthenticate {
  return async ({ token, documentName }) => {
    let claims: ReturnType<typeof verifyTicket>;
    try {
      claims = verifyTicket(deps.ticketKey, token);
    } catch (error) {
      if (error instanceof TicketError) throw new CollabRefusal(error.reason);
      throw error;
    }
    try {
      return await withClaims(deps, claims, documentName);
    } catch (error) {
      if (error instanceof CollabRefusal) error.principalId = claims.principalId;
      throw error;
    }
  };
}

async function withClaims(
  deps: { stores: Stores },
  claims: ReturnType<typeof verifyTicket>,
  documentName: string,
): ReturnType<CollabAuthenticate> {
  if (claims.documentId !== documentName) throw new CollabRefusal('ticket-other-document');
  const session = await liveSession(deps.stores, claims.principalId, claims.sessionId);
  if (!session) throw new CollabRefusal('session-ended');
  const context = { principalId: claims.principalId, sessionId: claims.sessionId, assuranceLevel: session.assurance_level };
  const access = await currentAccess(deps.stores, context, documentName);
  if (access.epoch !== claims.epoch) throw new CollabRefusal('epoch-changed');
  const full: CollabContext = {
    ...context,
    documentId: access.documentId,
    spaceId: access.spaceId,
    jurisdiction: access.jurisdiction,
    epoch: access.epoch,
    role: access.role,
    displayName: await displayNameOf(deps.stores, claims.principalId),
  };
  // A space being moved to the other cell is read-only for everyone until the move ends.
  return { readOnly: !canEditText(access.role) || access.moving, context: full };
}

/**
 * The name others see on this connection's cursor and avatar, read from the agent's home cell
 * (the presence a client announces is rewritten with it: nobody types under someone else's name).
 */
async function displayNameOf(stores: Stores, principalId: string): Promise<string> {
  const principal = await findPrincipal(stores.control.db, principalId);
  const profile = principal ? await findProfile(stores.cells[principal.home_jurisdiction].db, principalId) : undefined;
  return profile ? `${profile.given_name} ${profile.family_name}`.trim() : '';
}

/** The access a connection's principal has now; refusals name why (the client shows it). */
export async function currentAccess(
  stores: Stores,
  who: { principalId: string; assuranceLevel: string | null },
  documentId: string,
): Promise<DocumentAccess> {
  const access = await documentAccessFor(stores, who, documentId);
  if (!access || access.trashed) throw new CollabRefusal('no-access');
  if (access.insufficientAssurance) throw new CollabRefusal('insufficient-assurance');
  return access;
}

export async function liveSession(stores: Stores, principalId: string, sessionId: string) {
  const sessions = await listLiveSessions(stores.control.db, principalId, new Date());
  return sessions.find((s) => s.id === sessionId) ?? null;
}
