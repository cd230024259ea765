import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type Connection, type Document, Hocuspocus, type onAuthenticatePayload } from '@hocuspocus/server';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import type { Logger } from '../../platform/logger.ts';
import { redisScaleOut } from './scale-out.ts';
import type { DocumentRef, DocumentStore } from './document-store.ts';
import {
  CLOSE,
  COMPACT_AFTER_UPDATES,
  MAX_COLLAB_MESSAGE_BYTES,
  MAX_CONNECTIONS_PER_DOCUMENT,
  MAX_DOCUMENT_BYTES,
  MAX_UPDATE_BYTES,
  MESSAGE_BUCKET,
  TokenBucket,
} from './guard-rails.ts';
import { MalformedMessageError, readIncomingChange } from './sync-message.ts';
import { measureInsertion } from './update-depth.ts';
import { MAX_CONTENT_DEPTH } from '../../../../common/src/content-depth.ts';

/**
 * The real-time collaboration endpoint, `/collab` on the same HTTP server as the API
 * (DESIGN.md contract). Hocuspocus 4 is transport-agnostic: we accept the WebSocket upgrade with
 * `ws`, hand Hocuspocus a web `Request` built from the upgrade request, and pipe messages in.
 * Every refusal (no ticket, bad ticket, no access) is answered inside the Hocuspocus protocol
 * ("authentication failed" with a reason), never as a refused upgrade, so that clients get a reason.
 *
 * Durability: Hocuspocus applies an update and broadcasts it in the same step, and its
 * onChange/onStoreDocument hooks run after. So the update is read out of the incoming message in
 * `beforeHandleMessage` — awaited by Hocuspocus before it applies anything — and appended to the
 * document's log; only when that is committed does Hocuspocus apply, broadcast and acknowledge
 * it (SyncStatus). A client's "all saved" therefore means "on disk". Nothing is ever persisted
 * from the in-memory document.
 */
export const COLLAB_PATH = '/collab';
export { MAX_COLLAB_MESSAGE_BYTES };

/** What every connection carries (Hocuspocus `context`), set by the authenticator. */
export interface CollabContext extends DocumentRef {
  principalId: string;
  sessionId: string;
  epoch: number;
  role: string;
  /** The session's level of assurance, for re-checks without a session lookup. */
  assuranceLevel: string | null;
  /** The agent's name from their home cell: what presence shows, whatever the client announces. */
  displayName?: string;
}

export type CollabAuthenticate = (payload: {
  token: string;
  documentName: string;
  request: Request;
}) => Promise<{ readOnly: boolean; context: CollabContext }>;

/** A refusal inside the protocol: Hocuspocus sends `reason` with "permission denied". */
export class CollabRefusal extends Error {
  readonly reason: string;
  /** Who was refused, when known (a genuine ticket): for the audit. */
  principalId: string | null = null;
  constructor(reason: string) {
    super(reason);
    this.name = 'CollabRefusal';
    this.reason = reason;
  }
}

/** Thrown from beforeHandleMessage: Hocuspocus closes that document's connection with it. */
class ConnectionClosing extends Error {
  readonly code: number;
  readonly reason: string;
  constructor(close: { code: number; reason: string }) {
    super(close.reason);
    this.code = close.code;
    this.reason = close.reason;
  }
}

/**
 * Ends a client's connection: the document's connection (Hocuspocus sends a close message with
 * the reason) and its socket. Closing the socket matters: a provider told only "closed" keeps its
 * socket and silently stops syncing, whereas a closed socket makes it reconnect with a fresh
 * ticket — which tells it the new state of things (no access, another epoch, another role) or,
 * after a storage failure, makes it send its unsaved changes again.
 */
export function endConnection(connection: Connection, close: { code: number; reason: string }): void {
  connection.close(close as never);
  const socket = connection.webSocket;
  // 2 = CLOSING, 3 = CLOSED (WebSocket readyState)
  if (socket.readyState !== 2 && socket.readyState !== 3) socket.close(close.code, close.reason);
}

/** Closes the socket, then lets Hocuspocus close the document's connection with the same reason. */
function refuse(connection: Connection, close: { code: number; reason: string }): ConnectionClosing {
  const socket = connection.webSocket;
  if (socket.readyState !== 2 && socket.readyState !== 3) socket.close(close.code, close.reason);
  return new ConnectionClosing(close);
}

export const refuseAll: CollabAuthenticate = async () => {
  throw new CollabRefusal('no-authenticator');
};

