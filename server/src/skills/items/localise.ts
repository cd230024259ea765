import type { ItemContent } from './types.ts';

export type SkillsLanguage = 'fr-FR' | 'fr-CA' | 'en';

/** An item's text in the reader's language: fr-CA lays its differences over fr-FR. */
export function localiseContent(content: { fr: ItemContent; frCA?: Partial<ItemContent>; en: ItemContent }, language: SkillsLanguage): ItemContent {
  if (language === 'en') return content.en;
  if (language === 'fr-CA' && content.frCA) return { ...content.fr, ...stripUndefined(content.frCA) };
  return content.fr;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A framework text ({ fr, frCA?, en }) in the reader's language. */
export function localiseText(text: { fr: string; frCA?: string; en: string }, language: SkillsLanguage): string {
  if (language === 'en') return text.en;
  if (language === 'fr-CA' && text.frCA) return text.frCA;
  return text.fr;
}
