import { mergeAttributes, Node, wrappingInputRule } from '@tiptap/core';

export const CALLOUT_TONES = ['info', 'warning', 'success', 'danger'] as const;
export type CalloutTone = (typeof CALLOUT_TONES)[number];

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    callout: {
      /** Wraps the selected blocks in a callout of `tone`. */
      setCallout: (tone?: CalloutTone) => ReturnType;
      /** Puts the blocks of the surrounding callout back in the document. */
      unsetCallout: () => ReturnType;
    };
  }
}

const toneOf = (value: unknown): CalloutTone => (CALLOUT_TONES as readonly unknown[]).includes(value) ? (value as CalloutTone) : 'info';

/**
 * Entente's callout (« encadré »): blocks set apart with a tone — info, warning, success, danger —
 * the shape the server's converters know (`callout{tone}`, content `block+`). Typing « /callout »
 * followed by a space at the start of a paragraph wraps it in an info callout.
 */
export const Callout = Node.create({
  name: 'callout',
  group: 'block',
  content: 'block+',
  defining: true,

  addAttributes() {
    return {
      tone: {
        default: 'info',
        parseHTML: (element) => toneOf(element.getAttribute('data-tone')),
        renderHTML: (attributes) => ({ 'data-tone': toneOf(attributes.tone) }),
      },
    };
  },

  parseHTML() {
    return [{ tag: 'div[data-callout]' }];
  },

  renderHTML({ node, HTMLAttributes }) {
    // The tone is said in words by CSS generated content and by the class, never by colour alone.
    return ['div', mergeAttributes(HTMLAttributes, { 'data-callout': '', class: `callout callout-${toneOf(node.attrs.tone)}` }), 0];
  },

  addCommands() {
    return {
      setCallout:
        (tone = 'info') =>
        ({ commands }) =>
          commands.wrapIn(this.name, { tone }),
      unsetCallout:
        () =>
        ({ commands }) =>
          commands.lift(this.name),
    };
  },

  addInputRules() {
    return [wrappingInputRule({ find: /^\/callout\s$/, type: this.type, getAttributes: { tone: 'info' } })];
  },
});
