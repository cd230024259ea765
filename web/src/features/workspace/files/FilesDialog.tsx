import { type ReactNode, useEffect, useId, useRef, useState } from 'react';

interface FilesDialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  /** The element focused on opening (the first field, or the harmless button). */
  initialFocus?: () => HTMLElement | null;
  className?: string;
  children: ReactNode;
}

/**
 * A modal on the native <dialog>, as ui/ConfirmDialog.tsx: the browser keeps focus inside and
 * closes it with Escape; focus goes back to the control that opened it, if it is still there.
 */
export function FilesDialog({ open, title, onClose, initialFocus, className, children }: FilesDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const titleId = useId();
  // The latest focus chooser, without re-running the open/close effect on each render.
  const focusRef = useRef(initialFocus);
  focusRef.current = initialFocus;

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      opener.current = document.activeElement;
      element.showModal();
      focusRef.current?.()?.focus();
    } else if (!open && element.open) {
      element.close();
    }
    if (!open && opener.current instanceof HTMLElement && opener.current.isConnected) {
      opener.current.focus();
      opener.current = null;
    }
  }, [open]);

  return (
    <dialog
      ref={dialog}
      className={`confirm-dialog ws-files-dialog${className ? ` ${className}` : ''}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault(); // closed through onClose, so React's state stays the truth
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {open && children}
    </dialog>
  );
}

interface NameDialogProps {
  open: boolean;
  title: string;
  label: string;
  submitLabel: string;
  cancelLabel: string;
  initialValue: string;
  /** Saves the name; answers the error to show under the field, or null when done. */
  onSubmit: (name: string) => Promise<string | null>;
  onClose: () => void;
}

/** Asks for a name (new folder, rename): the field keeps what was typed when the server refuses it. */
export function NameDialog({ open, title, label, submitLabel, cancelLabel, initialValue, onSubmit, onClose }: NameDialogProps) {
  const inputId = useId();
  const errorId = useId();
  return (
    <FilesDialog open={open} title={title} onClose={onClose} initialFocus={() => document.getElementById(inputId)}>
      <NameForm
        inputId={inputId}
        errorId={errorId}
        label={label}
        submitLabel={submitLabel}
        cancelLabel={cancelLabel}
        initialValue={initialValue}
        onSubmit={onSubmit}
        onClose={onClose}
      />
    </FilesDialog>
  );
}

function NameForm({
  inputId,
  errorId,
  label,
  submitLabel,
  cancelLabel,
  initialValue,
  onSubmit,
  onClose,
}: Omit<NameDialogProps, 'open' | 'title'> & { inputId: string; errorId: string }) {
  const input = useRef<HTMLInputElement>(null);
  const busy = useRef(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    // A rename starts with the name selected up to its extension: typing replaces the stem only.
    const element = input.current;
    if (!element) return;
    const dot = initialValue.lastIndexOf('.');
    element.setSelectionRange(0, dot > 0 ? dot : initialValue.length);
  }, [initialValue]);
  return (
    <form
      className="ws-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (busy.current) return;
        busy.current = true;
        void onSubmit(input.current?.value ?? '').then((problem) => {
          busy.current = false;
          setError(problem);
          if (problem) input.current?.focus();
        });
      }}
    >
      <div className="ws-field">
        <label htmlFor={inputId}>{label}</label>
        <input
          ref={input}
          id={inputId}
          name="name"
          defaultValue={initialValue}
          autoComplete="off"
          maxLength={255}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
        />
        {error && (
          <p id={errorId} className="ws-field-error">
            {error}
          </p>
        )}
      </div>
      <div className="confirm-dialog-actions">
        <button type="button" className="button button-secondary" onClick={onClose}>
          {cancelLabel}
        </button>
        <button type="submit" className="button">
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
