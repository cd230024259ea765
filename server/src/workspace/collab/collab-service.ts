import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Connection } from '@hocuspocus/server';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Cells } from '../../platform/cells/cells.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { EventBus } from '../../platform/events/index.ts';
import { enqueue, type JobRunner } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { SessionService } from '../../identity/sessions.ts';
import { AGENT_LEFT_ORGANISATION } from '../../identity/leaving.ts'; // share links (attack review)
import { canEditText, documentAccessFor } from '../access.ts';
import { findDocumentEpoch } from './document-store.repo.ts';
import { type CollabAuthenticate, type CollabContext, type CollabLimits, type CollabServer, createCollabServer, endConnection } from './collab-server.ts';
import { createTicketAuthenticator, liveSession } from './collab-auth.ts';
import { DocumentNotFoundError, type DocumentRef, DocumentStore, EPOCH_CHANGED_TOPIC } from './document-store.ts';
import { CLOSE, COMPACT_AFTER_QUIET_MS, RECHECK_INTERVAL_MS } from './guard-rails.ts';
import { ticketKey } from './tickets.ts';

export const MEMBERSHIP_CHANGED_TOPIC = 'workspace.space.membership_changed';
export const ACCESS_CHANGED_TOPIC = 'workspace.document.access_changed';
export const COMPACT_JOB = 'workspace.document.compact';

/**
 * Collaboration as the rest of Entente sees it (`entente.collab`): the document store, the
 * `/collab` endpoint, server-side changes (version restore) and the re-checks that keep live
 * connections within what their principal may do now.
 */
export interface CollabService {
  store: DocumentStore;
  server: CollabServer;
  ticketKey: Buffer;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Logs the update first, then applies it to the live document if loaded on this node. */
  applyServerUpdate(ref: DocumentRef, update: Uint8Array): Promise<void>;
  /** Re-checks live connections (all, or those matching) against the database now. */
  recheck(filter?: (context: CollabContext) => boolean): Promise<void>;
  close(): Promise<void>;
}

export interface CollabServiceDeps {
  stores: Stores;
  cells: Cells;
  events: EventBus;
  jobs: JobRunner;
  sessions: SessionService;
  secret: Buffer;
  logger: Logger;
  /** Records refused connections (denials). */
  audit?: AuditLog;
  /** Tests only: replaces ticket authentication. */
  authenticate?: CollabAuthenticate;
  /** Several nodes: documents are kept in sync between them through this Redis (scale-out.ts). */
  redis?: { redisUrl: string; prefix: string } | null;
  /** Called after each background compaction (automatic versions hang on it). */
  afterCompaction?: (ref: DocumentRef) => Promise<void>;
  // ── full-text search (helper Q) ──
  /** Called when a document's changes were stored (a burst went quiet, a server change): search re-indexes it. */
  afterChangesStored?: (ref: DocumentRef) => void;
  // ── end search ──
  /** Tests only: lower guard-rail limits (guard-rails.ts holds the defaults). */
  limits?: Partial<CollabLimits>;
}

