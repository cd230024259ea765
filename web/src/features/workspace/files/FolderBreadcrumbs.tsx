import { Link } from 'react-router';
import type { FolderRef } from './files-api.ts';
import { filesPath } from './files-api.ts';
import { useFilesText } from './text.ts';

/** Where the agent is: the files' root, then each folder down to the current one (not a link). */
export function FolderBreadcrumbs({ spaceId, path }: { spaceId: string; path: readonly FolderRef[] }) {
  const { f } = useFilesText();
  const crumbs = [{ id: null as string | null, name: f('files.breadcrumb.root') }, ...path];
  return (
    <nav aria-label={f('files.breadcrumb.label')} className="ws-files-breadcrumbs">
      <ol>
        {crumbs.map((crumb, index) => (
          <li key={crumb.id ?? 'root'}>
            {index === crumbs.length - 1 ? (
              <span aria-current="location">{crumb.name}</span>
            ) : (
              <Link to={filesPath(spaceId, crumb.id)}>{crumb.name}</Link>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
