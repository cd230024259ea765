import { useEffect, useRef } from 'react';

export type SpacePart = 'documents' | 'files' | 'space' | 'members';

/**
 * Listens to a space's changes (`GET /api/spaces/:id/events`, server-sent events) while `enabled`:
 * what another agent does to the tree, the space or its members reaches this page without a reload.
 * The events only say which part changed; `onChange` reloads it through the ordinary API. Changes
 * close together are told once (300 ms), with every part they touched. After a reconnection (the
 * server ends each stream after a few minutes, or the network came back) the page reloads too:
 * it may have missed something meanwhile. `onRevoked`: the agent no longer belongs to the space.
 */
export function useSpaceEvents(spaceId: string, enabled: boolean, onChange: (parts: ReadonlySet<SpacePart>) => void, onRevoked: () => void): void {
  const latest = useRef({ onChange, onRevoked });
  latest.current = { onChange, onRevoked };

  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const source = new EventSource(`/api/spaces/${encodeURIComponent(spaceId)}/events`);
    const pending = new Set<SpacePart>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let opened = false;
    const soon = (part: SpacePart) => {
      pending.add(part);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const parts = new Set(pending);
        pending.clear();
        latest.current.onChange(parts);
      }, 300);
    };
    source.addEventListener('open', () => {
      if (opened) for (const part of ['documents', 'files', 'space', 'members'] as const) soon(part);
      opened = true;
    });
    source.addEventListener('change', (event) => {
      let part: unknown;
      try {
        part = (JSON.parse((event as MessageEvent<string>).data) as { part?: unknown }).part;
      } catch {
        part = undefined;
      }
      soon(part === 'documents' || part === 'files' || part === 'members' ? part : 'space');
    });
    source.addEventListener('revoked', () => {
      source.close();
      latest.current.onRevoked();
    });
    return () => {
      clearTimeout(timer);
      source.close();
    };
  }, [spaceId, enabled]);
}
