import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { organisationPath, PATHS } from '../../app/routes.ts';
import { getJson } from '../../app/api.ts';
import type { Me } from './api.ts';
import { useAdminText } from './text.ts';

/**
 * Links to « Mon organisation » (for an organisation's administrators) and « Exploitation » (for
 * operators), in the header: shown only to those who have the role (`GET /api/me`).
 */
export function AdminLinks() {
  const { m } = useAdminText();
  const [me, setMe] = useState<Me | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    getJson<Me>('/api/me', abort.signal)
      .then(setMe)
      .catch(() => setMe(null));
    return () => abort.abort();
  }, []);
  const administered = me?.organisations.find((o) => o.roles.includes('admin'));
  const operator = me?.platformRoles.includes('operator') ?? false;
  if (!administered && !operator) return null;
  return (
    <nav className="admin-links" aria-label={m('admin.nav.label')}>
      <ul>
        {administered && (
          <li>
            <Link to={organisationPath(administered.id)}>{m('admin.nav.organisation')}</Link>
          </li>
        )}
        {operator && (
          <li>
            <Link to={PATHS.operations}>{m('admin.nav.operations')}</Link>
          </li>
        )}
      </ul>
    </nav>
  );
}
