import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { downloadHref, type FileItem, filesPath } from './files-api.ts';
import { useFilesText } from './text.ts';
import { ScrollTable } from '../../../ui/ScrollTable.tsx';

export type SortKey = 'name' | 'size' | 'date';
export interface Sort {
  key: SortKey;
  descending: boolean;
}

export interface FileActions {
  onVersions: (item: FileItem) => void;
  onRename: (item: FileItem) => void;
  onMove: (item: FileItem) => void;
  onTrash: (item: FileItem) => void;
  onRestore: (item: FileItem) => void;
  onDestroy: (item: FileItem) => void;
}

interface FileListProps {
  spaceId: string;
  items: readonly FileItem[];
  trash: boolean;
  canEdit: boolean;
  /** Who may delete an item for good: owners, and the agent who uploaded it. */
  canDestroy: (item: FileItem) => boolean;
  caption: string;
  sort: Sort;
  onSort: (sort: Sort) => void;
  actions: FileActions;
}

/** Sorts folders first, then by the chosen column; names compare as people read them (« 2 » before « 10 »). */
export function sortItems(items: readonly FileItem[], sort: Sort, locale: string): FileItem[] {
  const collator = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' });
  const direction = sort.descending ? -1 : 1;
  return [...items].sort((a, b) => {
    if (a.kind !== b.kind) return a.kind === 'folder' ? -1 : 1;
    let order = 0;
    if (sort.key === 'size') order = (a.size ?? 0) - (b.size ?? 0);
    else if (sort.key === 'date') order = Date.parse(a.trashedAt ?? a.updatedAt) - Date.parse(b.trashedAt ?? b.updatedAt);
    return direction * (order || collator.compare(a.name, b.name));
  });
}

/**
 * A folder's items (or the trash) as a table: sortable columns (a button in each header, its
 * state in aria-sort), a row per item: its name (a folder opens, a file shows its thumbnail,
 * versions and scan status), size, last change, and its actions — the download in sight, the
 * others behind an « Actions » disclosure, as in the documents tree.
 */
