import { useId, useMemo } from 'react';
import { encode } from 'uqr';
import { useCredentialsText } from './text.ts';

/** One SVG path of the dark modules: drawn by React, so nothing inline escapes the page's CSP. */
function qrPath(text: string): { size: number; d: string } | null {
  try {
    const { data, size } = encode(text, { ecc: 'L', border: 2 });
    const parts: string[] = [];
    for (const [y, row] of data.entries()) {
      for (const [x, dark] of row.entries()) if (dark) parts.push(`M${x} ${y}h1v1h-1z`);
    }
    return { size, d: parts.join('') };
  } catch {
    return null; // longer than a QR code holds (about 2,900 characters)
  }
}

/**
 * A text as a QR code, with the same text beside it (its text alternative, to copy or read out),
 * or, when the text is too long for one code, a sentence saying so.
 */
export function QrCode({ text, what }: { text: string; what: string }) {
  const { c } = useCredentialsText();
  const qr = useMemo(() => qrPath(text), [text]);
  const textId = useId();
  return (
    <figure className="credentials-qr">
      {qr ? (
        <svg
          role="img"
          aria-label={c('credentials.qr.label', { what })}
          viewBox={`0 0 ${qr.size} ${qr.size}`}
          shapeRendering="crispEdges"
          className="credentials-qr-code"
        >
          <rect width={qr.size} height={qr.size} fill="#fff" />
          <path d={qr.d} fill="#000" />
        </svg>
      ) : (
        <p className="notice">{c('credentials.qr.tooLong', { length: text.length })}</p>
      )}
      <figcaption>
        <label htmlFor={textId}>{c('credentials.qr.text')}</label>
        <textarea id={textId} readOnly rows={4} value={text} className="credentials-text" spellCheck={false} />
      </figcaption>
    </figure>
  );
}
