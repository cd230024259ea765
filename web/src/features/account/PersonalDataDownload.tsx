import { useState } from 'react';
import { Problem, problemOf } from '../../app/api.ts';
import { ActionOutcome } from './AccountPage.tsx';
import { useAccountText } from './text.ts';

/** `attachment; filename="entente-mes-donnees-2026-11-29.json"` → the name, if it is a plain one. */
function filenameOf(disposition: string | null): string {
  const match = disposition ? /filename="([A-Za-z0-9._-]{1,100})"/.exec(disposition) : null;
  return match?.[1] ?? 'entente-mes-donnees.json';
}

/**
 * « Télécharger mes données » (docs/personal-data-export.md): fetches `GET /api/me/export` and
 * hands the file to the browser. Fetched rather than followed as a link so that a refusal (too
 * many exports in a minute, a session that ended) is said on the page instead of replacing it.
 */
export function PersonalDataDownload() {
  const text = useAccountText();
  const { a } = text;
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');

  async function download() {
    setBusy(true);
    setStatus('');
    setError('');
    try {
      const response = await fetch('/api/me/export', { credentials: 'same-origin', headers: { accept: 'application/json' } });
      if (!response.ok) throw await problemOf(response);
      const blob = await response.blob();
      const href = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = href;
      link.download = filenameOf(response.headers.get('content-disposition'));
      document.body.append(link);
      link.click();
      link.remove();
      // The browser has the file once the click is handled; the blob is no longer needed after.
      setTimeout(() => URL.revokeObjectURL(href), 10_000);
      setStatus(a('account.personalData.done', { file: link.download }));
    } catch (caught) {
      setError(
        caught instanceof Problem && caught.slug === 'rate_limited'
          ? a('account.personalData.rateLimited')
          : caught instanceof Problem
            ? text.problem(caught).detail
            : a('account.personalData.failed'),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="profile-personal-data">
      <h2 id="profile-personal-data">{a('account.personalData.title')}</h2>
      <p id="profile-personal-data-intro">{a('account.personalData.intro')}</p>
      <p>
        <button
          type="button"
          className="button button-secondary"
          aria-describedby="profile-personal-data-intro"
          aria-busy={busy}
          disabled={busy}
          onClick={() => void download()}
          data-action="download-personal-data"
        >
          {busy ? a('account.personalData.preparing') : a('account.personalData.download')}
        </button>
      </p>
      <ActionOutcome status={status} error={error} />
    </section>
  );
}
