import type { CredentialType, WalletOffer } from '@entente/common/credentials.ts';
import { useEffect, useId, useRef, useState } from 'react';
import { ActionOutcome } from '../account/AccountPage.tsx';
import { createWalletOffer } from './api.ts';
import { CopyButton } from './CopyButton.tsx';
import { QrCode } from './QrCode.tsx';
import { useCredentialsText } from './text.ts';

/**
 * « Recevoir dans un portefeuille »: an offer of the attestation to an external wallet (OpenID4VCI
 * pre-authorised code flow, server/src/identity/credentials/wallet.ts). Shows the offer as a QR
 * code and as a link (to copy, or to open in a wallet of this device), the 6-digit code to type in
 * the wallet, and until when it is valid. Nothing is kept in the browser: the wallet makes its key.
 */
export function WalletOfferPanel({ assessmentId }: { assessmentId: string | null }) {
  const text = useCredentialsText();
  const { c } = text;
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [shown, setShown] = useState<{ type: CredentialType; offer: WalletOffer } | null>(null);
  const [expired, setExpired] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const ids = { code: useId(), hint: useId() };

  useEffect(() => {
    if (!shown) return;
    setExpired(false);
    const timer = setTimeout(() => setExpired(true), Math.max(0, Date.parse(shown.offer.expiresAt) - Date.now()));
    return () => clearTimeout(timer);
  }, [shown]);
  useEffect(() => {
    if (shown) heading.current?.focus();
  }, [shown]);

  const offer = async (type: CredentialType) => {
    setBusy(true);
    setStatus(c('credentials.wallet.working'));
    setError('');
    try {
      const answer = await createWalletOffer({ type, ...(type === 'digital-skills' && assessmentId ? { assessmentId } : {}) });
      setShown({ type, offer: answer });
      setStatus(c('credentials.wallet.ready'));
    } catch (failure) {
      setStatus('');
      setShown(null);
      setError(c('credentials.wallet.failed', { reason: text.problem(failure) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="credentials-wallet" data-wallet-offer={shown ? (expired ? 'expired' : 'ready') : 'none'}>
      <p>{c('credentials.wallet.explain')}</p>
      <p className="credentials-actions">
        <button type="button" className="button button-secondary" disabled={busy} onClick={() => void offer('public-agent')}>
          {c('credentials.wallet.publicAgent')}
        </button>
        {assessmentId && (
          <button type="button" className="button button-secondary" disabled={busy} onClick={() => void offer('digital-skills')}>
            {c('credentials.wallet.skills')}
          </button>
        )}
      </p>
      <ActionOutcome status={status} error={error} />
      {shown && (
        <div className="credentials-qr-panel">
          <h3 ref={heading} tabIndex={-1}>
            {c('credentials.wallet.offerHeading', { type: text.typeName(shown.type) })}
          </h3>
          {expired ? (
            <p className="alert alert-error" role="alert">
              {c('credentials.wallet.expired')}
            </p>
          ) : (
            <>
              <p className="credentials-wallet-code">
                <span id={ids.code}>{c('credentials.wallet.code')}</span>{' '}
                <output aria-labelledby={ids.code} aria-describedby={ids.hint} data-wallet-tx-code="">
                  {shown.offer.txCode}
                </output>
              </p>
              <p id={ids.hint} className="hint">
                {c('credentials.wallet.codeHint')}
              </p>
              <p className="hint">{c('credentials.wallet.expires', { time: text.time(shown.offer.expiresAt) })}</p>
              <QrCode text={shown.offer.offerUri} what={c('credentials.wallet.qrWhat')} />
              <CopyButton text={shown.offer.offerUri} label={c('credentials.wallet.copy')} />
              <p>
                <a href={shown.offer.offerUri} data-wallet-offer-link="">
                  {c('credentials.wallet.open')}
                </a>
              </p>
            </>
          )}
          <button type="button" className="button button-secondary button-small" onClick={() => setShown(null)}>
            {c('credentials.wallet.close')}
          </button>
        </div>
      )}
    </div>
  );
}
