/**
 * Collaboration benchmarks (issue 4, bench/collab):
 *
 *  1. fan-out: one document, 50 and 200 concurrent editors on loopback; update delivery latency
 *     p50/p99 and the server's CPU and RSS, Entente (PostgreSQL) against a bare Hocuspocus server
 *     (no auth, no persistence) in the same run; the latency ratio (target ≤ 1.5);
 *  2. open documents: 1,000 documents open with 2 clients each; server RSS per open document;
 *  3. large document: ≈ 100,000 characters built from ≈ 250,000 edit operations, loaded from the
 *     database to a new client's first sync (target < 300 ms on PostgreSQL), from the log alone
 *     and after compaction into a snapshot;
 *  4. two nodes through Redis against one node: fan-out latency ratio, and one node reached
 *     through a TCP forwarder (what "one owning node per document, others forward" costs a client
 *     on a non-owning node) — the figures behind docs/adr/0003-collaboration-scale-out.md.
 *
 * Servers run in child processes; clients are real @hocuspocus/provider clients in this process.
 * Needs ENTENTE_BENCH_DATABASE_URL (admin PostgreSQL URL; a fresh database per run) and, for the
 * two-node figure, ENTENTE_BENCH_REDIS_URL.
 */
import path from 'node:path';
import * as Y from 'yjs';
import {
  type BenchClient,
  type CollabBenchReady,
  connectClient,
  cpuSeconds,
  measureFanOut,
  percentile,
  rssMiB,
} from './support/collab-clients.ts';
import { type Child, cleanEnv, freePort, spawnChild, stopChild } from './support/processes.ts';
import { firstMessage } from './support/servers.ts';
import { withDatabase, withDataDir } from './support/temporary-stores.ts';

export interface CollabSettings {
  editors: number[];
  updatesPerSecond: number;
  warmupSeconds: number;
  measuredSeconds: number;
  openDocuments: number;
  largeOperations: number;
}
export const DEFAULT_COLLAB: CollabSettings = {
  editors: [50, 200],
  updatesPerSecond: 20,
  warmupSeconds: 5,
  measuredSeconds: 10,
  openDocuments: 1000,
  largeOperations: 250_000,
};

export interface FanOutRow {
  target: string;
  editors: number;
  p50Ms: number;
  p99Ms: number;
  delivered: string;
  serverCpuSeconds: number;
  serverRssMiB: number;
}
export interface CollabResult {
  settings: CollabSettings;
  fanOut: FanOutRow[];
  openDocuments: { target: string; documents: number; rssBeforeMiB: number; rssAfterMiB: number; perDocumentKiB: number }[];
  large: { target: string; characters: number; operations: number; stateKiB: number; loadMs: number[] }[];
  nodes: FanOutRow[];
  notes: string[];
}

interface Server {
  child: Child;
  ready: CollabBenchReady;
  /** Sends a command to an Entente child (documents, compact, unload) and waits for its answer. */
  command<T>(message: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

async function startCollabServer(script: 'collab-bare-server.ts' | 'collab-entente-server.ts', env: Record<string, string>): Promise<Server> {
  const child = spawnChild(process.execPath, [path.join(import.meta.dirname, 'support', script)], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  try {
    const ready = await firstMessage<CollabBenchReady>(child);
    // Let the start's own work (demo seeding, first jobs) finish before anything is measured.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    let sequence = 0;
    return {
      child,
      ready,
      command: <T>(message: Record<string, unknown>) =>
        new Promise<T>((resolve, reject) => {
          const id = ++sequence;
          const timer = setTimeout(() => reject(new Error(`no answer to ${JSON.stringify(message)}\n${child.output()}`)), 600_000);
          const onMessage = (answer: { id?: number; result?: T; error?: string }) => {
            if (answer.id !== id) return;
            clearTimeout(timer);
            child.process.off('message', onMessage);
            if (answer.error) reject(new Error(answer.error));
            else resolve(answer.result as T);
          };
          child.process.on('message', onMessage);
          child.process.send({ ...message, id });
        }),
      stop: () => stopChild(child),
    };
  } catch (error) {
    await stopChild(child).catch(() => undefined);
    throw error;
  }
}

const log = (message: string) => console.error(`  ${message}`);
const SETTLE_MS = 5_000;

async function fanOut(
  target: string,
  servers: Server[],
  documentId: string,
  editors: number,
  settings: CollabSettings,
  via?: (i: number) => CollabBenchReady,
  /** Other processes on the path whose CPU counts too (a forwarder). */
  extraPids: number[] = [],
): Promise<FanOutRow> {
  log(`${target}: ${editors} editors`);
  const clients: BenchClient[] = [];
  for (let i = 0; i < editors; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, editors - i) }, (_, k) => {
        const index = i + k;
        const ready = via ? via(index) : servers[index % servers.length]!.ready;
        return connectClient(ready, documentId, index);
      }),
    );
    clients.push(...batch);
  }
  const pids = [...servers.map((s) => s.child.pid), ...extraPids];
  const cpuBefore = pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const figures = await measureFanOut(clients, {
    updatesPerSecond: settings.updatesPerSecond,
    warmupMs: settings.warmupSeconds * 1000,
    durationMs: settings.measuredSeconds * 1000,
  });
  const cpu = pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0) - cpuBefore;
  const rss = pids.reduce((sum, pid) => sum + rssMiB(pid), 0);
  for (const client of clients) client.destroy();
  if (figures.received !== figures.expected) log(`${target}: ${figures.received} of ${figures.expected} deliveries arrived`);
  return {
    target,
    editors,
    p50Ms: percentile(figures.latencies, 50),
    p99Ms: percentile(figures.latencies, 99),
    delivered: `${figures.received}/${figures.expected}`,
    serverCpuSeconds: cpu,
    serverRssMiB: rss,
  };
}

