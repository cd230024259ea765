import type { BrowserContext, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { DEMO_SPACES } from '../../server/src/workspace/demo-content.ts';
import { describeInBrowser, openPage } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

/**
 * No third party, seen from the browser: every request the pages make — documents, scripts,
 * styles, fonts, images, API calls, the collaboration WebSocket — goes to Entente's own origin.
 * No CDN, no web font service, no analytics. Pages run with their real CSP (not bypassed).
 */

type DemoAgent = (typeof DEMO_AGENTS)[number];
const [CAMILLE] = DEMO_AGENTS as unknown as [DemoAgent];
const QUEBEC_SPACE = DEMO_SPACES[0] as (typeof DEMO_SPACES)[number];

/** Records every request and WebSocket of every page of the context. */
function recordRequests(context: BrowserContext): string[] {
  const seen: string[] = [];
  context.on('request', (request) => seen.push(request.url()));
  context.on('page', (page: Page) => page.on('websocket', (socket) => seen.push(socket.url())));
  return seen;
}

function foreign(urls: readonly string[], origin: string): string[] {
  const own = new URL(origin);
  return urls.filter((raw) => {
    if (raw.startsWith('data:') || raw.startsWith('blob:')) return false;
    const url = new URL(raw);
    // The WebSocket of /collab is the same host and port over ws:.
    const sameHost = url.host === own.host && (url.protocol === own.protocol || url.protocol === own.protocol.replace('http', 'ws'));
    return !sameHost;
  });
}

describeInBrowser('no third party in the browser', () => {
  const suite = browserSuite();

  it('every request of the pages an agent visits goes to Entente’s origin', async () => {
    const signedOut = await suite.newContext({ bypassCSP: false });
    const signedIn = await suite.signedInContext(CAMILLE, { bypassCSP: false });
    const seen = recordRequests(signedOut);
    const seenSignedIn = recordRequests(signedIn);
    try {
      for (const path of ['/', '/connexion', '/accessibilite', '/mentions-legales', '/domaines/identite']) {
        const tab = await openPage(signedOut, suite.app.baseUrl, path);
        await tab.waitForLoadState('networkidle');
        await tab.close();
      }
      // The API reference is a server page (Swagger UI, served from the npm package).
      const docs = await signedOut.newPage();
      await docs.goto(`${suite.app.baseUrl}/api/docs`);
      await docs.locator('.swagger-ui').first().waitFor();
      await docs.waitForLoadState('networkidle');
      await docs.close();

      const firstDocument = QUEBEC_SPACE.documents[0] as { id: string };
      for (const path of [
        '/profil',
        '/espaces',
        `/espaces/${QUEBEC_SPACE.id}`,
        `/espaces/${QUEBEC_SPACE.id}/fichiers`,
        `/espaces/${QUEBEC_SPACE.id}/documents/${firstDocument.id}`,
      ]) {
        const tab = await openPage(signedIn, suite.app.baseUrl, path);
        await tab.waitForLoadState('networkidle');
        if (path.includes('/documents/')) await tab.locator('.ws-prose[contenteditable]').first().waitFor();
        await tab.close();
      }
    } finally {
      await signedOut.close();
      await signedIn.close();
    }
    const all = [...seen, ...seenSignedIn];
    // Not vacuous: pages, scripts, the API and the collaboration WebSocket were all seen.
    expect(all.some((u) => /\/assets\/.+\.js$/.test(u))).toBe(true);
    expect(all.some((u) => u.includes('/api/'))).toBe(true);
    expect(all.some((u) => /^ws:\/\/.+\/collab/.test(u))).toBe(true);
    expect(foreign(all, suite.app.baseUrl)).toEqual([]);
    // And the filter does catch what it must: another host, another port, another scheme.
    const port = new URL(suite.app.baseUrl).port;
    expect(foreign(['https://cdn.example/a.js', `http://localhost:${Number(port) + 1}/x`, `https://localhost:${port}/x`, 'ws://fonts.example/'], suite.app.baseUrl)).toHaveLength(4);
  });
});