export function FileList({ spaceId, items, trash, canEdit, canDestroy, caption, sort, onSort, actions }: FileListProps) {
  const { f, locale, size, dateTime } = useFilesText();
  const sorted = useMemo(() => sortItems(items, sort, locale), [items, sort, locale]);
  const [openMenu, setOpenMenu] = useState<string | null>(null);
  // An item that left the list (moved, trashed) closes its menu.
  useEffect(() => {
    if (openMenu && !items.some((item) => item.id === openMenu)) setOpenMenu(null);
  }, [items, openMenu]);

  const header = (key: SortKey, label: string) => {
    const active = sort.key === key;
    return (
      <th scope="col" aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : undefined} className={`ws-files-col-${key}`}>
        <button type="button" className="ws-files-sort" onClick={() => onSort({ key, descending: active ? !sort.descending : key === 'date' })}>
          {label}
          <span aria-hidden="true" className="ws-files-sort-mark">
            {active ? (sort.descending ? ' ▼' : ' ▲') : ''}
          </span>
          <span className="ws-sr-only">
            {' '}
            ({f('files.sort.by', { column: label.toLowerCase() })}
            {active && `, ${f(sort.descending ? 'files.sort.descending' : 'files.sort.ascending')}`})
          </span>
        </button>
      </th>
    );
  };

  return (
    <ScrollTable tableClassName="ws-files-table" caption={caption} captionClassName="ws-sr-only">
      <thead>
        <tr>
          {header('name', f('files.column.name'))}
          {header('size', f('files.column.size'))}
          {header('date', f(trash ? 'files.column.trashed' : 'files.column.modified'))}
          <th scope="col" className="ws-files-col-actions">
            {f('files.column.actions')}
          </th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((item) => (
          <tr key={item.id} data-file-id={item.id}>
            <th scope="row" className="ws-files-name">
              <span className="ws-files-name-cell">
                <ItemIcon item={item} />
                <span className="ws-files-name-text">
                  <span className="ws-sr-only">{f(item.kind === 'folder' ? 'files.kind.folderPrefix' : 'files.kind.filePrefix')}</span>
                  {item.kind === 'folder' && !trash ? (
                    <Link to={filesPath(spaceId, item.id)} className="ws-files-folder-link">
                      {item.name}
                    </Link>
                  ) : (
                    <span className="ws-files-file-name">{item.name}</span>
                  )}
                  {(item.status === 'quarantined' || (item.status === 'unscanned' && item.kind === 'file') || item.versionCount > 1) && (
                    <span className="ws-files-name-meta">
                      {item.status === 'quarantined' && <span className="ws-files-badge ws-files-badge-danger">{f('files.status.quarantined')}</span>}
                      {item.status === 'unscanned' && item.kind === 'file' && (
                        <span className="ws-files-badge" title={f('files.status.unscannedHint')}>
                          {f('files.status.unscanned')}
                        </span>
                      )}
                      {item.kind === 'file' && item.versionCount > 1 && <span className="ws-muted">{f('files.versionCount', { count: item.versionCount })}</span>}
                    </span>
                  )}
                </span>
              </span>
            </th>
            <td className="ws-files-size">{item.kind === 'folder' || item.size === null ? f('files.size.folder') : size(item.size)}</td>
            <td className="ws-files-date">
              {trash && item.trashedAt ? (
                dateTime(item.trashedAt)
              ) : (
                <>
                  {dateTime(item.updatedAt)}
                  <span className="ws-files-by">{f('files.by', { name: item.updatedBy?.name || f('files.unknownName') })}</span>
                </>
              )}
            </td>
            <td className="ws-files-actions">
              {trash ? (
                <span className="ws-actions">
                  {canEdit && (
                    <button type="button" className="button button-small button-secondary" aria-label={f('files.action.restoreName', { name: item.name })} onClick={() => actions.onRestore(item)}>
                      {f('files.action.restore')}
                    </button>
                  )}
                  {canDestroy(item) && (
                    <button type="button" className="button button-small button-danger" aria-label={f('files.action.destroyName', { name: item.name })} onClick={() => actions.onDestroy(item)}>
                      {f('files.action.destroy')}
                    </button>
                  )}
                </span>
              ) : (
                <span className="ws-actions">
                  {item.kind === 'file' && item.downloadUrl && (
                    <a className="button button-small button-secondary" href={downloadHref(item)} download={item.name} aria-label={f('files.action.downloadName', { name: item.name })}>
                      {f('files.action.download')}
                    </a>
                  )}
                  {canEdit ? (
                    <ItemMenu item={item} open={openMenu === item.id} onToggle={(open) => setOpenMenu(open ? item.id : null)} actions={actions} />
                  ) : (
                    item.kind === 'file' && (
                      <button type="button" className="button button-small button-secondary" aria-label={f('files.action.versionsName', { name: item.name })} onClick={() => actions.onVersions(item)}>
                        {f('files.action.versions')}
                      </button>
                    )
                  )}
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}

/**
 * An item's changes behind a disclosure button (not an ARIA menu: Tab moves between its buttons).
 * Escape or a click elsewhere closes it; a chosen action closes it and leaves the keyboard on the
 * toggle, so a dialog opened from it gives the focus back there.
 */
function ItemMenu({ item, open, onToggle, actions }: { item: FileItem; open: boolean; onToggle: (open: boolean) => void; actions: FileActions }) {
  const { f } = useFilesText();
  const toggle = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const panelId = useId();

  // The parent re-renders often (upload progress): keep its latest callback without re-running the effect.
  const latestToggle = useRef(onToggle);
  latestToggle.current = onToggle;
  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector<HTMLElement>('button')?.focus();
    const outside = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panel.current?.contains(target) && !toggle.current?.contains(target)) latestToggle.current(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);

  const choose = (action: (item: FileItem) => void) => () => {
    toggle.current?.focus();
    onToggle(false);
    action(item);
  };
  const entry = (label: string, name: string, action: (item: FileItem) => void, danger = false) => (
    <button type="button" className={`button button-small ${danger ? 'button-danger' : 'button-secondary'}`} aria-label={name} onClick={choose(action)}>
      {label}
    </button>
  );

  return (
    <span className="ws-files-menu">
      <button
        ref={toggle}
        type="button"
        className="button button-small button-secondary ws-files-menu-toggle"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={f('files.action.menu', { name: item.name })}
        onClick={() => onToggle(!open)}
      >
        {f('files.action.menuShort')}
        <span aria-hidden="true"> ▾</span>
      </button>
      {open && (
        // biome-ignore lint/a11y/noStaticElementInteractions: Escape closes the disclosure, as the native dialog does
        <div
          ref={panel}
          id={panelId}
          className="ws-files-menu-panel"
          onKeyDown={(event) => {
            if (event.key !== 'Escape') return;
            event.preventDefault();
            toggle.current?.focus();
            onToggle(false);
          }}
        >
          {item.kind === 'file' && entry(f('files.action.versions'), f('files.action.versionsName', { name: item.name }), actions.onVersions)}
          {entry(f('files.action.rename'), f('files.action.renameName', { name: item.name }), actions.onRename)}
          {entry(f('files.action.move'), f('files.action.moveName', { name: item.name }), actions.onMove)}
          {entry(f('files.action.trash'), f('files.action.trashName', { name: item.name }), actions.onTrash, true)}
        </div>
      )}
    </span>
  );
}

/** The item's thumbnail when the server made one, else a drawn icon by kind (no web font, no emoji). */
function ItemIcon({ item }: { item: FileItem }) {
  if (item.thumbnailUrl) return <img className="ws-files-thumb" src={item.thumbnailUrl} alt="" width={40} height={40} loading="lazy" />;
  return item.kind === 'folder' ? (
    <svg className="ws-files-icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
      <path d="M2 5.5A1.5 1.5 0 0 1 3.5 4h5l2 2h10A1.5 1.5 0 0 1 22 7.5v11a1.5 1.5 0 0 1-1.5 1.5h-17A1.5 1.5 0 0 1 2 18.5z" fill="currentColor" />
    </svg>
  ) : (
    <svg className="ws-files-icon ws-files-icon-file" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
      <path d="M6 2h8l5 5v13.5A1.5 1.5 0 0 1 17.5 22h-11A1.5 1.5 0 0 1 5 20.5v-17A1.5 1.5 0 0 1 6.5 2z" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="M14 2v5h5" fill="none" stroke="currentColor" strokeWidth="1.6" />
    </svg>
  );
}
