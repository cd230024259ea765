import { type ReactNode, useId, useRef, useState } from 'react';
import { useWorkspaceText } from './text.ts';

/**
 * One labelled text field and its button, on one line (a new document's title, a rename, a
 * version's name). A blank value is said under the field, with the keyboard put back there, rather
 * than ignored or left to the browser's bubble (which speaks the browser's language, not the
 * page's). `onSubmit` gets the trimmed value and says whether it was taken (the field then empties).
 */
export function InlineTextForm({
  label,
  labelHidden = false,
  submitLabel,
  initial = '',
  onSubmit,
  onEscape,
  autoFocus = false,
  className = '',
  children,
}: {
  label: string;
  labelHidden?: boolean;
  submitLabel: string;
  initial?: string;
  onSubmit: (value: string) => Promise<boolean>;
  onEscape?: () => void;
  autoFocus?: boolean;
  className?: string;
  /** More buttons after the submit one (« Annuler »). */
  children?: ReactNode;
}) {
  const { fieldError } = useWorkspaceText();
  const [value, setValue] = useState(initial);
  const [error, setError] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const errorId = useId();
  return (
    <form
      className={`ws-inline-form ${className}`.trim()}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const trimmed = value.trim();
        setError('');
        if (!trimmed) {
          setError(fieldError({ code: 'required' }));
          input.current?.focus();
          return;
        }
        void onSubmit(trimmed).then((taken) => taken && setValue(''));
      }}
    >
      <label htmlFor={inputId} className={labelHidden ? 'ws-sr-only' : undefined}>
        {label}
      </label>
      <input
        ref={input}
        id={inputId}
        value={value}
        maxLength={200}
        required
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        // biome-ignore lint/a11y/noAutofocus: only when the agent just asked for this field (« Renommer »)
        autoFocus={autoFocus}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && onEscape) onEscape();
        }}
      />
      <button type="submit" className="button button-small">
        {submitLabel}
      </button>
      {children}
      {error && (
        <p id={errorId} className="ws-field-error">
          {error}
        </p>
      )}
    </form>
  );
}
