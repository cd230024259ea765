/**
 * Child process of the authenticated-read bench: the floor to compare with, a bare Fastify app
 * (same framework, no plugins, no logger) answering GET /hello with {"hello":"world"}.
 */
import Fastify from 'fastify';
import type { ServerReady } from './servers.ts';

const app = Fastify({ logger: false });
app.get('/hello', async () => ({ hello: 'world' }));
const address = await app.listen({ port: 0, host: '127.0.0.1' });

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await app.close();
  process.exit(0);
}
process.once('SIGTERM', () => void stop());
process.once('disconnect', () => void stop());

const ready: ServerReady = { url: `${address}/hello`, headers: {}, expect: { hello: 'world' } };
process.send!(ready);
