import { z } from 'zod';

/**
 * The period of a usage report or of the register: whole UTC days, `from` and `to` included
 * (`YYYY-MM-DD`). At most 366 days, so that one request never scans years of rows; the
 * register's default is the last twelve months, a dashboard's the last thirty days.
 */
export const MAX_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;
const date = z.iso.date();

export const rangeQuery = z
  .object({ from: date.optional(), to: date.optional() })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '`from` after `to` / `from` après `to`', path: ['from'] })
  .refine((q) => !q.from || !q.to || dayCount(q.from, q.to) <= MAX_RANGE_DAYS, {
    message: `at most ${MAX_RANGE_DAYS} days / ${MAX_RANGE_DAYS} jours au plus`,
    path: ['to'],
  });
export type RangeQuery = z.infer<typeof rangeQuery>;

export interface Range {
  /** First day, included. */
  from: string;
  /** Last day, included. */
  to: string;
  /** Instants for the SQL: [start, end). */
  start: Date;
  end: Date;
}

function dayCount(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

const isoDay = (instant: number) => new Date(instant).toISOString().slice(0, 10);

/**
 * The range asked for, completed with defaults: `to` today (UTC), `from` `defaultDays` before it
 * (or before `to`). A range only half given still may not exceed the maximum.
 */
export function resolveRange(query: RangeQuery, defaultDays: number, now = new Date()): Range {
  const to = query.to ?? (query.from ? isoDay(Date.parse(`${query.from}T00:00:00Z`) + (defaultDays - 1) * DAY_MS) : isoDay(now.getTime()));
  const from = query.from ?? isoDay(Date.parse(`${to}T00:00:00Z`) - (defaultDays - 1) * DAY_MS);
  const start = new Date(`${from}T00:00:00Z`);
  const end = new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS);
  return { from, to, start, end };
}
