import net from 'node:net';
import type { Readable } from 'node:stream';
import { ScannerUnavailableError, type ScannerUnavailableReason } from './errors.ts';

/**
 * A client of clamd (ClamAV's daemon) speaking its socket protocol directly, so that Entente needs
 * no ClamAV library and no third-party package: a unix socket (`LocalSocket`) or TCP
 * (`TCPSocket`/`TCPAddr`; keep it on loopback or a private network, clamd has no authentication).
 *
 * Commands use the `z` form (`zPING\0`): the command and each reply end with a NUL byte, which
 * frames replies without guessing at newlines. A scan is `zINSTREAM\0`, then chunks each preceded
 * by its length as 4 bytes big-endian, then a zero length; clamd answers `stream: OK`,
 * `stream: <signature> FOUND` or `<message> ERROR`. When the stream passes clamd's
 * StreamMaxLength, clamd answers `INSTREAM size limit exceeded. ERROR` and closes: that outcome is
 * its own reason (`size_limit`) and, like every other failure, never a verdict of clean.
 */

export type ClamdAddress = { socket: string } | { host: string; port: number };

export interface ClamdClientOptions {
  address: ClamdAddress;
  /** Connection set-up, and any silence of clamd while a command or a scan runs. */
  timeoutMs: number;
  /**
   * The longest stream sent, equal to clamd's StreamMaxLength: a longer body is refused here
   * (`size_limit`) without relying on clamd's own refusal, which arrives as the connection closes
   * and can be lost to a write that fails first (EPIPE). Default 25 MiB, clamd's default.
   */
  maxStreamBytes?: number;
  /** Bytes per INSTREAM chunk (clamd accepts chunks up to StreamMaxLength). */
  chunkBytes?: number;
}

export type InstreamVerdict = { status: 'clean' } | { status: 'infected'; signature: string };

/** Longest reply we keep: clamd's are one line; anything longer is not clamd. */
const MAX_REPLY_BYTES = 4096;
const DEFAULT_CHUNK_BYTES = 64 * 1024;
export const CLAMD_DEFAULT_STREAM_MAX_BYTES = 25 * 1024 * 1024;
/**
 * clamd closes a stream early when it passes StreamMaxLength; its reply can then be lost to our
 * next write failing first (EPIPE). That happens only when the client's cap is set above clamd's.
 */
const LOST_MID_STREAM = ' (clamd closed the connection while the file was being sent: is its StreamMaxLength lower than ENTENTE_CLAMD_STREAM_MAX_BYTES?)';

export class ClamdClient {
  readonly address: ClamdAddress;
  readonly timeoutMs: number;
  readonly chunkBytes: number;
  readonly maxStreamBytes: number;

  constructor(options: ClamdClientOptions) {
    this.address = options.address;
    this.timeoutMs = options.timeoutMs;
    this.maxStreamBytes = options.maxStreamBytes ?? CLAMD_DEFAULT_STREAM_MAX_BYTES;
    this.chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  }

  /** Where clamd is, for logs and /readyz (no secret in it: clamd has none). */
  get description(): string {
    return 'socket' in this.address ? `unix socket ${this.address.socket}` : `tcp ${this.address.host}:${this.address.port}`;
  }

