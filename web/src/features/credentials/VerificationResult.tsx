import type { VerificationView } from '@entente/common/credentials.ts';
import { type RefObject, useId } from 'react';
import { useCredentialsText } from './text.ts';

/** Flattens disclosed claims into rows: an object's members each get their row, by path. */
function rows(disclosed: Record<string, unknown>, prefix = ''): Array<[string, unknown]> {
  return Object.entries(disclosed).flatMap(([name, value]): Array<[string, unknown]> => {
    const path = prefix ? `${prefix}.${name}` : name;
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? rows(value as Record<string, unknown>, path)
      : [[path, value]];
  });
}

/**
 * A verification's outcome, said in words first (accepted or refused, never by colour alone), then
 * the explanation, who vouches for it, and the claims shown, in a table with their labels.
 */
export function VerificationResult({ result, headingRef }: { result: VerificationView; headingRef: RefObject<HTMLHeadingElement | null> }) {
  const text = useCredentialsText();
  const { c } = text;
  const headingId = useId();
  const disclosedRows = rows(result.disclosed);
  const state = result.issuer?.jurisdiction ? c(`credentials.jurisdiction.${result.issuer.jurisdiction}`) : null;
  return (
    <section
      aria-labelledby={headingId}
      className={`credentials-result ${result.ok ? 'credentials-result-ok' : 'credentials-result-refused'}`}
      data-verification={result.ok ? 'accepted' : 'refused'}
    >
      <h2 id={headingId} ref={headingRef} tabIndex={-1}>
        {c('credentials.verifier.result.heading')}
      </h2>
      <p className="credentials-verdict">
        <span aria-hidden="true">{result.ok ? '✓ ' : '✗ '}</span>
        {result.ok ? c('credentials.verifier.accepted') : c('credentials.verifier.refused')}
      </p>
      <p className="credentials-explanation">{result.explanation}</p>
      <dl className="credentials-facts">
        {!result.ok && result.reason && (
          <div>
            <dt>{c('credentials.verifier.reason')}</dt>
            <dd data-reason={result.reason}>{text.reason(result.reason)}</dd>
          </div>
        )}
        {/* A refused presentation vouches for nothing: the state is named only when one does, or
            when the issuer it claims is not on the trust list (so the reader sees whom it claims). */}
        {(result.ok || (result.issuer && !result.issuer.trusted)) && (
          <div>
            <dt>{c('credentials.verifier.state')}</dt>
            <dd data-vouching-state={result.ok ? (result.issuer?.jurisdiction ?? '') : ''}>
              {result.ok && state ? state : c('credentials.verifier.stateUnknown')}
            </dd>
          </div>
        )}
        {result.issuer && (
          <div>
            <dt>{c('credentials.verifier.issuer')}</dt>
            <dd>
              {result.issuer.name} (<span className="credentials-code">{result.issuer.url}</span>,{' '}
              {result.issuer.trusted ? c('credentials.verifier.trusted') : c('credentials.verifier.untrusted')})
            </dd>
          </div>
        )}
        {result.type && (
          <div>
            <dt>{c('credentials.verifier.type')}</dt>
            <dd>{text.typeName(result.type)}</dd>
          </div>
        )}
        {result.status && (
          <div>
            <dt>{c('credentials.verifier.revocation')}</dt>
            <dd>{c(`credentials.verifier.status.${result.status}`)}</dd>
          </div>
        )}
        <div>
          <dt>{c('credentials.verifier.checkedAt')}</dt>
          <dd>{text.dateTime(result.checkedAt)}</dd>
        </div>
      </dl>
      {result.ok && (
        <>
          <h3>{c('credentials.verifier.disclosed')}</h3>
          {disclosedRows.length === 0 ? (
            <p>{c('credentials.verifier.disclosedNone')}</p>
          ) : (
            <table className="credentials-table credentials-disclosed">
              <caption className="credentials-visually-hidden">{c('credentials.verifier.disclosed')}</caption>
              <thead>
                <tr>
                  <th scope="col">{c('credentials.verifier.col.claim')}</th>
                  <th scope="col">{c('credentials.verifier.col.value')}</th>
                </tr>
              </thead>
              <tbody>
                {disclosedRows.map(([path, value]) => (
                  <tr key={path} data-claim={path}>
                    <th scope="row">{text.claimLabel(path)}</th>
                    <td>{text.claimValue(path, value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
