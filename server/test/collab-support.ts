import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { Jurisdiction } from '../../common/src/jurisdiction.ts';
import type { Entente } from '../src/entente.ts';
import { uuidv7 } from '../src/platform/ids.ts';
import type { DocumentRef } from '../src/workspace/collab/document-store.ts';
import type { SpaceRole } from '../src/workspace/workspace.tables.ts';
import '../src/workspace/workspace.tables.ts';

/**
 * Fixtures of the collaboration tests: spaces, documents and memberships written straight into
 * the tables (the spaces API is another part's), and real `@hocuspocus/provider` clients.
 */

export async function addSpace(
  entente: Pick<Entente, 'stores'>,
  options: {
    jurisdiction: Jurisdiction;
    members: { principalId: string; role: SpaceRole }[];
    minAssurance?: 'low' | 'substantial' | 'high';
    /** `public` for a space whose documents may go on public pages. */
    classification?: 'public' | 'internal' | 'restricted';
  },
): Promise<string> {
  const id = uuidv7();
  const owner = options.members.find((m) => m.role === 'owner')?.principalId ?? options.members[0]?.principalId ?? uuidv7();
  await entente.stores.cells[options.jurisdiction].db
    .insertInto('spaces')
    .values({ id, name: `Espace ${id.slice(-4)}`, description: '', min_assurance: options.minAssurance ?? 'low', classification: options.classification ?? 'internal', created_by: owner })
    .execute();
  await entente.stores.control.db.insertInto('space_directory').values({ id, jurisdiction: options.jurisdiction }).execute();
  for (const m of options.members) await setMember(entente, id, m.principalId, m.role);
  return id;
}

export async function setMember(entente: Pick<Entente, 'stores'>, spaceId: string, principalId: string, role: SpaceRole | null): Promise<void> {
  const db = entente.stores.control.db;
  await db.deleteFrom('space_members').where('space_id', '=', spaceId).where('principal_id', '=', principalId).execute();
  if (role) await db.insertInto('space_members').values({ space_id: spaceId, principal_id: principalId, role }).execute();
}

export async function addDocument(
  entente: Pick<Entente, 'stores'>,
  spaceId: string,
  jurisdiction: Jurisdiction,
  options: { restricted?: boolean; access?: { principalId: string; role: SpaceRole }[] } = {},
): Promise<DocumentRef> {
  const id = uuidv7();
  const db = entente.stores.cells[jurisdiction].db;
  await db
    .insertInto('documents')
    .values({ id, space_id: spaceId, parent_id: null, title: 'Note', position: 0, restricted: options.restricted ?? false, epoch: 1, created_by: uuidv7() })
    .execute();
  for (const a of options.access ?? []) {
    await db.insertInto('document_access').values({ document_id: id, principal_id: a.principalId, role: a.role }).execute();
  }
  return { documentId: id, spaceId, jurisdiction };
}

export interface Session {
  headers: Record<string, string>;
}

export async function requestTicket(baseUrl: string, session: Session, documentId: string, epoch?: number): Promise<Response> {
  return fetch(`${baseUrl}/api/collab/tickets`, {
    method: 'POST',
    headers: { ...session.headers, 'content-type': 'application/json' },
    body: JSON.stringify(epoch === undefined ? { documentId } : { documentId, epoch }),
  });
}

/** A ticket; with `epoch`, as a client holding a local copy of that epoch asks (409 when replaced). */
export async function ticketFor(baseUrl: string, session: Session, documentId: string, epoch?: number): Promise<string> {
  const response = await requestTicket(baseUrl, session, documentId, epoch);
  if (response.status !== 200) throw new Error(`ticket refused: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { ticket: string }).ticket;
}

export interface Client {
  provider: HocuspocusProvider;
  socket: HocuspocusProviderWebsocket;
  doc: Y.Doc;
  text: Y.Text;
  /** Reasons of authenticationFailed and close messages received. */
  refusals: string[];
  closes: string[];
  stateless: string[];
  /** Tickets the token function could not get (the provider then stays unauthenticated). */
  ticketErrors: string[];
  destroy(): void;
}

/** A real provider on `/collab`; `token` is fetched again at each (re)connection when a function. */
export function openClient(baseUrl: string, documentId: string, token: string | (() => Promise<string>), doc = new Y.Doc()): Client {
  const socket = new HocuspocusProviderWebsocket({
    url: `${baseUrl.replace('http', 'ws')}/collab`,
    WebSocketPolyfill: WebSocket,
    // Reconnect quickly (the crash test restarts the server under the clients).
    delay: 100,
    minDelay: 50,
    factor: 1.5,
    maxDelay: 1_000,
    jitter: false,
    maxAttempts: 0,
  });
  const ticketErrors: string[] = [];
  // As the web client does (web/src/features/workspace/collab/session.ts): a ticket that could not
  // be had for a passing reason (the server busy or restarting, a space between two cells) drops
  // the socket so that the provider tries again; without it the provider waits, unauthenticated,
  // on a socket that stays open.
  const tokenOrRetry =
    typeof token === 'string'
      ? token
      : async () => {
          try {
            return await token();
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            ticketErrors.push(message);
            const status = Number(/ticket refused: (\d+)/.exec(message)?.[1] ?? 0);
            if (status === 0 || status >= 500 || status === 423 || status === 429) queueMicrotask(() => socket.webSocket?.close());
            throw error;
          }
        };
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: documentId, token: tokenOrRetry, document: doc });
  provider.attach();
  const client: Client = {
    provider,
    socket,
    doc,
    text: doc.getText('t'),
    refusals: [],
    closes: [],
    stateless: [],
    ticketErrors,
    destroy() {
      // A socket still connecting (a reconnection after a refusal) errors when it is closed, and
      // nobody listens any more: without this listener that error is an uncaught exception.
      (socket as unknown as { webSocket?: { addEventListener?: (type: string, listener: () => void) => void } | null }).webSocket?.addEventListener?.('error', () => {});
      provider.destroy();
      socket.destroy();
    },
  };
  provider.on('authenticationFailed', ({ reason }: { reason: string }) => client.refusals.push(reason));
  provider.on('close', ({ event }: { event: { reason?: string } }) => client.closes.push(String(event?.reason ?? '')));
  provider.on('stateless', ({ payload }: { payload: string }) => client.stateless.push(payload));
  return client;
}

/** `intervalMs`: between polls; raise it when each poll is a rate-limited request (search: 240/min). */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition', intervalMs = 20): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export const synced = (c: Client, timeoutMs = 15_000) => until(() => c.provider.isSynced, timeoutMs, 'synced');
/** Every local change acknowledged by the server (logged and applied there). */
export const acknowledged = (c: Client, timeoutMs = 15_000) =>
  until(() => c.provider.isSynced && c.provider.unsyncedChanges === 0, timeoutMs, 'acknowledged');

/** The whole state of a document as the database holds it, as text of `t`. */
export async function storedText(entente: Pick<Entente, 'collab'>, ref: DocumentRef): Promise<string> {
  const { state } = await entente.collab.store.load(ref);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc.getText('t').toString();
}
