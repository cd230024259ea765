/**
 * Personal-data policy of the AI gateway: recognisers of French and Québec identifiers, the
 * pseudonymiser that replaces them with placeholders before a request reaches a model, the restorer
 * that puts them back in the answer (streamed or not), and the decision record for the audit.
 */
export { PII_CATEGORIES, type PiiCategory, isPiiCategory, PLACEHOLDER_LABEL } from './categories.ts';
export { type PiiDecision, detectionDecision, piiAuditDetails, redactionDecision } from './decision.ts';
export { type CategoryCount, PseudonymMapping } from './mapping.ts';
export { findPersonalData, type Pseudonymised, type PseudonymiseOptions, pseudonymise, restore, StreamRestorer } from './pseudonymise.ts';
export { type AgentName, type AgentNameIndex, compileAgentNames, type Finding } from './recognisers/index.ts';
