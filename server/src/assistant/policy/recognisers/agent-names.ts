import type { Finding, Recogniser } from './recogniser.ts';

/**
 * Names of the agents Entente knows (the caller passes the list: given and family names). Matched
 * case- and accent-insensitively, on word boundaries, in these forms:
 *  - « Camille Martin » (given family), « MARTIN Camille » / « Martin, Camille » (family given);
 *  - « C. Martin » (initial of the first given name, a dot);
 *  - « Mme Martin », « M. Martin », « Dr Martin »… (a civility, then the family name: only the family
 *    name is replaced, so the text keeps « Mme [PERSONNE_1] »).
 * A given name alone, or a family name alone without a civility, is not matched (« Martin » is also
 * a given name and a common word in place names); nor is a name glued to another by a hyphen or an
 * apostrophe (« Martin-Dupont » is someone else). Several agents with the same family name share
 * one placeholder in the civility form, as the text does not say which one it is.
 */
export interface AgentName {
  givenName: string;
  familyName: string;
}

type Gap = 'inner' | 'between' | 'reversed' | 'initial';
interface Form {
  tokens: string[];
  /** The gap kind before each token after the first. */
  gaps: Gap[];
  key: string;
}

export interface AgentNameIndex {
  readonly forms: ReadonlyMap<string, readonly Form[]>;
  /** Family names (their first token) reachable after a civility, with the person they designate. */
  readonly families: ReadonlyMap<string, readonly { tokens: string[]; key: string }[]>;
  readonly agents: number;
  /** Length, first and last unit of every token a match can start with: most words are skipped on these. */
  readonly signatures: ReadonlySet<number>;
}

const CIVILITIES = new Set(['m', 'mm', 'mme', 'mmes', 'mlle', 'madame', 'monsieur', 'mademoiselle', 'me', 'maitre', 'dr', 'docteur', 'docteure', 'pr', 'professeur', 'professeure', 'mr', 'mrs', 'ms']);

// ── folding: one UTF-16 unit in, one out, so offsets in the folded text are offsets in the text ──
const FOLD = new Uint16Array(65536);
function foldUnit(code: number): number {
  let folded = FOLD[code] as number;
  if (folded === 0) {
    const ch = String.fromCharCode(code);
    let out = ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    if (ch === '’' || ch === 'ʼ' || ch === '`') out = "'";
    else if (ch === '‐' || ch === '‑' || ch === '–') out = '-';
    folded = out.length === 1 ? out.charCodeAt(0) : code;
    FOLD[code] = folded;
  }
  return folded;
}

const UTF16 = new TextDecoder('utf-16le');

/** Lower case without accents, the same length as `text` (a lone surrogate becomes U+FFFD). */
export function foldText(text: string): string {
  const parts: string[] = [];
  const size = 8192;
  const buffer = new Uint16Array(Math.min(size, text.length));
  for (let offset = 0; offset < text.length; offset += size) {
    const n = Math.min(size, text.length - offset);
    for (let i = 0; i < n; i++) buffer[i] = foldUnit(text.charCodeAt(offset + i));
    parts.push(UTF16.decode(buffer.subarray(0, n)));
  }
  return parts.join('');
}

const TOKEN = /[\p{L}\p{N}]+/gu;
const WORD = new Uint8Array(65536);
/** A letter or a digit (by its Unicode category; units of astral characters count as neither). */
function isWordUnit(code: number): boolean {
  let w = WORD[code] as number;
  if (w === 0) w = computeWord(code);
  return w === 1;
}
function computeWord(code: number): number {
  const w = /[\p{L}\p{N}]/u.test(String.fromCharCode(code)) ? 1 : 2;
  WORD[code] = w;
  return w;
}
// Latin scripts up front, so that the scanning loop seldom leaves its fast path.
for (let code = 0; code < 0x250; code++) {
  computeWord(code);
  foldUnit(code);
}
/** A small integer (a V8 small integer: cheap to hash) from a token's length and its first and last folded units. */
const signature = (length: number, first: number, last: number) => ((Math.min(length, 31) << 20) | ((first & 0x3ff) << 10) | (last & 0x3ff)) >>> 0;
function foldSlice(text: string, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i++) out += String.fromCharCode(foldUnit(text.charCodeAt(i)));
  return out;
}
const tokensOf = (value: string) => foldText(value.normalize('NFC')).match(TOKEN) ?? [];

export function compileAgentNames(agents: readonly AgentName[]): AgentNameIndex {
  const forms = new Map<string, Form[]>();
  const families = new Map<string, { tokens: string[]; key: string }[]>();
  const add = (form: Form) => {
    const first = form.tokens[0] as string;
    const list = forms.get(first) ?? [];
    if (!list.some((f) => f.key === form.key && f.tokens.join(' ') === form.tokens.join(' '))) list.push(form);
    forms.set(first, list);
  };
  const inner = (n: number): Gap[] => Array.from({ length: Math.max(0, n - 1) }, () => 'inner');
  for (const agent of agents) {
    const given = tokensOf(agent.givenName);
    const family = tokensOf(agent.familyName);
    if (given.length === 0 || family.length === 0) continue;
    const key = `${given.join(' ')} ${family.join(' ')}`;
    add({ tokens: [...given, ...family], gaps: [...inner(given.length), 'between', ...inner(family.length)], key });
    add({ tokens: [...family, ...given], gaps: [...inner(family.length), 'reversed', ...inner(given.length)], key });
    const initial = (given[0] as string)[0] as string;
    if ((given[0] as string).length > 1) add({ tokens: [initial, ...family], gaps: ['initial', ...inner(family.length)], key });
    const first = family[0] as string;
    const list = families.get(first) ?? [];
    const same = list.find((f) => f.tokens.join(' ') === family.join(' '));
    if (!same) list.push({ tokens: family, key });
    // Two agents with this family name: « Mme Martin » is one of them, we cannot say which.
    else if (same.key !== key) same.key = `family:${family.join(' ')}`;
    families.set(first, list);
  }
  const signatures = new Set<number>();
  for (const word of [...forms.keys(), ...families.keys()]) signatures.add(signature(word.length, word.charCodeAt(0), word.charCodeAt(word.length - 1)));
  return { forms, families, agents: agents.length, signatures };
}

