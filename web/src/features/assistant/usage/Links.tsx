import { Link, NavLink } from 'react-router';
import { AI_REGISTER_PATH } from '../../operator/AiRegisterPage.tsx';
import { AI_USAGE_PATH, organisationAiUsagePath } from './api.ts';
import { useDashboardText } from './text.ts';

/** The ways in to the dashboards and the register, placed by other pages (one line each there). */
export function MyAiUsageNavLink() {
  return <NavLink to={AI_USAGE_PATH}>{useDashboardText().d('aiDashboard.nav.me')}</NavLink>;
}

export function OrganisationAiUsageLink(props: { organisationId: string }) {
  return (
    <p>
      <Link to={organisationAiUsagePath(props.organisationId)}>{useDashboardText().d('aiDashboard.org.link')}</Link>
    </p>
  );
}

export function AiRegisterLink() {
  return (
    <p>
      <Link to={AI_REGISTER_PATH}>{useDashboardText().r('aiRegister.link')}</Link>
    </p>
  );
}
