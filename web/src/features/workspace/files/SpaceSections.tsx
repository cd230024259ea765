import { NavLink } from 'react-router';
import { spacePath } from '../api.ts';
import { filesPath } from './files-api.ts';
import { useFilesText } from './text.ts';
import './sections.css';

/** The space's two sections as tabs of links: its documents and members, and its files. */
export function SpaceSections({ spaceId }: { spaceId: string }) {
  const { f } = useFilesText();
  return (
    <nav aria-label={f('files.sections.label')} className="ws-sections">
      <ul>
        <li>
          <NavLink to={spacePath(spaceId)} end>
            {f('files.sections.overview')}
          </NavLink>
        </li>
        <li>
          <NavLink to={filesPath(spaceId)}>{f('files.sections.files')}</NavLink>
        </li>
      </ul>
    </nav>
  );
}
