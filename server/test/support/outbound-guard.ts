import dgram from 'node:dgram';
import dns from 'node:dns';
import { appendFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import tls from 'node:tls';

/**
 * The outbound-request guard of the "no third party" test, preloaded into a process with
 * `node --import <this file>`: before any other module loads, it wraps every way Node opens a
 * connection or asks the network a question —
 *   - `net.Socket.prototype.connect` (so `net.connect`, `http`, `https`, `fetch`/undici,
 *     WebSockets, `pg`, `ioredis`, SMTP: they all connect through it), and `tls.connect`;
 *   - `dns.lookup`, `dns.resolve*` (callback, promises and `Resolver` forms);
 *   - `dgram` sockets' `send` and `connect`;
 * and refuses any destination that is neither loopback, nor a unix socket, nor a host named in
 * ENTENTE_OUTBOUND_GUARD_ALLOW (comma-separated: the hosts the operator configured). Refusals
 * fail the way a network failure does (an `error` on the socket, an error to the callback), so
 * the process carries on and the test sees them all.
 *
 * Every attempt is written as a JSON line to ENTENTE_OUTBOUND_GUARD_LOG: `{ api, host, port,
 * allowed, stack }` — allowed ones too, which proves the guard sees the process's real traffic.
 *
 * Negative control: on SIGUSR2 (with ENTENTE_OUTBOUND_GUARD_PROBE=1) the guard itself tries
 * each kind of foreign destination from inside the guarded process; the test expects them all
 * recorded and refused.
 */

const LOG = process.env.ENTENTE_OUTBOUND_GUARD_LOG ?? null;
const ALLOW = new Set(
  (process.env.ENTENTE_OUTBOUND_GUARD_ALLOW ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean),
);

export const REFUSED_CODE = 'ENTENTE_OUTBOUND_REFUSED';

function isLocal(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (net.isIPv4(h)) return h.startsWith('127.') || h === '0.0.0.0';
  if (net.isIPv6(h)) return h === '::1' || h === '::' || /^(0{1,4}:){7}0{0,3}1$/.test(h) || /^::ffff:127\./.test(h);
  return false;
}

function record(api: string, host: string, port: number | null): boolean {
  const allowed = isLocal(host) || ALLOW.has(host.toLowerCase());
  if (LOG) {
    const stack = (new Error().stack ?? '')
      .split('\n')
      .slice(3, 12)
      .map((l) => l.trim())
      .filter((l) => !l.includes('outbound-guard'));
    appendFileSync(LOG, `${JSON.stringify({ api, host, port, allowed, pid: process.pid, at: new Date().toISOString(), stack })}\n`);
  }
  return allowed;
}

function refusal(api: string, host: string, port: number | null): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${api} to ${host}${port === null ? '' : `:${port}`} refused by the outbound-request guard (not loopback, not configured)`);
  error.code = REFUSED_CODE;
  return error;
}

// ── TCP (and everything above it) ───────────────────────────────────────────────────────────
type ConnectArgs = unknown[];
/** Where a `Socket#connect` call goes: its arguments come in every form net.connect accepts. */
function destination(args: ConnectArgs): { path: string } | { host: string; port: number | null } {
  let first = args[0];
  // net.connect() passes its normalised [options, callback] array.
  if (Array.isArray(first)) first = first[0];
  if (first !== null && typeof first === 'object') {
    const options = first as { path?: string; host?: string; port?: number | string };
    if (typeof options.path === 'string') return { path: options.path };
    return { host: options.host ?? 'localhost', port: options.port === undefined ? null : Number(options.port) };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { path: first };
  return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: Number(first) };
}

const originalSocketConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: ConnectArgs) {
  const where = destination(args);
  if ('host' in where && !record('net.connect', where.host, where.port)) {
    const error = refusal('net.connect', where.host, where.port);
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return (originalSocketConnect as (...a: ConnectArgs) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

const originalTlsConnect = tls.connect;
tls.connect = function guardedTlsConnect(...args: unknown[]) {
  const options = (typeof args[0] === 'object' && args[0] !== null ? args[0] : typeof args[2] === 'object' && args[2] !== null ? args[2] : {}) as tls.ConnectionOptions;
  // Over an existing socket no new connection is opened (that socket was checked when it connected).
  if (!options.socket) {
    const host = options.host ?? (typeof args[1] === 'string' ? args[1] : 'localhost');
    const port = options.port ?? (typeof args[0] === 'number' ? args[0] : null);
    record('tls.connect', host, port === null ? null : Number(port));
  }
  // The TCP connection underneath goes through Socket#connect above, which refuses it.
  return (originalTlsConnect as (...a: unknown[]) => tls.TLSSocket)(...args);
} as typeof tls.connect;

// ── DNS ─────────────────────────────────────────────────────────────────────────────────────
function dnsRefusal(api: string, hostname: string): NodeJS.ErrnoException {
  const error = refusal(api, hostname, null);
  (error as NodeJS.ErrnoException & { hostname: string }).hostname = hostname;
  return error;
}

const originalLookup = dns.lookup;
dns.lookup = function guardedLookup(hostname: string, ...rest: unknown[]) {
  const callback = rest[rest.length - 1] as (error: Error | null) => void;
  if (typeof hostname === 'string' && !record('dns.lookup', hostname, null) && typeof callback === 'function') {
    process.nextTick(() => callback(dnsRefusal('dns.lookup', hostname)));
    return {} as never;
  }
  return (originalLookup as (...a: unknown[]) => unknown)(hostname, ...rest);
} as typeof dns.lookup;

const originalPromisesLookup = dns.promises.lookup;
dns.promises.lookup = async function guardedPromisesLookup(hostname: string, ...rest: unknown[]) {
  if (typeof hostname === 'string' && !record('dns.lookup', hostname, null)) throw dnsRefusal('dns.lookup', hostname);
  return (originalPromisesLookup as (...a: unknown[]) => Promise<unknown>)(hostname, ...rest);
} as typeof dns.promises.lookup;

const RESOLVE = /^resolve/;
function guardResolvers(target: Record<string, unknown>, promises: boolean): void {
  for (const name of Object.getOwnPropertyNames(target)) {
    const original = target[name];
    if (!RESOLVE.test(name) || typeof original !== 'function') continue;
    target[name] = function guardedResolve(this: unknown, hostname: string, ...rest: unknown[]) {
      if (typeof hostname === 'string' && !record(`dns.${name}`, hostname, null)) {
        const error = dnsRefusal(`dns.${name}`, hostname);
        if (promises) return Promise.reject(error);
        const callback = rest[rest.length - 1];
        if (typeof callback === 'function') process.nextTick(() => (callback as (e: Error) => void)(error));
        return undefined;
      }
      return (original as (...a: unknown[]) => unknown).call(this, hostname, ...rest);
    };
  }
}
guardResolvers(dns as unknown as Record<string, unknown>, false);
guardResolvers(dns.Resolver.prototype as unknown as Record<string, unknown>, false);
guardResolvers(dns.promises as unknown as Record<string, unknown>, true);
guardResolvers(dns.promises.Resolver.prototype as unknown as Record<string, unknown>, true);

// ── UDP ─────────────────────────────────────────────────────────────────────────────────────
function udpDefaultHost(socket: dgram.Socket): string {
  return (socket as unknown as { type?: string }).type === 'udp6' ? '::1' : '127.0.0.1';
}

const originalSend = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function guardedSend(this: dgram.Socket, ...args: unknown[]) {
  // send(msg, [offset, length,] port [, address] [, callback]); no port: a connected socket (checked at connect).
  const withOffsets = typeof args[1] === 'number' && typeof args[2] === 'number' && typeof args[3] === 'number';
  const port = withOffsets ? args[3] : args[1];
  const address = withOffsets ? args[4] : args[2];
  if (typeof port === 'number') {
    const host = typeof address === 'string' ? address : udpDefaultHost(this);
    if (!record('dgram.send', host, port)) {
      const error = refusal('dgram.send', host, port);
      const callback = args[args.length - 1];
      process.nextTick(() => (typeof callback === 'function' ? (callback as (e: Error) => void)(error) : this.emit('error', error)));
      return;
    }
  }
  return (originalSend as (...a: unknown[]) => void).apply(this, args);
} as typeof dgram.Socket.prototype.send;

const originalUdpConnect = dgram.Socket.prototype.connect;
dgram.Socket.prototype.connect = function guardedUdpConnect(this: dgram.Socket, port: number, ...rest: unknown[]) {
  const host = typeof rest[0] === 'string' ? rest[0] : udpDefaultHost(this);
  if (!record('dgram.connect', host, port)) {
    const error = refusal('dgram.connect', host, port);
    process.nextTick(() => this.emit('error', error));
    return;
  }
  return (originalUdpConnect as (...a: unknown[]) => void).call(this, port, ...rest);
} as typeof dgram.Socket.prototype.connect;

// `import { connect } from 'node:net'` in ES modules loaded after this one sees the guarded functions.
syncBuiltinESMExports();

// ── negative control ────────────────────────────────────────────────────────────────────────
if (process.env.ENTENTE_OUTBOUND_GUARD_PROBE === '1') {
  process.on('SIGUSR2', () => {
    const quiet = () => {};
    fetch('https://guard-probe-fetch.example/').catch(quiet);
    net.connect(443, '192.0.2.10').on('error', quiet);
    tls.connect({ host: 'guard-probe-tls.example', port: 443 }).on('error', quiet);
    dns.lookup('guard-probe-lookup.example', quiet);
    dns.promises.resolve4('guard-probe-resolve.example').catch(quiet);
    const udp = dgram.createSocket('udp4');
    udp.on('error', quiet);
    udp.send(Buffer.from('probe'), 53, '192.0.2.53', () => udp.close());
  });
}
