import type { Actor } from '../../identity/actor.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { EventBus } from '../../platform/events/index.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { Logger } from '../../platform/logger.ts';
import { spaceAccessFor } from '../access.ts';
import { DOCUMENT_ACCESS_CHANGED, MEMBERSHIP_CHANGED, publishQuietly, requireActor, type WorkspaceDeps } from '../spaces/deps.ts';
import { isUuid } from '../../platform/ids.ts';
import { listLiveSessions } from '../../identity/sessions.repo.ts';
import { listAccessTokens } from '../../identity/tokens.repo.ts';

/**
 * « Something changed in this space »: what keeps an open space page (its document tree, its
 * header, its members) current for everyone looking at it, not only for the agent who made the
 * change. The event carries the space and the part that changed — never a title, a name or who
 * did it: the page reloads through the ordinary API, which applies every access rule again (a
 * restricted document stays out of the trees it is not in).
 *
 * Events are hints (platform/events): at most once, best effort. A page that missed one is
 * current again at its next reload, and the stream's client reloads whenever it reconnects.
 */
export const SPACE_CHANGED = 'workspace.space.changed';
export const SPACE_PARTS = ['documents', 'files', 'space', 'members'] as const;
export type SpacePart = (typeof SPACE_PARTS)[number];

/** After the change is committed: tells the open pages of the space (nothing without a bus: a test's deps). */
export async function spaceChanged(deps: { events?: EventBus; logger: WorkspaceDeps['logger'] }, spaceId: string, part: SpacePart): Promise<void> {
  if (deps.events) await publishQuietly({ events: deps.events, logger: deps.logger }, SPACE_CHANGED, { spaceId, part });
}

export interface SpaceStreamDeps {
  stores: Stores;
  events: EventBus;
  logger: Logger;
  /** Sessions ended on this node (sign-out, ended from the list…): their streams end at once. */
  sessions?: { onEnded(listener: (ended: { sessionId: string }) => void | Promise<void>): void };
}

export interface SpaceStreamLimits {
  /** Open streams per agent (tabs, devices); one more is refused with 429. */
  maxPerAgent: number;
  /** A stream ends after this long; the browser reconnects, and access is checked again. */
  lifetimeMs: number;
  /** A comment line this often keeps proxies from closing a quiet stream. */
  heartbeatMs: number;
  /** Streams an agent may open a minute: a browser reconnects every few minutes, a loop is braked. */
  connectsPerMinute: number;
  /**
   * Every open stream's session (or token) and membership are checked again this often: a session
   * ended on another node, a token revoked, a membership lost without its event all end the stream.
   */
  recheckMs: number;
}

export const DEFAULT_SPACE_STREAM_LIMITS: SpaceStreamLimits = { maxPerAgent: 12, lifetimeMs: 5 * 60_000, heartbeatMs: 25_000, connectsPerMinute: 60, recheckMs: 60_000 };

export interface SpaceStream {
  /** Called with each change of the space, until `close`. */
  onChange(listener: (part: SpacePart) => void): void;
  /** Called once when the agent no longer belongs to the space, or their session ended (the stream should end). */
  onRevoked(listener: () => void): void;
  close(): void;
}

/**
 * Opens a space's stream of changes for a member (readers included, as for the document list: no
 * level of assurance needed to know that the tree changed). 404 for anyone else, as for a space
 * that does not exist.
 */
export class SpaceStreams {
  readonly #open = new Map<string, number>();
  /** Every open stream, for the session hook and the periodic check. */
  readonly #streams = new Set<{ actor: Actor; spaceId: string; revoke: () => void }>();
  readonly #deps: SpaceStreamDeps;
  readonly #timer: NodeJS.Timeout;
  readonly limits: SpaceStreamLimits;