/** What the server knows about a loaded document. */
interface LoadedDocument {
  ref: DocumentRef;
  epoch: number;
  /** Encoded size at load plus every update accepted since: the guard on document growth. */
  bytes: number;
  /** Updates logged on this node since the last compaction was scheduled. */
  sinceCompaction: number;
}

export interface CollabServerOptions {
  logger: Logger;
  store: DocumentStore;
  authenticate?: CollabAuthenticate;
  /** Asks for a background compaction (`quiet`: the document went quiet; `log`: the log grew). */
  scheduleCompaction?: (ref: DocumentRef, why: 'quiet' | 'log') => void;
  /** Several nodes: Redis fan-out of live changes (scale-out.ts); null or absent: one node. */
  redis?: { redisUrl: string; prefix: string } | null;
  /** Tests only: lower limits, so that reaching them takes a few clients and kilobytes. */
  limits?: Partial<CollabLimits>;
  /** Called once a connection is added to its document (collab-service re-checks its access then). */
  onConnected?: (connection: Connection) => void;
}

/** The limits that can be lowered for tests; the defaults are those of guard-rails.ts. */
export interface CollabLimits {
  maxConnectionsPerDocument: number;
  maxDocumentBytes: number;
}

export interface CollabServer {
  hocuspocus: Hocuspocus;
  /** The limits in force. */
  limits: Readonly<CollabLimits>;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Live connections on this node, with their context. */
  connections(filter?: (context: CollabContext) => boolean): Connection[];
  /** Applies an update already logged to the document if it is loaded here (everyone receives it). */
  applyLogged(ref: DocumentRef, epoch: number, update: Uint8Array): Promise<boolean>;
  /** Closes every connection of a document and unloads it (its content was replaced). */
  dropDocument(documentId: string, close: { code: number; reason: string }): Promise<void>;
  close(): Promise<void>;
}

