/**
 * Child process of the ai-gateway bench: the OpenAI-compatible test double
 * (server/test/support/openai-upstream.ts) streaming answers of a fixed number of chunks at a fixed
 * pace, in a process of its own, so that the model's stand-in shares an event loop with neither
 * the gateway nor the clients. Settings come from the environment; it tells the parent its base
 * URL over IPC and stops on SIGTERM or when the parent goes away.
 */
import { startUpstreamDouble } from '../../server/test/support/openai-upstream.ts';
import { stopWhenAsked } from './stop-when-asked.ts';

export interface UpstreamReady {
  baseUrl: string;
  model: string;
}

const model = 'bench-upstream-model';
const double = await startUpstreamDouble({ name: 'bench', models: [model] });
double.behave({ kind: 'answer', chunks: Number(process.env.BENCH_AI_CHUNKS), chunkDelayMs: Number(process.env.BENCH_AI_CHUNK_DELAY_MS) });
// The double records every request for tests' assertions; a bench of tens of thousands of
// requests has no use for them, and a growing heap would slow the later phases.
const forget = setInterval(() => double.requests.splice(0), 1_000);

stopWhenAsked(async () => {
  clearInterval(forget);
  await double.close();
});

const ready: UpstreamReady = { baseUrl: double.baseUrl, model };
process.send!(ready);
