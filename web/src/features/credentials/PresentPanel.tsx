import { type FormEvent, useCallback, useEffect, useId, useMemo, useState } from 'react';
import { CopyButton } from './CopyButton.tsx';
import { QrCode } from './QrCode.tsx';
import { QrScanner } from './QrScanner.tsx';
import { parseVerifierRequest } from './request-text.ts';
import { presentSdJwt } from './sd-jwt.ts';
import { useCredentialsText } from './text.ts';
import { findHolderKey, type StoredCredential } from './wallet-store.ts';
import { useFocusAfterRender } from '../../ui/focus-after-render.ts';

/** Claims every SD-JWT VC carries for the machinery (issuer, dates, key, status): not the holder's choice. */
const TECHNICAL = new Set(['iss', 'iat', 'nbf', 'exp', 'cnf', 'status', 'vct', '_sd', '_sd_alg']);

/** The top-level claims the type always shows (e.g. `public_agent`): nothing disclosable at or under them. */
export function alwaysShown(credential: StoredCredential): string[] {
  return Object.keys(credential.claims).filter(
    (name) => !TECHNICAL.has(name) && !credential.disclosable.some((path) => path === name || path.startsWith(`${name}.`)),
  );
}

/**
 * The disclosable paths with each claim's parts right under it (`organisation`, then
 * `organisation.name`…), in the order the issuer listed the claims.
 */
export function groupedPaths(paths: readonly string[]): string[] {
  const top = (path: string) => path.split('.')[0] ?? path;
  const tops = [...new Set(paths.map(top))];
  return [...paths].sort((a, b) => tops.indexOf(top(a)) - tops.indexOf(top(b)) || a.split('.').length - b.split('.').length);
}

/**
 * The choices offered for the disclosable paths: a pattern `areas.*` becomes one choice per member
 * the credential holds (`areas.1`, `areas.2`…), so that one area's level can be shown alone. Members
 * whose key holds a dot (competence `1.1`) cannot be named by a dotted path: their pattern is left
 * out, the whole object (`competences`) remains a choice.
 */
export function choicePaths(disclosable: readonly string[], claims: Record<string, unknown>): string[] {
  return disclosable.flatMap((path) => {
    if (!path.endsWith('.*')) return [path];
    let parent: unknown = claims;
    for (const segment of path.slice(0, -2).split('.')) {
      parent = parent !== null && typeof parent === 'object' ? (parent as Record<string, unknown>)[segment] : undefined;
    }
    if (parent === null || typeof parent !== 'object' || Array.isArray(parent)) return [];
    const keys = Object.keys(parent);
    return keys.some((key) => key.includes('.')) ? [] : keys.map((key) => `${path.slice(0, -2)}.${key}`);
  });
}

/**
 * « Présenter une attestation »: the verifier's request (nonce and audience), the claims to
 * disclose (only those ticked leave the device), then the presentation — the SD-JWT with the kept
 * disclosures and a key-binding JWT signed with this device's key — as text and as a QR code.
 */
