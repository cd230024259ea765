/**
 * AI gateway overhead (issue 7, bench/ai): `npm run bench -- ai-gateway`.
 *
 * The latency the gateway adds against calling the model server directly, with 100 concurrent
 * streams (targets: < 2 ms at p50, < 10 ms at p99), on PostgreSQL (ENTENTE_BENCH_DATABASE_URL; on
 * PGlite when it is not set, and said so).
 *
 * Three processes, so that no two of them share an event loop: the upstream (the OpenAI-compatible
 * test double, support/ai-upstream-server.ts, streaming `chunks` content chunks `chunkDelayMs`
 * apart: a model decoding at a steady pace), Entente (support/ai-gateway-entente-server.ts, as
 * `npm start` composes it, the double as its one provider, one agent with an `ai` token per
 * stream), and this one, the clients. Each client loops: one streamed chat completion, then the
 * next, so that `streams` are always under way. The same clients, with the same request body
 * (`stream: true`, `stream_options.include_usage`), call either the upstream directly or Entente's
 * `/ai/v1/chat/completions` with their token: phases of `phaseSeconds` alternate between the two
 * (direct, gateway, gateway, direct, …, so that a drift of the machine's load weighs on both), after
 * a warm-up of each.
 *
 * Per request: time to first token (from the request's first byte sent to the arrival of the first
 * event with content) and total time (to the end of the response, `[DONE]` included). Each answer
 * must be a 200 stream of exactly `chunks` content chunks ending with `[DONE]`, or the bench
 * fails. Clients start staggered over one stream's length (a hundred people do not press Enter on
 * the same millisecond), and only requests started after that ramp are counted; requests that
 * started before a phase's end are waited for while the others keep the load at `streams`
 * (unmeasured requests fill in), so every measured request ran with `streams` streams under way.
 *
 * A third path, in the same rounds: a bare Node.js proxy in a process of its own
 * (support/ai-bare-proxy.ts: body in, model set, bytes relayed; no authentication, policy or
 * accounting), the floor of any gateway written for Node.js on this machine — one more process and
 * event loop on the path — against which Entente's own cost is read.
 *
 * Reported: p50 and p99 of both times through each path, the added latency (difference of the
 * percentiles) and the ratio, and the CPU time of the gateway, proxy and upstream processes per
 * measured second. The client side is node:http with keep-alive connections, as the gateway's own upstream
 * calls are (undici's pool); the clients' own cost is the same on both paths.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { BareProxyReady } from './support/ai-bare-proxy.ts';
import type { AiGatewayReady } from './support/ai-gateway-entente-server.ts';
import type { UpstreamReady } from './support/ai-upstream-server.ts';
import { type Child, cleanEnv, freePort, spawnChild, stopChild } from './support/processes.ts';
import { firstMessage } from './support/servers.ts';
import { fixed } from './support/stats.ts';
import { printTable } from './support/table.ts';
import { withDatabase, withDataDir } from './support/temporary-stores.ts';
import { percentile } from './sign-in.ts';

export interface AiGatewaySettings {
  streams: number;
  /** Content chunks per answer, and the upstream's pause before each (a steady decoding pace). */
  chunks: number;
  chunkDelayMs: number;
  warmupSeconds: number;
  phaseSeconds: number;
  /** Each round is one phase of each path. */
  rounds: number;
}

/**
 * 100 chunks 25 ms apart: a short answer (100 tokens) at 40 tokens a second, a served mid-size
 * model's pace; 100 such streams are 40 requests and 4,000 relayed events a second.
 */
export const DEFAULT_AI_GATEWAY: AiGatewaySettings = { streams: 100, chunks: 100, chunkDelayMs: 25, warmupSeconds: 5, phaseSeconds: 10, rounds: 3 };

type PathName = 'direct' | 'gateway' | 'proxy';

interface Sample {
  ttftMs: number;
  totalMs: number;
}

export interface PathFigures {
  target: string;
  requests: number;
  ttftP50: number;
  ttftP99: number;
  totalP50: number;
  totalP99: number;
  /** CPU seconds per measured second (1.0 = one core busy). */
  gatewayCpu: number | null;
  upstreamCpu: number;
}

