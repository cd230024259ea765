import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';

/**
 * An upstream identity federation (ProConnect, the Québec government authentication service, or
 * a demo provider): where it is, how Entente authenticates to it, which agents it serves (by
 * email domain) and how its claims and assurance levels map to Entente's one profile and one
 * scale (eIDAS low / substantial / high).
 */
export const ASSURANCE_LEVELS = ['low', 'substantial', 'high'] as const;
export type AssuranceLevel = (typeof ASSURANCE_LEVELS)[number];

export const upstreamSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/),
    label: z.object({ 'fr-FR': z.string().min(1), 'fr-CA': z.string().optional(), en: z.string().min(1) }).strict(),
    issuer: z.url(),
    clientId: z.string().min(1),
    /** For client_secret_basic and client_secret_post. */
    clientSecret: z.string().min(16).optional(),
    clientAuth: z.enum(['client_secret_post', 'client_secret_basic', 'private_key_jwt']).default('client_secret_basic'),
    /**
     * For private_key_jwt: Entente's private key for this federation (a PEM or JWK JSON file, mode
     * 0600, absolute or relative to the working directory) and its key id; its public half is
     * published at `/auth/jwks` for the federation to fetch.
     */
    clientKey: z
      .object({
        file: z.string().min(1).max(1000),
        kid: z.string().regex(/^[\w.:-]{1,100}$/),
        /** JWS algorithm of the client assertion; by default from the key (RS256, ES256, ES384, ES512, EdDSA). */
        alg: z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']).optional(),
      })
      .strict()
      .optional(),
    /** The only algorithm accepted for its ID tokens (and logout tokens): never `none` or HS*. */
    idTokenSigningAlg: z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']).default('RS256'),
    /** Longest wait for any answer of the federation (discovery, token, userinfo, keys). */
    timeoutSeconds: z.number().int().min(1).max(60).default(10),
    scopes: z.array(z.string().regex(/^[\w:.-]+$/)).min(1),
    jurisdiction: z.enum(['FR', 'QC']),
    emailDomains: z.array(z.string()).default([]),
    claims: z
      .object({
        givenName: z.string(),
        familyName: z.string(),
        email: z.string(),
        organisationId: z.string(),
        organisationLabel: z.string().optional(),
        /** Claim saying whether the federation verified the email (default `email_verified`). */
        emailVerified: z.string().optional(),
      })
      .strict(),
    /**
     * Whether the federation vouches for the email it sends when it does not say so in a claim:
     * false unless the federation verifies every address it asserts (ProConnect does). Entente's
     * own OpenID provider asserts `email_verified` from it.
     */
    emailVerified: z.boolean().default(false),
    /** Upstream acr value → level; the first value of the lowest level is asked for by default. */
    acr: z.record(z.string(), z.enum(ASSURANCE_LEVELS)),
    userinfoSigned: z.boolean().default(false),
    demo: z.boolean().default(false),
  })
  .strict()
  .superRefine((upstream, ctx) => {
    if (upstream.clientAuth === 'private_key_jwt') {
      if (!upstream.clientKey) ctx.addIssue({ code: 'custom', path: ['clientKey'], message: 'required with private_key_jwt ({ "file", "kid" })' });
      if (upstream.clientSecret) ctx.addIssue({ code: 'custom', path: ['clientSecret'], message: 'not used with private_key_jwt: remove it' });
    } else {
      if (!upstream.clientSecret) ctx.addIssue({ code: 'custom', path: ['clientSecret'], message: `required with ${upstream.clientAuth} (16+ characters)` });
      if (upstream.clientKey) ctx.addIssue({ code: 'custom', path: ['clientKey'], message: 'used only with private_key_jwt' });
    }
  });
export type Upstream = z.infer<typeof upstreamSchema> & { jurisdiction: Jurisdiction };

