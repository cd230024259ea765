/**
 * The collab bench's clients: real `@hocuspocus/provider` clients (what browsers run), each on
 * its own WebSocket, in the bench process. Tickets come from Entente's HTTP API as a browser gets
 * them (session cookie + CSRF token) or, for the bare server, are not needed.
 */
import { readFileSync } from 'node:fs';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';

/** What a collab bench server child sends once it listens. */
export interface CollabBenchReady {
  wsUrl: string;
  /** Documents the sessions may edit (Entente); the bare server accepts any name. */
  documents: string[];
  /** How to get a ticket (Entente), or null (bare server: any token). */
  tickets: { url: string; sessions: { cookie: string; csrfToken: string; origin: string }[] } | null;
}

export interface BenchClient {
  provider: HocuspocusProvider;
  socket: HocuspocusProviderWebsocket;
  doc: Y.Doc;
  destroy(): void;
}

async function ticketFor(ready: CollabBenchReady, documentId: string, index: number): Promise<string> {
  if (!ready.tickets) return 'bench';
  const session = ready.tickets.sessions[index % ready.tickets.sessions.length]!;
  const response = await fetch(ready.tickets.url, {
    method: 'POST',
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, origin: session.origin, 'content-type': 'application/json' },
    body: JSON.stringify({ documentId }),
  });
  if (response.status !== 200) throw new Error(`ticket: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { ticket: string }).ticket;
}

/** Connects one client and resolves once it has synced with the server. */
export async function connectClient(ready: CollabBenchReady, documentId: string, index: number, timeoutMs = 60_000): Promise<BenchClient> {
  const socket = new HocuspocusProviderWebsocket({ url: ready.wsUrl, WebSocketPolyfill: WebSocket, maxAttempts: 1 });
  const doc = new Y.Doc();
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: documentId, document: doc, token: () => ticketFor(ready, documentId, index) });
  provider.attach();
  const client = {
    provider,
    socket,
    doc,
    destroy() {
      provider.destroy();
      socket.destroy();
    },
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`client ${index} not synced within ${timeoutMs} ms`)), timeoutMs);
    provider.on('synced', () => {
      clearTimeout(timer);
      resolve();
    });
    provider.on('authenticationFailed', ({ reason }: { reason: string }) => {
      clearTimeout(timer);
      reject(new Error(`client ${index} refused: ${reason}`));
    });
  });
  return client;
}

/** Connects `count` clients, a few at a time (a browser-like ramp, not a thundering herd). */
export async function connectMany(ready: CollabBenchReady, documentId: string, count: number, offset = 0): Promise<BenchClient[]> {
  const clients: BenchClient[] = [];
  for (let i = 0; i < count; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, count - i) }, (_, k) => connectClient(ready, documentId, offset + i + k)),
    );
    clients.push(...batch);
  }
  return clients;
}

export interface FanOutFigures {
  /** Delivery latencies (ms) of updates sent during the measured window, one per receiver. */
  latencies: number[];
  sent: number;
  expected: number;
  received: number;
}

/**
 * Fan-out latency: editors take turns (round robin) writing their clock into a shared Y.Map at a
 * fixed total rate; every other client records how long the change took to reach it (all
 * clients live in this process, so one clock serves both ends).
 */
export async function measureFanOut(
  clients: readonly BenchClient[],
  options: { updatesPerSecond: number; warmupMs: number; durationMs: number },
): Promise<FanOutFigures> {
  const latencies: number[] = [];
  let measuring = false;
  let sent = 0;
  let received = 0;
  const measuredSends = new Set<string>();
  clients.forEach((client, index) => {
    const map = client.doc.getMap<string>('bench');
    map.observe((event) => {
      if (event.transaction.local) return;
      const now = performance.now();
      for (const key of event.keysChanged) {
        const value = map.get(key);
        if (!value || key === `e${index}`) continue;
        const [stamp, id] = value.split('|');
        if (measuredSends.has(id!)) {
          latencies.push(now - Number(stamp));
          received++;
        }
      }
    });
  });
  let turn = 0;
  const interval = 1000 / options.updatesPerSecond;
  const start = performance.now();
  const end = start + options.warmupMs + options.durationMs;
  while (performance.now() < end) {
    const index = turn++ % clients.length;
    const id = `${index}-${turn}`;
    measuring = performance.now() >= start + options.warmupMs;
    if (measuring) {
      measuredSends.add(id);
      sent++;
    }
    clients[index]!.doc.getMap<string>('bench').set(`e${index}`, `${performance.now()}|${id}`);
    const next = start + turn * interval;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
  }
  // Let the last updates arrive.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  return { latencies, sent, expected: sent * (clients.length - 1), received };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident set size of a process in MiB, from /proc (Linux). */
export function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? 0) / 1024;
}
