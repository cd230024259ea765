import { HocuspocusProvider, WebSocketStatus } from '@hocuspocus/provider';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { Problem, send } from '../../../app/api.ts';
import { copyName, deleteCopy, isUnsynced, markSynced, markUnsynced } from './local-copies.ts';

/** What the page shows of the connection. */
export type ConnectionState =
  | 'connecting'
  /** The socket is up and the server has acknowledged every local update. */
  | 'connected'
  /** Up, but local updates are still waiting for the server's acknowledgement. */
  | 'syncing'
  /** No connection: edits go on, kept in this browser (IndexedDB) until it comes back. */
  | 'offline'
  /** The server refused the document: no (more) access. */
  | 'noAccess'
  /**
   * The document was moved to the trash: edits stay in this browser; the provider keeps asking
   * (its backoff, at most every 30 s) and sends them if the document is restored.
   */
  | 'inTrash'
  /** The Entente session ended (sign in again). */
  | 'sessionEnded'
  /** The document's content was replaced wholesale: this copy (old epoch) is closed for good. */
  | 'epochChanged'
  /** The server refused a change that would take the document past its maximum size. */
  | 'tooLarge'
  /** The server refused a change that would nest the content deeper than it accepts. */
  | 'tooDeep'
  /** The document already has as many connections as the server accepts. */
  | 'full';

/** States in which the session has stopped connecting (the page says why). */
const STOPPED: readonly ConnectionState[] = ['noAccess', 'sessionEnded', 'tooLarge', 'tooDeep', 'full'];
export const isRefused = (state: ConnectionState) => STOPPED.includes(state);

export interface SessionSnapshot {
  state: ConnectionState;
  /** Local updates not yet acknowledged by the server. */
  unsynced: number;
  /** The server says this connection may not change the text (reader, commenter). */
  readOnly: boolean;
  /** This browser's copy holds edits the server has not confirmed (survives a reload). */
  pendingLocal: boolean;
}

interface Ticket {
  ticket: string;
  epoch: number;
  role: string;
  readOnly: boolean;
  expiresAt: string;
}

export interface SessionUser {
  name: string;
  color: string;
}

/**
 * One open document: its Y.Doc, the IndexedDB copy of this epoch, and the Hocuspocus connection
 * to `/collab`. Each (re)connection asks for a fresh ticket for this epoch; when the server says
 * the epoch changed, this session stops before anything of the old copy is sent, keeps the copy
 * as a draft if it holds unconfirmed edits, and tells the page to open the new epoch.
 */
export class CollabSession {
  readonly doc = new Y.Doc();
  readonly provider: HocuspocusProvider;
  readonly persistence: IndexeddbPersistence;
  readonly copy: string;
  private snapshot: SessionSnapshot;
  private listeners = new Set<() => void>();
  private stopped = false;
  private status: WebSocketStatus = WebSocketStatus.Connecting;
  /** The last ticket request found the document in the trash (cleared by the next ticket). */
  private inTrash = false;
  /**
   * Our own ticket request failed and already decided what follows (stop, or let the provider
   * retry): the provider then reports « authentication failed » too, which is not the server's refusal.
   */
  private ticketFailed = false;

  readonly documentId: string;
  readonly epoch: number;

