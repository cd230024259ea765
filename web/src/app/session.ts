import { useEffect, useState } from 'react';
import { SIGNED_OUT_EVENT, send } from './api.ts';
import { fetchMe } from './me.ts';

/** What the shell knows about the signed-in agent. */
export type Session = { state: 'loading' } | { state: 'signedIn'; name: string; principalId: string } | { state: 'signedOut' };

interface Me {
  principalId?: unknown;
  displayName?: unknown;
  name?: unknown;
  givenName?: unknown;
  familyName?: unknown;
  email?: unknown;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function displayName(me: Me): string | undefined {
  const full = [text(me.givenName), text(me.familyName)].filter(Boolean).join(' ');
  return text(me.displayName) ?? text(me.name) ?? text(full) ?? text(me.email);
}

/**
 * Asks the server who is signed in (`GET /api/me`). 401 means nobody; any other failure (server
 * unreachable, API not deployed yet) is shown the same way, as the agent cannot do more either way.
 * A later 401 on any request (SIGNED_OUT_EVENT) turns the header to signed out.
 */
export function useSession(): Session {
  const [session, setSession] = useState<Session>({ state: 'loading' });
  useEffect(() => {
    const abort = new AbortController();
    fetchMe<Me>(abort.signal)
      .then((me) => {
        const name = displayName(me);
        const principalId = text(me.principalId);
        setSession(name && principalId ? { state: 'signedIn', name, principalId } : { state: 'signedOut' });
      })
      .catch(() => {
        if (!abort.signal.aborted) setSession({ state: 'signedOut' });
      });
    // Any request refused for want of a session means this one ended (elsewhere, or expired).
    const signedOut = () => setSession({ state: 'signedOut' });
    window.addEventListener(SIGNED_OUT_EVENT, signedOut);
    return () => {
      abort.abort();
      window.removeEventListener(SIGNED_OUT_EVENT, signedOut);
    };
  }, []);
  return session;
}

/**
 * Signs out (the Entente session, then the federation's: the server answers where to go) and
 * leaves the page for the federation's logout. Throws when the server could not end the session.
 */
export async function signOut(): Promise<void> {
  const { redirect } = (await send<{ redirect: string }>('POST', '/auth/logout')) ?? { redirect: '/' };
  window.location.assign(redirect);
}
