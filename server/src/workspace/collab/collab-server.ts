import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Hocuspocus, type onAuthenticatePayload } from '@hocuspocus/server';
import { WebSocketServer } from 'ws';
import type { Logger } from '../../platform/logger.ts';

/**
 * The real-time collaboration endpoint, `/collab` on the same HTTP server as the API
 * (DESIGN.md contract). Hocuspocus 4 is transport-agnostic: we accept the WebSocket upgrade with
 * `ws`, hand Hocuspocus a web `Request` built from the upgrade request, and pipe messages in.
 * Every refusal (no ticket, bad ticket, no access) is answered inside the Hocuspocus protocol
 * ("authentication failed"), never as a refused upgrade, so that clients get a reason.
 *
 * Authentication is a function given by the caller: the spaces-and-documents issue plugs in
 * short-lived tickets from `POST /api/collab/tickets`; until then the default refuses all.
 */
export const COLLAB_PATH = '/collab';
/** Largest WebSocket message accepted: a big paste fits, a memory attack does not. */
export const MAX_COLLAB_MESSAGE_BYTES = 8 * 1024 * 1024;

export type CollabAuthenticate = (payload: {
  token: string;
  documentName: string;
  request: Request;
}) => Promise<{ readOnly: boolean; context: Record<string, unknown> }>;

export const refuseAll: CollabAuthenticate = async () => {
  throw new Error('collaboration tickets are not available yet');
};

export interface CollabServer {
  hocuspocus: Hocuspocus;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

export function createCollabServer(options: { logger: Logger; authenticate?: CollabAuthenticate }): CollabServer {
  const authenticate = options.authenticate ?? refuseAll;
  const log = options.logger.child({ component: 'collab' });
  const hocuspocus = new Hocuspocus({
    name: 'entente',
    quiet: true,
    async onAuthenticate(data: onAuthenticatePayload) {
      try {
        const result = await authenticate({ token: data.token, documentName: data.documentName, request: data.request });
        if (result.readOnly) data.connectionConfig.readOnly = true;
        return result.context;
      } catch (error) {
        log.info({ documentName: data.documentName, reason: (error as Error).message }, 'collaboration refused');
        throw error;
      }
    },
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_COLLAB_MESSAGE_BYTES });

  return {
    hocuspocus,
    handleUpgrade(req, socket, head) {
      let request: Request;
      try {
        request = toWebRequest(req);
      } catch {
        // A malformed request line or header must not reach Hocuspocus (nor crash the process).
        socket.destroy();
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        const connection = hocuspocus.handleConnection(ws, request);
        ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
          const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
          connection.handleMessage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        });
        ws.on('close', (code, reason) => connection.handleClose({ code, reason: reason.toString() } as CloseEvent));
        ws.on('error', (error) => log.warn({ err: { message: error.message } }, 'collaboration socket error'));
      });
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      hocuspocus.closeConnections();
    },
  };
}

/** Hocuspocus hooks receive a web Request: built from the upgrade's method, URL and headers. */
function toWebRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  // The URL's origin is fixed: the Host header is the client's to choose, and a hostile one
  // (`Host: a b`) would make `new URL` throw. Hooks read the path and query; headers keep Host.
  return new Request(new URL(req.url ?? '/', 'http://collab.invalid'), { method: 'GET', headers });
}
