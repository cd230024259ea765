import { formatMessage, type MessageValues } from '@entente/common/i18n/format.ts';
import { useEffect, useId, useState } from 'react';
import { getJson, send } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';

/**
 * The classification level of a space (a labelled select, in the space's page) or of a document
 * (a badge, and the select for its editors): the scale configured by the operator, named as the
 * space's jurisdiction names it (server: workspace/classification). Editors raise; only owners
 * lower — lower options are disabled for others, with the reason said next to the field; the
 * server checks it again. AI models receive the content only when cleared for the level.
 */
interface LevelView {
  id: string;
  name: string;
}
interface LabelView {
  own: LevelView | null;
  effective: LevelView;
  levels: LevelView[];
  canRaise: boolean;
  canLower: boolean;
  space?: LevelView;
}

const enc = encodeURIComponent;
const INHERIT = '';

export function ClassificationControl({ kind, id, refreshKey = 0 }: { kind: 'space' | 'document'; id: string; /** Moves when another agent changed the space: read again. */ refreshKey?: number }) {
  const { locale } = useI18n();
  const t = (key: string, values?: MessageValues) => formatMessage(locale, key, values);
  const [view, setView] = useState<LabelView | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const field = useId();
  const url = `/api/${kind === 'space' ? 'spaces' : 'documents'}/${enc(id)}/classification`;

  useEffect(() => {
    const abort = new AbortController();
    getJson<LabelView>(url, abort.signal)
      .then(setView)
      .catch(() => setView(null));
    return () => abort.abort();
  }, [url, refreshKey]);

  if (!view) return null;
  const rank = (levelId: string) => view.levels.findIndex((l) => l.id === levelId);
  const floor = kind === 'document' && view.space ? rank(view.space.id) : -1;
  // What the effective level would become with this choice (a document never goes below its space).
  const effectiveOf = (choice: string) => (choice === INHERIT ? (kind === 'document' ? floor : rank(view.effective.id)) : Math.max(rank(choice), floor));
  // ── own label lowering (helper R2): taking the own label down or off is a lowering even when the
  // effective level stays (the server refuses it to non-owners: what covers it may be lowered later) ──
  const ownLowered = (choice: string) => view.own !== null && (choice === INHERIT || rank(choice) < rank(view.own.id));
  const lowers = (choice: string) => effectiveOf(choice) < rank(view.effective.id) || ownLowered(choice);
  // ── end own label lowering ──
  const current = view.own?.id ?? INHERIT;

  const change = async (choice: string) => {
    setBusy(true);
    setStatus('');
    try {
      const next = await send<LabelView>('PUT', url, { level: choice === INHERIT ? null : choice });
      if (next) {
        setView(next);
        setStatus(t('classification.saved', { level: next.effective.name }));
      }
    } catch {
      setStatus(t('classification.failed'));
    } finally {
      setBusy(false);
    }
  };

  const label = t(kind === 'space' ? 'classification.space.label' : 'classification.document.label');
  return (
    <div className="ws-classification">
      {kind === 'document' && <p className="ws-badge ws-classification-badge">{t('classification.document.badge', { level: view.effective.name })}</p>}
      {view.canRaise ? (
        <p>
          <label htmlFor={field}>{label}</label>{' '}
          <select id={field} value={current} disabled={busy} aria-describedby={`${field}-hint`} onChange={(e) => void change(e.target.value)}>
            {kind === 'document' && view.space && (
              <option value={INHERIT} disabled={!view.canLower && lowers(INHERIT)}>
                {t('classification.document.inherit', { level: view.space.name })}
              </option>
            )}
            {kind === 'space' && current === INHERIT && <option value={INHERIT}>{view.effective.name}</option>}
            {view.levels.map((level) => (
              <option key={level.id} value={level.id} disabled={!view.canLower && lowers(level.id)}>
                {level.name}
              </option>
            ))}
          </select>
          <span id={`${field}-hint`} className="ws-hint">
            {' '}
            {t('classification.space.hint')}
            {!view.canLower && ` ${t('classification.lowerOwnersOnly')}`}
          </span>
        </p>
      ) : (
        kind === 'space' && <p>{t('classification.readOnly', { label, level: view.effective.name })}</p>
      )}
      <p role="status" className="ws-status">
        {status}
      </p>
    </div>
  );
}
