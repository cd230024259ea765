import { problemSentence } from '@entente/common/i18n/problem-sentence.ts';
import { formatMessage } from '@entente/common/i18n/format.ts';
import type { Editor } from '@tiptap/core';
import { type EditorState, NodeSelection, TextSelection, type Transaction } from '@tiptap/pm/state';
import { useId, useState } from 'react';
import { Problem } from '../../../app/api.ts';
import { imagesApi } from '../api.ts';
import { useWorkspaceText } from '../text.ts';
import { defaultAlt } from './image-files.ts';

/** The server's limit (server/src/workspace/images/image-types.ts); it checks again. */
const MAX_MIB = 10;

/**
 * After the insertion the image itself is selected, so the next key typed would replace it: the
 * cursor goes to the line after it instead (a new empty one when none follows).
 */
const cursorAfterImage = ({ tr, state }: { tr: Transaction; state: EditorState }): boolean => {
  if (!(tr.selection instanceof NodeSelection)) return true;
  const after = tr.selection.to;
  if (!tr.doc.resolve(after).nodeAfter?.isTextblock) {
    const paragraph = state.schema.nodes.paragraph;
    if (!paragraph) return true;
    tr.insert(after, paragraph.create());
  }
  tr.setSelection(TextSelection.create(tr.doc, after + 1));
  return true;
};

/** A file waiting for its alt text; `key` tells two choices of the same file apart. */
export interface QueuedImage {
  key: number;
  file: File;
}

interface ImageInsertProps {
  editor: Editor;
  /** The document the image is uploaded into: it is readable by those who reach this document. */
  documentId: string;
  /** Files chosen, pasted or dropped, the first one shown; `onSettled` drops it once done with. */
  queue: readonly QueuedImage[];
  onSettled: () => void;
}

/**
 * Between choosing an image and seeing it in the document: the alt text is asked first (prefilled
 * from the file name, to edit), then the image is uploaded into the document — only then, so a file
 * chosen by mistake and cancelled never leaves the computer — and inserted at the cursor. The
 * upload is said in a status region; a refusal, with the server's reason in the agent's
 * language, in an alert region, and nothing is inserted.
 */
export function ImageInsert({ editor, documentId, queue, onSettled }: ImageInsertProps) {
  const { w, locale, problem } = useWorkspaceText();
  const [sending, setSending] = useState(false);
  const [status, setStatus] = useState('');
  const [alert, setAlert] = useState('');
  const next = queue[0];

  // The server's own words: its detail knows the limit and the declared type (the catalog's copy does not).
  const reasonOf = (error: unknown): string => {
    if (!(error instanceof Problem && error.detail)) return problem(error);
    return problemSentence(error.title, error.detail);
  };

  const send = async (chosen: File, alt: string) => {
    const name = chosen.name;
    setAlert('');
    if (chosen.size > MAX_MIB * 1024 * 1024) {
      // Refused here rather than sending megabytes the server would stop reading.
      const values = { limit: MAX_MIB };
      const reason = problemSentence(formatMessage(locale, 'errors.image_too_large.title', values), formatMessage(locale, 'errors.image_too_large.detail', values));
      setAlert(w('workspace.image.failed', { name, reason }));
      onSettled();
      return;
    }
    setSending(true);
    setStatus(w('workspace.image.sending'));
    try {
      const image = await imagesApi.upload(documentId, chosen);
      // The editor may have gone meanwhile (content replaced: a new editor) or turned read-only
      // (role lowered, session ended): then nothing is inserted.
      if (editor.isDestroyed || !editor.isEditable) return;
      editor.chain().focus().insertContent({ type: 'image', attrs: { src: image.url, alt } }).command(cursorAfterImage).run();
      setStatus(w('workspace.image.inserted', { name: alt || name }));
    } catch (error) {
      setStatus('');
      setAlert(w('workspace.image.failed', { name, reason: reasonOf(error) }));
      if (!editor.isDestroyed) editor.commands.focus();
    } finally {
      setSending(false);
      onSettled();
    }
  };

  const cancel = () => {
    onSettled();
    editor.commands.focus();
  };

  return (
    <>
      <p role="status" className="ws-status ws-image-status">
        {status}
      </p>
      <p role="alert" className="ws-alert ws-image-alert">
        {alert}
      </p>
      {next && (
        <AltForm
          key={next.key}
          file={next.file}
          waiting={queue.length - 1}
          sending={sending}
          onSubmit={(alt) => void send(next.file, alt)}
          onCancel={cancel}
        />
      )}
    </>
  );
}

function AltForm(props: { file: File; waiting: number; sending: boolean; onSubmit: (alt: string) => void; onCancel: () => void }) {
  const { file, sending } = props;
  const { w } = useWorkspaceText();
  const [alt, setAlt] = useState(() => defaultAlt(file.name));
  const id = useId();
  return (
    <form
      className="ws-inline-form ws-image-form"
      aria-labelledby={`${id}-chosen`}
      onSubmit={(event) => {
        event.preventDefault();
        if (!sending) props.onSubmit(alt.trim());
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !sending) props.onCancel();
      }}
    >
      <p id={`${id}-chosen`} className="ws-image-chosen">
        {w('workspace.image.chosen', { name: file.name })}
        {props.waiting > 0 && <span className="ws-muted"> {w('workspace.image.waiting', { count: props.waiting })}</span>}
      </p>
      <label htmlFor={`${id}-alt`}>{w('workspace.image.alt')}</label>
      <input
        id={`${id}-alt`}
        value={alt}
        maxLength={500}
        aria-describedby={`${id}-hint`}
        // biome-ignore lint/a11y/noAutofocus: the agent just chose this image; its description comes next
        autoFocus
        onFocus={(event) => event.target.select()}
        onChange={(event) => setAlt(event.target.value)}
        readOnly={sending}
      />
      <p id={`${id}-hint`} className="ws-muted ws-image-hint">
        {w('workspace.image.altHint')}
      </p>
      <button type="submit" className="button button-small" disabled={sending}>
        {w('workspace.image.confirm')}
      </button>
      <button type="button" className="button button-small button-secondary" disabled={sending} onClick={props.onCancel}>
        {w('workspace.cancel')}
      </button>
    </form>
  );
}