  /** Resolves when clamd answers PONG; otherwise ScannerUnavailableError. */
  async ping(): Promise<void> {
    const reply = await this.#exchange(async (socket) => {
      socket.write('zPING\0');
    });
    if (reply !== 'PONG') throw unavailable('error', `clamd answered PING with ${quote(reply)}`);
  }

  /** clamd's version line, e.g. `ClamAV 1.4.6/27000/Sat Nov 28 09:00:00 2026` (engine/database). */
  async version(): Promise<string> {
    const reply = await this.#exchange(async (socket) => {
      socket.write('zVERSION\0');
    });
    if (!/^ClamAV /.test(reply)) throw unavailable('error', `clamd answered VERSION with ${quote(reply)}`);
    return reply;
  }

  /**
   * Streams `body` to clamd and returns its verdict. The body is consumed; when the scan fails it
   * is destroyed (a source left paused would hold its file or connection open).
   */
  async instream(body: Readable): Promise<InstreamVerdict> {
    let reply: string;
    try {
      reply = await this.#exchange(async (socket, answered) => {
        const write = async (data: Buffer) => {
          // Let the event loop read first: if clamd has answered (an error, its own size limit),
          // its reply is taken before a write into a closed connection fails and discards it.
          await new Promise((resolve) => setImmediate(resolve));
          if (finished) return;
          if (socket.write(data)) return;
          // Wait for room, or for clamd to speak first (it answers early on size limits and errors).
          return new Promise<void>((resolve) => {
            const done = () => {
              socket.off('drain', done);
              resolve();
            };
            socket.once('drain', done);
            void answered.then(done, done);
          });
        };
        let finished = false;
        void answered.then(
          () => {
            finished = true;
          },
          () => {
            finished = true;
          },
        );
        socket.write('zINSTREAM\0');
        let sent = 0;
        for await (const chunk of body) {
          const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
          for (let at = 0; at < bytes.length && !finished; at += this.chunkBytes) {
            const part = bytes.subarray(at, at + this.chunkBytes);
            sent += part.length;
            if (sent > this.maxStreamBytes) throw unavailable('size_limit', tooLong(this.maxStreamBytes));
            const header = Buffer.alloc(4);
            header.writeUInt32BE(part.length, 0);
            await write(Buffer.concat([header, part]));
          }
          if (finished) break;
        }
        if (!finished) socket.write(Buffer.alloc(4));
      }, LOST_MID_STREAM);
    } catch (error) {
      body.destroy();
      throw error;
    }
    if (reply === 'stream: OK') return { status: 'clean' };
    const found = /^stream: (.+) FOUND$/.exec(reply);
    if (found?.[1]) {
      body.destroy();
      return { status: 'infected', signature: cleanSignature(found[1]) };
    }
    body.destroy();
    if (/size limit exceeded/i.test(reply)) throw unavailable('size_limit', tooLong(null));
    throw unavailable('error', `clamd could not scan the stream: ${quote(reply)}`);
  }

  /**
   * One connection, one command: `send` writes the command (and the stream); the promise it gets
   * settles when clamd has answered. Resolves with the reply without its NUL terminator.
   */
  #exchange(send: (socket: net.Socket, answered: Promise<string>) => Promise<void>, lostHint = ''): Promise<string> {
    const socket = 'socket' in this.address ? net.createConnection({ path: this.address.socket }) : net.createConnection({ host: this.address.host, port: this.address.port });
    let settle!: { resolve: (reply: string) => void; reject: (error: Error) => void };
    const answered = new Promise<string>((resolve, reject) => {
      settle = { resolve, reject };
    });
    let connected = false;
    let done = false;
    let received = Buffer.alloc(0);
    const finish = (outcome: { reply: string } | { error: Error }) => {
      if (done) return;
      done = true;
      socket.setTimeout(0);
      socket.destroy();
      if ('reply' in outcome) settle.resolve(outcome.reply);
      else settle.reject(outcome.error);
    };
    const replyOf = (bytes: Buffer) => bytes.toString('utf8').replace(/\0+$/, '').trim();

    socket.setTimeout(this.timeoutMs);
    socket.on('timeout', () => {
      finish({ error: unavailable('timeout', `clamd did not answer within ${this.timeoutMs} ms (${this.description})`) });
    });
    socket.on('connect', () => {
      connected = true;
      send(socket, answered).catch((error: unknown) => {
        // The source failed (its own error says why), or the stream passed the cap.
        finish({ error: error instanceof Error ? error : new Error(String(error)) });
      });
    });
    socket.on('data', (data: Buffer) => {
      received = Buffer.concat([received, data]);
      const end = received.indexOf(0);
      if (end >= 0) finish({ reply: replyOf(received.subarray(0, end)) });
      else if (received.length > MAX_REPLY_BYTES) finish({ error: unavailable('error', 'clamd sent an over-long reply: is this clamd?') });
    });
    socket.on('end', () => {
      // clamd closed without a NUL: take what it said, if anything (older replies, errors).
      if (received.length > 0) finish({ reply: replyOf(received) });
      else finish({ error: unavailable('error', `clamd closed the connection without answering (${this.description})`) });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (!connected) {
        finish({ error: unavailable('unreachable', `cannot reach clamd at ${this.description}: ${error.code ?? error.message}`, error) });
        return;
      }
      // A write after clamd closed (EPIPE, ECONNRESET): clamd may have answered just before (size limit).
      if (received.length > 0) finish({ reply: replyOf(received) });
      else finish({ error: unavailable('error', `connection to clamd lost: ${error.code ?? error.message}${lostHint}`, error) });
    });
    socket.on('close', () => {
      if (received.length > 0) finish({ reply: replyOf(received) });
      else finish({ error: unavailable('error', `clamd closed the connection without answering (${this.description})`) });
    });
    return answered;
  }
}

function unavailable(reason: ScannerUnavailableReason, message: string, cause?: unknown): ScannerUnavailableError {
  return new ScannerUnavailableError(message, { reason, cause });
}

/** A signature name is shown to the uploader and stored: printable ASCII, bounded. */
function cleanSignature(raw: string): string {
  const cleaned = raw.replace(/[^\x20-\x7e]/g, '?').trim().slice(0, 200);
  return cleaned || 'unknown';
}

function tooLong(limit: number | null): string {
  return `The file is longer than clamd accepts (StreamMaxLength${limit === null ? '' : ` ${limit} bytes`}): not scanned`;
}

function quote(reply: string): string {
  return JSON.stringify(reply.length > 120 ? `${reply.slice(0, 120)}…` : reply);
}
