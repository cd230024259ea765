import type { IncomingMessage, ServerResponse } from 'node:http';
// oidc-provider ships no type declarations and the project adds no @types package: the small
// surface used here is typed below (as in federation/demo-idps/oidc-provider.ts).
// @ts-expect-error TS7016: untyped module
import OidcProviderClass, { errors as oidcErrors, interactionPolicy as oidcInteractionPolicy } from 'oidc-provider';

export interface OidcSession {
  uid: string;
  accountId?: string;
  acr?: string;
  authorizations?: Record<string, { sid?: string; grantId?: string; persistsLogout?: boolean }>;
  /** Expiry (epoch seconds). */
  exp?: number;
  save(ttl: number): Promise<unknown>;
  destroy(): Promise<void>;
}

export interface OidcInteraction {
  uid: string;
  /** When the authorization request started the interaction (epoch seconds). */
  iat: number;
  exp: number;
  returnTo: string;
  prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
  params: Record<string, unknown> & { client_id?: string; scope?: string; claims?: string; acr_values?: string; prompt?: string; max_age?: unknown };
  session?: { accountId?: string; uid?: string };
  grantId?: string;
  lastSubmission?: Record<string, unknown>;
  result?: Record<string, unknown>;
  save(ttl: number): Promise<string>;
  destroy(): Promise<void>;
}

export interface OidcGrant {
  jti: string;
  accountId: string;
  clientId: string;
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  getOIDCScope(): string;
  getOIDCClaims(): string[];
  save(): Promise<string>;
}

export interface OidcClient {
  clientId: string;
  /** The scopes the client may ask (space-separated), from its registration. */
  scope?: string;
  redirectUris?: string[];
  clientName?: string;
  backchannelLogoutUri?: string;
  metadata(): Record<string, unknown>;
  backchannelLogout(sub: string, sid: string): Promise<void>;
}

/** The Koa-like context oidc-provider hands to its hooks. */
export interface OidcContext {
  status: number;
  type: string;
  body: unknown;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  req: IncomingMessage;
  res: ServerResponse;
  set(name: string, value: string): void;
  oidc?: {
    route?: string;
    params?: Record<string, unknown>;
    claims?: { id_token?: { acr?: { essential?: boolean; value?: unknown; values?: unknown } } };
    session?: OidcSession;
    client?: OidcClient;
    result?: { login?: { accountId?: string }; consent?: { grantId?: string } };
    entities: Record<string, unknown>;
    account?: { accountId: string };
    provider: OidcProvider;
  };
}

export interface OidcProvider {
  proxy: boolean;
  issuer: string;
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<OidcInteraction>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
  Grant: { new (init: { accountId: string; clientId: string }): OidcGrant; find(id: string): Promise<OidcGrant | undefined> };
  Client: { find(id: string): Promise<OidcClient | undefined> };
  Interaction: { find(id: string): Promise<OidcInteraction | undefined> };
  Session: { findByUid(uid: string): Promise<OidcSession | undefined> };
  on(event: string, listener: (...args: unknown[]) => void): void;
  use(middleware: (ctx: OidcContext, next: () => Promise<void>) => Promise<void>): void;
}

export const Provider = OidcProviderClass as new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;

export interface OidcCheckClass {
  new (reason: string, description: string, check: (ctx: OidcContext) => boolean | Promise<boolean>): unknown;
  new (reason: string, description: string, error: string, check: (ctx: OidcContext) => boolean | Promise<boolean>): unknown;
  REQUEST_PROMPT: boolean;
  NO_NEED_TO_PROMPT: boolean;
}

export const interactionPolicy = oidcInteractionPolicy as {
  base(): Array<{ name: string; checks: unknown[] }> & { get(name: string): { name: string; checks: unknown[] } };
  Check: OidcCheckClass;
};

/** oidc-provider's protocol errors (answered to the client as RFC 6749 errors). */
export const OidcErrors = oidcErrors as {
  InvalidRequest: new (description?: string) => Error;
  InvalidGrant: new (description?: string) => Error;
};
