import type { AnyExtension } from '@tiptap/core';
import { limitContentDepth } from '@entente/common/content-depth.ts';
import { EditorContent, useEditor } from '@tiptap/react';
// ProseMirror's own rules (white-space, selection…), from a file: the page's CSP (style-src 'self')
// refuses the <style> Tiptap would inject (injectCSS: false below).
import 'prosemirror-view/style/prosemirror.css';
import 'prosemirror-gapcursor/style/gapcursor.css';
import { useEffect, useMemo } from 'react';
import type { JSONContent } from './api.ts';
import { documentExtensions } from './editor/extensions.ts';
import { useWorkspaceText } from './text.ts';

/**
 * A document shown, never edited: a version's content (ProseMirror JSON from the server) or a
 * draft's Y.Doc (through `extensions`, e.g. Collaboration on that doc). No connection to anyone.
 */
export function ReadOnlyDocument({ content: given, extensions, label, lang }: { content?: JSONContent; extensions?: AnyExtension[]; label: string; lang?: string }) {
  const { w } = useWorkspaceText();
  // The editor builds and renders its document by recursion: content deeper than the limit is
  // shown flattened (its text kept), never given to it whole (common/src/content-depth.ts).
  const content = useMemo(() => (given ? limitContentDepth(given) : given), [given]);
  const editor = useEditor(
    {
      extensions: [...documentExtensions({ collaborative: extensions !== undefined, checkboxLabel: (text, checked) => w(checked ? 'workspace.editor.taskDone' : 'workspace.editor.taskTodo', { text }) }), ...(extensions ?? [])],
      content: extensions ? undefined : content,
      editable: false,
      injectCSS: false,
      editorProps: { attributes: { class: 'ws-prose ws-prose-readonly', ...(lang ? { lang } : {}), 'aria-label': label, role: 'document' } },
    },
    [content, extensions],
  );
  useEffect(() => {
    if (editor && content && !extensions) editor.commands.setContent(content, { emitUpdate: false });
  }, [editor, content, extensions]);
  return <EditorContent editor={editor} />;
}
