import type { Editor } from '@tiptap/core';
import { useEditorState } from '@tiptap/react';
import { type KeyboardEvent, type ReactNode, useId, useRef, useState } from 'react';
import { IMAGE_TYPES } from '../api.ts';
import { useWorkspaceText } from '../text.ts';
import { CALLOUT_TONES, type CalloutTone } from './callout.ts';

/**
 * The editor's toolbar: every button says what it does (its text or label), marks and blocks
 * that apply at the cursor are `aria-pressed`, and Left/Right arrows move between buttons.
 * Links take an address in a small inline form (no prompt()); « Insérer une image » opens the
 * file picker and hands the chosen files to `onImages` (alt text, upload, insertion).
 */
export function Toolbar({ editor, onImages }: { editor: Editor; onImages: (files: File[]) => void }) {
  const { w } = useWorkspaceText();
  const [form, setForm] = useState<null | 'link'>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [tone, setTone] = useState<CalloutTone>('info');
  const toneId = useId();
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      underline: e.isActive('underline'),
      strike: e.isActive('strike'),
      code: e.isActive('code'),
      h1: e.isActive('heading', { level: 1 }),
      h2: e.isActive('heading', { level: 2 }),
      h3: e.isActive('heading', { level: 3 }),
      bulletList: e.isActive('bulletList'),
      orderedList: e.isActive('orderedList'),
      taskList: e.isActive('taskList'),
      blockquote: e.isActive('blockquote'),
      codeBlock: e.isActive('codeBlock'),
      callout: e.isActive('callout'),
      link: e.isActive('link'),
      table: e.isActive('table'),
    }),
  });

  const chain = () => editor.chain().focus();
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    const buttons = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('button:not([disabled])')];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (index < 0) return;
    event.preventDefault();
    const next = buttons[(index + (event.key === 'ArrowRight' ? 1 : buttons.length - 1)) % buttons.length];
    next?.focus();
  };

  const toggle = (label: string, pressed: boolean, run: () => void, glyph?: ReactNode) => (
    <button type="button" className="ws-tool" aria-pressed={pressed} onClick={run} title={label} aria-label={glyph ? label : undefined}>
      {glyph ?? label}
    </button>
  );
  const action = (label: string, run: () => void, glyph?: ReactNode, disabled = false) => (
    <button type="button" className="ws-tool" onClick={run} title={label} aria-label={glyph ? label : undefined} disabled={disabled}>
      {glyph ?? label}
    </button>
  );
  // Glyphs are drawn by CSS (generated content): the button's only text is its accessible name.
  const g = (text: string) => <span aria-hidden="true" className="ws-glyph" data-glyph={text} />;

  return (
    <div className="ws-toolbar-wrap">
      <div className="ws-toolbar" role="toolbar" aria-label={w('workspace.editor.toolbar')} onKeyDown={onKeyDown} tabIndex={-1}>
        <span className="ws-tool-group">
          {toggle(w('workspace.editor.bold'), active.bold, () => chain().toggleBold().run(), g('G'))}
          {toggle(w('workspace.editor.italic'), active.italic, () => chain().toggleItalic().run(), g('I'))}
          {toggle(w('workspace.editor.underline'), active.underline, () => chain().toggleUnderline().run(), g('S'))}
          {toggle(w('workspace.editor.strike'), active.strike, () => chain().toggleStrike().run(), g('B'))}
          {toggle(w('workspace.editor.code'), active.code, () => chain().toggleCode().run(), g('</>'))}
          {toggle(w('workspace.editor.link'), active.link || form === 'link', () => setForm(form === 'link' ? null : 'link'))}
        </span>
        <span className="ws-tool-group">
          {toggle(w('workspace.editor.h1'), active.h1, () => chain().toggleHeading({ level: 1 }).run(), g('T1'))}
          {toggle(w('workspace.editor.h2'), active.h2, () => chain().toggleHeading({ level: 2 }).run(), g('T2'))}
          {toggle(w('workspace.editor.h3'), active.h3, () => chain().toggleHeading({ level: 3 }).run(), g('T3'))}
          {toggle(w('workspace.editor.bulletList'), active.bulletList, () => chain().toggleBulletList().run(), g('•'))}
          {toggle(w('workspace.editor.orderedList'), active.orderedList, () => chain().toggleOrderedList().run(), g('1.'))}
          {toggle(w('workspace.editor.taskList'), active.taskList, () => chain().toggleTaskList().run(), g('☑'))}
          {toggle(w('workspace.editor.blockquote'), active.blockquote, () => chain().toggleBlockquote().run(), g('❝'))}
          {toggle(w('workspace.editor.codeBlock'), active.codeBlock, () => chain().toggleCodeBlock().run(), g('{ }'))}
        </span>
        <span className="ws-tool-group">
          {action(w('workspace.editor.horizontalRule'), () => chain().setHorizontalRule().run(), g('―'))}
          {active.table
            ? action(w('workspace.editor.deleteTable'), () => chain().deleteTable().run(), g('⊟'))
            : action(w('workspace.editor.table'), () => chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(), g('⊞'))}
          {active.table && action(w('workspace.editor.addRow'), () => chain().addRowAfter().run(), g('+≡'))}
          {active.table && action(w('workspace.editor.addColumn'), () => chain().addColumnAfter().run(), g('+‖'))}
          {action(w('workspace.image.insert'), () => fileInput.current?.click())}
        </span>
        <span className="ws-tool-group">
          <label htmlFor={toneId} className="ws-sr-only">
            {w('workspace.editor.calloutTone')}
          </label>
          <select id={toneId} className="ws-tool-select" value={tone} onChange={(e) => setTone(e.target.value as CalloutTone)}>
            {CALLOUT_TONES.map((t) => (
              <option key={t} value={t}>
                {w(`workspace.callout.${t}`)}
              </option>
            ))}
          </select>
          {active.callout
            ? action(w('workspace.editor.calloutRemove'), () => chain().unsetCallout().run())
            : action(w('workspace.editor.callout'), () => chain().setCallout(tone).run())}
        </span>
        <span className="ws-tool-group">
          {action(w('workspace.editor.undo'), () => chain().undo().run(), g('↶'))}
          {action(w('workspace.editor.redo'), () => chain().redo().run(), g('↷'))}
        </span>
      </div>
      {/* Opened by the button above (hidden: the button is what the keyboard and screen readers reach). */}
      <input
        ref={fileInput}
        type="file"
        hidden
        multiple
        accept={IMAGE_TYPES.join(',')}
        aria-label={w('workspace.image.insert')}
        data-testid="image-file"
        onChange={(event) => {
          const files = [...(event.target.files ?? [])];
          // Emptied, so choosing the same file again (after a refusal) still fires a change.
          event.target.value = '';
          if (files.length > 0) onImages(files);
        }}
      />
      {form && <LinkForm editor={editor} onDone={() => setForm(null)} />}
    </div>
  );
}