  constructor(deps: SpaceStreamDeps, limits: Partial<SpaceStreamLimits> = {}) {
    this.#deps = deps;
    this.limits = { ...DEFAULT_SPACE_STREAM_LIMITS, ...limits };
    deps.sessions?.onEnded(({ sessionId }) => {
      for (const stream of [...this.#streams]) if (stream.actor.sessionId === sessionId) stream.revoke();
    });
    this.#timer = setInterval(() => void this.#recheck(), this.limits.recheckMs);
    this.#timer.unref();
  }

  /** Stops the periodic check (the server's shutdown). */
  stop(): void {
    clearInterval(this.#timer);
  }

  async #recheck(): Promise<void> {
    for (const stream of [...this.#streams]) {
      const still = await stillAllowed(this.#deps.stores, stream.actor, stream.spaceId).catch(() => true);
      if (!still) stream.revoke();
    }
  }

  async open(actorOrNull: Actor | null, spaceId: string): Promise<SpaceStream> {
    const actor = requireActor(actorOrNull);
    // Ids as the rest of the API takes them: any case.
    const id = spaceId.toLowerCase();
    if (!isUuid(id)) throw notFound();
    if (!(await spaceAccessFor(this.#deps.stores, actor.principalId, id))) throw notFound();
    const count = this.#open.get(actor.principalId) ?? 0;
    if (count >= this.limits.maxPerAgent) throw new AppError('rate_limited', { status: 429, params: { seconds: 30 }, headers: { 'retry-after': '30' } });
    this.#open.set(actor.principalId, count + 1);

    const changeListeners: ((part: SpacePart) => void)[] = [];
    const revokedListeners: (() => void)[] = [];
    let closed = false;
    const tell = (part: SpacePart) => {
      if (!closed) for (const l of changeListeners) l(part);
    };
    const revoke = () => {
      if (closed) return;
      for (const l of revokedListeners) l();
    };
    const entry = { actor, spaceId: id, revoke };
    this.#streams.add(entry);
    const forSpace = (payload: unknown) => typeof payload === 'object' && payload !== null && (payload as { spaceId?: unknown }).spaceId === id;
    const unsubscribe = [
      this.#deps.events.subscribe(SPACE_CHANGED, (payload) => {
        if (!forSpace(payload)) return;
        const part = (payload as { part?: unknown }).part;
        tell((SPACE_PARTS as readonly unknown[]).includes(part) ? (part as SpacePart) : 'space');
      }),
      // A restriction changed: the tree some members see changed with it.
      this.#deps.events.subscribe(DOCUMENT_ACCESS_CHANGED, (payload) => {
        if (forSpace(payload)) tell('documents');
      }),
      // Members came or went (maybe this agent): checked again before anything more is said.
      this.#deps.events.subscribe(MEMBERSHIP_CHANGED, async (payload) => {
        if (!forSpace(payload) || closed) return;
        const still = await spaceAccessFor(this.#deps.stores, actor.principalId, id).catch(() => null);
        if (closed) return;
        if (still) tell('members');
        else revoke();
      }),
    ];
    return {
      onChange: (listener) => changeListeners.push(listener),
      onRevoked: (listener) => revokedListeners.push(listener),
      close: () => {
        if (closed) return;
        closed = true;
        this.#streams.delete(entry);
        for (const stop of unsubscribe) stop();
        const left = (this.#open.get(actor.principalId) ?? 1) - 1;
        if (left > 0) this.#open.set(actor.principalId, left);
        else this.#open.delete(actor.principalId);
      },
    };
  }
}

/** The stream's session (or token) is still live, and its agent still a member of the space. */
async function stillAllowed(stores: Stores, actor: Actor, spaceId: string): Promise<boolean> {
  const now = new Date();
  if (actor.via === 'token') {
    const tokenId = actor.sessionId.replace(/^token:/, '');
    const tokens = await listAccessTokens(stores.control.db, actor.principalId);
    if (!tokens.some((t) => t.id === tokenId && t.revoked_at === null && t.expires_at > now)) return false;
  } else if (!(await listLiveSessions(stores.control.db, actor.principalId, now)).some((s) => s.id === actor.sessionId)) {
    return false;
  }
  return (await spaceAccessFor(stores, actor.principalId, spaceId)) !== null;
}
