import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { loadConfig } from '../src/config.ts';
import { createEntente } from '../src/entente.ts';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { csrfTokenFor } from '../src/platform/http/csrf.ts';
import { createLogger } from '../src/platform/logger.ts';
import { freshTestEnv, type TestEnv } from './support/db.ts';
import { addDocument, addSpace, type Client, openClient, type Session, ticketFor, until } from './collab-support.ts';
import { freePort } from './support/app.ts';

/**
 * The promise users care most about, tested as it would fail in production: the server process
 * is killed (`kill -9`, no shutdown hook) while 10 clients edit. After a restart on the same data,
 * every change any client had seen from the server is there, the changes clients kept making
 * offline merge in, and nothing is duplicated.
 */
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const MAIN = path.join(ROOT, 'server', 'src', 'main.ts');

let env: TestEnv | null = null;
let child: ChildProcess | null = null;
const clients: Client[] = [];

afterAll(async () => {
  for (const c of clients) c.destroy();
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await env?.dispose();
});

function startServer(childEnv: Record<string, string>): ChildProcess {
  const p = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...childEnv }, cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  p.stderr?.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  p.on('exit', (code, signal) => {
    if (code !== null && code !== 0) console.error(`server exited ${code} ${signal}\n${stderr}`);
  });
  return p;
}

async function waitReady(base: string, p: ChildProcess): Promise<void> {
  await until(
    async () => {
      if (p.exitCode !== null) throw new Error(`server exited with ${p.exitCode}`);
      try {
        return (await fetch(`${base}/readyz`)).status === 200;
      } catch {
        return false;
      }
    },
    120_000,
    'server ready',
  );
}