const GAP_PATTERN: Record<Gap, RegExp> = {
  inner: /^(?:[ \u00a0]|-|'|[ \u00a0]?-[ \u00a0]?)$/,
  between: /^[ \u00a0\t]{1,3}$/,
  reversed: /^,?[ \u00a0\t]{1,3}$/,
  initial: /^\.[ \u00a0]?$/,
};
const CIVILITY_GAP = /^\.?[ \u00a0]{1,2}$|^\.$/;
const GLUED = /^['-]$/;

interface Token {
  start: number;
  end: number;
  word: string;
}

export function agentNameRecogniser(index: AgentNameIndex): Recogniser {
  return {
    category: 'person',
    find(text: string): Finding[] {
      if (index.forms.size === 0) return [];
      const n = text.length;
      const word = (i: number) => i >= 0 && i < n && isWordUnit(text.charCodeAt(i));
      /** The token after `pos` when at most 4 separators lie between (no gap pattern allows more). */
      // Many forms start with the same word (every agent called Camille): read each next token once.
      const nextCache = new Map<number, (Token & { gap: string }) | null>();
      const next = (pos: number): (Token & { gap: string }) | null => {
        let token = nextCache.get(pos);
        if (token === undefined) {
          token = readNext(pos);
          nextCache.set(pos, token);
        }
        return token;
      };
      const readNext = (pos: number): (Token & { gap: string }) | null => {
        let j = pos;
        while (j < n && j - pos <= 4 && !word(j)) j++;
        if (j >= n || j - pos > 4 || j === pos) return null;
        let k = j;
        while (k < n && word(k)) k++;
        return { start: j, end: k, word: foldSlice(text, j, k), gap: foldSlice(text, pos, j) };
      };
      const previous = (pos: number): (Token & { gap: string }) | null => {
        let j = pos;
        while (j > 0 && pos - j <= 3 && !word(j - 1)) j--;
        if (j <= 0 || j === pos || pos - j > 3) return null;
        let k = j;
        while (k > 0 && j - k < 16 && word(k - 1)) k--;
        return { start: k, end: j, word: foldSlice(text, k, j), gap: foldSlice(text, j, pos) };
      };
      /** Follows `tokens` after `first`, each behind a gap of its kind; the last token matched, or null. */
      const follow = (first: Token, tokens: readonly string[], gaps: readonly Gap[]): Token | null => {
        let at: Token = first;
        for (let k = 1; k < tokens.length; k++) {
          const t = next(at.end);
          if (!t || t.word !== tokens[k] || !GAP_PATTERN[gaps[k - 1] as Gap].test(t.gap)) return null;
          at = t;
        }
        return at;
      };
      const glued = (a: number, b: number) => GLUED.test(String.fromCharCode(foldUnit(text.charCodeAt(a)))) && word(b);
      const findings: Finding[] = [];
      let i = 0;
      const signatures = index.signatures;
      while (i < n) {
        // The hot loop: one table read per character, no call, no allocation.
        let w = 0;
        while (i < n) {
          const code = text.charCodeAt(i);
          w = WORD[code] as number;
          if (w === 0) w = computeWord(code);
          if (w === 1) break;
          i++;
        }
        if (i >= n) break;
        const start = i;
        while (i < n) {
          const code = text.charCodeAt(i);
          w = WORD[code] as number;
          if (w === 0) w = computeWord(code);
          if (w !== 1) break;
          i++;
        }
        // A one-letter token is only ever an initial, followed by its dot (« C. Martin »).
        if (i - start === 1 && text.charCodeAt(i) !== 46) continue;
        if (!signatures.has(signature(i - start, foldUnit(text.charCodeAt(start)), foldUnit(text.charCodeAt(i - 1))))) continue;
        const token: Token = { start, end: i, word: foldSlice(text, start, i) };
        let best: { end: number; key: string } | undefined;
        for (const form of index.forms.get(token.word) ?? []) {
          // « M. Tremblay » is Monsieur Tremblay before it is Marie-Ève's initial: the civility reading below.
          if (form.gaps[0] === 'initial' && CIVILITIES.has(token.word)) continue;
          const last = follow(token, form.tokens, form.gaps);
          if (last && (!best || last.end > best.end)) best = { end: last.end, key: form.key };
        }
        if (!best) {
          const families = index.families.get(token.word);
          const before = families ? previous(start) : null;
          if (families && before && CIVILITIES.has(before.word) && CIVILITY_GAP.test(before.gap) && !word(before.start - 1)) {
            for (const family of families) {
              const last = follow(token, family.tokens, family.tokens.slice(1).map(() => 'inner'));
              if (last && (!best || last.end > best.end)) best = { end: last.end, key: family.key };
            }
          }
        }
        if (!best) continue;
        // A hyphen or an apostrophe glues a neighbouring word to the name: someone else's name.
        if ((start >= 2 && glued(start - 1, start - 2)) || glued(best.end, best.end + 1)) continue;
        findings.push({ category: 'person', start, end: best.end, key: best.key });
        i = best.end;
      }
      return findings;
    },
  };
}
