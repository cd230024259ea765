import { z } from 'zod';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import { SecretValue } from '../../platform/secret-value.ts';
import { TRUST_LEVELS, type Trust } from '../policy/classification-config.ts'; // classification & residency (helper B)

/**
 * The AI providers of the ENTENTE_CONFIG file (`aiProviders`): OpenAI-compatible servers (vLLM,
 * Ollama, llama.cpp server, Albert API, TEI…) the gateway forwards to. Each says where it runs
 * (a jurisdiction) and the highest data classification it may receive, which the policy uses;
 * several providers may serve one alias (replicas, chosen least-busy, with failover).
 * docs/ai.md documents every field.
 */
export const MODEL_KINDS = ['chat', 'embeddings'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** What clients send as `model`: OpenAI-like names (`gpt-4o`, `mistral-small:24b`, `org/model`). */
export const ALIAS_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,127}$/;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

const modelSchema = z
  .object({
    /** The model's name at the provider (what the upstream expects in `model`). */
    name: z.string().min(1).max(256),
    /** The name Entente exposes; by default the upstream name. */
    alias: z.string().regex(ALIAS_PATTERN, 'letters, digits and . _ : / @ + - (128 at most), starting with a letter or digit').optional(),
    kind: z.enum(MODEL_KINDS),
    /** Context window in tokens, when known (shown in /ai/v1/models). */
    contextWindow: z.number().int().min(1).max(100_000_000).optional(),
    // ── footprint (helper A) ──
    /** Energy per 1 000 tokens (prompt + completion), in Wh, for the usage's footprint estimate. */
    footprint: z.object({ whPer1kTokens: z.number().min(0).max(1_000_000).optional() }).strict().optional(),
    // ── end footprint ──
  })
  .strict();

export const aiProviderSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, _ and - (63 at most)'),
    /** Base of the OpenAI-compatible API, `/v1` included when the server has it: `http://vllm:8000/v1`. */
    baseUrl: z.string().max(2000),
    /** Sent as `Authorization: Bearer …`; a secret (never logged nor echoed). */
    apiKey: z.string().min(1).max(4096).optional(),
    models: z.array(modelSchema).min(1).max(200),
    /** Where the provider's servers run: content may go only where its jurisdiction allows. */
    jurisdiction: z.enum(['FR', 'QC']),
    /** Id of the highest data classification level it may receive (the scale is configured elsewhere). */
    maxClassification: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'a level id: lower-case letters, digits, _ and -'),
    /** Longest wait for the provider: connection and headers, then each silence of its body. */
    // At most five minutes: Node's fetch (undici) gives up on silent connections after that anyway.
    timeoutMs: z.number().int().min(100).max(300_000).default(60_000),
    // ── footprint (helper A) ──
    /** Carbon intensity of the grid where it runs, gCO2e per kWh (default: its jurisdiction's, usage/footprint.ts). */
    gco2ePerKwh: z.number().min(0).max(10_000).optional(),
    // ── end footprint ──
    // ── classification & residency (helper B) ──
    /** What the operator vouches for (external < standard < sovereign); below aiPolicy.redactBelowTrust: pseudonymised text. */
    trust: z.enum(TRUST_LEVELS).default('standard'),
    /** Jurisdictions whose spaces' content it may receive (a cross-border agreement); by default its own only. */
    allowedJurisdictions: z.array(z.enum(['FR', 'QC'])).min(1).max(2).optional(),
    // ── end classification & residency ──
  })
  .strict();

export type AiProviderInput = z.input<typeof aiProviderSchema>;

export interface AiModel {
  name: string;
  alias: string;
  kind: ModelKind;
  contextWindow: number | null;
  /** Wh per 1 000 tokens (footprint estimate, helper A); null: not configured. */
  whPer1kTokens?: number | null;
}

export interface AiProvider {
  id: string;
  /** Normalised: no trailing slash. */
  baseUrl: string;
  apiKey: SecretValue | null;
  models: AiModel[];
  jurisdiction: Jurisdiction;
  maxClassification: string;
  timeoutMs: number;
  /** gCO2e per kWh where it runs (footprint estimate, helper A); absent: the jurisdiction's default. */
  gco2ePerKwh?: number;
  // ── classification & residency (helper B): absent (providers built by hand) = standard, own jurisdiction ──
  trust?: Trust;
  /** Jurisdictions whose spaces' content it may receive; holds `jurisdiction`. */
  allowedJurisdictions?: Jurisdiction[];
  // ── end classification & residency ──
}

