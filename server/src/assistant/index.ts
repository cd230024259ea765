/** What the composition root and other modules use of the assistant module. */
// ── AI gateway (helper E1): /ai/v1, providers from ENTENTE_CONFIG `aiProviders` ──
export { type Gateway, createGateway } from './gateway/gateway.ts';
export { AI_PREFIX, aiGatewayRoutes } from './gateway/routes.ts';
export { type AiModel, type AiProvider, type ModelKind, parseAiProviders } from './providers/config.ts';
// ── end AI gateway ──
// ── assistant retrieval (helper E3): ask my documents and summarise, extractive (no model) ──
export { retrievalRoutes } from './retrieval/routes.ts';
export { type AskAnswer, askDocuments, type Ranker, retrievePassages, type SummaryAnswer, summariseDocument } from './retrieval/retrieval.ts';
export { reciprocalRankFusion } from './retrieval/rank.ts';
// ── end assistant retrieval ──
// ── hybrid retrieval and generated answers (helper E): passage embeddings, embedding ranking, C4 ──
export { registerPassageEmbeddings } from './embeddings/indexer.ts';
export { askWithModel } from './retrieval/generate.ts';
// ── end hybrid retrieval ──
// ── editor AI actions (helper D2): POST /api/assistant/transform ──
export { actionsRoutes } from './actions/routes.ts';
// ── end editor AI actions ──
// ── assistant conversations (helper D1): /api/assistant/conversations, kept sealed in the space's cell ──
export type { ConversationsDeps } from './conversations/conversations.ts';
export { conversationRoutes } from './conversations/routes.ts';
// ── end assistant conversations ──
// ── AI usage dashboards and register (helper C): /api/assistant/usage/*, /api/admin/ai-register(.csv) ──
export { usageReportRoutes } from './usage-reports/routes.ts';
export { aiRegisterRoutes } from './register/routes.ts';
export { buildRegister, registerCsv } from './register/register.ts';
// ── end AI usage dashboards and register ──
// ── classification & residency (helper B): the policy of the gateway, GET /api/assistant/models ──
export { type AiPolicy, classificationScale, parseAiPolicy } from './policy/classification-config.ts';
export { createGatewayPolicy, type GatewayPolicy } from './policy/gateway-policy.ts';
export { assistantModelsRoutes } from './policy/models-routes.ts';
// ── end classification & residency ──
// ── AI quotas & usage (helper A): quotas, ai_usage rows, content logging per organisation ──
export { type AiUsage, contentLoggingFor, createAiUsage, CONTENT_RETENTION_DAYS } from './usage/index.ts';
// ── end AI quotas & usage ──

// The assistant's part of the personal-data export (conversations, AI usage, logged AI content).
export { assistantPersonalData } from './personal-data/personal-data.ts';
