import type { Segment } from './api.ts';

/**
 * Text with the matched words in <mark>: the server sends plain-text segments (never HTML), and
 * React escapes each one, so nothing typed into a document can become markup here.
 */
export function Highlighted({ segments, fallback }: { segments: Segment[]; fallback?: string }) {
  if (segments.length === 0) return <>{fallback ?? ''}</>;
  return (
    <>
      {segments.map((s, i) =>
        s.match ? (
          <mark key={i}>{s.text}</mark>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  );
}