/**
 * Validates the `aiProviders` list. Returns the providers, or the problems, each naming the entry
 * (`aiProviders[1] "vllm-fr"`) and the field. API keys never appear in a problem.
 */
export function parseAiProviders(list: unknown, options: { production: boolean }): { providers: AiProvider[]; problems: string[] } {
  const problems: string[] = [];
  if (list === undefined) return { providers: [], problems };
  if (!Array.isArray(list)) return { providers: [], problems: ['aiProviders: expected a list / attendu une liste'] };
  const providers: AiProvider[] = [];
  const ids = new Set<string>();
  const kindOfAlias = new Map<string, { kind: ModelKind; where: string }>();
  list.forEach((entry, index) => {
    const rawId = entry && typeof entry === 'object' && typeof (entry as { id?: unknown }).id === 'string' ? (entry as { id: string }).id : null;
    const where = `aiProviders[${index}]${rawId ? ` ${JSON.stringify(rawId.slice(0, 64))}` : ''}`;
    const parsed = aiProviderSchema.safeParse(entry);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${where}${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`);
      return;
    }
    const p = parsed.data;
    const before = problems.length;
    if (ids.has(p.id)) problems.push(`${where}.id: duplicate provider id / identifiant en double`);
    ids.add(p.id);
    const baseUrl = checkBaseUrl(p.baseUrl, options.production);
    if (typeof baseUrl !== 'string') problems.push(`${where}.baseUrl: ${baseUrl.problem}`);
    const aliases = new Set<string>();
    const models = p.models.map((m, i): AiModel => {
      const alias = m.alias ?? m.name;
      if (!ALIAS_PATTERN.test(alias)) problems.push(`${where}.models.${i}.alias: required when the name is not a valid alias / obligatoire quand le nom n’est pas un alias valide`);
      if (aliases.has(alias)) problems.push(`${where}.models.${i}.alias: ${JSON.stringify(alias)} twice in one provider / deux fois chez le même fournisseur`);
      aliases.add(alias);
      const seen = kindOfAlias.get(alias);
      if (seen && seen.kind !== m.kind) {
        problems.push(`${where}.models.${i}.kind: ${JSON.stringify(alias)} is ${m.kind} here but ${seen.kind} at ${seen.where} / un alias, un seul type`);
      } else if (!seen) kindOfAlias.set(alias, { kind: m.kind, where });
      return { name: m.name, alias, kind: m.kind, contextWindow: m.contextWindow ?? null, ...(m.footprint?.whPer1kTokens !== undefined ? { whPer1kTokens: m.footprint.whPer1kTokens } : {}) /* footprint (helper A) */ };
    });
    if (problems.length > before || typeof baseUrl !== 'string') return;
    providers.push({
      id: p.id,
      baseUrl,
      apiKey: p.apiKey === undefined ? null : new SecretValue(p.apiKey),
      models,
      jurisdiction: p.jurisdiction,
      maxClassification: p.maxClassification,
      timeoutMs: p.timeoutMs,
      ...(p.gco2ePerKwh !== undefined ? { gco2ePerKwh: p.gco2ePerKwh } : {}), // footprint (helper A)
      // ── classification & residency (helper B) ──
      trust: p.trust,
      allowedJurisdictions: [...new Set([p.jurisdiction, ...(p.allowedJurisdictions ?? [])])],
      // ── end classification & residency ──
    });
  });
  return { providers, problems };
}

/** An http(s) URL without credentials, query or fragment; https in production except on loopback. */
function checkBaseUrl(raw: string, production: boolean): string | { problem: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: 'expected an absolute http(s) URL / attendu une URL http(s) absolue' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { problem: 'expected an http(s) URL / attendu une URL http(s)' };
  // Not quoted: credentials in a URL are a secret.
  if (url.username || url.password) return { problem: 'no credentials in the URL: use apiKey / pas d’identifiants dans l’URL : utilisez apiKey' };
  if (url.search || url.hash) return { problem: 'no query or fragment / ni paramètres ni fragment' };
  if (production && url.protocol !== 'https:' && !LOOPBACK.has(url.hostname)) {
    return { problem: 'must be https in production (http only on loopback) / doit être en https en production (http seulement en local)' };
  }
  return url.href.replace(/\/+$/, '');
}
