import { inspect } from 'node:util';
import { PII_CATEGORIES, PLACEHOLDER_LABEL, type PiiCategory } from './categories.ts';

interface Entry {
  placeholder: string;
  category: PiiCategory;
  value: string;
}

export interface CategoryCount {
  category: PiiCategory;
  /** Times an identifier of this category was replaced. */
  occurrences: number;
  /** Different values among them (one placeholder each). */
  distinct: number;
}

/** A placeholder as the pseudonymiser writes it: « [NIR_1] », « [PERSONNE_12] ». */
export const PLACEHOLDER = /\[[A-Z][A-Z_]*_[1-9]\d*\]/g;

/**
 * The placeholders of one request and the values they stand for. It holds personal data: it lives
 * in memory for the request and is never logged or stored — JSON, util.inspect and String() show
 * only how many entries it has. Pass the same mapping to every pseudonymise() call of a request
 * (system prompt, history, the new message) so that a value has one placeholder throughout.
 */
export class PseudonymMapping {
  readonly #byKey = new Map<string, Entry>();
  readonly #byPlaceholder = new Map<string, Entry>();
  readonly #counters = new Map<PiiCategory, number>();
  readonly #occurrences = new Map<PiiCategory, number>();
  /** Placeholder-shaped strings already in the caller's text: never handed out, never restored. */
  readonly #reserved = new Set<string>();

  /** The placeholder of this value (a new one the first time); `surface` is the text as written. */
  placeholderFor(category: PiiCategory, key: string, surface: string): string {
    this.#occurrences.set(category, (this.#occurrences.get(category) ?? 0) + 1);
    const mapKey = `${category}\u0000${key}`;
    const known = this.#byKey.get(mapKey);
    if (known) {
      // A person is restored under the fullest name the text gave (« Camille Martin » over « Martin »).
      if (category === 'person' && surface.length > known.value.length) known.value = surface;
      return known.placeholder;
    }
    let n = this.#counters.get(category) ?? 0;
    let placeholder: string;
    do {
      n += 1;
      placeholder = `[${PLACEHOLDER_LABEL[category]}_${n}]`;
    } while (this.#reserved.has(placeholder));
    this.#counters.set(category, n);
    const entry = { placeholder, category, value: surface };
    this.#byKey.set(mapKey, entry);
    this.#byPlaceholder.set(placeholder, entry);
    return placeholder;
  }

  /** Notes the placeholder-shaped strings of an input so that they are left alone. */
  reserveLiterals(text: string): void {
    if (!text.includes('[')) return;
    for (const match of text.matchAll(PLACEHOLDER)) if (!this.#byPlaceholder.has(match[0])) this.#reserved.add(match[0]);
  }

  valueOf(placeholder: string): string | undefined {
    return this.#byPlaceholder.get(placeholder)?.value;
  }

  placeholders(): string[] {
    return [...this.#byPlaceholder.keys()];
  }

  get size(): number {
    return this.#byPlaceholder.size;
  }

  /** What was replaced, by category — counts only, never the values (for the audit). */
  counts(): CategoryCount[] {
    const distinct = new Map<PiiCategory, number>();
    for (const entry of this.#byPlaceholder.values()) distinct.set(entry.category, (distinct.get(entry.category) ?? 0) + 1);
    return PII_CATEGORIES.filter((c) => this.#occurrences.has(c)).map((category) => ({
      category,
      occurrences: this.#occurrences.get(category) ?? 0,
      distinct: distinct.get(category) ?? 0,
    }));
  }

  toJSON(): string {
    return `[pseudonym mapping: ${this.size} entries]`;
  }

  toString(): string {
    return this.toJSON();
  }

  [inspect.custom](): string {
    return `PseudonymMapping [${this.size} entries]`;
  }
}
