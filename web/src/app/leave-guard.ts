/**
 * Pages that hold unsaved work and must be asked before the agent leaves the app by a way the
 * router cannot block: signing out ends the session on the server first, so neither the router's
 * blocker nor the browser's `beforeunload` (which comes after, when the page is left) could still
 * save anything. A page registers a guard while it is mounted; sign-out asks every guard first.
 */
export interface LeaveGuard {
  /** Resolves true when the page may be left (nothing unsaved, or the agent chose to discard). */
  ask: () => Promise<boolean>;
  /** Leaving did not happen after all (sign-out failed): guard the page again as before. */
  stay: () => void;
}

const guards = new Set<LeaveGuard>();

/** Registers the page's guard; returns its removal (for an effect's clean-up). */
export function registerLeaveGuard(guard: LeaveGuard): () => void {
  guards.add(guard);
  return () => {
    guards.delete(guard);
  };
}

/**
 * Asks each registered page in turn; false as soon as one wants to stay (the pages already asked
 * are guarded again). On true, the caller leaves, or calls `leaveAbandoned` if it could not.
 */
export async function mayLeaveApp(): Promise<boolean> {
  const asked: LeaveGuard[] = [];
  for (const guard of [...guards]) {
    asked.push(guard);
    if (!(await guard.ask())) {
      for (const g of asked) g.stay();
      return false;
    }
  }
  return true;
}

/** The leave that every page allowed did not happen: each page guards its unsaved work again. */
export function leaveAbandoned(): void {
  for (const guard of guards) guard.stay();
}
