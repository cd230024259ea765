import { createHmac, timingSafeEqual } from 'node:crypto';
import { TICKET_TTL_MS } from './guard-rails.ts';

/**
 * Collaboration tickets: what a browser presents as the Hocuspocus token when it opens a
 * document's socket. Short-lived (60 s), bound to one session and one document and epoch, and
 * signed with a key derived from the server secret for this purpose only (a ticket is not a
 * session cookie, a CSRF token or anything else signed with the same secret).
 *
 *     base64url(JSON {v, p, s, d, e, x}) "." base64url(HMAC-SHA256(K, first part))
 *     K = HMAC-SHA256(server secret, "entente/collab-ticket/v1")
 *
 * The ticket carries no role: access is recomputed when the socket is opened.
 */
export interface TicketClaims {
  principalId: string;
  sessionId: string;
  documentId: string;
  epoch: number;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export type TicketProblem = 'ticket-malformed' | 'ticket-forged' | 'ticket-expired';

export class TicketError extends Error {
  readonly reason: TicketProblem;
  constructor(reason: TicketProblem) {
    super(reason);
    this.name = 'TicketError';
    this.reason = reason;
  }
}

const MAX_TICKET_LENGTH = 1024;

export function ticketKey(secret: Buffer): Buffer {
  return createHmac('sha256', secret).update('entente/collab-ticket/v1').digest();
}

export function issueTicket(key: Buffer, claims: Omit<TicketClaims, 'expiresAt'>, now = Date.now()): { ticket: string; expiresAt: Date } {
  const expiresAt = now + TICKET_TTL_MS;
  const body = Buffer.from(
    JSON.stringify({ v: 1, p: claims.principalId, s: claims.sessionId, d: claims.documentId, e: claims.epoch, x: expiresAt }),
  ).toString('base64url');
  return { ticket: `${body}.${sign(key, body)}`, expiresAt: new Date(expiresAt) };
}

export function verifyTicket(key: Buffer, ticket: string, now = Date.now()): TicketClaims {
  if (typeof ticket !== 'string' || ticket.length > MAX_TICKET_LENGTH) throw new TicketError('ticket-malformed');
  const [body, mac, extra] = ticket.split('.');
  if (!body || !mac || extra !== undefined) throw new TicketError('ticket-malformed');
  const expected = Buffer.from(sign(key, body));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new TicketError('ticket-forged');
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw new TicketError('ticket-malformed');
  }
  const c = claims as Record<string, unknown>;
  if (
    c.v !== 1 ||
    typeof c.p !== 'string' ||
    typeof c.s !== 'string' ||
    typeof c.d !== 'string' ||
    !Number.isSafeInteger(c.e) ||
    !Number.isSafeInteger(c.x)
  ) {
    throw new TicketError('ticket-malformed');
  }
  if ((c.x as number) <= now) throw new TicketError('ticket-expired');
  return { principalId: c.p, sessionId: c.s, documentId: c.d, epoch: c.e as number, expiresAt: c.x as number };
}

function sign(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(body).digest('base64url');
}