export interface AiGatewayResult {
  settings: AiGatewaySettings;
  database: string;
  direct: PathFigures;
  gateway: PathFigures;
  /** The bare Node.js proxy (support/ai-bare-proxy.ts): the floor of one more process on the path. */
  proxy: PathFigures;
  /** Per round: the samples of each path. */
  rounds: Record<PathName, Sample[]>[];
  notes: string[];
}

const REQUEST_TIMEOUT_MS = 30_000;
/** Streams answered in full by either path, counted or not: the CPU per request is per this. */
let completed = 0;
const log = (message: string) => console.error(`  ai-gateway: ${message}`);

export async function aiGatewayBench(settings: AiGatewaySettings = DEFAULT_AI_GATEWAY): Promise<AiGatewayResult> {
  const adminUrl = process.env.ENTENTE_BENCH_DATABASE_URL?.trim();
  const notes: string[] = [];
  if (!adminUrl) notes.push('ENTENTE_BENCH_DATABASE_URL is not set: Entente ran on PGlite; the issue’s figure is on PostgreSQL');
  const upstream = spawnChild(process.execPath, [path.join(import.meta.dirname, 'support', 'ai-upstream-server.ts')], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: cleanEnv({ BENCH_AI_CHUNKS: String(settings.chunks), BENCH_AI_CHUNK_DELAY_MS: String(settings.chunkDelayMs) }),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let proxy: Child | null = null;
  try {
    const up = await firstMessage<UpstreamReady>(upstream);
    proxy = spawnChild(process.execPath, [path.join(import.meta.dirname, 'support', 'ai-bare-proxy.ts')], {
      cwd: path.resolve(import.meta.dirname, '..'),
      env: cleanEnv({ BENCH_AI_UPSTREAM_URL: up.baseUrl, BENCH_AI_UPSTREAM_MODEL: up.model }),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const bare = { child: proxy, ready: await firstMessage<BareProxyReady>(proxy) };
    const run = (env: Record<string, string>) => withEntente(up, settings.streams, env, (entente, ready) => measure(settings, up, upstream, entente, ready, bare, adminUrl ? 'PostgreSQL' : 'PGlite', notes));
    if (adminUrl) return await withDatabase(adminUrl, (databaseUrl) => withDataDir((dataDir) => run({ ENTENTE_DATA_DIR: dataDir, DATABASE_URL: databaseUrl })));
    return await withDataDir((dataDir) => run({ ENTENTE_DATA_DIR: dataDir }));
  } finally {
    if (proxy) await stopChild(proxy);
    await stopChild(upstream);
  }
}

async function withEntente<T>(up: UpstreamReady, agents: number, env: Record<string, string>, use: (entente: Child, ready: AiGatewayReady) => Promise<T>): Promise<T> {
  const configDir = mkdtempSync(path.join(os.tmpdir(), 'entente-bench-ai-'));
  const configFile = path.join(configDir, 'entente.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      aiProviders: [
        {
          id: 'bench-upstream',
          baseUrl: up.baseUrl,
          models: [{ name: up.model, alias: 'bench-chat', kind: 'chat' }],
          jurisdiction: 'FR',
          maxClassification: 'diffusion-restreinte',
        },
      ],
    }),
  );
  const port = await freePort();
  const profile = process.env.BENCH_CPU_PROF;
  const child = spawnChild(process.execPath, [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), path.join(import.meta.dirname, 'support', 'ai-gateway-entente-server.ts')], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: cleanEnv({ ...env, PORT: String(port), ENTENTE_PUBLIC_URL: `http://localhost:${port}`, ENTENTE_CONFIG: configFile, BENCH_AI_AGENTS: String(agents) }),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  try {
    const ready = await firstMessage<AiGatewayReady>(child);
    return await use(child, ready);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- Entente output ---\n${child.output()}`, { cause: error });
  } finally {
    await stopChild(child);
    rmSync(configDir, { recursive: true, force: true });
  }
}

/** User + system CPU seconds of a live process, from /proc (Linux; clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** System-time CPU seconds and read/write system calls of a live process so far (Linux /proc). */
function kernelWork(pid: number): { system: number; reads: number; writes: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  const count = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1] ?? Number.NaN);
  return { system: Number(fields[12]) / 100, reads: count('syscr'), writes: count('syscw') };
}

interface Target {
  name: PathName;
  url: URL;
  headers: (client: number) => Record<string, string>;
  body: string;
  agent: http.Agent;
}

async function measure(
  settings: AiGatewaySettings,
  up: UpstreamReady,
  upstream: Child,
  entente: Child,
  ready: AiGatewayReady,
  bare: { child: Child; ready: BareProxyReady },
  database: string,
  notes: string[],
): Promise<AiGatewayResult> {
  const messages = [
    { role: 'system', content: 'Tu es un assistant pour les agents publics. Réponds en français, brièvement.' },
    { role: 'user', content: 'Quelles pièces faut-il joindre à une demande de subvention pour un projet numérique ?' },
  ];
  const request = (model: string) => JSON.stringify({ model, messages, stream: true, stream_options: { include_usage: true }, temperature: 0.2, max_tokens: 256 });
  const agentOptions = { keepAlive: true, maxSockets: Number.POSITIVE_INFINITY };
  const direct: Target = { name: 'direct', url: new URL(`${up.baseUrl}/chat/completions`), headers: () => ({}), body: request(up.model), agent: new http.Agent(agentOptions) };
  const gateway: Target = {
    name: 'gateway',
    url: new URL(`${ready.baseUrl}/chat/completions`),
    headers: (client) => ({ authorization: `Bearer ${ready.tokens[client]}` }),
    body: request('bench-chat'),
    agent: new http.Agent(agentOptions),
  };
  const proxy: Target = { name: 'proxy', url: new URL(`${bare.ready.baseUrl}/chat/completions`), headers: () => ({}), body: request('bench-chat'), agent: new http.Agent(agentOptions) };
  // The process whose CPU is the path's own: Entente for the gateway, the proxy for the proxy.
  const relayOf = (name: PathName) => (name === 'proxy' ? bare.child : entente);
  try {
    // One request by hand on each path before any load: a bench of refusals would be worthless.
    for (const target of [direct, gateway, proxy]) await streamOnce(target, 0, settings.chunks);

    const streamMs = settings.chunks * settings.chunkDelayMs;
    log(`${database}: warm-up ${settings.warmupSeconds} s on each path, ${settings.streams} concurrent streams of ${settings.chunks} chunks ${settings.chunkDelayMs} ms apart`);
    await phase(direct, settings, streamMs, settings.warmupSeconds);
    await phase(gateway, settings, streamMs, settings.warmupSeconds);
    await phase(proxy, settings, streamMs, settings.warmupSeconds);

    const rounds: AiGatewayResult['rounds'] = [];
    const cpu = {
      direct: { upstream: 0, gateway: 0, seconds: 0 },
      gateway: { upstream: 0, gateway: 0, seconds: 0 },
      proxy: { upstream: 0, gateway: 0, seconds: 0 },
    };
    const paths = [direct, gateway, proxy];
    for (let round = 0; round < settings.rounds; round++) {
      // Each path first, second and third in turn, so that a drift of the load weighs on all.
      const order = paths.map((_, i) => paths[(i + round) % paths.length]!);
      const figures: Partial<Record<PathName, Sample[]>> = {};
      for (const target of order) {
        log(`${database}: round ${round + 1}/${settings.rounds}, ${target.name}, ${settings.phaseSeconds} s`);
        const relay = relayOf(target.name);
        const before = { upstream: cpuSeconds(upstream.pid), gateway: cpuSeconds(relay.pid), kernel: kernelWork(relay.pid), at: performance.now(), completed };
        figures[target.name] = await phase(target, settings, streamMs, settings.phaseSeconds);
        const c = cpu[target.name];
        c.upstream += cpuSeconds(upstream.pid) - before.upstream;
        c.gateway += cpuSeconds(relay.pid) - before.gateway;
        const seconds = (performance.now() - before.at) / 1000;
        c.seconds += seconds;
        // Said as it comes: a run that fails later (a child slow to stop) still tells its CPU.
        const g = cpuSeconds(relay.pid) - before.gateway;
        const answered = completed - before.completed;
        const kernel = kernelWork(relay.pid);
        log(
          `${database}: ${target.name}: ${figures[target.name]?.length ?? 0} requests measured, ${answered} answered; ${target.name === 'proxy' ? 'proxy' : 'gateway'} CPU ${fixed(g / seconds, 3)} s/s (${fixed((g * 1000) / answered, 2)} ms per answer, of which system ${fixed(((kernel.system - before.kernel.system) * 1000) / answered, 2)} ms; ${fixed((kernel.reads - before.kernel.reads) / answered, 0)} reads and ${fixed((kernel.writes - before.kernel.writes) / answered, 0)} writes per answer), upstream ${fixed((cpuSeconds(upstream.pid) - before.upstream) / seconds, 3)} s/s`,
        );
      }
      rounds.push({ direct: figures.direct!, gateway: figures.gateway!, proxy: figures.proxy! });
    }
    const figuresOf = (name: PathName, target: string): PathFigures => {
      const samples = rounds.flatMap((r) => r[name]);
      const ttft = samples.map((s) => s.ttftMs);
      const total = samples.map((s) => s.totalMs);
      return {
        target,
        requests: samples.length,
        ttftP50: percentile(ttft, 50),
        ttftP99: percentile(ttft, 99),
        totalP50: percentile(total, 50),
        totalP99: percentile(total, 99),
        gatewayCpu: name === 'direct' ? null : cpu[name].gateway / cpu[name].seconds,
        upstreamCpu: cpu[name].upstream / cpu[name].seconds,
      };
    };
    const idleGatewayCpu = cpu.direct.gateway / cpu.direct.seconds;
    notes.push(`Entente's own CPU while the clients called the upstream directly (background jobs, idle): ${fixed(idleGatewayCpu, 3)} s per second`);
    return {
      settings,
      database,
      direct: figuresOf('direct', 'direct to the upstream'),
      gateway: figuresOf('gateway', `through Entente /ai/v1 (${database})`),
      proxy: figuresOf('proxy', 'through a bare Node.js proxy (reference)'),
      rounds,
      notes,
    };
  } finally {
    direct.agent.destroy();
    gateway.agent.destroy();
    proxy.agent.destroy();
  }
}

