import type { ItemKind } from '@entente/common/skills.ts';
import type { AuthoringItem, ItemBody } from './api.ts';

/**
 * The editor's form state and its conversion to the API's body. Options are kept as one list per
 * language of the same length (adding or removing one changes every language); fr-CA fields left
 * empty mean « as in fr-FR » and are not sent.
 */
export type Lang = 'fr' | 'frCA' | 'en';
export interface LangDraft {
  stem: string;
  options: string[];
  accepted: string;
  explanation: string;
}
export interface Draft {
  competence: string;
  level: number;
  kind: ItemKind;
  correct: number[];
  fr: LangDraft;
  frCA: LangDraft;
  en: LangDraft;
}

const emptyLang = (n: number): LangDraft => ({ stem: '', options: Array.from({ length: n }, () => ''), accepted: '', explanation: '' });

export function emptyDraft(competence: string): Draft {
  return { competence, level: 3, kind: 'single', correct: [], fr: emptyLang(3), frCA: emptyLang(3), en: emptyLang(3) };
}

export function draftOf(item: AuthoringItem): Draft {
  const n = item.fr.options?.length ?? 0;
  const lang = (c: { stem?: string; options?: string[]; accepted?: string[]; explanation?: string } | undefined): LangDraft => ({
    stem: c?.stem ?? '',
    options: Array.from({ length: n }, (_, i) => c?.options?.[i] ?? ''),
    accepted: (c?.accepted ?? []).join('\n'),
    explanation: c?.explanation ?? '',
  });
  return { competence: item.competence, level: item.level, kind: item.kind, correct: [...item.correct], fr: lang(item.fr), frCA: lang(item.frCA), en: lang(item.en) };
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

export function bodyOf(draft: Draft): ItemBody {
  const choice = draft.kind === 'single' || draft.kind === 'multiple';
  const complete = (c: LangDraft) => ({
    stem: c.stem.trim(),
    ...(choice ? { options: c.options.map((o) => o.trim()) } : {}),
    ...(draft.kind === 'short_answer' ? { accepted: lines(c.accepted) } : {}),
    explanation: c.explanation.trim(),
  });
  const ca = draft.frCA;
  const frCA: ItemBody['frCA'] = {
    ...(ca.stem.trim() ? { stem: ca.stem.trim() } : {}),
    // Québec options are all or none: an empty one takes the fr-FR wording.
    ...(choice && ca.options.some((o) => o.trim()) ? { options: ca.options.map((o, i) => o.trim() || (draft.fr.options[i] ?? '').trim()) } : {}),
    ...(draft.kind === 'short_answer' && lines(ca.accepted).length ? { accepted: lines(ca.accepted) } : {}),
    ...(ca.explanation.trim() ? { explanation: ca.explanation.trim() } : {}),
  };
  const correct = choice ? [...draft.correct].sort((x, y) => x - y) : draft.kind === 'true_false' ? draft.correct.slice(0, 1) : [];
  return {
    competence: draft.competence,
    level: draft.level,
    kind: draft.kind,
    correct,
    fr: complete(draft.fr),
    ...(Object.keys(frCA).length ? { frCA } : {}),
    en: complete(draft.en),
  };
}

/**
 * Whether two drafts would save the same question: what the editor holds against what was last
 * loaded or saved. Spaces around a text and empty Québec fields do not count, as they are not sent.
 */
export function sameDraft(x: Draft, y: Draft): boolean {
  return JSON.stringify(bodyOf(x)) === JSON.stringify(bodyOf(y));
}

/** The draft with one more (or one less) option in every language; right answers follow their option. */
export function withOptionAdded(draft: Draft): Draft {
  const add = (c: LangDraft) => ({ ...c, options: [...c.options, ''] });
  return { ...draft, fr: add(draft.fr), frCA: add(draft.frCA), en: add(draft.en) };
}
export function withOptionRemoved(draft: Draft, index: number): Draft {
  const remove = (c: LangDraft) => ({ ...c, options: c.options.filter((_, i) => i !== index) });
  const correct = draft.correct.filter((i) => i !== index).map((i) => (i > index ? i - 1 : i));
  return { ...draft, correct, fr: remove(draft.fr), frCA: remove(draft.frCA), en: remove(draft.en) };
}
