import type { Logger } from '../../platform/logger.ts';

/**
 * Rows buffered and written in batches, off the request path: `push` returns at once; the buffer
 * is written every `intervalMs` or as soon as it holds `maxRows`, one write at a time. A failing
 * write is logged (the error only, never the rows: they may be about people) and retried once,
 * then dropped; it never throws to the caller. `flush` writes what is buffered and waits.
 * Bounded: past `maxBuffered` rows or `maxBufferedBytes` (as `sizeOf` weighs them; a row with a
 * logged prompt may be large) while the database is down, new rows are dropped and counted in the
 * log rather than filling memory.
 */
export interface BatchWriter<T> {
  push(row: T): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function createBatchWriter<T>(options: {
  name: string;
  write: (rows: T[]) => Promise<void>;
  logger: Logger;
  intervalMs?: number;
  maxRows?: number;
  maxBuffered?: number;
  // ── review fix (helper R1): bounded in bytes too ──
  /** What a row weighs in bytes (default 0: rows only are counted). */
  sizeOf?: (row: T) => number;
  maxBufferedBytes?: number;
  // ── end review fix ──
}): BatchWriter<T> {
  const intervalMs = options.intervalMs ?? 1000;
  const maxRows = options.maxRows ?? 200;
  const maxBuffered = options.maxBuffered ?? 50_000;
  const buffer: T[] = [];
  const sizeOf = options.sizeOf ?? (() => 0);
  const maxBufferedBytes = options.maxBufferedBytes ?? Number.POSITIVE_INFINITY;
  let bufferedBytes = 0;
  let writing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let dropped = 0;
  let closed = false;

  const writeBatch = async (rows: T[]) => {
    try {
      await options.write(rows);
    } catch (err) {
      options.logger.warn({ err, writer: options.name, rows: rows.length }, 'batched write failed, retrying once');
      try {
        await options.write(rows);
      } catch (again) {
        options.logger.error({ err: again, writer: options.name, rows: rows.length }, 'batched write failed twice: rows dropped');
      }
    }
  };

  const drain = (): Promise<void> => {
    if (writing) return writing;
    writing = (async () => {
      while (buffer.length > 0) {
        const rows = buffer.splice(0, maxRows);
        for (const row of rows) bufferedBytes -= sizeOf(row);
        await writeBatch(rows);
      }
      if (dropped > 0) {
        options.logger.error({ writer: options.name, dropped }, 'batched writer was full: rows dropped');
        dropped = 0;
      }
    })().finally(() => {
      writing = null;
    });
    return writing;
  };

  const schedule = () => {
    if (timer || closed) return;
    timer = setTimeout(() => {
      timer = null;
      void drain();
    }, intervalMs);
    timer.unref();
  };

  return {
    push(row) {
      const size = sizeOf(row);
      if (buffer.length >= maxBuffered || bufferedBytes + size > maxBufferedBytes) {
        dropped++;
        return;
      }
      buffer.push(row);
      bufferedBytes += size;
      if (buffer.length >= maxRows) void drain();
      else schedule();
    },
    async flush() {
      if (timer) {
        clearTimeout(timer);
        timer = null;
      }
      // A write under way may leave rows pushed meanwhile: drain until nothing is left.
      while (writing || buffer.length > 0) await drain();
    },
    async close() {
      closed = true;
      await this.flush();
    },
  };
}
