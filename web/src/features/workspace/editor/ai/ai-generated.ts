import { formatMessage } from '@entente/common/i18n/format.ts';
import { isLocale, type Locale } from '@entente/common/i18n/locales.ts';
import { Mark, mergeAttributes } from '@tiptap/core';

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    aiGenerated: {
      /** Marks the selection as AI-generated text. */
      setAiGenerated: (attrs: AiGeneratedAttrs) => ReturnType;
      /** A person reviewed the marked text around the cursor (or in the selection): the mark goes. */
      markReviewed: () => ReturnType;
    };
  }
}

export interface AiGeneratedAttrs {
  /** The model's alias at the gateway (`mistral-small`). */
  model: string | null;
  /** The editor action that produced it (`plain-language`, `translate`…). */
  action: string | null;
  /** When it was accepted into the document (ISO 8601, UTC). */
  at: string | null;
}

/** The page's language (<html lang>, set by the app): the label follows the reader, not the writer. */
function pageLocale(): Locale {
  const lang = typeof document === 'undefined' ? '' : document.documentElement.lang;
  return isLocale(lang) ? lang : 'fr-FR';
}

const attribute = (name: string) => ({
  default: null,
  parseHTML: (element: HTMLElement) => element.getAttribute(`data-ai-${name}`)?.slice(0, 256) || null,
  renderHTML: (attrs: Record<string, unknown>) => (attrs[name] ? { [`data-ai-${name}`]: String(attrs[name]) } : {}),
});

/**
 * AI-generated text accepted into a document (issue 7): a mark, so the document itself carries a
 * machine-readable trace — `<span data-ai-generated data-ai-model=… data-ai-action=… data-ai-at=…>`
 * in the editor, through collaboration (Yjs formatting attribute `aiGenerated`), in the stored
 * document and in HTML exports — and readers see a visible « IA » label (CSS generated content from
 * `data-ai-label`, in the reader's language) with a description (`title`). It stays until a person
 * marks the text as reviewed (`markReviewed`). Not inclusive: what the agent types next to it is
 * theirs, not the model's.
 */
export const AiGenerated = Mark.create({
  name: 'aiGenerated',
  // Outermost of the marks (bold, links… inside it): one span, one label, for a whole accepted run.
  priority: 1100,
  inclusive: false,
  // Kept when text is copied within Entente: pasting AI text elsewhere in a document keeps its mark.
  spanning: true,

  addAttributes() {
    return { model: attribute('model'), action: attribute('action'), at: attribute('at') };
  },

  parseHTML() {
    return [{ tag: 'span[data-ai-generated]' }];
  },

  renderHTML({ mark, HTMLAttributes }) {
    const locale = pageLocale();
    return [
      'span',
      mergeAttributes(HTMLAttributes, {
        'data-ai-generated': '',
        class: 'ai-generated',
        'data-ai-label': formatMessage(locale, 'aiActions.mark.label'),
        title: formatMessage(locale, 'aiActions.mark.description', { model: String(mark.attrs.model ?? '—') }),
      }),
      0,
    ];
  },

  addCommands() {
    return {
      setAiGenerated:
        (attrs) =>
        ({ commands }) =>
          commands.setMark(this.name, attrs),
      markReviewed:
        () =>
        ({ state, commands, chain }) => {
          if (state.selection.empty) return chain().extendMarkRange(this.name).unsetMark(this.name).run();
          return commands.unsetMark(this.name, { extendEmptyMarkRange: true });
        },
    };
  },
});
