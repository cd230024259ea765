import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';

/**
 * Anchors of comment threads in the live editor. A thread's range is two Yjs relative positions
 * (they name items of the shared text, so they follow everyone's concurrent edits); here they
 * are turned into ProseMirror positions through the collaboration binding's own mapping
 * (y-tiptap, the y-prosemirror fork Tiptap's Collaboration extension uses), and drawn as
 * highlights. Clicking a highlight selects its thread in the panel.
 */

export interface AnchoredThread {
  id: string;
  start: string;
  end: string;
  resolved: boolean;
}

interface PluginState {
  threads: AnchoredThread[];
  active: string | null;
}

export const commentsPluginKey = new PluginKey<PluginState>('entente-comments');

interface Binding {
  type: Y.XmlFragment;
  mapping: Map<unknown, unknown>;
  doc: Y.Doc;
}

function bindingOf(state: EditorState): Binding | null {
  const sync = ySyncPluginKey.getState(state) as { binding?: { type: Y.XmlFragment; mapping: Map<unknown, unknown> }; doc?: Y.Doc } | undefined;
  if (!sync?.binding || !sync.doc) return null;
  return { type: sync.binding.type, mapping: sync.binding.mapping, doc: sync.doc };
}

const decode = (b64: string): Y.RelativePosition | null => {
  try {
    return Y.decodeRelativePosition(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
};

const encode = (position: Y.RelativePosition): string => btoa(String.fromCharCode(...Y.encodeRelativePosition(position)));

/** The thread's range in the editor now, or null when its text is gone (or not loaded yet). */
export function rangeOf(state: EditorState, anchor: { start: string; end: string }): { from: number; to: number } | null {
  const binding = bindingOf(state);
  const start = decode(anchor.start);
  const end = decode(anchor.end);
  if (!binding || !start || !end) return null;
  const from = relativePositionToAbsolutePosition(binding.doc, binding.type, start, binding.mapping as never);
  const to = relativePositionToAbsolutePosition(binding.doc, binding.type, end, binding.mapping as never);
  if (from === null || to === null || to <= from || to > state.doc.content.size) return null;
  return { from, to };
}

/** The anchor of a selection: relative positions (base64) and the text it covers. */
export function anchorOf(state: EditorState, from: number, to: number): { anchor: { start: string; end: string }; quote: string } | null {
  const binding = bindingOf(state);
  if (!binding || to <= from) return null;
  // y-tiptap ties each position to the character before it: text typed right after the range
  // stays out of it (text typed exactly at its start joins it).
  const start = absolutePositionToRelativePosition(from, binding.type, binding.mapping as never) as Y.RelativePosition;
  const end = absolutePositionToRelativePosition(to, binding.type, binding.mapping as never) as Y.RelativePosition;
  const quote = state.doc.textBetween(from, to, ' ', ' ').replace(/\s+/g, ' ').trim();
  return { anchor: { start: encode(start), end: encode(end) }, quote };
}

export function commentsPlugin(onActivate: (threadId: string) => void): Plugin<PluginState> {
  return new Plugin<PluginState>({
    key: commentsPluginKey,
    state: {
      init: () => ({ threads: [], active: null }),
      apply: (tr, value) => (tr.getMeta(commentsPluginKey) as PluginState | undefined) ?? value,
    },
    props: {
      decorations(state) {
        const own = commentsPluginKey.getState(state);
        if (!own || own.threads.length === 0) return DecorationSet.empty;
        const decorations: Decoration[] = [];
        for (const thread of own.threads) {
          if (thread.resolved && thread.id !== own.active) continue;
          const range = rangeOf(state, thread);
          if (!range) continue;
          decorations.push(
            Decoration.inline(range.from, range.to, {
              class: thread.id === own.active ? 'cm-anchor cm-anchor-active' : 'cm-anchor',
              'data-thread-id': thread.id,
            }),
          );
        }
        return DecorationSet.create(state.doc, decorations);
      },
      handleDOMEvents: {
        click(_view, event) {
          const target = (event.target as HTMLElement | null)?.closest?.('[data-thread-id]');
          const id = target?.getAttribute('data-thread-id');
          if (id) onActivate(id);
          return false;
        },
      },
    },
  });
}

/** Gives the plugin the threads to draw and the one to emphasise. */
export function showThreads(view: EditorView, threads: AnchoredThread[], active: string | null): void {
  if (view.isDestroyed) return;
  view.dispatch(view.state.tr.setMeta(commentsPluginKey, { threads, active }).setMeta('addToHistory', false));
}
