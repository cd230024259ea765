import type { NotificationPreference } from '../../../../common/src/notifications.ts';
import type { Actor } from '../../identity/actor.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { CellDb } from '../../platform/db/types.ts';
import { requireActor } from '../spaces/deps.ts';
import { findPreferences, upsertPreferences } from './notifications.repo.ts';
import { NOTIFICATION_KINDS, type NotificationKind } from './types.ts';

export type { NotificationPreference };

/**
 * Without a choice of their own, an agent is told of everything in the app, and by mail of what
 * is addressed to them personally (a mention, a reply to their thread): the kinds that ask for an
 * answer. New comments on their documents and shares stay in the app, so mail stays rare.
 */
export const DEFAULT_PREFERENCES: Readonly<Record<NotificationKind, { inApp: boolean; email: boolean }>> = {
  mention: { inApp: true, email: true },
  reply: { inApp: true, email: true },
  comment: { inApp: true, email: false },
  share: { inApp: true, email: false },
};

/** The agent's preferences, every kind (defaults where they made no choice), in a stable order. */
export async function preferencesIn(db: CellDb, principalId: string): Promise<NotificationPreference[]> {
  const rows = new Map((await findPreferences(db, principalId)).map((r) => [r.kind, r]));
  return NOTIFICATION_KINDS.map((kind) => {
    const row = rows.get(kind);
    return row ? { kind, inApp: row.in_app, email: row.email } : { kind, ...DEFAULT_PREFERENCES[kind] };
  });
}

export async function getPreferences(stores: Stores, actorOrNull: Actor | null): Promise<NotificationPreference[]> {
  const actor = requireActor(actorOrNull);
  return preferencesIn(stores.cells[actor.homeJurisdiction].db, actor.principalId);
}

/** Sets the kinds given (the others keep their value); answers the whole set. In the agent's home cell. */
export async function setPreferences(stores: Stores, actorOrNull: Actor | null, changes: readonly NotificationPreference[]): Promise<NotificationPreference[]> {
  const actor = requireActor(actorOrNull);
  const db = stores.cells[actor.homeJurisdiction].db;
  const byKind = new Map(changes.map((c) => [c.kind, c])); // the last one given for a kind wins
  await upsertPreferences(
    db,
    actor.principalId,
    [...byKind.values()].map((c) => ({ kind: c.kind, in_app: c.inApp, email: c.email })),
    new Date(),
  );
  return preferencesIn(db, actor.principalId);
}
