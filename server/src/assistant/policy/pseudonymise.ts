import { isPiiCategory, PII_CATEGORIES, PRIORITY, type PiiCategory } from './categories.ts';
import { PLACEHOLDER, PseudonymMapping } from './mapping.ts';
import { type AgentName, type AgentNameIndex, type Finding, recognisersFor } from './recognisers/index.ts';

export interface PseudonymiseOptions {
  /** The categories to replace; all of them when absent. */
  categories?: readonly PiiCategory[];
  /** The agents whose names are replaced (compile them once with compileAgentNames for many calls). */
  agents?: AgentNameIndex | readonly AgentName[];
  /** The mapping of the request, to continue (several messages, one placeholder per value). */
  mapping?: PseudonymMapping;
}

export interface Pseudonymised {
  /** The text with every finding replaced by its placeholder. */
  text: string;
  /** Placeholder → value, for restore(); personal data: never log or store it. */
  mapping: PseudonymMapping;
}

function categorySet(categories: readonly PiiCategory[] | undefined): Set<PiiCategory> {
  if (categories === undefined) return new Set(PII_CATEGORIES);
  for (const c of categories) if (!isPiiCategory(c)) throw new TypeError(`unknown personal-data category: ${String(c)}`);
  return new Set(categories);
}

/**
 * All findings of the enabled recognisers, overlaps resolved: higher priority first, then the longer
 * span, then the one whose context names it, then the recognisers' order. A finding overlapping one
 * already kept is dropped, so none sits inside another. Returned in text order.
 */
export function findPersonalData(text: string, options: Omit<PseudonymiseOptions, 'mapping'> = {}): Finding[] {
  const recognisers = recognisersFor(categorySet(options.categories), options.agents);
  const all: { finding: Finding; order: number }[] = [];
  recognisers.forEach((recogniser, order) => {
    for (const finding of recogniser.find(text)) all.push({ finding, order });
  });
  if (all.length === 0) return [];
  all.sort(
    (a, b) =>
      PRIORITY[b.finding.category] - PRIORITY[a.finding.category] ||
      b.finding.end - b.finding.start - (a.finding.end - a.finding.start) ||
      (b.finding.context ?? 0) - (a.finding.context ?? 0) ||
      a.order - b.order ||
      a.finding.start - b.finding.start,
  );
  const kept: Finding[] = [];
  const taken = new Uint8Array(text.length);
  for (const { finding } of all) {
    let free = true;
    for (let i = finding.start; i < finding.end && free; i++) free = taken[i] === 0;
    if (!free) continue;
    taken.fill(1, finding.start, finding.end);
    kept.push(finding);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * Replaces the personal identifiers of `text` by placeholders, one per distinct value within the
 * mapping (« [NIR_1] » each time the same NIR appears, however it is written). The text is first put
 * in Unicode NFC, so that « é » written in two code points is found like « é ».
 */
export function pseudonymise(input: string, options: PseudonymiseOptions = {}): Pseudonymised {
  const mapping = options.mapping ?? new PseudonymMapping();
  const text = input.normalize('NFC');
  mapping.reserveLiterals(text);
  const findings = findPersonalData(text, options);
  if (findings.length === 0) return { text, mapping };
  const out: string[] = [];
  let at = 0;
  for (const f of findings) {
    out.push(text.slice(at, f.start), mapping.placeholderFor(f.category, f.key, text.slice(f.start, f.end)));
    at = f.end;
  }
  out.push(text.slice(at));
  return { text: out.join(''), mapping };
}

/** Puts the values back in a model's answer; placeholders the mapping does not know stay as they are. */
export function restore(text: string, mapping: PseudonymMapping): string {
  if (mapping.size === 0 || !text.includes('[')) return text;
  return text.replace(PLACEHOLDER, (placeholder) => mapping.valueOf(placeholder) ?? placeholder);
}

/**
 * Restores a streamed answer chunk by chunk. A chunk may end inside a placeholder (« … [PERS »): only
 * such a possible beginning of a placeholder of the mapping is held back, until the next chunk says
 * what it is; everything else goes out at once. Call end() after the last chunk.
 */
export class StreamRestorer {
  readonly #mapping: PseudonymMapping;
  readonly #prefixes = new Set<string>();
  readonly #window: number;
  #pending = '';

  constructor(mapping: PseudonymMapping) {
    this.#mapping = mapping;
    let longest = 0;
    for (const placeholder of mapping.placeholders()) {
      longest = Math.max(longest, placeholder.length);
      for (let n = 1; n < placeholder.length; n++) this.#prefixes.add(placeholder.slice(0, n));
    }
    this.#window = Math.max(0, longest - 1);
  }

  push(chunk: string): string {
    const text = this.#pending + chunk;
    const cut = this.#heldFrom(text);
    this.#pending = text.slice(cut);
    return restore(cut === text.length ? text : text.slice(0, cut), this.#mapping);
  }

  /** Whether the beginning of a possible placeholder is held back. */
  get holding(): boolean {
    return this.#pending.length > 0;
  }

  end(): string {
    const rest = restore(this.#pending, this.#mapping);
    this.#pending = '';
    return rest;
  }

  /** Where a possible unfinished placeholder starts at the end of `text` (its length when none). */
  #heldFrom(text: string): number {
    for (let i = Math.max(0, text.length - this.#window); i < text.length; i++) {
      if (text.charCodeAt(i) === 91 /* [ */ && this.#prefixes.has(text.slice(i))) return i;
    }
    return text.length;
  }
}
