import type { IncomingMessage, ServerResponse } from 'node:http';
// oidc-provider ships no type declarations and this slice adds no @types package: the small
// surface used here is typed below. Installing @types/oidc-provider turns this directive into an
// error (unused): then drop it and these interfaces.
// @ts-expect-error TS7016: untyped module
import OidcProviderClass from 'oidc-provider';
// @ts-expect-error TS7016: untyped module (see above)
import { createMemoryAdapter as createOidcMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';

export interface OidcInteraction {
  uid: string;
  prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
  params: Record<string, unknown> & { client_id?: string; scope?: string; claims?: string };
  session?: { accountId?: string };
  grantId?: string;
}

export interface OidcGrant {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  save(): Promise<string>;
}

/** The Koa-like context oidc-provider hands to its page hooks. */
export interface OidcContext {
  status: number;
  type: string;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  set(name: string, value: string): void;
}

export interface OidcProvider {
  proxy: boolean;
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<OidcInteraction>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
    options?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
  Grant: { new (init: { accountId: string; clientId: string }): OidcGrant; find(id: string): Promise<OidcGrant | undefined> };
  Client: { find(id: string): Promise<{ clientId: string; clientName?: string } | undefined> };
  on(event: string, listener: (ctx: unknown, error: unknown) => void): void;
  /** Koa middleware (Provider is a Koa application). */
  use(middleware: (ctx: OidcContext, next: () => Promise<void>) => Promise<void>): void;
}

export const Provider = OidcProviderClass as new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;

/**
 * oidc-provider's own in-memory adapter (an LRU per provider), passed explicitly so that it does
 * not warn at every start: for the demo providers losing their state on restart is intended, and
 * demo mode runs one process. (Deep import: oidc-provider is pinned exactly.)
 */
export const createMemoryAdapter = createOidcMemoryAdapter as () => unknown;
