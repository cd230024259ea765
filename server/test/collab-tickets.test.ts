import { describe, expect, it } from 'vitest';
import { DataKey } from '../src/platform/crypto/keyring.ts';
import { openDocumentBytes, sealDocumentBytes } from '../src/workspace/collab/sealed-update.ts';
import { issueTicket, ticketKey, verifyTicket } from '../src/workspace/collab/tickets.ts';

/** The two small primitives of collaboration security, attacked directly. */
const key = ticketKey(Buffer.alloc(32, 1));
const claims = { principalId: '019ac9f0-0000-7000-8000-0000000a0001', sessionId: '019ac9f0-0000-7000-8000-0000000000aa', documentId: '019ac9f0-0000-7000-8000-0000000d0c01', epoch: 1 };

describe('collaboration tickets', () => {
  it('round-trips and expires after 60 s', () => {
    const now = Date.now();
    const { ticket, expiresAt } = issueTicket(key, claims, now);
    expect(verifyTicket(key, ticket, now + 1_000)).toMatchObject(claims);
    expect(expiresAt.getTime()).toBe(now + 60_000);
    expect(() => verifyTicket(key, ticket, now + 60_000)).toThrow('ticket-expired');
  });

  it('refuses a changed claim, another key, a truncated or padded ticket', () => {
    const { ticket } = issueTicket(key, claims);
    const [body, mac] = ticket.split('.') as [string, string];
    const changed = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), d: '019ac9f0-0000-7000-8000-0000000d0c02' })).toString('base64url');
    expect(() => verifyTicket(key, `${changed}.${mac}`)).toThrow('ticket-forged');
    expect(() => verifyTicket(ticketKey(Buffer.alloc(32, 2)), ticket)).toThrow('ticket-forged');
    expect(() => verifyTicket(key, ticket.slice(0, -2))).toThrow('ticket-forged');
    expect(() => verifyTicket(key, `${ticket}.x`)).toThrow('ticket-malformed');
    expect(() => verifyTicket(key, 'x'.repeat(5_000))).toThrow('ticket-malformed');
    expect(() => verifyTicket(key, '')).toThrow('ticket-malformed');
  });

  it('derives its key for this purpose only (not the raw server secret)', () => {
    const secret = Buffer.alloc(32, 1);
    expect(key.equals(secret)).toBe(false);
    const { ticket } = issueTicket(secret, claims);
    expect(() => verifyTicket(key, ticket)).toThrow('ticket-forged');
  });
});

describe('sealed document bytes', () => {
  const dataKey = new DataKey({ type: 'space', id: 's' }, 1, 'file:k', Buffer.alloc(32, 9));
  const plain = new TextEncoder().encode('Compte rendu confidentiel');

  it('hides the content and opens only for the same purpose, document and epoch', () => {
    const sealed = sealDocumentBytes(dataKey, 'update', 'doc-a', 1, plain);
    expect(Buffer.from(sealed).includes(Buffer.from('confidentiel'))).toBe(false);
    expect(Buffer.from(openDocumentBytes(dataKey, 'update', 'doc-a', 1, sealed)).toString()).toBe('Compte rendu confidentiel');
    expect(() => openDocumentBytes(dataKey, 'update', 'doc-b', 1, sealed)).toThrow();
    expect(() => openDocumentBytes(dataKey, 'update', 'doc-a', 2, sealed)).toThrow();
    expect(() => openDocumentBytes(dataKey, 'snapshot', 'doc-a', 1, sealed)).toThrow();
    const tampered = Uint8Array.from(sealed);
    tampered[20] = (tampered[20] as number) ^ 1;
    expect(() => openDocumentBytes(dataKey, 'update', 'doc-a', 1, tampered)).toThrow();
    // A fresh nonce each time: the same bytes never seal the same way twice.
    expect(Buffer.from(sealDocumentBytes(dataKey, 'update', 'doc-a', 1, plain)).equals(Buffer.from(sealed))).toBe(false);
  });
});