/** A document typed the way people type: runs of characters, cursor jumps, corrections. */
export function buildLargeDocument(operations: number): { update: Uint8Array; characters: number } {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment('default');
  const paragraphs: Y.XmlText[] = [];
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const words = 'la coopération numérique entre la France et le Québec repose sur des outils souverains partagés'.split(' ');
  let done = 0;
  while (done < operations) {
    doc.transact(() => {
      if (paragraphs.length === 0 || random() < 0.01) {
        const paragraph = new Y.XmlElement('paragraph');
        const text = new Y.XmlText();
        paragraph.insert(0, [text]);
        fragment.insert(fragment.length, [paragraph]);
        paragraphs.push(text);
      }
      const text = random() < 0.9 ? paragraphs.at(-1)! : paragraphs[Math.floor(random() * paragraphs.length)]!;
      if (random() < 0.4 && text.length > 8) {
        // A correction: backspace over a few characters, one operation each.
        const at = random() < 0.7 ? text.length : 1 + Math.floor(random() * (text.length - 1));
        const count = Math.min(at, 1 + Math.floor(random() * 8));
        for (let k = 0; k < count && done < operations; k++, done++) text.delete(at - 1 - k, 1);
        return;
      }
      // One operation per character typed.
      for (const char of `${words[Math.floor(random() * words.length)]} `) {
        if (done >= operations) break;
        text.insert(text.length, char);
        done++;
      }
    });
  }
  const characters = paragraphs.reduce((sum, t) => sum + t.length, 0);
  return { update: Y.encodeStateAsUpdate(doc), characters };
}

async function openDocuments(target: string, server: Server, count: number): Promise<CollabResult['openDocuments'][number]> {
  log(`${target}: ${count} documents × 2 clients`);
  const documents = server.ready.documents.length >= count ? server.ready.documents.slice(0, count) : await server.command<string[]>({ cmd: 'documents', count });
  if (global.gc) global.gc();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const before = rssMiB(server.child.pid);
  const clients: BenchClient[] = [];
  for (let i = 0; i < documents.length; i += 20) {
    const slice = documents.slice(i, i + 20);
    clients.push(...(await Promise.all(slice.flatMap((id, k) => [connectClient(server.ready, id, 2 * (i + k)), connectClient(server.ready, id, 2 * (i + k) + 1)]))));
  }
  // Each document gets a small edit, as an open document in use has.
  clients.forEach((c, i) => {
    if (i % 2 === 0) c.doc.getText('t').insert(0, 'bonjour');
  });
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const after = rssMiB(server.child.pid);
  for (const client of clients) client.destroy();
  return { target, documents: documents.length, rssBeforeMiB: before, rssAfterMiB: after, perDocumentKiB: ((after - before) * 1024) / documents.length };
}