export function createCollabService(deps: CollabServiceDeps): CollabService {
  const log = deps.logger.child({ component: 'collab' });
  const key = ticketKey(deps.secret);
  const store = new DocumentStore({ cells: deps.cells, logger: deps.logger, events: deps.events });

  const scheduleCompaction = (ref: DocumentRef, why: 'quiet' | 'log') => {
    const now = Date.now();
    // ── full-text search (helper Q): the text is indexed within seconds, without waiting for a compaction ──
    try {
      deps.afterChangesStored?.(ref);
    } catch (error) {
      log.warn({ err: error, documentId: ref.documentId }, 'search indexing not scheduled');
    }
    // ── end search ──
    // One job per document per half-minute, whichever node asks: a busy document is compacted
    // at most that often, a quiet one once after it went quiet.
    const bucket = Math.floor(now / 30_000);
    void enqueue(deps.stores.control.db, {
      type: COMPACT_JOB,
      payload: { documentId: ref.documentId, spaceId: ref.spaceId, jurisdiction: ref.jurisdiction },
      runAt: new Date(now + (why === 'quiet' ? COMPACT_AFTER_QUIET_MS : 0)),
      idempotencyKey: `${COMPACT_JOB}:${ref.documentId}:${why}:${bucket}`,
      maxAttempts: 3,
    }).catch((error: unknown) => log.warn({ err: error, documentId: ref.documentId }, 'compaction not scheduled'));
  };

  const server = createCollabServer({
    logger: deps.logger,
    store,
    authenticate: deps.authenticate ?? createTicketAuthenticator({ stores: deps.stores, ticketKey: key, audit: deps.audit }),
    scheduleCompaction,
    redis: deps.redis ?? null,
    limits: deps.limits,
    // What changed between the ticket's check and the connection being added (a move ending, a
    // member removed) reached no connection: the event's re-check did not list this one yet. One
    // more look once it is added, instead of leaving it as it was admitted until the periodic
    // re-check (RECHECK_INTERVAL_MS) — e.g. an editor kept read-only for a minute after a move.
    onConnected: (connection) => {
      const context = connection.context as CollabContext;
      recheckConnection(connection, context).catch((error: unknown) => log.warn({ err: error, documentId: context.documentId }, 'a new collaboration connection could not be re-checked'));
    },
  });

  deps.jobs.register(COMPACT_JOB, async ({ payload }) => {
    const p = payload as { documentId?: unknown; spaceId?: unknown; jurisdiction?: unknown };
    if (typeof p.documentId !== 'string' || typeof p.spaceId !== 'string' || (p.jurisdiction !== 'FR' && p.jurisdiction !== 'QC')) return;
    try {
      const ref: DocumentRef = { documentId: p.documentId, spaceId: p.spaceId, jurisdiction: p.jurisdiction };
      await store.compact(ref);
      await deps.afterCompaction?.(ref);
    } catch (error) {
      if (error instanceof DocumentNotFoundError) return; // deleted meanwhile: nothing to compact
      throw error;
    }
  });

  async function recheckConnection(connection: Connection, context: CollabContext): Promise<void> {
    const session = await liveSession(deps.stores, context.principalId, context.sessionId);
    if (!session) {
      endConnection(connection, CLOSE.sessionEnded);
      return;
    }
    const access = await documentAccessFor(deps.stores, { principalId: context.principalId, assuranceLevel: session.assurance_level }, context.documentId);
    if (!access || access.trashed || access.insufficientAssurance) {
      endConnection(connection, CLOSE.accessRevoked);
      return;
    }
    // Another epoch, or the space moved to the other cell (spaces/move): the copy in memory is
    // stale; the client reconnects and the document is loaded again from where it is now.
    if (access.epoch !== context.epoch || access.jurisdiction !== context.jurisdiction) {
      endConnection(connection, CLOSE.epochChanged);
      return;
    }
    // A space being moved is read-only until the move ends.
    const readOnly = !canEditText(access.role) || access.moving;
    context.role = access.role;
    if (readOnly !== connection.readOnly) {
      // At once: Hocuspocus reads `readOnly` for each message it handles.
      connection.readOnly = readOnly;
      connection.sendStateless(JSON.stringify({ type: 'entente:access', role: access.role, readOnly }));
      // Then the client reconnects with a fresh ticket, whose role its editor follows.
      endConnection(connection, CLOSE.accessChanged);
    }
  }

  async function recheck(filter?: (context: CollabContext) => boolean): Promise<void> {
    const targets = server.connections(filter);
    await Promise.all(
      targets.map(async (connection) => {
        const context = connection.context as CollabContext;
        try {
          await recheckConnection(connection, context);
        } catch (error) {
          log.warn({ err: error, documentId: context.documentId }, 'a collaboration connection could not be re-checked');
        }
      }),
    );
  }

  const unsubscribe = [
    deps.events.subscribe(MEMBERSHIP_CHANGED_TOPIC, async (payload) => {
      const p = payload as { spaceId?: unknown; principalId?: unknown };
      if (typeof p?.spaceId !== 'string') return;
      await recheck((c) => c.spaceId === p.spaceId && (typeof p.principalId !== 'string' || c.principalId === p.principalId));
    }),
    deps.events.subscribe(ACCESS_CHANGED_TOPIC, async (payload) => {
      const p = payload as { documentId?: unknown; spaceId?: unknown };
      if (typeof p?.documentId !== 'string') return;
      // A restriction covers the subtree under the document (access.ts): every connection of the
      // space is re-checked, not only those of this document.
      await recheck((c) => c.documentId === p.documentId || (typeof p.spaceId === 'string' && c.spaceId === p.spaceId));
    }),
    // ── share links (attack review): a link for an organisation ends with the agent's place in it ──
    deps.events.subscribe(AGENT_LEFT_ORGANISATION, async (payload) => {
      const p = payload as { principalId?: unknown };
      if (typeof p?.principalId !== 'string') return;
      await recheck((c) => c.principalId === p.principalId);
    }),
    // ── end share links ──
    deps.events.subscribe(EPOCH_CHANGED_TOPIC, async (payload) => {
      const p = payload as { documentId?: unknown; epoch?: unknown };
      if (typeof p?.documentId !== 'string') return;
      await server.dropDocument(p.documentId, CLOSE.epochChanged);
    }),
  ];
  deps.sessions.onEnded(async ({ sessionId }) => {
    for (const connection of server.connections((c) => c.sessionId === sessionId)) endConnection(connection, CLOSE.sessionEnded);
  });
  // Events are best effort (a node may miss one): every connection is re-checked now and then.
  const timer = setInterval(() => void recheck(), RECHECK_INTERVAL_MS);
  timer.unref();

  return {
    store,
    server,
    ticketKey: key,
    handleUpgrade: (req, socket, head) => server.handleUpgrade(req, socket, head),
    async applyServerUpdate(ref, update) {
      const epoch = await findDocumentEpoch(deps.cells.get(ref.jurisdiction).db, ref.documentId, ref.spaceId);
      if (epoch === undefined) throw new DocumentNotFoundError(ref.documentId);
      await store.append(ref, epoch, update);
      await server.applyLogged(ref, epoch, update);
      scheduleCompaction(ref, 'quiet');
    },
    recheck,
    async close() {
      clearInterval(timer);
      for (const stop of unsubscribe) stop();
      await server.close();
      await store.flush();
    },
  };
}
