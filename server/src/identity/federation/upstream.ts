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
    clientSecret: z.string().min(16),
    clientAuth: z.enum(['client_secret_post', 'client_secret_basic']).default('client_secret_basic'),
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
      })
      .strict(),
    /** Upstream acr value → level; the first value of the lowest level is asked for by default. */
    acr: z.record(z.string(), z.enum(ASSURANCE_LEVELS)),
    userinfoSigned: z.boolean().default(false),
    demo: z.boolean().default(false),
  })
  .strict();
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
      scopes: ['openid', 'given_name', 'usual_name', 'email', 'uid', 'siret', 'organization'],
      jurisdiction: 'FR',
      emailDomains: ['numerique.demo-gouv-fr.test', 'dsne.demo-gouv-fr.test'],
      claims: { givenName: 'given_name', familyName: 'usual_name', email: 'email', organisationId: 'siret', organisationLabel: 'organization_label' },
      acr: { eidas1: 'low', eidas2: 'substantial', eidas3: 'high' },
      userinfoSigned: true,
      demo: true,
    },
    {
      name: 'demo-qc',
      label: { 'fr-FR': 'Authentification gouvernementale du Québec (démo)', en: 'Québec government authentication (demo)' },
      issuer: `${base}/demo/idp/qc`,
      clientId: 'entente',
      clientSecret,
      clientAuth: 'client_secret_basic',
      scopes: ['openid', 'profil', 'courriel', 'organisation'],
      jurisdiction: 'QC',
      emailDomains: ['mcn.demo-gouv-qc.test'],
      claims: { givenName: 'prenom', familyName: 'nom_famille', email: 'courriel', organisationId: 'neq', organisationLabel: 'organisation' },
      acr: { 'urn:qc:gouv:niveau:1': 'low', 'urn:qc:gouv:niveau:2': 'substantial', 'urn:qc:gouv:niveau:3': 'high' },
      userinfoSigned: false,
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
