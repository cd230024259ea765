import type { FrameworkCompetence } from '@entente/common/skills.ts';
import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { type AuthoringItem, loadItems, type Scope } from './api.ts';
import { type AuthoringContext, AuthoringShell, ScopePicker } from './AuthoringShell.tsx';
import { ImportPanel } from './ImportPanel.tsx';
import { ItemEditor } from './ItemEditor.tsx';
import { type AuthoringText, useAuthoringText } from './text.ts';
import { useUnsavedGuard } from './unsaved.tsx';

/** « Banque de questions »: the items of a bank, filtered; the editor; import and export. */
export function BankPage() {
  const text = useAuthoringText();
  const { a } = text;
  return (
    <AuthoringShell title={a('skillsAuthoring.bank.title')} intro={a('skillsAuthoring.bank.intro')} withShared>
      {(context) => <Bank text={text} context={context} />}
    </AuthoringShell>
  );
}

/**
 * What the editor holds, and which opening of it this is. `session` is the editor's React key: a
 * new one for each « Nouvelle question » and each other item opened, so the editor starts afresh.
 * It is not the item's id: after a new item's first save the editor holds that item, and keying
 * on « new » would have kept it there, the next « Nouvelle question » then saving over it.
 */
type Editing = { item: AuthoringItem | null; session: number } | null;

function Bank({ text, context }: { text: AuthoringText; context: AuthoringContext }) {
  const { a } = text;
  const [scope, setScope] = useState<Scope>(context.scopes[0]?.scope ?? null);
  const [filters, setFilters] = useState<{ competence: string; status: string }>({ competence: '', status: '' });
  const [pending, setPending] = useState(filters);
  const [items, setItems] = useState<AuthoringItem[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  // Whether the editor holds unsaved edits: anything that would replace or close it asks first.
  const [editorDirty, setEditorDirty] = useState(false);
  const guard = useUnsavedGuard(text, editorDirty);
  const sessions = useRef(0);
  const open = (item: AuthoringItem | null) => {
    // The item already open stays as it is (its unsaved changes with it), its heading focused as
    // when it was opened; anything else is a new session.
    if (item && editing?.item?.id === item.id) {
      document.querySelector<HTMLElement>('.authoring-editor h2')?.focus();
      return;
    }
    guard.confirmDiscard(() => {
      sessions.current += 1;
      setEditing({ item, session: sessions.current });
    });
  };
  const newButton = useRef<HTMLButtonElement>(null);
  const competenceId = useId();
  const statusId = useId();
  const competences: FrameworkCompetence[] = context.framework.competences.filter((c) => c.organisationId === null || c.organisationId === scope);
  const nameOf = (id: string) => competences.find((c) => c.id === id)?.name ?? id;

  const reload = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const loaded = await loadItems(scope, filters, signal);
        if (!signal?.aborted) {
          setItems(loaded);
          setFailure(null);
        }
      } catch (error) {
        if (!signal?.aborted) setFailure(text.problem(error));
      }
    },
    [scope, filters, text],
  );
  useEffect(() => {
    const abort = new AbortController();
    setItems(null);
    void reload(abort.signal);
    return () => abort.abort();
  }, [reload]);

  const applyFilters = (event: FormEvent) => {
    event.preventDefault();
    setFilters(pending);
  };
  const closeEditor = () =>
    guard.confirmDiscard(() => {
      setEditing(null);
      requestAnimationFrame(() => newButton.current?.focus());
    });

  return (
    <>
      <ScopePicker
        label={a('skillsAuthoring.scope.label')}
        scopes={context.scopes}
        value={scope}
        onChange={(next) =>
          guard.confirmDiscard(() => {
            setScope(next);
            setEditing(null);
          })
        }
      />
      {guard.dialog}
      <ImportPanel text={text} scope={scope} onImported={() => void reload()} />
      <form className="authoring-filters" onSubmit={applyFilters}>
        <fieldset>
          <legend>{a('skillsAuthoring.filters.legend')}</legend>
          <div className="authoring-field">
            <label htmlFor={competenceId}>{a('skillsAuthoring.filters.competence')}</label>
            <select id={competenceId} value={pending.competence} onChange={(e) => setPending({ ...pending, competence: e.target.value })}>
              <option value="">{a('skillsAuthoring.filters.all')}</option>
              {competences.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.organisationId ? c.name : `${c.id} ${c.name}`}
                </option>
              ))}
            </select>
          </div>
          <div className="authoring-field">
            <label htmlFor={statusId}>{a('skillsAuthoring.filters.status')}</label>
            <select id={statusId} value={pending.status} onChange={(e) => setPending({ ...pending, status: e.target.value })}>
              <option value="">{a('skillsAuthoring.filters.all')}</option>
              {(['draft', 'live', 'retired'] as const).map((s) => (
                <option key={s} value={s}>
                  {a(`skillsAuthoring.status.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button button-secondary">
            {a('skillsAuthoring.filters.apply')}
          </button>
        </fieldset>
      </form>
      <p>
        <button ref={newButton} type="button" className="button" onClick={() => open(null)}>
          {a('skillsAuthoring.new')}
        </button>
      </p>
      {editing && (
        <ItemEditor
          key={editing.session}
          text={text}
          scope={scope}
          item={editing.item}
          competences={competences}
          onSaved={(saved) => {
            // The editor now holds the saved item: « Modifier » on its row leaves it open as it is.
            setEditing((current) => (current ? { ...current, item: saved } : current));
            void reload();
          }}
          onClose={closeEditor}
          onDirtyChange={setEditorDirty}
        />
      )}
      {failure && (
        <p className="alert alert-error" role="alert">
          {a('skillsAuthoring.loadFailed', { reason: failure })}
        </p>
      )}
      {items === null && !failure && <p>{a('skillsAuthoring.loading')}</p>}
      {items !== null && (
        <table className="authoring-table authoring-items">
          <caption>{a('skillsAuthoring.list.caption', { count: items.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{a('skillsAuthoring.col.key')}</th>
              <th scope="col">{a('skillsAuthoring.col.question')}</th>
              <th scope="col">{a('skillsAuthoring.col.competence')}</th>
              <th scope="col">{a('skillsAuthoring.col.level')}</th>
              <th scope="col">{a('skillsAuthoring.col.status')}</th>
              <th scope="col">{a('skillsAuthoring.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.length === 0 && (
              <tr>
                <td colSpan={6}>{a('skillsAuthoring.list.empty')}</td>
              </tr>
            )}
            {items.map((item) => (
              <tr key={item.id}>
                <th scope="row">
                  <code>{item.key}</code>
                </th>
                <td>
                  {text.locale === 'en' ? item.en.stem : (text.locale === 'fr-CA' && item.frCA?.stem) || item.fr.stem}
                  {item.problems.length > 0 && <span className="authoring-problems"> — {a('skillsAuthoring.problemCount', { count: item.problems.length })}</span>}
                </td>
                <td>{nameOf(item.competence)}</td>
                <td>{item.level}</td>
                <td>
                  <span className={`authoring-status authoring-status-${item.status}`}>{a(`skillsAuthoring.status.${item.status}`)}</span>
                </td>
                <td>
                  <button type="button" className="button button-secondary button-small" aria-label={a('skillsAuthoring.editLabel', { key: item.key })} onClick={() => open(item)}>
                    {a('skillsAuthoring.edit')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
