import { useState } from 'react';
import { useCredentialsText } from './text.ts';

/** Copies a text to the clipboard and says so (or that it failed) in a live region. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const { c } = useCredentialsText();
  const [said, setSaid] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setSaid(c('credentials.present.copied'));
    } catch {
      setSaid(c('credentials.present.copyFailed'));
    }
  };
  return (
    <p className="credentials-copy">
      <button type="button" className="button button-secondary button-small" onClick={() => void copy()}>
        {label}
      </button>{' '}
      <span role="status">{said}</span>
    </p>
  );
}