/**
 * `streams` clients, each looping on one path for `seconds`, started staggered over one stream's
 * length. Counted: requests started after the ramp and before the end; after the end, clients
 * go on (uncounted) until every counted request has finished, so the load never drops under them.
 */
async function phase(target: Target, settings: AiGatewaySettings, streamMs: number, seconds: number): Promise<Sample[]> {
  const start = performance.now();
  const from = start + streamMs + 500;
  const until = start + Math.max(seconds * 1000, streamMs + 1500);
  const samples: Sample[] = [];
  let counted = 0;
  await Promise.all(
    Array.from({ length: settings.streams }, async (_, client) => {
      await new Promise((resolve) => setTimeout(resolve, (client * streamMs) / settings.streams));
      for (;;) {
        const now = performance.now();
        const counts = now >= from && now < until;
        if (now >= until && counted === 0) return;
        if (counts) counted++;
        try {
          const sample = await streamOnce(target, client, settings.chunks);
          if (counts) samples.push(sample);
        } finally {
          if (counts) counted--;
        }
      }
    }),
  );
  if (samples.length === 0) throw new Error(`${target.name}: no request measured`);
  return samples;
}

/** One streamed chat completion; checks the answer whole and times its first token and its end. */
function streamOnce(target: Target, client: number, chunks: number): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const fail = (message: string) => reject(new Error(`${target.name} (client ${client}): ${message}`));
    const started = performance.now();
    const request = http.request(
      target.url,
      {
        method: 'POST',
        agent: target.agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: { ...target.headers(client), 'content-type': 'application/json', accept: 'text/event-stream', 'content-length': Buffer.byteLength(target.body) },
      },
      (response) => {
        response.setEncoding('utf8');
        let buffer = '';
        if (response.statusCode !== 200) {
          response.on('data', (text: string) => {
            buffer += text;
          });
          response.on('end', () => fail(`status ${response.statusCode} ${buffer.slice(0, 500)}`));
          return;
        }
        let ttftMs = -1;
        let contents = 0;
        let done = false;
        response.on('data', (text: string) => {
          buffer += text;
          let end = buffer.indexOf('\n\n');
          while (end !== -1) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            end = buffer.indexOf('\n\n');
            if (!event.startsWith('data: ')) continue;
            const data = event.slice(6);
            if (data === '[DONE]') {
              done = true;
              continue;
            }
            const chunk = JSON.parse(data) as { error?: unknown; choices?: { delta?: { content?: string } }[] };
            if (chunk.error) return fail(`error event ${data.slice(0, 500)}`);
            if (chunk.choices?.[0]?.delta?.content) {
              contents++;
              if (ttftMs < 0) ttftMs = performance.now() - started;
            }
          }
        });
        response.on('end', () => {
          const totalMs = performance.now() - started;
          if (!done || contents !== chunks) return fail(`stream ended with ${contents} of ${chunks} chunks, [DONE] ${done ? 'seen' : 'missing'}`);
          completed++;
          resolve({ ttftMs, totalMs });
        });
        response.on('error', (error) => fail(error.message));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    request.on('error', (error) => fail(error.message));
    request.end(target.body);
  });
}

