import { testDatabaseUrl, ensurePgliteTemplate } from './db.ts';

/** Builds the migrated PGlite template once, before the test workers start copying it. */
export default async function setup(): Promise<void> {
  if (!testDatabaseUrl()) await ensurePgliteTemplate();
}
