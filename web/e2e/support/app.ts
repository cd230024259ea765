import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type TestApp, startTestApp } from '../../../server/test/support/app.ts';

export type { TestApp };

// ENTENTE_TEST_WEB_DIST: another build of the web app (e.g. `vite build --outDir …`), so that several
// people working in one checkout do not rebuild web/dist under each other's running tests.
const WEB_DIST = process.env.ENTENTE_TEST_WEB_DIST ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');

/**
 * The server under test: the real Entente server (all modules, fresh data) on a random port,
 * serving the built web app from web/dist with its SPA fallback and its CSP. `env` adds
 * configuration variables (e.g. small quotas for the files tests).
 */
export function startApp(options: { env?: Record<string, string> } = {}): Promise<TestApp> {
  if (!existsSync(path.join(WEB_DIST, 'index.html'))) {
    throw new Error(`${WEB_DIST}/index.html is missing: build the web app first (npm run build -w web).`);
  }
  return startTestApp({ env: options.env, entente: { webDist: WEB_DIST } });
}
