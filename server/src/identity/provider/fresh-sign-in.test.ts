import { describe, expect, it } from 'vitest';
import { needsFreshSignIn } from './fresh-sign-in.ts';

describe('needsFreshSignIn', () => {
  const now = Date.UTC(2026, 10, 28, 23, 0, 0);
  const iat = now / 1000 - 5; // the interaction started 5 s ago
  const session = (secondsAgo: number) => ({ createdAt: new Date(now - secondsAgo * 1000) });

  it('asks again for prompt=login unless the session was made for this request', () => {
    expect(needsFreshSignIn({ iat, params: { prompt: 'login' } }, session(60), now)).toBe(true);
    expect(needsFreshSignIn({ iat, params: { prompt: 'consent login' } }, session(6), now)).toBe(true);
    expect(needsFreshSignIn({ iat, params: { prompt: 'login' } }, session(2), now)).toBe(false);
    expect(needsFreshSignIn({ iat, params: { prompt: 'consent' } }, session(3600), now)).toBe(false);
  });

  it('asks again when the sign-in is older than max_age', () => {
    expect(needsFreshSignIn({ iat, params: { max_age: 300 } }, session(301), now)).toBe(true);
    expect(needsFreshSignIn({ iat, params: { max_age: '300' } }, session(299), now)).toBe(false);
    // max_age=0: only a sign-in made for this request will do.
    expect(needsFreshSignIn({ iat, params: { max_age: 0 } }, session(10), now)).toBe(true);
    expect(needsFreshSignIn({ iat, params: { max_age: 0 } }, session(1), now)).toBe(false);
    expect(needsFreshSignIn({ iat, params: {} }, session(86_400), now)).toBe(false);
  });
});
