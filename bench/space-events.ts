/**
 * Live space pages (bench/space-events): `npm run bench -- space-events`.
 *
 * The real Entente in this process (PGlite, demo data, the in-process event bus as `npm start`
 * runs it), `streams` open `GET /api/spaces/:id/events` streams on the demo space « Coopération »
 * (sessions of Camille), then `rounds` document creations by Émilie through the API. For each:
 *  - the creation's own time (POST answered), the baseline, measured in the same run;
 *  - the time from the POST's start until the `change` event reached the first, the median and
 *    the last of the open streams (every stream must get it: a round where one did not fails).
 * Also the resident memory the open streams cost, per stream (RSS after opening them minus
 * before, over their number), and the open streams' effect on an unrelated request (GET /api/me)
 * — whether holding them slows the server.
 */
import { loadConfig } from '../server/src/config.ts';
import { createEntente } from '../server/src/entente.ts';
import { csrfTokenFor } from '../server/src/platform/http/csrf.ts';
import { DEMO_AGENTS } from '../server/src/identity/demo-data.ts';
import { createLogger } from '../server/src/platform/logger.ts';
import { freePort } from './support/processes.ts';
import { fixed, median } from './support/stats.ts';
import { printTable } from './support/table.ts';
import { withDataDir } from './support/temporary-stores.ts';

export interface SpaceEventsSettings {
  streams: number;
  rounds: number;
}
export const DEFAULT_SPACE_EVENTS: SpaceEventsSettings = { streams: 500, rounds: 30 };

export interface SpaceEventsResult {
  settings: SpaceEventsSettings;
  postMs: number[];
  firstMs: number[];
  medianMs: number[];
  lastMs: number[];
  rssPerStreamKiB: number;
  meBeforeMs: number;
  meDuringMs: number;
}

const COOPERATION = '019ac9f0-0000-7000-8000-0000000e0001';

/** One open stream: resolves `next()` at each `change` event, with the time it arrived. */
function openStream(url: string, cookie: string, abort: AbortSignal): Promise<{ arrivals: number[] }> {
  return new Promise((resolve, reject) => {
    const arrivals: number[] = [];
    fetch(url, { headers: { cookie, accept: 'text/event-stream' }, signal: abort })
      .then(async (response) => {
        if (response.status !== 200 || !response.body) throw new Error(`stream answered ${response.status}`);
        resolve({ arrivals });
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
            if (buffer.slice(0, cut).startsWith('event: change')) arrivals.push(performance.now());
            buffer = buffer.slice(cut + 2);
          }
        }
      })
      .catch((error: unknown) => {
        if (!abort.aborted) reject(error);
      });
  });
}

async function timedGet(url: string, cookie: string, n: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const response = await fetch(url, { headers: { cookie } });
    await response.arrayBuffer();
    times.push(performance.now() - t0);
  }
  return median(times);
}

