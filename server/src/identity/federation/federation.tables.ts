/**
 * Control-plane tables of federated sign-in added for back-channel logout (the others are in
 * ../identity.tables.ts).
 */
export interface UpstreamSessionsTable {
  session_id: string;
  upstream: string;
  /** The upstream's session id (`sid` claim of its ID token). */
  sid: string;
}

export interface UpstreamLogoutTokensTable {
  upstream: string;
  jti: string;
  expires_at: Date;
}

declare module '../../platform/db/types.ts' {
  interface ControlPlaneTables {
    upstream_sessions: UpstreamSessionsTable;
    upstream_logout_tokens: UpstreamLogoutTokensTable;
  }
}

declare module '../identity.tables.ts' {
  /** A login attempt that links a second federation to a signed-in agent (null: a sign-in). */
  interface LoginAttemptsTable {
    link_principal_id: string | null;
    link_session_id: string | null;
  }
}