  constructor(documentId: string, epoch: number, options: { readOnly: boolean; onEpochChanged: () => void }) {
    this.documentId = documentId;
    this.epoch = epoch;
    this.copy = copyName(documentId, epoch);
    this.snapshot = { state: 'connecting', unsynced: 0, readOnly: options.readOnly, pendingLocal: isUnsynced(this.copy) };
    this.persistence = new IndexeddbPersistence(this.copy, this.doc);
    this.doc.on('update', (_update: Uint8Array, origin: unknown) => {
      // A local edit (not the server's, not the copy being read back from IndexedDB).
      if (origin === this.provider || origin === this.persistence || this.stopped) return;
      // A read-only session has nothing to send: its only local updates come from the editor
      // binding itself to the document, which the server refuses and never acknowledges.
      if (this.snapshot.readOnly) return;
      markUnsynced(this.copy);
      if (!this.snapshot.pendingLocal) this.set({ pendingLocal: true });
    });

    const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    this.provider = new HocuspocusProvider({
      url: `${protocol}//${window.location.host}/collab`,
      name: documentId,
      document: this.doc,
      token: () => this.ticket(options.onEpochChanged),
      onStatus: ({ status }) => {
        this.status = status;
        this.refresh();
      },
      onSynced: () => this.refresh(),
      onUnsyncedChanges: () => this.refresh(),
      onAuthenticated: ({ scope }) => {
        if (scope === 'readonly') this.set({ readOnly: true });
        this.refresh();
      },
      onAuthenticationFailed: ({ reason }) => {
        if (this.ticketFailed) {
          this.ticketFailed = false;
          return;
        }
        // A refusal from the server itself (membership removed, document restricted, full…).
        if (this.snapshot.state === 'sessionEnded' || this.snapshot.state === 'epochChanged') return;
        this.fail(reason === 'too-many-connections' ? 'full' : 'noAccess');
      },
      onClose: ({ event }) => {
        // Reconnecting would send the refused change again, and be refused again: stop and say so
        // (the change stays in this browser's copy). Not « too-early » (a change typed before the
        // resync that follows a network drop): the provider reconnects and the resync carries it.
        if (event.reason === 'too-large') this.fail('tooLarge');
        else if (event.reason === 'too-deep') this.fail('tooDeep');
        else if (event.reason === 'too-many-connections') this.fail('full');
      },
    });

    // Chromium keeps an open WebSocket when the network goes away; close it so the page says
    // « Hors ligne » at once and reconnects (with a fresh ticket) when the network is back.
    window.addEventListener('offline', this.goOffline);
    window.addEventListener('online', this.goOnline);
    if (!navigator.onLine) this.goOffline();
  }

  private goOffline = () => {
    if (this.stopped) return;
    this.provider.configuration.websocketProvider.disconnect();
    this.refresh();
  };

  private goOnline = () => {
    if (this.stopped) return;
    void this.provider.configuration.websocketProvider.connect();
  };

  /** A ticket for this document at this epoch, or a thrown error (the provider then stays unauthenticated). */
  private async ticket(onEpochChanged: () => void): Promise<string> {
    let answer: Ticket | undefined;
    try {
      answer = await send<Ticket>('POST', '/api/collab/tickets', { documentId: this.documentId, epoch: this.epoch });
    } catch (error) {
      this.ticketFailed = true;
      if (error instanceof Problem && error.slug === 'epoch_changed') {
        this.closeForEpoch(onEpochChanged);
      } else if (error instanceof Problem && error.slug === 'document_in_trash') {
        // Not a refusal for good: drop this socket, the provider asks again later.
        this.inTrash = true;
        this.refresh();
        queueMicrotask(() => this.provider.configuration.websocketProvider.webSocket?.close());
      } else if (error instanceof Problem && error.status === 401) {
        this.fail('sessionEnded');
      } else if (error instanceof Problem && (error.status === 403 || error.status === 404)) {
        this.fail('noAccess');
      } else {
        // The server or the network hiccupped: drop this socket, the provider retries.
        queueMicrotask(() => this.provider.configuration.websocketProvider.webSocket?.close());
      }
      throw error;
    }
    if (!answer || answer.epoch !== this.epoch) {
      this.closeForEpoch(onEpochChanged);
      throw new Error('epoch_changed');
    }
    this.inTrash = false;
    this.set({ readOnly: answer.readOnly });
    return answer.ticket;
  }

  /**
   * The document now has another epoch: stop before the old copy is sent (detaching the
   * provider makes its pending sends no-ops), keep the copy as a draft only if it holds edits
   * the server never confirmed, and let the page open the new epoch.
   */
  private closeForEpoch(onEpochChanged: () => void): void {
    const keep = isUnsynced(this.copy);
    this.stop();
    this.set({ state: 'epochChanged' });
    if (!keep) void deleteCopy(this.copy);
    onEpochChanged();
  }

