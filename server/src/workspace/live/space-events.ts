import type { Actor } from '../../identity/actor.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { EventBus } from '../../platform/events/index.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { Logger } from '../../platform/logger.ts';
import { spaceAccessFor } from '../access.ts';
import { DOCUMENT_ACCESS_CHANGED, MEMBERSHIP_CHANGED, publishQuietly, requireActor, type WorkspaceDeps } from '../spaces/deps.ts';
import { isUuid } from '../../platform/ids.ts';

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
}

export const DEFAULT_SPACE_STREAM_LIMITS: SpaceStreamLimits = { maxPerAgent: 12, lifetimeMs: 5 * 60_000, heartbeatMs: 25_000, connectsPerMinute: 60 };

export interface SpaceStream {
  /** Called with each change of the space, until `close`. */
  onChange(listener: (part: SpacePart) => void): void;
  /** Called once when the agent no longer belongs to the space (the stream should end). */
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
  readonly #deps: SpaceStreamDeps;
  readonly limits: SpaceStreamLimits;

  constructor(deps: SpaceStreamDeps, limits: Partial<SpaceStreamLimits> = {}) {
    this.#deps = deps;
    this.limits = { ...DEFAULT_SPACE_STREAM_LIMITS, ...limits };
  }

  async open(actorOrNull: Actor | null, spaceId: string): Promise<SpaceStream> {
    const actor = requireActor(actorOrNull);
    if (!isUuid(spaceId)) throw notFound();
    const id = spaceId.toLowerCase();
    if (!(await spaceAccessFor(this.#deps.stores, actor.principalId, id))) throw notFound();
    const count = this.#open.get(actor.principalId) ?? 0;
    if (count >= this.limits.maxPerAgent) throw new AppError('rate_limited', { status: 429, params: { seconds: 30 }, headers: { 'retry-after': '30' } });
    this.#open.set(actor.principalId, count + 1);

    const changeListeners: ((part: SpacePart) => void)[] = [];
    const revokedListeners: (() => void)[] = [];
    let closed = false;
    const tell = (part: SpacePart) => {
      for (const l of changeListeners) l(part);
    };
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
        else for (const l of revokedListeners) l();
      }),
    ];
    return {
      onChange: (listener) => changeListeners.push(listener),
      onRevoked: (listener) => revokedListeners.push(listener),
      close: () => {
        if (closed) return;
        closed = true;
        for (const stop of unsubscribe) stop();
        const left = (this.#open.get(actor.principalId) ?? 1) - 1;
        if (left > 0) this.#open.set(actor.principalId, left);
        else this.#open.delete(actor.principalId);
      },
    };
  }
}