/** The upstream acr values that mean at least `level`, most preferred (lowest sufficient) first. */
export function acrValuesFor(upstream: Upstream, level: AssuranceLevel): string[] {
  const rank = ASSURANCE_LEVELS.indexOf(level);
  return Object.entries(upstream.acr)
    .filter(([, l]) => ASSURANCE_LEVELS.indexOf(l) >= rank)
    .sort(([, a], [, b]) => ASSURANCE_LEVELS.indexOf(a) - ASSURANCE_LEVELS.indexOf(b))
    .map(([acr]) => acr);
}

/** The demo providers of demo mode (DESIGN.md: `/demo/idp/fr` and `/demo/idp/qc`). */
export function demoUpstreams(publicUrl: URL, clientSecret: string): Upstream[] {
  const base = publicUrl.href.replace(/\/$/, '');
  return [
    {
      name: 'demo-fr',
      label: { 'fr-FR': 'ProConnect (démo)', en: 'ProConnect (demo)' },
      issuer: `${base}/demo/idp/fr`,
      clientId: 'entente',
      clientSecret,
      clientAuth: 'client_secret_basic',
      idTokenSigningAlg: 'RS256',
      timeoutSeconds: 10,
      scopes: ['openid', 'given_name', 'usual_name', 'email', 'uid', 'siret', 'organization'],
      jurisdiction: 'FR',
      emailDomains: ['numerique.demo-gouv-fr.test', 'dsne.demo-gouv-fr.test'],
      claims: { givenName: 'given_name', familyName: 'usual_name', email: 'email', organisationId: 'siret', organisationLabel: 'organization_label' },
      acr: { eidas1: 'low', eidas2: 'substantial', eidas3: 'high' },
      userinfoSigned: true,
      // Like ProConnect: the agents' addresses are the administration's own, verified by it.
      emailVerified: true,
      demo: true,
    },
    {
      name: 'demo-qc',
      label: { 'fr-FR': 'Authentification gouvernementale du Québec (démo)', en: 'Québec government authentication (demo)' },
      issuer: `${base}/demo/idp/qc`,
      clientId: 'entente',
      clientSecret,
      clientAuth: 'client_secret_basic',
      idTokenSigningAlg: 'RS256',
      timeoutSeconds: 10,
      scopes: ['openid', 'profil', 'courriel', 'organisation'],
      jurisdiction: 'QC',
      emailDomains: ['mcn.demo-gouv-qc.test'],
      claims: { givenName: 'prenom', familyName: 'nom_famille', email: 'courriel', organisationId: 'neq', organisationLabel: 'organisation' },
      acr: { 'urn:qc:gouv:niveau:1': 'low', 'urn:qc:gouv:niveau:2': 'substantial', 'urn:qc:gouv:niveau:3': 'high' },
      userinfoSigned: false,
      emailVerified: true,
      demo: true,
    },
  ];
}

/** Upstreams of the configuration file (ENTENTE_CONFIG `identityProviders`), validated. */
export function upstreamsFromConfigFile(list: unknown[] | undefined): Upstream[] {
  const parsed = z.array(upstreamSchema).safeParse(list ?? []);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `identityProviders.${i.path.join('.')}: ${i.message}`);
    throw new Error(`ENTENTE_CONFIG: ${problems.join('; ')}`);
  }
  const names = new Set<string>();
  for (const upstream of parsed.data) {
    if (names.has(upstream.name)) throw new Error(`ENTENTE_CONFIG: identityProviders: duplicate name ${upstream.name}`);
    names.add(upstream.name);
  }
  return parsed.data as Upstream[];
}

/** The secret of Entente's client at the demo providers: derived from the server secret. */
export function demoClientSecret(serverSecret: Buffer): string {
  return createHmac('sha256', serverSecret).update('demo-idp-client').digest('base64url');
}

/** Every federation agents may sign in with: the demo ones in demo mode, then ENTENTE_CONFIG's. */
export function configuredUpstreams(
  config: { demo: boolean; publicUrl: URL; file: { identityProviders?: unknown[] } },
  serverSecret: Buffer,
): Upstream[] {
  return [
    ...(config.demo ? demoUpstreams(config.publicUrl, demoClientSecret(serverSecret)) : []),
    ...upstreamsFromConfigFile(config.file.identityProviders),
  ];
}
