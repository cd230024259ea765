import { z } from 'zod';
import type { AiProvider } from '../providers/config.ts';

/**
 * ENTENTE_CONFIG `aiRetrieval`: which embeddings alias « ask my documents » uses for its hybrid
 * step (`{ "aiRetrieval": { "embeddingModel": "<alias>" } }`). Absent: full text only. The alias
 * must be one of `aiProviders`' models of kind `embeddings`: a typo stops the start rather than
 * silently leaving retrieval on full text.
 */
export interface AiRetrievalConfig {
  /** The embeddings alias, or null (full text only). */
  embeddingModel: string | null;
}

const schema = z.object({ embeddingModel: z.string().min(1).max(128).optional() }).strict();

export function parseAiRetrieval(raw: unknown, providers: readonly AiProvider[]): { config: AiRetrievalConfig; problems: string[] } {
  if (raw === undefined) return { config: { embeddingModel: null }, problems: [] };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return {
      config: { embeddingModel: null },
      problems: parsed.error.issues.map((issue) => `aiRetrieval.${issue.path.join('.') || ''}: ${issue.message}`),
    };
  }
  const alias = parsed.data.embeddingModel ?? null;
  if (alias === null) return { config: { embeddingModel: null }, problems: [] };
  const kinds = new Set(providers.flatMap((p) => p.models.filter((m) => m.alias === alias).map((m) => m.kind)));
  if (!kinds.has('embeddings')) {
    return {
      config: { embeddingModel: null },
      problems: [
        `aiRetrieval.embeddingModel: "${alias}" is not an embeddings model of aiProviders / n'est pas un modèle d'embeddings des aiProviders`,
      ],
    };
  }
  return { config: { embeddingModel: alias }, problems: [] };
}
