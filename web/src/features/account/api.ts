import type { Locale } from '@entente/common/i18n/locales.ts';
import type { Jurisdiction } from '@entente/common/jurisdiction.ts';

/**
 * What the account pages read from the identity API (shapes from server/src/identity/routes.ts);
 * the calls themselves go through the web app's client, app/api.ts.
 */

export type AssuranceLevel = 'low' | 'substantial' | 'high';
export const TOKEN_SCOPES = ['api:read', 'api:write', 'ai'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export interface Me {
  principalId: string;
  jurisdiction: Jurisdiction;
  givenName: string;
  familyName: string;
  email: string;
  preferredLanguage: Locale;
  organisations: { id: string; name: string; jurisdiction: Jurisdiction; roles: string[] }[];
  platformRoles: string[];
}

export interface CurrentSession {
  id: string;
  csrfToken: string;
  createdAt: string;
  assuranceLevel: AssuranceLevel | null;
  upstream: string | null;
}

export interface SessionRow {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  authMethod: string | null;
}

export interface Provider {
  name: string;
  label: Record<string, string>;
  jurisdiction: Jurisdiction;
  demo: boolean;
}

export interface AccessToken {
  id: string;
  label: string;
  prefix: string;
  scopes: TokenScope[];
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