export function PresentPanel({ credentials, statuses, selectedId, onSelect }: {
  credentials: StoredCredential[];
  /** The server's word on each (valid, revoked, expired): a holder may still try, a verifier will refuse. */
  statuses: ReadonlyMap<string, string>;
  selectedId: string | null;
  onSelect: (id: string) => void;
}) {
  const text = useCredentialsText();
  const { c } = text;
  const ids = { credential: useId(), request: useId(), requestHint: useId(), requestError: useId(), claimsHint: useId(), result: useId() };
  const [requestText, setRequestText] = useState('');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [requestError, setRequestError] = useState(false);
  const [presentation, setPresentation] = useState<string | null>(null);

  const scanned = useCallback((value: string) => {
    setRequestText(value);
    setRequestError(false);
    setPresentation(null);
  }, []);
  const credential =
    credentials.find((item) => item.id === selectedId) ??
    credentials.find((item) => statuses.get(item.id) === 'valid') ??
    credentials[0] ??
    null;
  const statusOf = (item: StoredCredential) => statuses.get(item.id) ?? 'valid';
  const parsed = useMemo(() => parseVerifierRequest(requestText), [requestText]);
  const always = credential ? alwaysShown(credential) : [];

  // Another credential, another set of claims: nothing carried over, nothing shown from before.
  useEffect(() => {
    setChosen(new Set());
    setPresentation(null);
  }, [credential?.id]);
  // Revoked meanwhile: the presentation on screen would be refused; it goes.
  const credentialStatus = credential ? statusOf(credential) : null;
  useEffect(() => {
    if (credentialStatus !== 'valid') setPresentation(null);
  }, [credentialStatus]);

  const focusAfterRender = useFocusAfterRender();

  if (!credential) return <p>{c('credentials.present.noLocal')}</p>;

  const toggle = (path: string, on: boolean) => {
    setPresentation(null);
    setChosen((previous) => {
      const next = new Set(previous);
      if (on) next.add(path);
      else next.delete(path);
      return next;
    });
  };

  const build = async (event: FormEvent) => {
    event.preventDefault();
    setStatus('');
    setError('');
    setPresentation(null);
    if (!parsed) {
      setRequestError(true);
      document.getElementById(ids.request)?.focus();
      return;
    }
    setRequestError(false);
    setBusy(true);
    try {
      const key = await findHolderKey(credential.principalId);
      if (!key || key.thumbprint !== credential.keyThumbprint) {
        setError(c('credentials.present.noKey'));
        return;
      }
      const disclose = choicePaths(credential.disclosable, credential.claims).filter((path) => chosen.has(path));
      const result = await presentSdJwt(credential.credential, {
        disclose,
        holderKey: { key: key.privateKey, alg: 'ES256' },
        nonce: parsed.nonce,
        aud: parsed.audience,
      });
      setPresentation(result);
      setStatus(c('credentials.present.built', { count: disclose.length }));
      // The button was disabled meanwhile (the keyboard fell to <body>): on to the presentation made.
      focusAfterRender(() => document.getElementById(ids.result));
    } catch (failure) {
      setError(c('credentials.present.failed', { reason: text.problem(failure) }));
    } finally {
      setBusy(false);
    }
  };

  const depth = (path: string) => path.split('.').length - 1;

  return (
    <form className="credentials-present" onSubmit={build} noValidate>
      <p>{c('credentials.present.intro')}</p>
      <p className="credentials-field">
        <label htmlFor={ids.credential}>{c('credentials.present.credential')}</label>
        <select id={ids.credential} value={credential.id} onChange={(event) => onSelect(event.target.value)}>
          {credentials.map((item) => (
            <option key={item.id} value={item.id}>
              {c('credentials.view.heading', { type: text.typeName(item.type), date: text.date(item.issuedAt) })}
              {statusOf(item) === 'valid' ? '' : ` — ${c(statusOf(item) === 'expired' ? 'credentials.status.expired' : 'credentials.present.revoked')}`}
            </option>
          ))}
        </select>
      </p>
      {statusOf(credential) !== 'valid' && <p className="notice">{c('credentials.present.notValid')}</p>}
      <p className="credentials-field">
        <label htmlFor={ids.request}>{c('credentials.present.request')}</label>
        <span id={ids.requestHint} className="hint">
          {c('credentials.present.requestHint')}
        </span>
        <textarea
          id={ids.request}
          rows={4}
          className="credentials-text"
          spellCheck={false}
          value={requestText}
          aria-invalid={requestError || undefined}
          aria-describedby={requestError ? `${ids.requestHint} ${ids.requestError}` : ids.requestHint}
          onChange={(event) => {
            setRequestText(event.target.value);
            setRequestError(false);
            setPresentation(null);
          }}
        />
        {requestError && (
          <span id={ids.requestError} className="credentials-field-error">
            {c('credentials.present.requestInvalid')}
          </span>
        )}
        <QrScanner onText={scanned} />
        {parsed && <span className="hint credentials-request-for">{c('credentials.present.requestFor', { audience: parsed.audience, nonce: parsed.nonce })}</span>}
      </p>
      <fieldset className="credentials-claims" aria-describedby={ids.claimsHint}>
        <legend>{c('credentials.present.claims')}</legend>
        <p id={ids.claimsHint} className="hint">
          {c('credentials.present.claimsHint')}
        </p>
        {always.length > 0 && (
          <p className="hint">{c('credentials.present.always', { claims: always.map(text.claimLabel).join(', ') })}</p>
        )}
        <ul>
          {groupedPaths(choicePaths(credential.disclosable, credential.claims)).map((path) => (
            <li key={path} className={`credentials-claim depth-${Math.min(depth(path), 3)}`}>
              <label>
                <input
                  type="checkbox"
                  name="disclose"
                  value={path}
                  checked={chosen.has(path)}
                  onChange={(event) => toggle(path, event.target.checked)}
                />{' '}
                {text.claimLabel(path)}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <p>
        <button type="submit" className="button" disabled={busy}>
          {busy ? c('credentials.obtain.working') : c('credentials.present.build')}
        </button>
      </p>
      <p role="status" className={status ? 'alert' : 'credentials-status-empty'}>
        {status}
      </p>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {presentation && (
        <section aria-labelledby={ids.result} className="credentials-presentation">
          <h3 id={ids.result} tabIndex={-1}>
            {c('credentials.present.result')}
          </h3>
          <CopyButton text={presentation} label={c('credentials.present.copy')} />
          <QrCode text={presentation} what={c('credentials.present.result')} />
        </section>
      )}
    </form>
  );
}
