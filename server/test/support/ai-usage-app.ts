import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { expect } from 'vitest';
import { DEMO_AGENTS } from '../../src/identity/demo-data.ts';
import { startTestApp, type TestApp, type TestSession } from './app.ts';
import type { UpstreamDouble } from './openai-upstream.ts';

/**
 * A test server with one chat model (`entente-small`) and one embeddings model served by an
 * upstream double, with the given `aiQuotas`, and helpers for the AI quota and usage tests
 * (helper A): an agent's session, a token of scope `ai`, and an official `openai` client.
 */
export const CAMILLE = DEMO_AGENTS[0]!; // FR, organisation 0, admin, operator
export const EMILIE = DEMO_AGENTS[2]!; // QC, organisation 2, admin
export const OLIVIER = DEMO_AGENTS[3]!; // QC, organisation 2, member

export interface AiUsageApp {
  t: TestApp;
  sessions: Map<string, TestSession>;
  client(agent: (typeof DEMO_AGENTS)[number], options?: { language?: string }): Promise<OpenAI>;
  close(): Promise<void>;
}

export async function startAiUsageApp(
  upstream: UpstreamDouble,
  options: { aiQuotas?: unknown; footprint?: { whPer1kTokens: number }; gco2ePerKwh?: number; env?: Record<string, string> } = {},
): Promise<AiUsageApp> {
  const dir = mkdtempSync(path.join(tmpdir(), 'entente-ai-usage-'));
  const file = path.join(dir, 'entente.json');
  writeFileSync(
    file,
    JSON.stringify({
      aiProviders: [
        {
          id: 'alpha',
          baseUrl: upstream.baseUrl,
          models: [
            { name: 'small-upstream', alias: 'entente-small', kind: 'chat', ...(options.footprint ? { footprint: options.footprint } : {}) },
            { name: 'embed-upstream', alias: 'entente-embed', kind: 'embeddings' },
          ],
          jurisdiction: 'FR',
          maxClassification: 'diffusion-restreinte',
          ...(options.gco2ePerKwh !== undefined ? { gco2ePerKwh: options.gco2ePerKwh } : {}),
        },
      ],
      ...(options.aiQuotas ? { aiQuotas: options.aiQuotas } : {}),
    }),
  );
  let t: TestApp;
  try {
    t = await startTestApp({ env: { ENTENTE_CONFIG: file, ...options.env } });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const sessions = new Map<string, TestSession>();
  const tokens = new Map<string, string>();
  const sessionOf = async (agent: (typeof DEMO_AGENTS)[number]) => {
    let s = sessions.get(agent.id);
    if (!s) {
      s = await t.signIn(agent);
      sessions.set(agent.id, s);
    }
    return s;
  };
  return {
    t,
    sessions,
    async client(agent, clientOptions = {}) {
      let token = tokens.get(agent.id);
      if (!token) {
        const session = await sessionOf(agent);
        const response = await fetch(`${t.baseUrl}/api/me/tokens`, {
          method: 'POST',
          // Same origin as the configured public URL (the two-node test gives both nodes another one).
          headers: { ...session.headers, origin: t.entente.config.publicUrl.origin, 'content-type': 'application/json' },
          body: JSON.stringify({ label: 'quotas', scopes: ['ai'], expiresInDays: 1 }),
        });
        expect(response.status).toBe(201);
        token = ((await response.json()) as { token: string }).token;
        tokens.set(agent.id, token);
      }
      // No retry: the client would otherwise wait for Retry-After and try again by itself.
      return new OpenAI({
        baseURL: `${t.baseUrl}/ai/v1`,
        apiKey: token,
        maxRetries: 0,
        defaultHeaders: { 'accept-language': clientOptions.language ?? 'fr-FR' },
      });
    },
    async close() {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits for a fresh minute when the current one is nearly over (minute quotas reset at :00). */
export async function awayFromMinuteEnd(margin = 12_000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < margin) await new Promise((r) => setTimeout(r, left + 50));
}

/** Polls `probe` until it returns a value that is not undefined (or fails after `timeoutMs`). */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
