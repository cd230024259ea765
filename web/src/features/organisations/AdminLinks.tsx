import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { organisationPath, PATHS } from '../../app/routes.ts';
import { fetchMe } from '../../app/me.ts';
import type { Me } from './api.ts';
import { useAdminText } from './text.ts';

/**
 * Links to « Mon organisation » (one per organisation the agent administers) and « Exploitation » (for
 * operators), in the header: shown only to those who have the role (`GET /api/me`).
 */
export function AdminLinks() {
  const { m } = useAdminText();
  const [me, setMe] = useState<Me | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    fetchMe<Me>(abort.signal)
      .then(setMe)
      .catch(() => setMe(null));
    return () => abort.abort();
  }, []);
  // Every organisation the agent administers (an agent may administer several).
  const administered = me?.organisations.filter((o) => o.roles.includes('admin')) ?? [];
  const operator = me?.platformRoles.includes('operator') ?? false;
  if (administered.length === 0 && !operator) return null;
  return (
    <nav className="admin-links" aria-label={m('admin.nav.label')}>
      <ul>
        {administered.map((organisation) => (
          <li key={organisation.id}>
            <Link to={organisationPath(organisation.id)}>
              {administered.length === 1 ? m('admin.nav.organisation') : m('admin.nav.organisationNamed', { name: organisation.name })}
            </Link>
          </li>
        ))}
        {operator && (
          <li>
            <Link to={PATHS.operations}>{m('admin.nav.operations')}</Link>
          </li>
        )}
      </ul>
    </nav>
  );
}
