import { defineConfig } from 'vitest/config';

/**
 * One configuration, three layers chosen by scripts/test.ts with --project:
 *  - unit: everything beside the code and in server/test, on PGlite;
 *  - integration: the database-backed tests again on PostgreSQL / Redis (ENTENTE_TEST_* set);
 *  - browser: web/e2e in Chromium.
 */
export default defineConfig({
  test: {
    globalSetup: ['server/test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // In CI a failed test is run once more: CI machines have two cores shared by a PostgreSQL, a
    // Redis, Chromium and up to two test workers, and a timing-bound test can lose to that once.
    // A test that passes only on its retry is still named in the summary as FLAKY (see
    // scripts/test-reporter.ts) so that it gets fixed; locally nothing is retried.
    retry: process.env.CI === 'true' ? 1 : 0,
    // expect.poll's default (1 s) is shorter than a focus move or a re-render can take on a loaded
    // 2-core machine; a condition that never comes still fails, only later.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['common/src/**/*.test.ts', 'server/src/**/*.test.ts', 'server/test/**/*.test.ts', 'web/src/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['server/src/**/*.int.test.ts', 'server/test/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'browser', include: ['web/e2e/**/*.e2e.test.ts'], maxWorkers: 1 },
      },
    ],
  },
});
