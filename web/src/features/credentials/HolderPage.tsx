import type { CredentialType, IssuedCredentialSummary } from '@entente/common/credentials.ts';
import type { AssessmentSummary } from '@entente/common/skills.ts';
import { useCallback, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { PATHS } from '../../app/routes.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { useFocusAfterRender } from '../../ui/focus-after-render.ts';
import { AccountPage, ActionOutcome } from '../account/AccountPage.tsx';
import { useLoad } from '../account/useLoad.ts';
import { loadCredentials, loadLatestAssessment, loadMe, revokeCredential } from './api.ts';
import './credentials.css';
import { downloadText, obtainCredential } from './holder-actions.ts';
import { PresentPanel } from './PresentPanel.tsx';
import { QrCode } from './QrCode.tsx';
import { WalletOfferPanel } from './WalletOfferPanel.tsx';
import { type CredentialsText, useCredentialsText } from './text.ts';
import { findHolderKey, type HolderKey, type StoredCredential, storedCredentials, walletSupported } from './wallet-store.ts';

interface HolderData {
  me: { principalId: string; jurisdiction: 'FR' | 'QC' };
  issued: IssuedCredentialSummary[];
  local: StoredCredential[];
  key: HolderKey | null;
  latest: AssessmentSummary | null;
}

async function loadHolder(signal: AbortSignal): Promise<HolderData> {
  const me = await loadMe(signal);
  const supported = walletSupported();
  const [issued, latest, local, key] = await Promise.all([
    loadCredentials(signal),
    loadLatestAssessment(signal),
    supported ? storedCredentials(me.principalId) : Promise.resolve([]),
    supported ? findHolderKey(me.principalId) : Promise.resolve(null),
  ]);
  return { me, issued, local, key, latest };
}

function statusText(text: CredentialsText, item: IssuedCredentialSummary): string {
  if (item.status === 'valid') return text.c('credentials.status.valid');
  if (item.status === 'expired') return text.c('credentials.status.expired');
  const date = item.revokedAt ? text.date(item.revokedAt) : '';
  return item.revokedBy ? text.c(`credentials.status.revokedBy.${item.revokedBy}`, { date }) : text.c('credentials.status.revoked', { date });
}

/**
 * « Mes attestations » (/profil/attestations): the device's key, getting an attestation of each
 * type (into this browser, or offered to an external wallet), the agent's attestations (server list, with the copies this browser holds), download,
 * QR code, revocation, and presenting one to a verifier.
 */
export function HolderPage() {
  const text = useCredentialsText();
  const { c } = text;
  const { loaded, reload } = useLoad(loadHolder);
  const [busy, setBusy] = useState<CredentialType | 'revoke' | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [qrFor, setQrFor] = useState<string | null>(null);
  const [presentId, setPresentId] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<IssuedCredentialSummary | null>(null);
  const presentHeading = useRef<HTMLHeadingElement>(null);
  const listHeading = useRef<HTMLHeadingElement>(null);
  // The buttons are disabled while the work runs, which drops the keyboard to <body>: it goes on
  // to what the action made (the presentation panel) or changed (the list), once shown.
  const focusAfterRender = useFocusAfterRender();
  const ids = { key: useId(), obtain: useId(), wallet: useId(), list: useId(), present: useId(), qr: useId() };

  const obtain = useCallback(
    async (data: HolderData, type: CredentialType) => {
      setBusy(type);
      setStatus(c('credentials.obtain.working'));
      setError('');
      try {
        const stored = await obtainCredential({
          principalId: data.me.principalId,
          jurisdiction: data.me.jurisdiction,
          type,
          ...(type === 'digital-skills' && data.latest ? { assessmentId: data.latest.id } : {}),
        });
        await reload();
        setPresentId(stored.id);
        setStatus(c('credentials.obtain.done', { type: text.typeName(type) }));
        focusAfterRender(() => presentHeading.current);
      } catch (failure) {
        setStatus('');
        setError(c('credentials.obtain.failed', { reason: text.problem(failure) }));
      } finally {
        setBusy(null);
      }
    },
    [c, reload, text],
  );

  const revoke = async (item: IssuedCredentialSummary) => {
    setRevoking(null);
    setBusy('revoke');
    setStatus('');
    setError('');
    try {
      await revokeCredential(item.id);
      await reload();
      setStatus(c('credentials.revoke.done'));
      focusAfterRender(() => listHeading.current);
    } catch (failure) {
      setError(c('credentials.revoke.failed', { reason: text.problem(failure) }));
    } finally {
      setBusy(null);
    }
  };

  return (
    <AccountPage title={c('credentials.holder.title')} loaded={loaded}>
      {(data) => {
        const localById = new Map(data.local.map((item) => [item.id, item]));
        const statuses = new Map(data.issued.map((item) => [item.id, item.status]));
        const qrCredential = qrFor ? localById.get(qrFor) : undefined;
        const label = (item: IssuedCredentialSummary) => ({ type: text.typeName(item.type), date: text.date(item.issuedAt) });
        return (
          <div className="credentials" data-credentials-state="ready">
            <p className="lead">{c('credentials.holder.intro')}</p>

            <section aria-labelledby={ids.key}>
              <h2 id={ids.key}>{c('credentials.key.heading')}</h2>
              <p>{c('credentials.key.explain')}</p>
              <p className="hint" data-holder-key={data.key ? 'ready' : 'none'}>
                {!walletSupported()
                  ? c('credentials.key.unsupported')
                  : data.key
                    ? c('credentials.key.ready', { thumbprint: data.key.thumbprint.slice(0, 12) })
                    : c('credentials.key.none')}
              </p>
            </section>

            <section aria-labelledby={ids.obtain}>
              <h2 id={ids.obtain}>{c('credentials.obtain.heading')}</h2>
              <p className="credentials-actions">
                <button type="button" className="button" disabled={busy !== null || !walletSupported()} onClick={() => void obtain(data, 'public-agent')}>
                  {c('credentials.obtain.publicAgent')}
                </button>
                {data.latest && (
                  <button
                    type="button"
                    className="button button-secondary"
                    disabled={busy !== null || !walletSupported()}
                    onClick={() => void obtain(data, 'digital-skills')}
                  >
                    {c('credentials.obtain.skills')}
                  </button>
                )}
              </p>
              {data.latest?.completedAt ? (
                <p className="hint">{c('credentials.obtain.skillsFor', { date: text.date(data.latest.completedAt) })}</p>
              ) : (
                <p className="hint">
                  {c('credentials.obtain.skillsNone')} <Link to={PATHS.skills}>{c('credentials.obtain.skillsLink')}</Link>
                </p>
              )}
              <ActionOutcome status={status} error={error} />
            </section>

            <section aria-labelledby={ids.wallet}>
              <h2 id={ids.wallet}>{c('credentials.wallet.heading')}</h2>
              <WalletOfferPanel assessmentId={data.latest?.id ?? null} />
            </section>

            <section aria-labelledby={ids.list}>
              <h2 id={ids.list} ref={listHeading} tabIndex={-1}>{c('credentials.list.heading')}</h2>
              {data.issued.length === 0 ? (
                <p>{c('credentials.list.empty')}</p>
              ) : (
                <div className="credentials-table-wrap">
                  <table className="credentials-table">
                    <caption>{c('credentials.list.caption', { count: data.issued.length })}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{c('credentials.col.type')}</th>
                        <th scope="col">{c('credentials.col.issuer')}</th>
                        <th scope="col">{c('credentials.col.issued')}</th>
                        <th scope="col">{c('credentials.col.expires')}</th>
                        <th scope="col">{c('credentials.col.status')}</th>
                        <th scope="col">{c('credentials.col.copy')}</th>
                        <th scope="col">{c('credentials.col.actions')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.issued.map((item) => {
                        const local = localById.get(item.id);
                        return (
                          <tr key={item.id} data-credential-id={item.id} data-status={item.status}>
                            <th scope="row">{text.typeName(item.type)}</th>
                            <td>{c(`credentials.jurisdiction.${item.jurisdiction}`)}</td>
                            <td>{text.date(item.issuedAt)}</td>
                            <td>{text.date(item.expiresAt)}</td>
                            <td className={`credentials-status credentials-status-${item.status}`}>{statusText(text, item)}</td>
                            <td>{local ? c('credentials.copy.here') : c('credentials.copy.missing')}</td>
                            <td className="credentials-row-actions">
                              {local && (
                                <>
                                  <button
                                    type="button"
                                    className="button button-secondary button-small"
                                    aria-label={c('credentials.action.downloadLabel', label(item))}
                                    onClick={() => downloadText(local.credential, `entente-${item.type}-${item.issuedAt.slice(0, 10)}.sd-jwt`)}
                                  >
                                    {c('credentials.action.download')}
                                  </button>
                                  <button
                                    type="button"
                                    className="button button-secondary button-small"
                                    aria-label={c('credentials.action.qrLabel', label(item))}
                                    aria-expanded={qrFor === item.id}
                                    aria-controls={qrFor === item.id ? ids.qr : undefined}
                                    onClick={() => setQrFor(qrFor === item.id ? null : item.id)}
                                  >
                                    {c('credentials.action.qr')}
                                  </button>
                                </>
                              )}
                              {local && item.status === 'valid' && (
                                <button
                                  type="button"
                                  className="button button-secondary button-small"
                                  aria-label={c('credentials.action.presentLabel', label(item))}
                                  onClick={() => {
                                    setPresentId(item.id);
                                    presentHeading.current?.focus();
                                  }}
                                >
                                  {c('credentials.action.present')}
                                </button>
                              )}
                              {item.status === 'valid' && (
                                <button
                                  type="button"
                                  className="button button-danger button-small"
                                  disabled={busy !== null}
                                  aria-label={c('credentials.action.revokeLabel', label(item))}
                                  onClick={() => setRevoking(item)}
                                >
                                  {c('credentials.action.revoke')}
                                </button>
                              )}
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              )}
              {qrCredential && (
                <div id={ids.qr} className="credentials-qr-panel">
                  <h3>{c('credentials.view.heading', { type: text.typeName(qrCredential.type), date: text.date(qrCredential.issuedAt) })}</h3>
                  <QrCode text={qrCredential.credential} what={text.typeName(qrCredential.type)} />
                  <button type="button" className="button button-secondary button-small" onClick={() => setQrFor(null)}>
                    {c('credentials.view.close')}
                  </button>
                </div>
              )}
            </section>

            <section aria-labelledby={ids.present}>
              <h2 id={ids.present} ref={presentHeading} tabIndex={-1}>
                {c('credentials.present.heading')}
              </h2>
              <PresentPanel credentials={data.local} statuses={statuses} selectedId={presentId} onSelect={setPresentId} />
            </section>

            <ConfirmDialog
              open={revoking !== null}
              title={c('credentials.revoke.title')}
              text={c('credentials.revoke.text')}
              cancelLabel={c('credentials.revoke.cancel')}
              confirmLabel={c('credentials.revoke.confirm')}
              onConfirm={() => revoking && void revoke(revoking)}
              onCancel={() => setRevoking(null)}
            />
          </div>
        );
      }}
    </AccountPage>
  );
}