  private fail(state: 'noAccess' | 'sessionEnded' | 'tooLarge' | 'tooDeep' | 'full'): void {
    this.provider.configuration.websocketProvider.disconnect();
    this.set({ state });
  }

  private refresh(): void {
    if (this.stopped || isRefused(this.snapshot.state)) return;
    // The provider reports its first status (« connecting ») from inside its own constructor, before
    // `this.provider` is assigned. Reading it then threw inside the provider's connection attempt,
    // which it took for a failed attempt: a second socket replaced the first about a second later
    // (later on a busy machine), often after the page said « Connecté » and the agent had begun to
    // type. The status is recorded (onStatus); the snapshot already says « connecting ».
    if ((this.provider as HocuspocusProvider | undefined) === undefined) return;
    // The server answers a read-only connection's updates with « not applied », so the provider's
    // count never falls back to zero: for a reader (or a commenter) it says nothing about sync.
    const unsynced = this.snapshot.readOnly ? 0 : this.provider.unsyncedChanges;
    let state: ConnectionState;
    if (this.inTrash && navigator.onLine) state = 'inTrash';
    else if (!navigator.onLine || this.status === WebSocketStatus.Disconnected) state = 'offline';
    else if (this.status === WebSocketStatus.Connecting) state = 'connecting';
    else if (!this.provider.isSynced || !this.provider.isAuthenticated || unsynced > 0) state = 'syncing';
    else state = 'connected';
    let pendingLocal = this.snapshot.pendingLocal;
    if (state === 'connected' && pendingLocal) {
      // The server has everything this copy held: a reload or an epoch change loses nothing.
      markSynced(this.copy);
      pendingLocal = false;
    }
    this.set({ state, unsynced, pendingLocal });
  }

  private set(change: Partial<SessionSnapshot>): void {
    const next = { ...this.snapshot, ...change };
    if (
      next.state === this.snapshot.state &&
      next.unsynced === this.snapshot.unsynced &&
      next.readOnly === this.snapshot.readOnly &&
      next.pendingLocal === this.snapshot.pendingLocal
    ) {
      return;
    }
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionSnapshot => this.snapshot;

  /**
   * Resolves once the server has stored every edit made here so far (the state is `connected`:
   * it acknowledges an update only after storing it), so that a request about the document's
   * current text — an AI action's selection, checked against the stored text — finds that text
   * there rather than the text of a few keystrokes ago. Offline, it waits for the reconnection
   * (the page says « Hors ligne » meanwhile). Resolves at once when no acknowledgement can come
   * (refused, closed: the request then gets the server's own answer); rejects with the signal's
   * reason when `signal` is aborted first.
   */
  whenSaved = (signal?: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      // Offline too: the edits are sent on reconnection (the provider reconnects by itself).
      const waiting = () => !this.stopped && (this.snapshot.state === 'connecting' || this.snapshot.state === 'syncing' || this.snapshot.state === 'offline');
      if (signal?.aborted) return reject(signal.reason);
      if (!waiting()) return resolve();
      const stop = () => {
        this.listeners.delete(check);
        signal?.removeEventListener('abort', aborted);
      };
      const check = () => {
        if (waiting()) return;
        stop();
        resolve();
      };
      const aborted = () => {
        stop();
        reject(signal?.reason);
      };
      this.listeners.add(check);
      signal?.addEventListener('abort', aborted, { once: true });
    });

  setUser(user: SessionUser): void {
    this.provider.setAwarenessField('user', user);
  }

  /** Stops syncing; the IndexedDB copy stays. */
  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    window.removeEventListener('offline', this.goOffline);
    window.removeEventListener('online', this.goOnline);
    this.provider.detach();
    this.provider.destroy();
  }

  destroy(): void {
    this.stop();
    void this.persistence.destroy();
    this.doc.destroy();
  }
}
