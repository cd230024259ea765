import { describe, expect, it } from 'vitest';
import { memoryQuotaCounters, type QuotaCheck } from './quota-counters.ts';

const MINUTE = 60_000;
const rpm = (add = 1): QuotaCheck => ({ name: 'agent:a:rpm', kind: 'requests', limit: 2, windowMs: MINUTE, add });
const tpm = (add: number): QuotaCheck => ({ name: 'agent:a:tpm', kind: 'tokens', limit: 100, windowMs: MINUTE, add });

describe('memoryQuotaCounters', () => {
  it('admits up to the request limit, then refuses until the window ends (Retry-After)', async () => {
    const c = memoryQuotaCounters();
    const t0 = 10 * MINUTE + 15_000;
    expect((await c.admit([rpm()], t0)).ok).toBe(true);
    expect((await c.admit([rpm()], t0)).ok).toBe(true);
    expect(await c.admit([rpm()], t0)).toEqual({ ok: false, index: 0, retryAfterMs: 45_000 });
    expect((await c.admit([rpm()], 11 * MINUTE)).ok).toBe(true);
  });

  it('adds nothing when one of the checks refuses (all or nothing)', async () => {
    const c = memoryQuotaCounters();
    const t0 = 5 * MINUTE;
    await c.admit([rpm(), tpm(100)], t0); // tokens window spent
    expect(await c.admit([rpm(), tpm(1)], t0)).toMatchObject({ ok: false, index: 1 });
    // The refused request did not count as a request: one more is still admitted by rpm alone.
    expect((await c.admit([rpm()], t0)).ok).toBe(true);
  });

  it('admits one large request in an empty token window, refuses an estimate past a window in use', async () => {
    const c = memoryQuotaCounters();
    const t0 = 7 * MINUTE;
    expect((await c.admit([tpm(500)], t0)).ok).toBe(true);
    const d = memoryQuotaCounters();
    expect((await d.admit([tpm(10)], t0)).ok).toBe(true);
    expect((await d.admit([tpm(95)], t0)).ok).toBe(false);
    expect((await d.admit([tpm(90)], t0)).ok).toBe(true);
  });

  it('charges the difference with the real usage to the admitted window only', async () => {
    const c = memoryQuotaCounters();
    const t0 = 3 * MINUTE;
    const admitted = await c.admit([tpm(10)], t0);
    if (!admitted.ok) throw new Error('refused');
    await c.charge([{ ...admitted.counters[0]!, delta: 90 }], t0 + 1000); // 100 used: spent
    expect((await c.admit([tpm(1)], t0 + 2000)).ok).toBe(false);
    await c.charge([{ ...admitted.counters[0]!, delta: -50 }], t0 + 3000);
    expect((await c.admit([tpm(1)], t0 + 4000)).ok).toBe(true);
  });
});