export function createCollabServer(options: CollabServerOptions): CollabServer {
  const authenticate = options.authenticate ?? refuseAll;
  const { store } = options;
  const limits: CollabLimits = {
    maxConnectionsPerDocument: options.limits?.maxConnectionsPerDocument ?? MAX_CONNECTIONS_PER_DOCUMENT,
    maxDocumentBytes: options.limits?.maxDocumentBytes ?? MAX_DOCUMENT_BYTES,
  };
  const log = options.logger.child({ component: 'collab' });
  const loaded = new WeakMap<Document, LoadedDocument>();
  const buckets = new WeakMap<Connection, TokenBucket>();

  const contextOf = (value: unknown): CollabContext | null => {
    const c = value as Partial<CollabContext> | undefined;
    return c && typeof c.documentId === 'string' && typeof c.jurisdiction === 'string' && typeof c.epoch === 'number'
      ? (c as CollabContext)
      : null;
  };

  const scaleOut = options.redis ? redisScaleOut(options.redis) : null;
  const hocuspocus: Hocuspocus = new Hocuspocus({
    name: 'entente',
    quiet: true,
    extensions: scaleOut ? [scaleOut.extension] : [],
    // The in-memory document is never stored: onStoreDocument only tells us a document went quiet.
    debounce: 2_000,
    maxDebounce: 10_000,

    // Presence (cursors, avatars) is the client's to announce, but not its name: every state a
    // connection sends carries its authenticated agent's name, so nobody appears as someone else.
    async beforeHandleAwareness({ context, states }) {
      const name = contextOf(context)?.displayName;
      if (name === undefined) return;
      for (const state of states.values()) {
        if (state.user && typeof state.user === 'object') state.user = { ...state.user, name };
      }
    },

    async onAuthenticate(data: onAuthenticatePayload) {
      let result: Awaited<ReturnType<CollabAuthenticate>>;
      try {
        result = await authenticate({ token: data.token, documentName: data.documentName, request: data.request });
      } catch (error) {
        const reason = error instanceof CollabRefusal ? error.reason : 'permission-denied';
        if (!(error instanceof CollabRefusal)) log.warn({ err: error }, 'collaboration authentication failed');
        log.info({ documentName: data.documentName.slice(0, 64), reason }, 'collaboration refused');
        throw new CollabRefusal(reason);
      }
      const existing = hocuspocus.documents.get(data.documentName);
      if (existing) {
        const meta = loaded.get(existing);
        if (meta && (meta.epoch !== result.context.epoch || meta.ref.jurisdiction !== result.context.jurisdiction)) {
          // A copy of an older epoch (or loaded from the cell a space moved out of) is still in
          // memory: it must not reach a new client, nor take its changes.
          await dropDocument(data.documentName, CLOSE.epochChanged);
        } else if (existing.getConnectionsCount() >= limits.maxConnectionsPerDocument) {
          throw new CollabRefusal(CLOSE.tooManyConnections.reason);
        }
      }
      if (result.readOnly) data.connectionConfig.readOnly = true;
      return result.context;
    },

    // The check above cannot see clients admitted while the document is still loading (it is not
    // in `documents` yet) nor those between a check and their connection being added: once
    // added, any connection beyond the limit (in order of arrival) is ended; its client
    // reconnects and is then refused inside the protocol.
    async connected({ connection }) {
      const arrived = connection.document.getConnections().indexOf(connection);
      if (arrived >= limits.maxConnectionsPerDocument) endConnection(connection, CLOSE.tooManyConnections);
      else options.onConnected?.(connection);
    },

    async onLoadDocument(data) {
      const context = contextOf(data.context);
      if (!context) throw new CollabRefusal('no-context');
      const { state, epoch } = await store.load(context);
      if (epoch !== context.epoch) throw new CollabRefusal(CLOSE.epochChanged.reason);
      loaded.set(data.document, { ref: refOf(context), epoch, bytes: state.byteLength, sinceCompaction: 0 });
      return state;
    },

    async beforeHandleMessage(data) {
      const { connection, document } = data;
      let bucket = buckets.get(connection);
      if (!bucket) {
        bucket = new TokenBucket(MESSAGE_BUCKET.capacity, MESSAGE_BUCKET.refillPerSecond);
        buckets.set(connection, bucket);
      }
      if (!bucket.take()) throw refuse(connection, CLOSE.rateLimited);
      if (data.update.byteLength > MAX_UPDATE_BYTES + 1024) throw refuse(connection, CLOSE.tooLarge);

      let change: ReturnType<typeof readIncomingChange>;
      try {
        change = readIncomingChange(data.update);
      } catch (error) {
        if (!(error instanceof MalformedMessageError)) throw error;
        // A hostile or broken client: its whole socket goes, nobody else notices.
        log.info({ socketId: connection.socketId, why: error.message.slice(0, 100) }, 'malformed collaboration message');
        throw refuse(connection, CLOSE.malformed);
      }
      if (change.kind === 'none') return;
      // Hocuspocus drops a read-only connection's changes (and answers "not saved"): nothing to log.
      if (connection.readOnly) return;

      const meta = loaded.get(document);
      const context = contextOf(connection.context);
      if (!meta || !context) throw refuse(connection, CLOSE.unavailable);
      if (context.epoch !== meta.epoch) throw refuse(connection, CLOSE.epochChanged);

      let update = change.update;
      if (change.kind === 'step2') {
        // A reconnecting client answers our state vector with what we lack — often nothing, or
        // much of what we already have when its copy is old: log only what is new.
        update = Y.diffUpdate(update, Y.encodeStateVector(document));
        const parsed = Y.decodeUpdate(update);
        if (parsed.structs.length === 0 && parsed.ds.clients.size === 0) return;
      }
      if (update.byteLength > MAX_UPDATE_BYTES) throw refuse(connection, CLOSE.tooLarge);
      if (meta.bytes + update.byteLength > limits.maxDocumentBytes) throw refuse(connection, CLOSE.tooLarge);
      // Content nested deeper than any reader walks (Yjs itself recurses per level when deleting
      // it): refused before it is logged, so that no copy of the document ever holds it.
      const depth = measureInsertion(document, update, MAX_CONTENT_DEPTH);
      if (depth.deepest > MAX_CONTENT_DEPTH) {
        log.info({ socketId: connection.socketId, documentId: meta.ref.documentId }, 'collaboration update nested too deep');
        throw refuse(connection, CLOSE.tooDeep);
      }
      // New elements hanging from content this server never received cannot be measured, so they
      // are not taken either. After a network drop an honest client sends exactly that: what it
      // typed into the dead socket was lost, and what it types as the new one opens goes out
      // before its resync. Closed as "too early", it reconnects and its resync (everything this
      // server lacks, in one piece) carries both; nothing is lost and the editor goes on.
      if (depth.waitsForMissing) {
        log.info({ socketId: connection.socketId, documentId: meta.ref.documentId }, 'collaboration update ahead of what it depends on');
        throw refuse(connection, CLOSE.tooEarly);
      }

      try {
        await store.append(meta.ref, meta.epoch, update);
      } catch (error) {
        // Not durable, so not applied: the client keeps the change and sends it again on reconnect.
        log.error({ err: error, documentId: meta.ref.documentId }, 'update not logged; connection closed');
        throw refuse(connection, CLOSE.unavailable);
      }
      meta.bytes += update.byteLength;
      meta.sinceCompaction += 1;
      if (meta.sinceCompaction >= COMPACT_AFTER_UPDATES) {
        meta.sinceCompaction = 0;
        options.scheduleCompaction?.(meta.ref, 'log');
      }
    },

    async onStoreDocument(data) {
      const meta = loaded.get(data.document);
      if (!meta) return;
      try {
        options.scheduleCompaction?.(meta.ref, 'quiet');
      } catch (error) {
        log.warn({ err: error }, 'compaction could not be scheduled');
      }
    },
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_COLLAB_MESSAGE_BYTES });

  function connections(filter?: (context: CollabContext) => boolean): Connection[] {
    const out: Connection[] = [];
    for (const document of hocuspocus.documents.values()) {
      for (const connection of document.getConnections()) {
        const context = contextOf(connection.context);
        if (context && (!filter || filter(context))) out.push(connection);
      }
    }
    return out;
  }

  async function dropDocument(documentId: string, close: { code: number; reason: string }): Promise<void> {
    const document = hocuspocus.documents.get(documentId);
    if (!document) return;
    for (const connection of document.getConnections()) endConnection(connection, close);
    const debounced = `onStoreDocument-${documentId}`;
    if (hocuspocus.debouncer.isDebounced(debounced)) await hocuspocus.debouncer.executeNow(debounced);
    await hocuspocus.unloadDocument(document);
    // Still there (a direct connection, a store in progress): forget it anyway, it is stale.
    if (hocuspocus.documents.get(documentId) === document) {
      hocuspocus.documents.delete(documentId);
      document.destroy();
    }
  }

  return {
    hocuspocus,
    limits,
    handleUpgrade(req, socket, head) {
      let request: Request;
      try {
        request = toWebRequest(req);
      } catch {
        // A malformed request line or header must not reach Hocuspocus (nor crash the process).
        socket.destroy();
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        const connection = hocuspocus.handleConnection(ws, request);
        ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
          if (!isBinary) {
            // The protocol is binary: text frames come from something else entirely.
            ws.close(CLOSE.malformed.code, CLOSE.malformed.reason);
            return;
          }
          const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
          connection.handleMessage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        });
        ws.on('close', (code, reason) => connection.handleClose({ code, reason: reason.toString() } as CloseEvent));
        ws.on('error', (error) => log.info({ err: { message: error.message } }, 'collaboration socket error'));
      });
    },
    connections,
    async applyLogged(ref, epoch, update) {
      const document = hocuspocus.documents.get(ref.documentId) ?? (await hocuspocus.loadingDocuments.get(ref.documentId)?.catch(() => undefined));
      if (!document) return false;
      const meta = loaded.get(document);
      if (!meta || meta.epoch !== epoch) return false;
      Y.applyUpdate(document, update, { source: 'local', context: { server: true } });
      meta.bytes += update.byteLength;
      return true;
    },
    dropDocument,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      hocuspocus.closeConnections();
      if (scaleOut) {
        // Each document unloads once its last connection is gone, and the Redis extension then
        // unsubscribes from it (after its disconnect delay): quitting Redis first made every one
        // of those unsubscribes fail (« Connection is closed » on stderr). Bounded: a node shutting
        // down does not wait on a document that will not unload.
        const until = Date.now() + 3_000;
        while (hocuspocus.documents.size > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 25));
        await scaleOut.close();
      }
    },
  };
}

function refOf(context: CollabContext): DocumentRef {
  return { documentId: context.documentId, spaceId: context.spaceId, jurisdiction: context.jurisdiction };
}

/** Hocuspocus hooks receive a web Request: built from the upgrade's method, URL and headers. */
function toWebRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  // The URL's origin is fixed: the Host header is the client's to choose, and a hostile one
  // (`Host: a b`) would make `new URL` throw. Hooks read the path and query; headers keep Host.
  return new Request(new URL(req.url ?? '/', 'http://collab.invalid'), { method: 'GET', headers });
}