export function printAiGateway(result: AiGatewayResult): void {
  const { streams, chunks, chunkDelayMs, phaseSeconds, rounds, warmupSeconds } = result.settings;
  const ms = (v: number) => fixed(v, 1);
  const row = (f: PathFigures) => [f.target, String(f.requests), ms(f.ttftP50), ms(f.ttftP99), ms(f.totalP50), ms(f.totalP99), f.gatewayCpu === null ? '–' : fixed(f.gatewayCpu, 2), fixed(f.upstreamCpu, 2)];
  printTable(
    `AI gateway: ${streams} concurrent streamed chat completions of ${chunks} chunks ${chunkDelayMs} ms apart; ${rounds} rounds of ${phaseSeconds} s per path after ${warmupSeconds} s warm-up each`,
    ['path', 'requests', 'TTFT p50 (ms)', 'TTFT p99 (ms)', 'total p50 (ms)', 'total p99 (ms)', 'gateway/proxy CPU (s/s)', 'upstream CPU (s/s)'],
    [row(result.direct), row(result.gateway), row(result.proxy)],
  );
  const d = result.direct;
  const g = result.gateway;
  const p = result.proxy;
  printTable(
    `Added by the gateway (${result.database}; percentile through the gateway − the same percentile direct; targets < 2 ms p50, < 10 ms p99)`,
    ['time', 'p50 added (ms)', 'p99 added (ms)', 'p50 ratio', 'p99 ratio'],
    [
      ['to first token', ms(g.ttftP50 - d.ttftP50), ms(g.ttftP99 - d.ttftP99), fixed(g.ttftP50 / d.ttftP50, 3), fixed(g.ttftP99 / d.ttftP99, 3)],
      ['whole stream', ms(g.totalP50 - d.totalP50), ms(g.totalP99 - d.totalP99), fixed(g.totalP50 / d.totalP50, 3), fixed(g.totalP99 / d.totalP99, 3)],
      ['to first token, bare Node.js proxy (the floor)', ms(p.ttftP50 - d.ttftP50), ms(p.ttftP99 - d.ttftP99), fixed(p.ttftP50 / d.ttftP50, 3), fixed(p.ttftP99 / d.ttftP99, 3)],
      ['to first token, Entente above the floor', ms(g.ttftP50 - p.ttftP50), ms(g.ttftP99 - p.ttftP99), fixed(g.ttftP50 / p.ttftP50, 3), fixed(g.ttftP99 / p.ttftP99, 3)],
    ],
  );
  printTable(
    'Each round (time to first token, ms): the spread between rounds is the machine’s noise',
    ['round', 'direct p50', 'gateway p50', 'added p50', 'proxy added p50', 'direct p99', 'gateway p99', 'added p99', 'proxy added p99'],
    result.rounds.map((r, i) => {
      const dt = r.direct.map((s) => s.ttftMs);
      const gt = r.gateway.map((s) => s.ttftMs);
      const pt = r.proxy.map((s) => s.ttftMs);
      return [
        String(i + 1),
        ms(percentile(dt, 50)),
        ms(percentile(gt, 50)),
        ms(percentile(gt, 50) - percentile(dt, 50)),
        ms(percentile(pt, 50) - percentile(dt, 50)),
        ms(percentile(dt, 99)),
        ms(percentile(gt, 99)),
        ms(percentile(gt, 99) - percentile(dt, 99)),
        ms(percentile(pt, 99) - percentile(dt, 99)),
      ];
    }),
  );
  for (const note of result.notes) console.log(`(${note})`);
}
