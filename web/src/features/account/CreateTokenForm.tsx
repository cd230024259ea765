import { type FormEvent, useId, useState } from 'react';
import { Problem, send } from '../../app/api.ts';
import { type AccessToken, TOKEN_SCOPES, type TokenScope } from './api.ts';
import { useAccountText } from './text.ts';

/** The durations offered; the server accepts 1 to 365 days. */
export const EXPIRY_DAYS = [7, 30, 90, 365] as const;

type Field = 'label' | 'scopes' | 'expiresInDays';

/**
 * The form that creates a token. Validated here first, in the page's language (the browser's own
 * bubbles would speak the browser's language), then by the server, whose field errors are shown
 * next to their field and whose other problems above the form.
 */
export function CreateTokenForm({ onCreated }: { onCreated: (token: AccessToken & { token: string }) => void }) {
  const text = useAccountText();
  const { a } = text;
  const id = useId();
  const [label, setLabel] = useState('');
  const [scopes, setScopes] = useState<ReadonlySet<TokenScope>>(new Set(['api:read']));
  const [days, setDays] = useState<number>(30);
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [problem, setProblem] = useState<{ title: string; detail: string } | null>(null);

  function toggle(scope: TokenScope, on: boolean) {
    const next = new Set(scopes);
    if (on) next.add(scope);
    else next.delete(scope);
    setScopes(next);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setProblem(null);
    const errors: Partial<Record<Field, string>> = {};
    if (!label.trim()) errors.label = a('account.tokens.labelRequired');
    if (scopes.size === 0) errors.scopes = a('account.tokens.scopesRequired');
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) {
      // Focus the first field in error, so that its message is read.
      const first = errors.label ? `${id}-label` : `${id}-scope-${TOKEN_SCOPES[0]}`;
      document.getElementById(first)?.focus();
      return;
    }
    setBusy(true);
    try {
      const created = await send<AccessToken & { token: string }>('POST', '/api/me/tokens', {
        label: label.trim(),
        scopes: TOKEN_SCOPES.filter((s) => scopes.has(s)),
        expiresInDays: days,
      });
      if (created) {
        setLabel('');
        onCreated(created);
      }
    } catch (error) {
      if (error instanceof Problem) {
        const fromServer: Partial<Record<Field, string>> = {};
        for (const [field, issue] of error.fields) {
          if (field === 'label' || field === 'scopes' || field === 'expiresInDays') fromServer[field] = text.fieldError(issue);
        }
        setFieldErrors(fromServer);
        // A problem that names no field of the form (too many tokens, session expired…) goes above it.
        if (Object.keys(fromServer).length === 0) setProblem(text.problem(error));
      } else {
        setProblem({ title: a('account.tokens.failed'), detail: '' });
      }
    } finally {
      setBusy(false);
    }
  }

  const describedBy = (...ids: (string | false)[]) => ids.filter(Boolean).join(' ') || undefined;
  return (
    <form className="account-form" noValidate onSubmit={(event) => void submit(event)} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{a('account.tokens.create')}</h2>
      {problem && (
        <div className="alert alert-error" role="alert">
          <p>
            <strong>{problem.title}</strong>
          </p>
          {problem.detail && <p>{problem.detail}</p>}
        </div>
      )}
      <div className="account-field">
        <label htmlFor={`${id}-label`}>{a('account.tokens.label')}</label>
        <p className="hint" id={`${id}-label-hint`}>
          {a('account.tokens.labelHint')}
        </p>
        {fieldErrors.label && (
          <p className="field-error" id={`${id}-label-error`}>
            {fieldErrors.label}
          </p>
        )}
        <input
          id={`${id}-label`}
          name="label"
          type="text"
          maxLength={100}
          autoComplete="off"
          value={label}
          onChange={(event) => setLabel(event.target.value)}
          aria-invalid={fieldErrors.label ? true : undefined}
          aria-describedby={describedBy(`${id}-label-hint`, !!fieldErrors.label && `${id}-label-error`)}
        />
      </div>

      <fieldset
        className="account-field"
        aria-describedby={describedBy(`${id}-scopes-hint`, !!fieldErrors.scopes && `${id}-scopes-error`)}
      >
        <legend>{a('account.tokens.scopes')}</legend>
        <p className="hint" id={`${id}-scopes-hint`}>
          {a('account.tokens.scopesHint')}
        </p>
        {fieldErrors.scopes && (
          <p className="field-error" id={`${id}-scopes-error`}>
            {fieldErrors.scopes}
          </p>
        )}
        {TOKEN_SCOPES.map((scope) => (
          <div key={scope} className="account-choice">
            <input
              id={`${id}-scope-${scope}`}
              type="checkbox"
              name="scopes"
              value={scope}
              checked={scopes.has(scope)}
              onChange={(event) => toggle(scope, event.target.checked)}
              aria-invalid={fieldErrors.scopes ? true : undefined}
              aria-describedby={`${id}-scope-${scope}-hint`}
            />
            <label htmlFor={`${id}-scope-${scope}`}>
              {a(`account.tokens.scope.${scope}`)} <code>{scope}</code>
            </label>
            <p className="hint" id={`${id}-scope-${scope}-hint`}>
              {a(`account.tokens.scope.${scope}.hint`)}
            </p>
          </div>
        ))}
      </fieldset>

      <fieldset className="account-field" aria-describedby={fieldErrors.expiresInDays ? `${id}-expiry-error` : undefined}>
        <legend>{a('account.tokens.expiry')}</legend>
        {fieldErrors.expiresInDays && (
          <p className="field-error" id={`${id}-expiry-error`}>
            {fieldErrors.expiresInDays}
          </p>
        )}
        <div className="account-inline-choices">
          {EXPIRY_DAYS.map((value) => (
            <div key={value} className="account-choice">
              <input
                id={`${id}-days-${value}`}
                type="radio"
                name="expiresInDays"
                value={value}
                checked={days === value}
                onChange={() => setDays(value)}
              />
              <label htmlFor={`${id}-days-${value}`}>{a('account.tokens.days', { days: value })}</label>
            </div>
          ))}
        </div>
      </fieldset>

      <button type="submit" className="button" disabled={busy}>
        {busy ? a('account.tokens.creating') : a('account.tokens.submit')}
      </button>
    </form>
  );
}
