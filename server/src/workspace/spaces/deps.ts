import type { Kysely } from 'kysely';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Actor } from '../../identity/actor.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { AuditEventsTable } from '../../platform/audit/audit.tables.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { AppError, unauthenticated } from '../../platform/errors.ts';
import type { EventBus } from '../../platform/events/index.ts';
import type { OutboxRegistry } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Mailer } from '../../platform/mail/index.ts';
import type { AssuranceLevel } from '../../identity/federation/upstream.ts';
import { meetsAssurance } from '../access.ts';

/**
 * What the spaces and documents use cases need, given once by the composition root. `content`
 * is the document store of the collaboration part (its `load` and `initialise`, to copy a
 * document's content on duplicate and to seed the demo): typed structurally so that this part
 * does not depend on how the store is built.
 */
export interface DocumentRef {
  documentId: string;
  spaceId: string;
  jurisdiction: Jurisdiction;
}

export interface DocumentContent {
  load(ref: DocumentRef): Promise<{ state: Uint8Array; epoch: number }>;
  initialise(ref: DocumentRef, state: Uint8Array): Promise<void>;
}

export interface WorkspaceDeps {
  stores: Stores;
  audit: AuditLog;
  events: EventBus;
  outbox: OutboxRegistry;
  mailer: Mailer;
  /** The server secret: keys the hash of invited addresses in the control plane. */
  secret: Buffer;
  publicUrl: () => URL;
  /** The email domains the configured identity federations vouch for (invitations by address need one). */
  federatedDomains: () => readonly string[];
  logger: Logger;
  content?: () => DocumentContent | undefined;
  /**
   * Tells an agent a document was shared with them (set once notifications exist: entente.ts).
   * Best effort, after the change is committed: a lost notification never undoes a share.
   */
  documentShared?: (event: { recipientId: string; actorId: string; spaceId: string; documentId: string }) => Promise<void>;
}

export interface RequestMeta {
  ip: string | null;
  requestId: string;
}

/** The audit log's table, to record inside a cell transaction. */
export type AuditTrx = Kysely<{ audit_events: AuditEventsTable }>;

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw unauthenticated();
  return actor;
}

/**
 * Content and changes of a space need a session at its minimum level of assurance. The problem
 * says which level and where to get it (the agent's own federation, asking for that level), so
 * the UI can offer the step-up at once; listing the space's documents does not need it.
 */
export function requireAssuranceFor(actor: Actor, minAssurance: AssuranceLevel, returnTo: string): void {
  if (meetsAssurance(actor.assuranceLevel, minAssurance)) return;
  const query = new URLSearchParams({ level: minAssurance, returnTo, ...(actor.upstream ? { upstream: actor.upstream } : {}) });
  throw new AppError('insufficient_assurance', {
    params: { level: minAssurance },
    extensions: { requiredLevel: minAssurance, stepUp: `/auth/login?${query.toString()}` },
  });
}

/** Events are hints (the database is the record): a failed publish is logged, never thrown. */
export async function publishQuietly(deps: Pick<WorkspaceDeps, 'events' | 'logger'>, topic: string, payload: Record<string, string | number>): Promise<void> {
  try {
    await deps.events.publish(topic, payload);
  } catch (error) {
    deps.logger.warn({ err: error, topic }, 'publishing a workspace event failed');
  }
}

export const MEMBERSHIP_CHANGED = 'workspace.space.membership_changed';
export const DOCUMENT_ACCESS_CHANGED = 'workspace.document.access_changed';
