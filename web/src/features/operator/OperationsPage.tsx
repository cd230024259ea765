import { useCallback, useEffect, useId, useState } from 'react';
import { Page } from '../../app/Page.tsx';
import '../../ui/admin.css';
import { getJson, Problem, send } from '../../app/api.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import type { Organisation } from '../organisations/api.ts';
import { useAdminText } from '../organisations/text.ts';
import { AiRegisterLink } from '../assistant/usage/Links.tsx'; // AI register (helper C)

/**
 * « Exploitation » (operators): organisations created at a first sign-in, waiting for an operator
 * to check them and confirm them.
 */
export function OperationsPage() {
  const { m, problem } = useAdminText();
  const [pending, setPending] = useState<Organisation[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [status, setStatus] = useState('');
  const [alert, setAlert] = useState('');
  const headingId = useId();
  const agentId = useId();
  const agentHintId = useId();
  const [principalId, setPrincipalId] = useState('');
  const [confirmingDisable, setConfirmingDisable] = useState(false);

  const load = useCallback(async () => {
    try {
      setPending((await getJson<{ organisations: Organisation[] }>('/api/admin/organisations?confirmed=false')).organisations);
      setLoadError(null);
    } catch (error) {
      setLoadError(error);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const title = m('admin.ops.title');
  if (loadError) {
    const signedOut = loadError instanceof Problem && loadError.status === 401;
    const denied = loadError instanceof Problem && loadError.status === 403;
    return (
      <Page title={title}>
        <p role="alert">{signedOut ? m('admin.signInNeeded') : denied ? m('admin.ops.notAllowed') : m('admin.loadFailed', { reason: problem(loadError) })}</p>
      </Page>
    );
  }

  async function confirm(organisation: Organisation) {
    setStatus('');
    setAlert('');
    try {
      await send('POST', `/api/admin/organisations/${encodeURIComponent(organisation.id)}/confirm`);
      await load();
      setStatus(m('admin.ops.confirmed', { name: organisation.name }));
      document.getElementById(headingId)?.focus(); // the confirmed row (and its button) is gone
    } catch (error) {
      setAlert(problem(error));
    }
  }

  async function setAgent(verb: 'disable' | 'enable') {
    setStatus('');
    setAlert('');
    try {
      await send('POST', `/api/admin/agents/${encodeURIComponent(principalId.trim())}/${verb}`);
      setStatus(m(verb === 'disable' ? 'admin.ops.disabled' : 'admin.ops.enabled'));
    } catch (error) {
      setAlert(problem(error));
    }
  }

  return (
    <Page title={title} className="admin">
      <p>{m('admin.ops.intro')}</p>
      <AiRegisterLink /> {/* AI register (helper C) */}
      <p role="status" aria-live="polite" className="admin-status">
        {status}
      </p>
      <p role="alert" className="admin-alert">
        {alert}
      </p>
      <section aria-labelledby={headingId}>
        <h2 id={headingId} tabIndex={-1}>
          {m('admin.ops.pendingHeading')}
        </h2>
        {pending === null && <p role="status">{m('admin.loading')}</p>}
        {pending?.length === 0 && <p>{m('admin.ops.none')}</p>}
        <ul className="admin-cards">
          {pending?.map((organisation) => (
            <li key={organisation.id} className="admin-card">
              <h3>{organisation.name}</h3>
              <p>
                {organisation.siret ? m('admin.ops.siret', { id: organisation.siret }) : m('admin.ops.neq', { id: organisation.neq ?? '' })} —{' '}
                {m('admin.ops.members', { count: organisation.members ?? 0 })}
              </p>
              <p>{m('admin.ops.domains', { domains: organisation.emailDomains.join(', ') })}</p>
              <button type="button" className="button" onClick={() => void confirm(organisation)}>
                {m('admin.ops.confirm', { name: organisation.name })}
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby={`${agentId}-heading`}>
        <h2 id={`${agentId}-heading`}>{m('admin.ops.agentsHeading')}</h2>
        <p>{m('admin.ops.agentsIntro')}</p>
        <form className="admin-inline-form" onSubmit={(event) => event.preventDefault()}>
          <label htmlFor={agentId}>{m('admin.ops.principalId')}</label>
          <p id={agentHintId} className="admin-hint">
            {m('admin.ops.principalIdHint')}
          </p>
          <input
            id={agentId}
            value={principalId}
            required
            maxLength={36}
            spellCheck={false}
            autoComplete="off"
            aria-describedby={agentHintId}
            onChange={(e) => setPrincipalId(e.target.value)}
          />
          <button type="button" className="button button-danger" onClick={() => principalId.trim() && setConfirmingDisable(true)}>
            {m('admin.ops.disable')}
          </button>
          <button type="button" className="button button-secondary" onClick={() => void setAgent('enable')}>
            {m('admin.ops.enable')}
          </button>
        </form>
      </section>
      <ConfirmDialog
        open={confirmingDisable}
        title={m('admin.ops.disableTitle')}
        text={m('admin.ops.disableText', { principalId: principalId.trim() })}
        cancelLabel={m('admin.cancel')}
        confirmLabel={m('admin.ops.disableConfirm')}
        onCancel={() => setConfirmingDisable(false)}
        onConfirm={() => {
          setConfirmingDisable(false);
          void setAgent('disable');
        }}
      />
    </Page>
  );
}
