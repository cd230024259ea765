import { Redis } from 'ioredis';
import type { Logger } from '../../platform/logger.ts';

/**
 * Fixed-window counters for the AI quotas: a minute window (aligned on the minute) and a day
 * window (aligned on UTC midnight). `admit` checks every counter of a request and, only if all
 * allow it, adds to all of them — atomically: in one Lua script on Redis (shared by every node),
 * synchronously in process otherwise. A refused request adds nothing.
 *
 * Requests: refused when the count would pass the limit. Tokens: refused when the window is
 * spent, or when the request's estimate would pass the limit of a window already in use (an empty
 * window admits one request of any size, or a long prompt would never be admitted at all).
 */
export interface QuotaCheck {
  /** Unique per subject and metric: `agent:<uuid>:tpm`. */
  name: string;
  kind: 'requests' | 'tokens';
  limit: number;
  windowMs: number;
  add: number;
}

/** A counter as admitted: where to charge the difference once the real usage is known. */
export interface AdmittedCounter {
  key: string;
  windowEndsAt: number;
}

export type Admission = { ok: true; counters: AdmittedCounter[] } | { ok: false; index: number; retryAfterMs: number };

export interface QuotaCounters {
  admit(checks: QuotaCheck[], now?: number): Promise<Admission>;
  /** Adds `delta` (may be negative) to counters admitted before, if their window is still open. */
  charge(counters: { key: string; windowEndsAt: number; delta: number }[], now?: number): Promise<void>;
  close(): Promise<void>;
}

function windowOf(check: QuotaCheck, now: number) {
  const index = Math.floor(now / check.windowMs);
  const endsAt = (index + 1) * check.windowMs;
  return { key: `${check.name}:${check.windowMs}:${index}`, endsAt };
}

function refuses(kind: QuotaCheck['kind'], current: number, add: number, limit: number): boolean {
  if (kind === 'requests') return current + add > limit;
  return current >= limit || (current > 0 && current + add > limit);
}

/** In-process counters (one node, or Redis unreachable). Expired windows are dropped as they pass. */
export function memoryQuotaCounters(): QuotaCounters {
  const counts = new Map<string, { value: number; endsAt: number }>();
  let sweptAt = 0;
  const sweep = (now: number) => {
    if (now - sweptAt < 10_000) return;
    sweptAt = now;
    for (const [key, c] of counts) if (c.endsAt <= now) counts.delete(key);
  };
  return {
    async admit(checks, now = Date.now()) {
      sweep(now);
      const slots = checks.map((check) => ({ check, window: windowOf(check, now) }));
      for (const [index, { check, window }] of slots.entries()) {
        const current = counts.get(window.key)?.value ?? 0;
        if (refuses(check.kind, current, check.add, check.limit)) return { ok: false, index, retryAfterMs: window.endsAt - now };
      }
      for (const { check, window } of slots) {
        const entry = counts.get(window.key) ?? { value: 0, endsAt: window.endsAt };
        entry.value += check.add;
        counts.set(window.key, entry);
      }
      return { ok: true, counters: slots.map(({ window }) => ({ key: window.key, windowEndsAt: window.endsAt })) };
    },
    async charge(counters, now = Date.now()) {
      for (const c of counters) {
        const entry = counts.get(c.key);
        if (entry && c.windowEndsAt > now) entry.value = Math.max(0, entry.value + c.delta);
      }
    },
    async close() {
      counts.clear();
    },
  };
}

// KEYS: the counters; ARGV: per counter, limit, add, ttl (ms), kind ('r' or 't'). 0: admitted (all
// incremented), i: refused by the i-th counter (nothing incremented).
const ADMIT_SCRIPT = `
for i = 1, #KEYS do
  local current = tonumber(redis.call('GET', KEYS[i]) or '0')
  local limit = tonumber(ARGV[(i - 1) * 4 + 1])
  local add = tonumber(ARGV[(i - 1) * 4 + 2])
  if ARGV[(i - 1) * 4 + 4] == 'r' then
    if current + add > limit then return i end
  elseif current >= limit or (current > 0 and current + add > limit) then
    return i
  end
end
for i = 1, #KEYS do
  redis.call('INCRBY', KEYS[i], ARGV[(i - 1) * 4 + 2])
  redis.call('PEXPIRE', KEYS[i], ARGV[(i - 1) * 4 + 3])
end
return 0`;

// KEYS: counters; ARGV: deltas. Only existing counters (their window still open) are changed.
const CHARGE_SCRIPT = `
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    local v = redis.call('INCRBY', KEYS[i], ARGV[i])
    if v < 0 then redis.call('SET', KEYS[i], 0, 'KEEPTTL') end
  end
end
return 0`;

/**
 * Counters in Redis, shared by every node of one deployment (`prefix`: its public URL, as the
 * rate limits). When Redis does not answer, the node falls back to its own counters (logged
 * once a minute) rather than refusing every request or letting all through.
 */
export function redisQuotaCounters(options: { redisUrl: string; prefix: string; logger: Logger }): QuotaCounters {
  const redis = new Redis(options.redisUrl, { connectTimeout: 2000, maxRetriesPerRequest: 1, commandTimeout: 2000, connectionName: 'entente-ai-quotas' });
  redis.on('error', () => {}); // readiness reports Redis; failures fall back below
  const local = memoryQuotaCounters();
  let warnedAt = 0;
  const fallback = (err: unknown) => {
    if (Date.now() - warnedAt > 60_000) {
      warnedAt = Date.now();
      options.logger.warn({ err }, 'AI quotas: Redis unreachable, counting on this node only');
    }
  };
  const k = (key: string) => `${options.prefix}${key}`;
  return {
    async admit(checks, now = Date.now()) {
      const slots = checks.map((check) => ({ check, window: windowOf(check, now) }));
      const args = slots.flatMap(({ check, window }) => [String(check.limit), String(check.add), String(Math.max(1, window.endsAt - now) + 1000), check.kind === 'requests' ? 'r' : 't']);
      let result: number;
      try {
        result = Number(await redis.eval(ADMIT_SCRIPT, slots.length, ...slots.map(({ window }) => k(window.key)), ...args));
      } catch (err) {
        fallback(err);
        return local.admit(checks, now);
      }
      if (result > 0) {
        // The script answers the 1-based position of the refusing counter among the keys it was given.
        const refused = slots[result - 1];
        if (!refused) throw new Error(`AI quotas: the admission script refused counter ${result} of ${slots.length}`);
        return { ok: false, index: result - 1, retryAfterMs: refused.window.endsAt - now };
      }
      return { ok: true, counters: slots.map(({ window }) => ({ key: window.key, windowEndsAt: window.endsAt })) };
    },
    async charge(counters, now = Date.now()) {
      const open = counters.filter((c) => c.windowEndsAt > now && c.delta !== 0);
      if (open.length === 0) return;
      try {
        await redis.eval(CHARGE_SCRIPT, open.length, ...open.map((c) => k(c.key)), ...open.map((c) => String(Math.round(c.delta))));
      } catch (err) {
        fallback(err);
        await local.charge(open, now);
      }
    },
    async close() {
      redis.disconnect();
      await local.close();
    },
  };
}
