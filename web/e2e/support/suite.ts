import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { DEMO_AGENTS } from '../../../server/src/identity/demo-data.ts';
import { startApp, type TestApp } from './app.ts';
import { type ContextOptions, launchBrowser, newContext } from './browser.ts';

type DemoAgent = (typeof DEMO_AGENTS)[number];

/** What the tests of a browser suite share: the server under test and Chromium. */
export interface BrowserSuite {
  readonly app: TestApp;
  readonly browser: Browser;
  /** A fresh browser profile for the app (see browser.ts's newContext). */
  newContext(options?: ContextOptions): Promise<BrowserContext>;
  /**
   * A fresh browser profile holding a session of `agent` (the first demo agent by default), made
   * by the server as after a sign-in.
   */
  signedInContext(agent?: DemoAgent, options?: ContextOptions): Promise<BrowserContext>;
}

/**
 * Starts the server (app.ts) and Chromium together before the suite's first test and closes them
 * after its last; call it at the top of a `describeInBrowser` body. `app` and `browser` are there
 * inside tests and hooks, not while the suite is being declared. `options.env` configures the
 * server (variables of server/src/config.ts).
 */
export function browserSuite(options: { env?: Record<string, string> } = {}): BrowserSuite {
  let app: TestApp | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(options), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the ${what} is not started yet: use it inside a test or a hook`);
    return value;
  };

  const suite: BrowserSuite = {
    get app() {
      return started(app, 'app');
    },
    get browser() {
      return started(browser, 'browser');
    },
    newContext: (options) => newContext(suite.browser, suite.app.baseUrl, options),
    async signedInContext(agent, options) {
      const { cookie } = await suite.app.signIn(agent);
      const [name = '', value = ''] = cookie.split('=');
      const context = await suite.newContext(options);
      await context.addCookies([{ name, value, url: suite.app.baseUrl, httpOnly: true, sameSite: 'Lax' }]);
      return context;
    },
  };
  return suite;
}
