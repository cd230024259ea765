import { NavLink, Link } from 'react-router';
import { PATHS } from '../../app/routes.ts';
import { useCredentialsText } from './text.ts';

/** On the identity domain's page: the agent's wallet and the public verifier page. */
export function CredentialsAreaLinks() {
  const { c } = useCredentialsText();
  return (
    <p className="credentials-area-links">
      <Link className="button" to={PATHS.credentials}>
        {c('credentials.area.holder')}
      </Link>{' '}
      <Link to={PATHS.verifier}>{c('credentials.area.verifier')}</Link>
    </p>
  );
}

/** « Mes attestations » in the account pages' navigation. */
export function CredentialsNavLink() {
  const { c } = useCredentialsText();
  return <NavLink to={PATHS.credentials}>{c('credentials.nav.link')}</NavLink>;
}