describe('kill -9 while 10 clients edit', () => {
  it('keeps every acknowledged or seen change, merges offline edits, duplicates nothing', async () => {
    const port = await freePort();
    const base = `http://localhost:${port}`;
    env = await freshTestEnv({
      PORT: String(port),
      ENTENTE_PUBLIC_URL: base,
      ENTENTE_LOG_LEVEL: 'warn',
      ...(process.env.ENTENTE_TEST_REDIS_URL ? { REDIS_URL: process.env.ENTENTE_TEST_REDIS_URL } : {}),
    });

    // Set-up in this process (sessions, a space, a document), then the real server as its own process.
    const config = loadConfig(env.env);
    const setup = await createEntente({ config, logger: createLogger(config), startJobs: false, webDist: null });
    const sessions: Session[] = [];
    for (const agent of DEMO_AGENTS) {
      const s = await setup.sessions.create({ principalId: agent.id, homeJurisdiction: agent.jurisdiction, ip: '127.0.0.1', userAgent: 'crash-test', authMethod: 'test' });
      const cookie = `entente_session=${s.token}`;
      sessions.push({ headers: { cookie, 'x-csrf-token': csrfTokenFor(setup.secret, s.id), origin: new URL(base).origin } });
    }
    const spaceId = await addSpace(setup, {
      jurisdiction: 'QC',
      members: DEMO_AGENTS.map((a, i) => ({ principalId: a.id, role: i === 0 ? ('owner' as const) : ('editor' as const) })),
    });
    const doc = await addDocument(setup, spaceId, 'QC');
    await setup.close();

    child = startServer(env.env);
    await waitReady(base, child);

    // Each client inserts unique tokens into a shared list and notes which of its own the server
    // acknowledged: the provider counts a change when it sends it and uncounts it when the
    // server's "saved" arrives, in order, so each acknowledgement covers the tokens written up to
    // when the change it answers was counted (fewer than it really covers, never more).
    const n = 10;
    const acked = new Set<string>();
    const written: string[][] = Array.from({ length: n }, () => []);
    for (let i = 0; i < n; i++) {
      const c = openClient(base, doc.documentId, () => ticketFor(base, sessions[i % sessions.length] as Session, doc.documentId));
      clients.push(c);
      let previous = 0;
      const inFlight: number[] = [];
      c.provider.on('unsyncedChanges', ({ number }: { number: number }) => {
        const mine = written[i] as string[];
        for (let k = previous; k < number; k++) inFlight.push(mine.length);
        for (let k = number; k < previous; k++) {
          const upto = inFlight.shift() ?? 0;
          for (const token of mine.slice(0, upto)) acked.add(token);
        }
        previous = number;
      });
    }
    await until(() => clients.every((c) => c.provider.isSynced), 30_000, 'all synced');

    let editing = true;
    const loops = clients.map(async (c, i) => {
      const list = c.doc.getArray<string>('tokens');
      let k = 0;
      while (editing) {
        const token = `c${i}-${k++}`;
        (written[i] as string[]).push(token);
        list.insert(Math.floor(Math.random() * (list.length + 1)), [token]);
        await new Promise((r) => setTimeout(r, 10 + Math.random() * 30));
      }
    });

    await new Promise((r) => setTimeout(r, 2_500));
    child.kill('SIGKILL');
    await new Promise<void>((resolve) => child?.once('exit', () => resolve()));
    // The tabs go away with the server (their providers are destroyed), each keeping its Y.Doc as
    // the offline copy IndexedDB would hold. What they had been told or shown must now come from
    // the database alone, not from a client sending it again.
    for (const c of clients) c.destroy();
    const copies = clients.map((c) => c.doc);
    clients.length = 0;
    const seen = new Set<string>();
    copies.forEach((copy, i) => {
      for (const token of copy.getArray<string>('tokens').toArray()) if (!token.startsWith(`c${i}-`)) seen.add(token);
    });
    const mustSurvive = new Set([...acked, ...seen]);
    expect(acked.size).toBeGreaterThan(10);
    expect(mustSurvive.size).toBeGreaterThan(50);

    // They keep editing offline for a while, then the server comes back on the same data.
    await new Promise((r) => setTimeout(r, 1_000));
    editing = false;
    await Promise.all(loops);
    const everything = new Set(written.flat());
    child = startServer(env.env);
    await waitReady(base, child);

    // First a newcomer with an empty copy: it sees exactly what the database kept.
    const first = openClient(base, doc.documentId, () => ticketFor(base, sessions[0] as Session, doc.documentId), new Y.Doc());
    clients.push(first);
    await until(() => first.provider.isSynced, 30_000, 'newcomer synced after restart');
    const stored = new Set(first.doc.getArray<string>('tokens').toArray());
    const lost = [...mustSurvive].filter((token) => !stored.has(token));
    expect(lost, `${lost.length} acknowledged or seen changes lost`).toEqual([]);

    // Then the offline copies reconnect and merge.
    copies.forEach((copy, i) => {
      clients.push(openClient(base, doc.documentId, () => ticketFor(base, sessions[i % sessions.length] as Session, doc.documentId), copy));
    });
    await until(() => clients.every((c) => c.provider.isSynced && c.provider.unsyncedChanges === 0), 60_000, 'all clients acknowledged after restart');
    await until(
      () => new Set(clients.map((c) => JSON.stringify(c.doc.getArray('tokens').toArray()))).size === 1,
      30_000,
      'all clients identical',
    );
    const final = (clients[0] as Client).doc.getArray<string>('tokens').toArray();
    const counts = new Map<string, number>();
    for (const token of final) counts.set(token, (counts.get(token) ?? 0) + 1);
    expect([...counts.values()].every((c) => c === 1)).toBe(true); // nothing duplicated
    for (const token of everything) expect(counts.has(token), `offline ${token} not merged`).toBe(true);

    // And the database (not some client's memory) holds the merge: a newcomer after everyone left.
    for (const c of clients) c.destroy();
    clients.length = 0;
    await new Promise((r) => setTimeout(r, 500));
    const fresh = openClient(base, doc.documentId, () => ticketFor(base, sessions[0] as Session, doc.documentId), new Y.Doc());
    clients.push(fresh);
    await until(() => fresh.provider.isSynced, 30_000, 'newcomer synced');
    expect(fresh.doc.getArray<string>('tokens').length).toBe(final.length);
    expect(new Set(fresh.doc.getArray<string>('tokens').toArray())).toEqual(new Set(final));
  }, 240_000);
});