function LinkForm({ editor, onDone }: { editor: Editor; onDone: () => void }) {
  const { w } = useWorkspaceText();
  const [href, setHref] = useState<string>((editor.getAttributes('link').href as string | undefined) ?? '');
  const id = useId();
  const safe = (url: string) => /^(https?:|mailto:)/i.test(url.trim()) || url.trim().startsWith('/');
  return (
    <form
      className="ws-inline-form ws-address-form"
      onSubmit={(event) => {
        event.preventDefault();
        const url = href.trim();
        if (!url) editor.chain().focus().extendMarkRange('link').unsetLink().run();
        else if (safe(url)) editor.chain().focus().extendMarkRange('link').setLink({ href: url }).run();
        onDone();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          onDone();
          editor.commands.focus();
        }
      }}
    >
      <label htmlFor={`${id}-href`}>{w('workspace.editor.linkAddress')}</label>
      {/* biome-ignore lint/a11y/noAutofocus: the agent just opened this form from the toolbar */}
      <input id={`${id}-href`} type="url" value={href} autoFocus onChange={(e) => setHref(e.target.value)} />
      <button type="submit" className="button button-small">
        {w('workspace.editor.apply')}
      </button>
      <button type="button" className="button button-small button-secondary" onClick={onDone}>
        {w('workspace.cancel')}
      </button>
    </form>
  );
}