async function largeDocument(target: string, server: Server, settings: CollabSettings): Promise<CollabResult['large'][number][]> {
  const built = buildLargeDocument(settings.largeOperations);
  log(`${target}: large document, ${built.characters} characters from ${settings.largeOperations} operations (${(built.update.length / 1024).toFixed(0)} KiB)`);
  const [documentId] = await server.command<string[]>({ cmd: 'documents', count: 1 });
  const writer = await connectClient(server.ready, documentId!, 0);
  Y.applyUpdate(writer.doc, built.update);
  await waitUntil(() => writer.provider.unsyncedChanges === 0, 60_000);
  writer.destroy();
  const rows: CollabResult['large'][number][] = [];
  for (const stage of ['log', 'snapshot'] as const) {
    if (stage === 'snapshot') await server.command({ cmd: 'compact', documentId });
    const loadMs: number[] = [];
    for (let run = 0; run < 5; run++) {
      await server.command({ cmd: 'unload', documentId });
      const started = performance.now();
      const reader = await connectClient(server.ready, documentId!, 1 + run);
      loadMs.push(performance.now() - started);
      const text = reader.doc.getXmlFragment('default').toString().length;
      reader.destroy();
      if (text === 0) throw new Error('the large document came back empty');
    }
    rows.push({ target: `${target}, from the ${stage}`, characters: built.characters, operations: settings.largeOperations, stateKiB: built.update.length / 1024, loadMs });
  }
  return rows;
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A TCP forwarder in a child of its own: the extra hop a non-owning node would add. */
async function startForwarder(targetUrl: string): Promise<{ wsUrl: string; pid: number; close(): Promise<void> }> {
  const target = new URL(targetUrl);
  const port = await freePort();
  const child = spawnChild(process.execPath, [path.join(import.meta.dirname, 'support', 'tcp-forwarder.ts'), String(port), target.hostname, target.port], {
    env: cleanEnv({}),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  await firstMessage(child);
  return { wsUrl: `ws://127.0.0.1:${port}${target.pathname}`, pid: child.pid, close: () => stopChild(child) };
}

export async function collabBench(settings: CollabSettings = DEFAULT_COLLAB): Promise<CollabResult> {
  const result: CollabResult = { settings, fanOut: [], openDocuments: [], large: [], nodes: [], notes: [] };
  const adminUrl = process.env.ENTENTE_BENCH_DATABASE_URL?.trim();
  const redisUrl = process.env.ENTENTE_BENCH_REDIS_URL?.trim();

  const bare = await startCollabServer('collab-bare-server.ts', {});
  try {
    for (const editors of settings.editors) result.fanOut.push(await fanOut('bare Hocuspocus', [bare], `bare-${editors}`, editors, settings));
  } finally {
    await bare.stop();
  }
  if (!adminUrl) {
    result.notes.push('ENTENTE_BENCH_DATABASE_URL is not set: Entente figures (PostgreSQL) skipped');
    return result;
  }
  await withDatabase(adminUrl, (databaseUrl) =>
    withDataDir(async (dataDir) => {
      const env = { ENTENTE_DATA_DIR: dataDir, DATABASE_URL: databaseUrl };
      const one = await startCollabServer('collab-entente-server.ts', { ...env, PORT: String(await freePort()) });
      try {
        for (const editors of settings.editors) {
          const [documentId] = await one.command<string[]>({ cmd: 'documents', count: 1 });
          result.fanOut.push(await fanOut('Entente (PostgreSQL)', [one], documentId!, editors, settings));
        }
        result.large.push(...(await largeDocument('Entente (PostgreSQL)', one, settings)));
        result.openDocuments.push(await openDocuments('Entente (PostgreSQL)', one, settings.openDocuments));
        // What forwarding to an owning node would add: half the clients through one more hop.
        const forwarder = await startForwarder(one.ready.wsUrl);
        try {
          const [documentId] = await one.command<string[]>({ cmd: 'documents', count: 1 });
          const editors = settings.editors[0]!;
          result.nodes.push(await fanOut('one node', [one], documentId!, editors, settings));
          const [other] = await one.command<string[]>({ cmd: 'documents', count: 1 });
          result.nodes.push(
            await fanOut('one node, half the clients through a TCP forwarder', [one], other!, editors, settings, (i) =>
              i % 2 === 0 ? one.ready : { ...one.ready, wsUrl: forwarder.wsUrl }, [forwarder.pid],
            ),
          );
        } finally {
          await forwarder.close();
        }
      } finally {
        await one.stop();
      }
      if (!redisUrl) {
        result.notes.push('ENTENTE_BENCH_REDIS_URL is not set: the two-node figure skipped');
        return;
      }
      // Two nodes of one Entente: the same databases, Redis and public URL (as behind a load balancer).
      const shared = { ...env, REDIS_URL: redisUrl, ENTENTE_PUBLIC_URL: `http://localhost:${await freePort()}` };
      const nodes = [
        await startCollabServer('collab-entente-server.ts', { ...shared, PORT: String(await freePort()) }),
        await startCollabServer('collab-entente-server.ts', { ...shared, PORT: String(await freePort()) }),
      ];
      try {
        const [documentId] = await nodes[0]!.command<string[]>({ cmd: 'documents', count: 1 });
        result.nodes.push(await fanOut('two nodes through Redis (half the clients on each)', nodes, documentId!, settings.editors[0]!, settings));
      } finally {
        for (const node of nodes) await node.stop();
      }
    }),
  );
  return result;
}
