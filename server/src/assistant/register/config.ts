import { z } from 'zod';
import type { AiProvider } from '../providers/config.ts';

/**
 * The `aiRegister` section of ENTENTE_CONFIG: what only people know about each AI system — why it
 * is used, on which data, on what legal basis, whom to ask. The register (register.ts) merges it
 * with what the gateway's configuration says (models, providers, where they run) and with the
 * volumes of `ai_usage`. Per model alias, or per provider for all its models; a model's entry
 * wins field by field over its providers'. docs/ai.md, « Registre des systèmes d'IA ».
 */
const text = (max: number) => z.string().trim().min(1).max(max);

const detailsSchema = z
  .object({
    /** What the system is used for (« aide à la rédaction », « résumé de documents »…). */
    purposes: z.array(text(500)).max(50).optional(),
    /** Categories of data it may receive (« documents de travail », « données d'identification »…). */
    dataCategories: z.array(text(500)).max(50).optional(),
    /** Legal basis of the processing (RGPD art. 6; Loi 25 au Québec). */
    legalBasis: text(1000).optional(),
    /** Who answers questions about this system (an address, a service). */
    contact: text(500).optional(),
    /** Anything else the declaration should say (human oversight, evaluation, risks…). */
    notes: text(4000).optional(),
  })
  .strict();
export type RegisterDetails = z.infer<typeof detailsSchema>;

const registerSchema = z
  .object({
    /** The default contact of every system (the organisation's AI or data-protection lead). */
    contact: text(500).optional(),
    models: z.record(z.string().max(128), detailsSchema).optional(),
    providers: z.record(z.string().max(63), detailsSchema).optional(),
  })
  .strict();

export interface AiRegisterConfig {
  contact: string | null;
  models: Record<string, RegisterDetails>;
  providers: Record<string, RegisterDetails>;
}

export const EMPTY_AI_REGISTER: AiRegisterConfig = { contact: null, models: {}, providers: {} };

/**
 * Validates `aiRegister` against the providers of the same file: an entry naming an alias or a
 * provider the gateway does not know is a problem (a typo would silently leave a system
 * undeclared). Problems name the entry, as parseAiProviders' do.
 */
export function parseAiRegister(raw: unknown, providers: readonly AiProvider[]): { register: AiRegisterConfig; problems: string[] } {
  if (raw === undefined) return { register: EMPTY_AI_REGISTER, problems: [] };
  const parsed = registerSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      register: EMPTY_AI_REGISTER,
      problems: parsed.error.issues.map((issue) => `aiRegister${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`),
    };
  }
  const problems: string[] = [];
  const aliases = new Set(providers.flatMap((p) => p.models.map((m) => m.alias)));
  const ids = new Set(providers.map((p) => p.id));
  for (const alias of Object.keys(parsed.data.models ?? {})) {
    if (!aliases.has(alias)) problems.push(`aiRegister.models ${JSON.stringify(alias.slice(0, 128))}: no such model alias in aiProviders / alias inconnu dans aiProviders`);
  }
  for (const id of Object.keys(parsed.data.providers ?? {})) {
    if (!ids.has(id)) problems.push(`aiRegister.providers ${JSON.stringify(id.slice(0, 63))}: no such provider id in aiProviders / fournisseur inconnu dans aiProviders`);
  }
  return {
    register: { contact: parsed.data.contact ?? null, models: parsed.data.models ?? {}, providers: parsed.data.providers ?? {} },
    problems,
  };
}
