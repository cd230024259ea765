import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatMessage } from '../../../../common/src/i18n/format.ts';
import type { Locale } from '../../../../common/src/i18n/locales.ts';
import type { Actor } from '../../identity/actor.ts';
import { forbidden as forbiddenError, notFound, unauthenticated } from '../../platform/errors.ts';
import type { Gateway } from '../gateway/gateway.ts';
import { levelName } from './classification-config.ts';
import { type GatewayPolicy, highestClearance, redactsFor, replicaRefusal } from './gateway-policy.ts';

/**
 * `GET /api/assistant/models?documentId=<uuid>` (contract C2): the models the web app may offer
 * for this content — each with whether the policy allows it, why not (in the request's language),
 * and whether personal identifiers are pseudonymised before it. Same rules as the gateway
 * (gateway-policy.ts): a model is allowed when one of its replicas may receive the content.
 */
const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }).loose();
const modelView = z.object({
  id: z.string(),
  kind: z.enum(['chat', 'embeddings']),
  jurisdictions: z.array(z.enum(['FR', 'QC'])),
  allowed: z.boolean(),
  reason: z.string().nullable(),
  redacted: z.boolean(),
});
const answer = z.object({ classification: z.object({ id: z.string(), name: z.string() }).nullable(), models: z.array(modelView), noModel: z.boolean() });

export async function allowedModels(gateway: Gateway, policy: GatewayPolicy, actor: Actor | null, documentId: string | undefined, locale: Locale): Promise<z.infer<typeof answer>> {
  if (!actor) throw unauthenticated();
  // As for /ai/v1: a token needs the `ai` scope.
  if (actor.via === 'token' && !actor.scopes?.has('ai')) throw forbiddenError();
  const p = policy.policy;
  const { labels, forbidden } = documentId ? await policy.labels(actor, [documentId]) : { labels: [], forbidden: null };
  // Not readable and not existing look the same (404), as everywhere in the workspace.
  if (forbidden) throw notFound();
  const label = labels[0] ?? null;
  const level = label?.level ?? p.defaultLevel;
  const jurisdiction = label?.jurisdiction ?? actor.homeJurisdiction;
  const jurisdictions = label ? [label.jurisdiction] : [];
  const entries = gateway.router.entries();
  const models = entries.map((entry) => {
    const usable = entry.replicas.filter((r) => replicaRefusal(p, r, level, jurisdictions) === null);
    let reason: string | null = null;
    if (usable.length === 0) {
      const residency = entry.replicas.every((r) => replicaRefusal(p, r, level, jurisdictions) === 'jurisdiction');
      const cleared = highestClearance(p, entry, jurisdictions);
      reason = residency
        ? formatMessage(locale, 'aiPolicy.errors.jurisdiction_refused', { model: entry.alias, jurisdiction })
        : formatMessage(locale, 'aiPolicy.errors.classification_refused', {
            model: entry.alias,
            level: levelName(p, level, jurisdiction, locale),
            cleared: levelName(p, cleared, jurisdiction, locale),
          });
    }
    return {
      id: entry.alias,
      kind: entry.kind,
      jurisdictions: entry.jurisdictions,
      allowed: usable.length > 0,
      reason,
      // Any replica that may serve it (or, refused, that would) pseudonymises: the agent is told it may happen.
      redacted: (usable.length > 0 ? usable : entry.replicas).some((r) => redactsFor(p, r.provider)),
    };
  });
  return {
    classification: label ? { id: level, name: levelName(p, level, jurisdiction, locale) } : null,
    models,
    noModel: !entries.some((e) => e.kind === 'chat'),
  };
}

export function assistantModelsRoutes(app: FastifyInstance, deps: { gateway: Gateway; policy: GatewayPolicy }): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/assistant/models',
    {
      schema: {
        tags: ['assistant'],
        summary: 'The AI models the policy allows for a document’s content (or the default level), with the reason of each refusal',
        security: [{ session: [] }],
        querystring: z.object({ documentId: z.uuid().optional() }).strict(),
        response: { 200: answer, 400: problem, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return allowedModels(deps.gateway, deps.policy, await request.actor(), request.query.documentId, request.locale);
    },
  );
}
