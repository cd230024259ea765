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
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['common/src/**/*.test.ts', 'server/src/**/*.test.ts', 'server/test/**/*.test.ts'],
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
