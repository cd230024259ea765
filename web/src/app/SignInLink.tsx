import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { signInPath } from './routes.ts';

/** A link to the sign-in page that brings the agent back to the page they are on (`retour`). */
export function SignInLink({ children, className }: { children: ReactNode; className?: string }) {
  const { pathname, search } = useLocation();
  return (
    <Link to={signInPath(`${pathname}${search}`)} className={className}>
      {children}
    </Link>
  );
}
