import type { VerificationView, VerifierRequest } from '@entente/common/credentials.ts';
import { type FormEvent, useId, useRef, useState } from 'react';
import { Problem } from '../../app/api.ts';
import { Page } from '../../app/Page.tsx';
import { createVerifierRequest, submitPresentation } from './api.ts';
import { CopyButton } from './CopyButton.tsx';
import './credentials.css';
import { QrCode } from './QrCode.tsx';
import { QrScanner } from './QrScanner.tsx';
import { useCredentialsText } from './text.ts';
import { VerificationResult } from './VerificationResult.tsx';

/** Far above any presentation of ours; the server refuses more than 32 KiB anyway. */
const MAX_PRESENTATION_CHARS = 32 * 1024;

/**
 * « Vérifier une attestation » (/verifier, public): a new request (nonce and audience) for the
 * holder, as text and QR code; then the presentation pasted or uploaded, and the result in words.
 */
export function VerifierPage() {
  const text = useCredentialsText();
  const { c } = text;
  const ids = {
    request: useId(),
    presentation: useId(),
    presentationError: useId(),
    file: useId(),
    requestText: useId(),
  };
  const [request, setRequest] = useState<VerifierRequest | null>(null);
  const [presentation, setPresentation] = useState('');
  const [result, setResult] = useState<VerificationView | null>(null);
  const [busy, setBusy] = useState<'request' | 'verify' | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [fieldError, setFieldError] = useState('');
  const resultHeading = useRef<HTMLHeadingElement>(null);

  const newRequest = async () => {
    setBusy('request');
    setStatus(c('credentials.verifier.creating'));
    setError('');
    setResult(null);
    setPresentation('');
    setFieldError('');
    try {
      const created = await createVerifierRequest();
      setRequest(created);
      setStatus(c('credentials.verifier.request.created', { time: text.time(created.expiresAt) }));
    } catch (failure) {
      setStatus('');
      setError(c('credentials.verifier.request.failed', { reason: text.problem(failure) }));
    } finally {
      setBusy(null);
    }
  };

  const readFile = async (file: File | undefined) => {
    if (!file) return;
    setPresentation((await file.slice(0, MAX_PRESENTATION_CHARS + 1).text()).trim());
    setFieldError('');
  };

  const verify = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    if (!request) {
      setFieldError(c('credentials.verifier.noRequest'));
      return;
    }
    if (!presentation.trim()) {
      setFieldError(c('credentials.verifier.empty'));
      document.getElementById(ids.presentation)?.focus();
      return;
    }
    setFieldError('');
    // A request serves once: a second « Vérifier » would have the server refuse it and wipe the
    // verdict already shown (UI review). The verdict stays; a new request checks another one.
    if (result) {
      setStatus(c('credentials.verifier.alreadyChecked'));
      resultHeading.current?.focus();
      return;
    }
    setBusy('verify');
    setStatus(c('credentials.verifier.checking'));
    try {
      const view = await submitPresentation(request.id, presentation.trim());
      setResult(view);
      setStatus(view.ok ? c('credentials.verifier.accepted') : c('credentials.verifier.refused'));
      // After the render: the result's heading, so that reading goes on from there.
      requestAnimationFrame(() => resultHeading.current?.focus());
    } catch (failure) {
      setStatus('');
      setError(
        failure instanceof Problem && (failure.status === 409 || failure.status === 404)
          ? c('credentials.verifier.requestUsed')
          : c('credentials.verifier.failed', { reason: text.problem(failure) }),
      );
    } finally {
      setBusy(null);
    }
  };

  return (
    <Page title={c('credentials.verifier.title')} className="credentials credentials-verifier">
      <p className="lead">{c('credentials.verifier.intro')}</p>
      <p>
        <button type="button" className="button" disabled={busy !== null} onClick={() => void newRequest()}>
          {c('credentials.verifier.new')}
        </button>
      </p>
      <p role="status" className={status ? 'alert' : 'credentials-status-empty'} data-verifier-status>
        {status}
      </p>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}

      {request && (
        <section aria-labelledby={ids.request} data-verifier-request={request.id}>
          <h2 id={ids.request}>{c('credentials.verifier.request.heading')}</h2>
          <p>{c('credentials.verifier.request.intro')}</p>
          <dl className="credentials-facts">
            <div>
              <dt>{c('credentials.verifier.request.nonce')}</dt>
              <dd className="credentials-code">{request.nonce}</dd>
            </div>
            <div>
              <dt>{c('credentials.verifier.request.audience')}</dt>
              <dd className="credentials-code">{request.audience}</dd>
            </div>
            <div>
              <dt>{c('credentials.verifier.request.expires')}</dt>
              <dd>{text.dateTime(request.expiresAt)}</dd>
            </div>
          </dl>
          <CopyButton text={request.request} label={c('credentials.verifier.request.copy')} />
          <QrCode text={request.request} what={c('credentials.verifier.request.text')} />
        </section>
      )}

      {request && (
        <form className="credentials-verify" onSubmit={verify} noValidate>
          <h2>{c('credentials.verifier.presentation.heading')}</h2>
          <p className="credentials-field">
            <label htmlFor={ids.presentation}>{c('credentials.verifier.presentation.label')}</label>
            <textarea
              id={ids.presentation}
              rows={6}
              className="credentials-text"
              spellCheck={false}
              maxLength={MAX_PRESENTATION_CHARS}
              value={presentation}
              aria-invalid={fieldError ? true : undefined}
              aria-describedby={fieldError ? ids.presentationError : undefined}
              onChange={(event) => {
                setPresentation(event.target.value);
                setFieldError('');
              }}
            />
            {fieldError && (
              <span id={ids.presentationError} className="credentials-field-error">
                {fieldError}
              </span>
            )}
          </p>
          <p className="credentials-field">
            <label htmlFor={ids.file}>{c('credentials.verifier.presentation.file')}</label>
            <input
              id={ids.file}
              type="file"
              accept=".sd-jwt,.txt,text/plain,application/dc+sd-jwt"
              onChange={(event) => void readFile(event.target.files?.[0])}
            />
          </p>
          {/* Where the browser reads QR codes (a phone, most often), the holder's QR can be scanned. */}
          <QrScanner onText={(text) => setPresentation(text.slice(0, MAX_PRESENTATION_CHARS + 1).trim())} />
          <p>
            <button type="submit" className="button" disabled={busy !== null}>
              {busy === 'verify' ? c('credentials.verifier.checking') : c('credentials.verifier.check')}
            </button>
          </p>
        </form>
      )}

      {result && <VerificationResult result={result} headingRef={resultHeading} />}
    </Page>
  );
}
