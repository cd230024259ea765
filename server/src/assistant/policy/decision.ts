import type { PiiCategory } from './categories.ts';
import type { CategoryCount, PseudonymMapping } from './mapping.ts';
import { findPersonalData, type PseudonymiseOptions } from './pseudonymise.ts';

/**
 * The personal-data part of a policy decision, for the audit log: what was found, by category and
 * count — never the values, nor the text. `redacted`: identifiers were replaced before the request
 * went to the model; `allowed`: nothing to replace was found, or the model is trusted with personal
 * data and the text went as it was (the counts then say what it contained).
 */
export interface PiiDecision {
  outcome: 'allowed' | 'redacted';
  /** The categories the policy asked to replace (for `allowed` by trust: none). */
  categories: readonly PiiCategory[];
  found: readonly CategoryCount[];
}

/** The decision after pseudonymisation, from the request's mapping. */
export function redactionDecision(mapping: PseudonymMapping, categories: readonly PiiCategory[]): PiiDecision {
  const found = mapping.counts();
  return { outcome: found.length > 0 ? 'redacted' : 'allowed', categories: [...categories], found };
}

/** The decision when the model may receive the text as it is: counts what it contains. */
export function detectionDecision(texts: readonly string[], options: Omit<PseudonymiseOptions, 'mapping'> = {}): PiiDecision {
  const occurrences = new Map<PiiCategory, { occurrences: number; keys: Set<string> }>();
  for (const text of texts) {
    for (const finding of findPersonalData(text.normalize('NFC'), options)) {
      const entry = occurrences.get(finding.category) ?? { occurrences: 0, keys: new Set<string>() };
      entry.occurrences += 1;
      entry.keys.add(finding.key);
      occurrences.set(finding.category, entry);
    }
  }
  return {
    outcome: 'allowed',
    categories: [],
    found: [...occurrences].map(([category, e]) => ({ category, occurrences: e.occurrences, distinct: e.keys.size })),
  };
}

/** Flat details for AuditLog.record(): `pii_outcome`, `pii_total`, then `pii_<category>` = occurrences. */
export function piiAuditDetails(decision: PiiDecision): Record<string, string | number> {
  const details: Record<string, string | number> = {
    pii_outcome: decision.outcome,
    pii_total: decision.found.reduce((sum, c) => sum + c.occurrences, 0),
  };
  if (decision.categories.length > 0) details.pii_categories = decision.categories.join(',');
  for (const c of decision.found) details[`pii_${c.category}`] = c.occurrences;
  return details;
}
