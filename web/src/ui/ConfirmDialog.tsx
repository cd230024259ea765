import { useEffect, useId, useRef } from 'react';
import './confirm-dialog.css';

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  text: string;
  /** The harmless choice (« Annuler »), in the page's language. */
  cancelLabel: string;
  /** The destructive choice, said as what it does (« Révoquer », « Retirer »). */
  confirmLabel: string;
  onConfirm: () => void;
  /** Cancel button, Escape, or the dialog closed any other way. */
  onCancel: () => void;
}

/**
 * A modal confirmation on the native <dialog>: the browser traps focus inside and closes it with
 * Escape. Focus starts on the cancel button (the harmless choice: Enter does not destroy anything)
 * and returns to the control that opened the dialog when it closes, if that control is still there.
 */
export function ConfirmDialog({ open, title, text, cancelLabel, confirmLabel, onConfirm, onCancel }: ConfirmDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const opener = useRef<Element | null>(null);
  const titleId = useId();
  const textId = useId();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      opener.current = document.activeElement;
      element.showModal();
      cancel.current?.focus();
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
      className="confirm-dialog"
      aria-labelledby={titleId}
      aria-describedby={textId}
      onCancel={(event) => {
        event.preventDefault(); // closed through onCancel, so React's state stays the truth
        onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <p id={textId}>{text}</p>
      <div className="confirm-dialog-actions">
        <button type="button" ref={cancel} className="button button-secondary" onClick={onCancel}>
          {cancelLabel}
        </button>
        <button type="button" className="button button-danger" onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
