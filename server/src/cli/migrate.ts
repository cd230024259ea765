import { createAuditLog } from '../platform/audit/audit-log.ts';
import { migrateStores } from '../platform/db/stores.ts';
import { openDataForCommand } from './open-data.ts';
import { say } from './output.ts';

export async function migrate(): Promise<number> {
  const data = await openDataForCommand('migrate');
  if (!data) return 1;
  try {
    const report = await migrateStores(data.stores);
    // An operator changing the schema is an administrator action (issue 6).
    const applied = report.reduce((sum, r) => sum + r.applied.length, 0);
    if (applied > 0) {
      await createAuditLog(data.stores).record({
        action: 'platform.migrations_applied',
        outcome: 'success',
        details: Object.fromEntries(report.map((r) => [r.store, r.applied.length])),
      });
    }
    for (const { store, applied } of report) {
      console.log(
        applied.length === 0
          ? say(`✓ ${store} : à jour`, `✓ ${store}: up to date`)
          : say(`✓ ${store} : ${applied.length} migration(s) appliquée(s)`, `✓ ${store}: ${applied.length} migration(s) applied`),
      );
      for (const name of applied) console.log(`    ${name}`);
    }
    return 0;
  } catch (error) {
    console.error(say(`✗ Échec de la migration : ${(error as Error).message}`, `✗ Migration failed: ${(error as Error).message}`));
    return 1;
  } finally {
    await data.close();
  }
}
