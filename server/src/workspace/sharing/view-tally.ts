/**
 * Counts repeated, identical accesses (public page views: one link, one address, one outcome) so
 * that each is audited without one event per reload. The first access of a key is recorded at
 * once (`count` 1); those that follow within the window are counted and recorded together when
 * the window ends (`count` n, `from`/`to` the first and last of them). Summing `count` over the
 * events gives the exact number of accesses: nothing is dropped, only grouped.
 *
 * Flushed by a timer, when the tally is full (then everything pending is recorded at once), and
 * on shutdown (`flush`). A process that dies loses at most one window of counts (its first
 * access of each key is already recorded). Per process: several nodes each record their own.
 */
export interface TallyEntry<T> {
  /** What the event is about (the same for every access of the key). */
  subject: T;
  count: number;
  from: Date;
  to: Date;
}

export interface ViewTally<T> {
  /** Counts one access: recorded at once if it is the first of its key in the window. */
  add(key: string, subject: T, now?: Date): Promise<void>;
  /** Records every pending count now (the timer, shutdown, tests). */
  flush(): Promise<void>;
  stop(): void;
}

export function viewTally<T>(
  record: (entry: TallyEntry<T>) => Promise<void>,
  options: { windowMs: number; maxKeys: number; onError?: (error: unknown) => void },
): ViewTally<T> {
  // Per key: when its window opened, and what was counted since the first (recorded) access.
  const open = new Map<string, { opened: number; pending: TallyEntry<T> | null }>();
  const safely = async (entry: TallyEntry<T>) => {
    try {
      await record(entry);
    } catch (error) {
      options.onError?.(error);
    }
  };

  async function flushWhere(due: (opened: number) => boolean): Promise<void> {
    const entries: TallyEntry<T>[] = [];
    for (const [key, window] of open) {
      if (!due(window.opened)) continue;
      open.delete(key);
      if (window.pending) entries.push(window.pending);
    }
    for (const entry of entries) await safely(entry);
  }

  const timer = setInterval(() => void flushWhere((opened) => Date.now() - opened >= options.windowMs), Math.max(options.windowMs / 2, 10));
  timer.unref();

  return {
    async add(key, subject, now = new Date()) {
      const window = open.get(key);
      if (window && now.getTime() - window.opened < options.windowMs) {
        if (window.pending) {
          window.pending.count += 1;
          window.pending.to = now;
        } else {
          window.pending = { subject, count: 1, from: now, to: now };
        }
        return;
      }
      if (window) {
        // The window ended before the timer saw it: its count first, then this access.
        open.delete(key);
        if (window.pending) await safely(window.pending);
      }
      if (open.size >= options.maxKeys) await flushWhere(() => true);
      // Recorded before anything is served: a failing audit fails the access (it throws).
      await record({ subject, count: 1, from: now, to: now });
      open.set(key, { opened: now.getTime(), pending: null });
    },
    flush: () => flushWhere(() => true),
    stop: () => clearInterval(timer),
  };
}
