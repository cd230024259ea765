/**
 * One cookie from a raw Cookie header, for handlers that run outside Fastify's cookie parsing
 * (the demo identity providers take the raw request). A malformed value is ignored, not a 500.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}
