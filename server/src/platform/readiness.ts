import type { ReadinessReport } from './http/health.ts';
import type { Stores } from './db/stores.ts';
import { pendingMigrations } from './db/migrations.ts';

export interface ExtraCheck {
  name: string;
  check(): Promise<{ ok: boolean; detail: string }>;
}

const TIMEOUT_MS = 2_000;

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * /readyz: every store answers and has no pending migration; Redis and others when configured.
 * Details name the store and the problem but never a URL or credential.
 */
export function createReadiness(stores: Stores, extra: ExtraCheck[] = []) {
  const migrated = new Set<string>();
  return async (): Promise<ReadinessReport> => {
    const checks: ReadinessReport['checks'] = {};
    await Promise.all(
      stores.all().map(async (store) => {
        try {
          await withTimeout(store.ping(), TIMEOUT_MS);
          if (!migrated.has(store.name)) {
            const pending = await withTimeout(
              pendingMigrations(store.db, store.name === 'control' ? 'control' : 'cell', store.schema),
              TIMEOUT_MS,
            );
            if (pending.length > 0) {
              checks[store.name] = { ok: false, detail: `${pending.length} pending migration(s)` };
              return;
            }
            migrated.add(store.name);
          }
          const vector = await store.hasVector();
          checks[store.name] = { ok: true, detail: `${store.kind}, migrated${vector ? ', pgvector' : ', no pgvector (embeddings compared in the application)'}` };
        } catch (error) {
          checks[store.name] = { ok: false, detail: `unreachable: ${(error as Error).message}` };
        }
      }),
    );
    for (const item of extra) {
      try {
        checks[item.name] = await withTimeout(item.check(), TIMEOUT_MS);
      } catch (error) {
        checks[item.name] = { ok: false, detail: (error as Error).message };
      }
    }
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  };
}
