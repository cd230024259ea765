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

  // Windows taken out of the map synchronously, then recorded in order: no access can slip into a
  // window between its being read and its removal.
  function takeWhere(due: (opened: number) => boolean): TallyEntry<T>[] {
    const entries: TallyEntry<T>[] = [];
    for (const [key, window] of open) {
      if (!due(window.opened)) continue;
      open.delete(key);
      if (window.pending) entries.push(window.pending);
    }
    return entries;
  }
  // Recordings made off any request (the timer, a full tally), chained so that `flush` waits for them.
  let background: Promise<void> = Promise.resolve();
  const inBackground = (entries: TallyEntry<T>[]) => {
    if (entries.length === 0) return;
    background = background.then(async () => {
      for (const entry of entries) await safely(entry);
    });
  };

  const timer = setInterval(() => inBackground(takeWhere((opened) => Date.now() - opened >= options.windowMs)), Math.max(options.windowMs / 2, 10));
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
      // This access opens a new window, reserved before any wait: accesses arriving meanwhile count
      // in it. The ended window's count (the timer had not seen it) goes out first.
      open.delete(key);
      if (window?.pending) inBackground([window.pending]);
      // Full: every window is recorded now, in the background — never by this visitor's request.
      if (open.size >= options.maxKeys) inBackground(takeWhere(() => true));
      open.set(key, { opened: now.getTime(), pending: null });
      // Recorded before anything is served: a failing audit fails the access (it throws).
      await record({ subject, count: 1, from: now, to: now });
    },
    async flush() {
      inBackground(takeWhere(() => true));
      await background;
    },
    stop: () => clearInterval(timer),
  };
}
