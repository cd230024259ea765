import { describe, expect, it } from 'vitest';
import { isUuid, uuidv7, uuidv7Time } from './ids.ts';

describe('uuidv7', () => {
  it('has the version 7 and RFC variant bits and the canonical form', () => {
    for (let i = 0; i < 100; i++) {
      const id = uuidv7();
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(isUuid(id)).toBe(true);
    }
  });

  it('encodes the millisecond timestamp in the first 48 bits', () => {
    const t = Date.UTC(2026, 10, 28, 20, 0, 0, 123);
    const id = uuidv7(t);
    expect(uuidv7Time(id).getTime()).toBe(t);
    expect(id.slice(0, 13)).toBe(`${t.toString(16).padStart(12, '0').slice(0, 8)}-${t.toString(16).padStart(12, '0').slice(8)}`);
  });

  it('sorts by creation time across milliseconds', () => {
    const a = uuidv7(1_000);
    const b = uuidv7(1_001);
    const c = uuidv7(2 ** 40);
    expect([c, b, a].sort()).toEqual([a, b, c]);
  });

  it('is random within a millisecond', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => uuidv7(42)));
    expect(ids.size).toBe(1000);
  });

  it('refuses timestamps that do not fit 48 bits', () => {
    expect(() => uuidv7(-1)).toThrow(RangeError);
    expect(() => uuidv7(2 ** 48)).toThrow(RangeError);
    expect(() => uuidv7(1.5)).toThrow(RangeError);
  });
});
