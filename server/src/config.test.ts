import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, VARIABLES } from './config.ts';

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env, '/srv/entente');
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
};

const PRODUCTION = {
  NODE_ENV: 'production',
  ENTENTE_PUBLIC_URL: 'https://entente.example.gouv.fr',
  ENTENTE_SECRET: 's'.repeat(40),
  ENTENTE_METRICS_TOKEN: 'm'.repeat(20),
};

describe('configuration', () => {
  it('needs nothing to run embedded, with demo data', () => {
    const config = loadConfig({}, '/srv/entente');
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', demo: true, production: false, dataDir: '/srv/entente/data' });
    expect(config.publicUrl.href).toBe('http://localhost:3000/');
    expect(config.control.databaseUrl).toBeNull();
    expect(config.cells.FR.pgliteDir).toBe('/srv/entente/data/cells/fr/db');
    expect(config.cells.QC.keys).toBe('file:/srv/entente/data/cells/qc/keys');
  });

  it('puts cells in their own schemas beside DATABASE_URL, or in their own databases', () => {
    const shared = loadConfig({ DATABASE_URL: 'postgres://u@db/entente' }, '/srv');
    expect(shared.cells.FR).toMatchObject({ databaseUrl: 'postgres://u@db/entente', schema: 'cell_fr' });
    const separate = loadConfig({ DATABASE_URL: 'postgres://u@db/cp', ENTENTE_CELL_QC_DATABASE_URL: 'postgres://u@qc/cell' }, '/srv');
    expect(separate.cells.QC).toMatchObject({ databaseUrl: 'postgres://u@qc/cell', schema: null });
  });

  it('names the variable, what was expected and what was found', () => {
    const [problem] = problems({ PORT: 'eighty' });
    expect(problem).toContain('PORT');
    expect(problem).toContain('0 to 65535');
    expect(problem).toContain('"eighty"');
  });

  it('lists every problem at once', () => {
    expect(problems({ PORT: '-1', ENTENTE_DEMO: 'maybe', REDIS_URL: 'http://x', ENTENTE_LOG_LEVEL: 'loud' })).toHaveLength(4);
  });

  it('never echoes a secret or a database URL back', () => {
    const all = problems({ ENTENTE_SECRET: 'short-secret', DATABASE_URL: 'mysql://root:hunter2@db/x' }).join('\n');
    expect(all).toContain('ENTENTE_SECRET');
    expect(all).toContain('DATABASE_URL');
    expect(all).not.toContain('short-secret');
    expect(all).not.toContain('hunter2');
  });

  it('accepts a complete production configuration', () => {
    const config = loadConfig(
      {
        ...PRODUCTION,
        DATABASE_URL: 'postgres://u@cp/entente',
        ENTENTE_CELL_FR_DATABASE_URL: 'postgres://u@fr/entente',
        ENTENTE_CELL_QC_DATABASE_URL: 'postgres://u@qc/entente',
      },
      '/srv',
    );
    expect(config).toMatchObject({ production: true, demo: false });
  });

  it('refuses demo features, http, missing secrets and shared cell databases in production', () => {
    expect(problems({ ...PRODUCTION, ENTENTE_DEMO: 'true' }).join()).toContain('ENTENTE_DEMO');
    expect(problems({ ...PRODUCTION, ENTENTE_PUBLIC_URL: 'http://entente.example' }).join()).toContain('https');
    expect(problems({ ...PRODUCTION, ENTENTE_SECRET: '' }).join()).toContain('ENTENTE_SECRET: required');
    expect(problems({ ...PRODUCTION, ENTENTE_METRICS_TOKEN: '' }).join()).toContain('ENTENTE_METRICS_TOKEN');
    expect(problems({ ...PRODUCTION, DATABASE_URL: 'postgres://u@cp/e' }).join()).toContain('ENTENTE_CELL_FR_DATABASE_URL: required');
    const same = problems({
      ...PRODUCTION,
      DATABASE_URL: 'postgres://u@cp/e',
      ENTENTE_CELL_FR_DATABASE_URL: 'postgres://u@cell/e',
      ENTENTE_CELL_QC_DATABASE_URL: 'postgres://u@cell/e',
    });
    expect(same.join()).toContain('cells may not share one database');
    const respelled = problems({
      ...PRODUCTION,
      DATABASE_URL: 'postgres://u@cp/e',
      ENTENTE_CELL_FR_DATABASE_URL: 'postgres://u@Cell:5432/e',
      ENTENTE_CELL_QC_DATABASE_URL: 'postgresql://other@cell/e',
    });
    expect(respelled.join()).toContain('cells may not share one database');
  });

  it('validates the ENTENTE_CONFIG file and names it', () => {
    const all = problems({ ENTENTE_CONFIG: '/nonexistent/entente.json' }).join();
    expect(all).toContain('ENTENTE_CONFIG');
  });

  it('is documented in the README, variable by variable', () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'));
    const documented = [...table.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(VARIABLES.map((v) => v.name).sort());
  });
});
