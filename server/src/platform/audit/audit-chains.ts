import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Stores } from '../db/stores.ts';
import type { JobRunner, JobsLogger } from '../jobs/index.ts';
import { auditStores } from './audit-stores.ts';
import { CHECKPOINT_EVERY_MS, CHECKPOINT_JOB, checkpointStore } from './checkpoints.ts';
import { applyRetention, RETENTION_EVERY_MS, RETENTION_JOB } from './retention.ts';
import { type AuditSigningKeys, openSigningKeys, type PublicSigningKey } from './signing-keys.ts';
import { openSigningKeysAtStart } from './signing-key-guard.ts'; // audit signing key safety (helper O)

/**
 * The server's side of the tamper-evident audit: the signing key file opened (created on the
 * first start, like the KEKs; a key file others can read stops the start), the checkpoint and
 * retention jobs, and the public keys at `GET /api/audit/signing-keys`.
 */
export interface AuditChainsConfig {
  signingKeyFile: string;
  retentionDays: number;
}

export async function registerAuditChains(deps: {
  app: FastifyInstance;
  jobs: JobRunner;
  stores: Stores;
  config: AuditChainsConfig;
  logger: JobsLogger;
}): Promise<{ keys: () => Promise<AuditSigningKeys> }> {
  const { config, logger } = deps;
  // ── audit signing key safety (helper O): created on a first start only; missing while signed
  // checkpoints exist, the start is refused (signing-key-guard.ts) ──
  let current = await openSigningKeysAtStart(config.signingKeyFile, auditStores(deps.stores));
  // ── end audit signing key safety ──
  let readAt = Date.now();
  // Re-read the file now and then: `entente audit keys rotate` writes it while servers run.
  const keys = async () => {
    if (Date.now() - readAt > 30_000) {
      readAt = Date.now();
      // A file being replaced or made unreadable keeps the keys already known (the jobs, which
      // re-read it too, report the problem).
      current = await openSigningKeys(config.signingKeyFile, { create: false }).catch(() => current);
    }
    return current;
  };
  const stores = auditStores(deps.stores);

  deps.jobs.register(CHECKPOINT_JOB, async () => {
    const signing = await openSigningKeys(config.signingKeyFile, { create: false });
    for (const store of stores) {
      for (const result of await checkpointStore(store, signing)) {
        // A chain that does not verify is not signed: an operator must look (audit verify).
        if (result.problem) logger.error({ problem: result.problem }, 'audit chain does not verify: no checkpoint signed');
      }
    }
  });
  deps.jobs.every(CHECKPOINT_JOB, CHECKPOINT_EVERY_MS);

  deps.jobs.register(RETENTION_JOB, async () => {
    const signing = await openSigningKeys(config.signingKeyFile, { create: false });
    for (const store of stores) {
      const steps = await applyRetention(store, { retentionDays: config.retentionDays, keys: signing });
      const deleted = steps.reduce((sum, s) => sum + s.deleted, 0);
      if (deleted > 0) logger.info({ store: store.id, deleted, steps: steps.length }, 'audit retention applied');
    }
  });
  deps.jobs.every(RETENTION_JOB, RETENTION_EVERY_MS);

  const key = z.object({
    kid: z.string(),
    algorithm: z.literal('Ed25519'),
    publicKey: z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string() }),
    createdAt: z.string(),
    retiredAt: z.string().nullable(),
  });
  deps.app.withTypeProvider<ZodTypeProvider>().get(
    '/api/audit/signing-keys',
    {
      schema: {
        tags: ['operations'],
        summary: 'Public keys that sign the audit checkpoints and exports (current and retired), to verify an export',
        response: { 200: z.object({ current: z.string(), keys: z.array(key) }) },
      },
    },
    async (_request, reply) => {
      const signing = await keys();
      reply.header('cache-control', 'public, max-age=300');
      return { current: signing.currentKid, keys: signing.list() as PublicSigningKey[] };
    },
  );

  return { keys };
}
