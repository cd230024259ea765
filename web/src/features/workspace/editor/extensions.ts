import type { AnyExtension } from '@tiptap/core';
import Image from '@tiptap/extension-image';
import { TaskItem, TaskList } from '@tiptap/extension-list';
import { TableKit } from '@tiptap/extension-table';
import StarterKit from '@tiptap/starter-kit';
import { Callout } from './callout.ts';
import { AiGenerated } from './ai/ai-generated.ts'; // editor AI actions (helper D2)

/**
 * Where a pasted image may come from: the space's own images (`/api/images/…`, same origin, as
 * uploads give them). The page's CSP shows no other image anyway, and an address from elsewhere
 * would make every reader's browser call that site. Answers the path, or null to drop it.
 */
export function spaceImagePath(src: string | null): string | null {
  if (!src) return null;
  try {
    const url = new URL(src, window.location.origin);
    return url.origin === window.location.origin && url.pathname.startsWith('/api/images/') && !url.search ? url.pathname : null;
  } catch {
    return null;
  }
}

/** Images come from uploads (toolbar, paste, drop) or from another document of Entente. */
const SpaceImage = Image.extend({
  parseHTML() {
    return [{ tag: 'img[src]', getAttrs: (element) => (spaceImagePath(element.getAttribute('src')) ? null : false) }];
  },
  addAttributes() {
    return { ...this.parent?.(), src: { default: null, parseHTML: (element) => spaceImagePath(element.getAttribute('src')) } };
  },
  // No `![alt](address)` typed shortcut: it would take any address.
  addInputRules() {
    return [];
  },
});

/**
 * The document schema of Entente's editor: the node and mark names the server's converters know
 * (server/src/workspace/content). With `collaborative`, undo and redo come from Collaboration
 * (per agent: undoing never removes a colleague's edits), so StarterKit's own history is off.
 */
export function documentExtensions({
  collaborative,
  checkboxLabel,
}: {
  collaborative: boolean;
  /** The accessible name of a task's checkbox, in the page's language. */
  checkboxLabel: (text: string, checked: boolean) => string;
}): AnyExtension[] {
  return [
    StarterKit.configure({
      ...(collaborative ? { undoRedo: false } : {}),
      // No `protocols`: linkify knows http, https and mailto itself, and registering them again
      // with each editor made it warn « already initialized » at every document opened.
      link: { openOnClick: false, autolink: true },
    }),
    TaskList,
    TaskItem.configure({ nested: true, a11y: { checkboxLabel: (node, checked) => checkboxLabel(node.textContent, checked) } }),
    TableKit.configure({ table: { resizable: false } }),
    SpaceImage.configure({ inline: false, allowBase64: false }),
    Callout,
    // ── editor AI actions (helper D2): AI-generated text, marked until a person reviews it ──
    AiGenerated,
    // ── end editor AI actions ──
  ];
}