export async function spaceEventsBench(settings: SpaceEventsSettings): Promise<SpaceEventsResult> {
  return withDataDir(async (dir) => {
    const port = await freePort();
    const config = loadConfig({ ...process.env, ENTENTE_DATA_DIR: dir, PORT: String(port), ENTENTE_LOG_LEVEL: 'silent', DATABASE_URL: '', ENTENTE_REDIS_URL: '' });
    const entente = await createEntente({ config, logger: createLogger(config), webDist: null, spaceStreamLimits: { maxPerAgent: settings.streams + 10, connectsPerMinute: settings.streams + 10 } });
    const abort = new AbortController();
    try {
      await entente.listen();
      const base = `http://127.0.0.1:${port}`;
      const origin = new URL(config.publicUrl).origin;
      const session = async (agent: (typeof DEMO_AGENTS)[number]) => {
        const created = await entente.sessions.create({ principalId: agent.id, homeJurisdiction: agent.jurisdiction, ip: '127.0.0.1', userAgent: 'entente-bench', authMethod: 'bench' });
        return { cookie: `entente_session=${created.token}`, csrf: csrfTokenFor(entente.secret, created.id) };
      };
      const camille = await session(DEMO_AGENTS[0] as (typeof DEMO_AGENTS)[number]);
      const emilie = await session(DEMO_AGENTS.find((a) => a.givenName === 'Émilie') as (typeof DEMO_AGENTS)[number]);

      const meBeforeMs = await timedGet(`${base}/api/me`, camille.cookie, 200);
      global.gc?.();
      const rss0 = process.memoryUsage().rss;
      const streams = [];
      for (let i = 0; i < settings.streams; i++) streams.push(await openStream(`${base}/api/spaces/${COOPERATION}/events`, camille.cookie, abort.signal));
      await new Promise((r) => setTimeout(r, 500));
      global.gc?.();
      const rssPerStreamKiB = (process.memoryUsage().rss - rss0) / 1024 / settings.streams;
      const meDuringMs = await timedGet(`${base}/api/me`, camille.cookie, 200);

      const result: SpaceEventsResult = { settings, postMs: [], firstMs: [], medianMs: [], lastMs: [], rssPerStreamKiB, meBeforeMs, meDuringMs };
      for (let round = 0; round < settings.rounds; round++) {
        const before = streams.map((s) => s.arrivals.length);
        const t0 = performance.now();
        const response = await fetch(`${base}/api/spaces/${COOPERATION}/documents`, {
          method: 'POST',
          headers: { cookie: emilie.cookie, 'x-csrf-token': emilie.csrf, origin, 'content-type': 'application/json' },
          body: JSON.stringify({ title: `Relevé ${round + 1}` }),
        });
        if (response.status !== 201) throw new Error(`creating a document answered ${response.status}: ${await response.text()}`);
        await response.arrayBuffer();
        result.postMs.push(performance.now() - t0);
        const deadline = performance.now() + 10_000;
        while (streams.some((s, i) => s.arrivals.length <= (before[i] as number))) {
          if (performance.now() > deadline) throw new Error(`round ${round + 1}: ${streams.filter((s, i) => s.arrivals.length <= (before[i] as number)).length} streams heard nothing in 10 s`);
          await new Promise((r) => setTimeout(r, 1));
        }
        const arrived = streams.map((s, i) => (s.arrivals[before[i] as number] as number) - t0).sort((a, b) => a - b);
        result.firstMs.push(arrived[0] as number);
        result.medianMs.push(median(arrived));
        result.lastMs.push(arrived.at(-1) as number);
      }
      return result;
    } finally {
      abort.abort();
      await entente.close();
    }
  });
}

export function printSpaceEvents(r: SpaceEventsResult): void {
  printTable(
    `space-events: ${r.settings.streams} open streams on one space, ${r.settings.rounds} document creations`,
    ['measure', 'ms (median)', 'ms (worst round)', 'ratio to the POST'],
    [
      ['POST /documents answered (baseline)', fixed(median(r.postMs), 1), fixed(Math.max(...r.postMs), 1), '1.00'],
      ['event at the first stream', fixed(median(r.firstMs), 1), fixed(Math.max(...r.firstMs), 1), fixed(median(r.firstMs) / median(r.postMs), 2)],
      ['event at the median stream', fixed(median(r.medianMs), 1), fixed(Math.max(...r.medianMs), 1), fixed(median(r.medianMs) / median(r.postMs), 2)],
      ['event at the last stream', fixed(median(r.lastMs), 1), fixed(Math.max(...r.lastMs), 1), fixed(median(r.lastMs) / median(r.postMs), 2)],
    ],
  );
  console.log(`memory per open stream: ${fixed(r.rssPerStreamKiB, 1)} KiB RSS; GET /api/me median ${fixed(r.meBeforeMs, 2)} ms without the streams, ${fixed(r.meDuringMs, 2)} ms with them`);
}
