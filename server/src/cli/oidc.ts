import { parseArgs } from 'node:util';
import { createAuditLog } from '../platform/audit/audit-log.ts';
import { openCells } from '../platform/cells/cells.ts';
import { migrateStores } from '../platform/db/stores.ts';
import { createEventBus } from '../platform/events/index.ts';
import { createLogger } from '../platform/logger.ts';
import { AppError } from '../platform/errors.ts';
import { listClients, providerSealers, type RegisterClientInput, registerClientAs, removeClient, revokeGrants, rotateProviderKeys } from '../identity/provider/index.ts';
import { grantAccountIds } from '../identity/provider/models.repo.ts';
import { openDataForCommand } from './open-data.ts';
import { say } from './output.ts';

const USAGE = say(
  `Usage :
  npm run entente -- oidc clients add --name NOM [--name-en NAME] --redirect-uri URL [--redirect-uri URL…]
        [--post-logout-redirect-uri URL…] [--backchannel-logout-uri URL] [--sector HÔTE] [--scope SCOPE…] [--auth client_secret_post]
  npm run entente -- oidc clients list
  npm run entente -- oidc clients remove ID
  npm run entente -- oidc keys rotate`,
  `Usage:
  npm run entente -- oidc clients add --name NAME [--name-en NAME] --redirect-uri URL [--redirect-uri URL…]
        [--post-logout-redirect-uri URL…] [--backchannel-logout-uri URL] [--sector HOST] [--scope SCOPE…] [--auth client_secret_post]
  npm run entente -- oidc clients list
  npm run entente -- oidc clients remove ID
  npm run entente -- oidc keys rotate`,
);

/**
 * `entente oidc …`: the OpenID provider's clients and signing keys, from the server's console
 * (the operator is the one who runs it; every change is audited with no actor). On an embedded
 * data directory it refuses while the server runs (open-data.ts); on PostgreSQL it runs beside it,
 * and a key rotation reaches running servers through the event bus (Redis) or their next reload.
 */
export async function oidc(args: string[]): Promise<number> {
  const [area, verb, ...rest] = args;
  const known = (area === 'clients' && ['add', 'list', 'remove'].includes(verb ?? '')) || (area === 'keys' && verb === 'rotate');
  if (!known) {
    console.error(USAGE);
    return 2;
  }
  let options: ReturnType<typeof parseAdd> | null = null;
  if (area === 'clients' && verb === 'add') {
    try {
      options = parseAdd(rest);
    } catch (error) {
      console.error((error as Error).message);
      console.error(USAGE);
      return 2;
    }
  }
  const data = await openDataForCommand(`oidc ${area} ${verb}`);
  if (!data) return 1;
  const { config, stores } = data;
  const logger = createLogger({ ...config, logLevel: 'warn' });
  try {
    await migrateStores(stores);
    const cells = await openCells(config, stores);
    const audit = createAuditLog(stores);
    const sealers = providerSealers(cells, config.oidcKeysCell);
    const db = stores.control.db;
    const deps = { db, audit, sealer: sealers.clientSecrets, allowHttp: !config.production };

    if (area === 'keys') {
      const events = createEventBus(config, logger);
      let rotated: Awaited<ReturnType<typeof rotateProviderKeys>>;
      try {
        rotated = await rotateProviderKeys({ stores, cells, audit, events, keysCell: config.oidcKeysCell });
      } finally {
        await events.close();
      }
      console.log(say(`Nouvelle génération de clés : ${rotated.generation} (${rotated.kids.join(', ')}).`, `New key generation: ${rotated.generation} (${rotated.kids.join(', ')}).`));
      if (rotated.retired.length > 0) console.log(say(`Retirées du JWKS : ${rotated.retired.join(', ')}.`, `Removed from the JWKS: ${rotated.retired.join(', ')}.`));
      console.log(say('Les serveurs en marche les prennent en compte dans la minute.', 'Running servers pick them up within a minute.'));
      return 0;
    }
    if (verb === 'list') {
      for (const c of await listClients(deps, 'console')) {
        console.log(`${c.clientId}  ${c.name['fr-FR']}  ${c.sector}  ${c.redirectUris.join(' ')}`);
      }
      return 0;
    }
    if (verb === 'remove') {
      const clientId = rest[0];
      if (!clientId) {
        console.error(USAGE);
        return 2;
      }
      const revokeAll = async (id: string) => {
        for (const principalId of await grantAccountIds(db, id)) await revokeGrants(db, principalId, id);
      };
      await removeClient({ db, audit, revokeAll }, 'console', clientId);
      console.log(say(`Client ${clientId} supprimé ; ses autorisations et jetons sont révoqués.`, `Client ${clientId} removed; its grants and tokens are revoked.`));
      return 0;
    }
    const created = await registerClientAs(deps, null, options as RegisterClientInput);
    console.log(say(`Client enregistré : ${created.clientId}`, `Client registered: ${created.clientId}`));
    console.log(say(`Secret (affiché une seule fois) : ${created.clientSecret}`, `Secret (shown once): ${created.clientSecret}`));
    console.log(say(`Secteur des identifiants (sub) : ${created.sector}`, `Subject sector: ${created.sector}`));
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      const details = (error.errors ?? []).map((e) => `${e.path}: ${e.message}`).join('; ');
      console.error(say(`Refusé (${error.slug}) ${details}`, `Refused (${error.slug}) ${details}`));
      return 1;
    }
    throw error;
  } finally {
    await data.close();
  }
}

function parseAdd(args: string[]): RegisterClientInput {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: 'string' },
      'name-en': { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      'post-logout-redirect-uri': { type: 'string', multiple: true },
      'backchannel-logout-uri': { type: 'string' },
      sector: { type: 'string' },
      scope: { type: 'string', multiple: true },
      auth: { type: 'string' },
    },
    strict: true,
  });
  if (!values.name || !values['redirect-uri']?.length) throw new Error(say('--name et --redirect-uri sont obligatoires.', '--name and --redirect-uri are required.'));
  return {
    name: { 'fr-FR': values.name, en: values['name-en'] ?? values.name },
    redirectUris: values['redirect-uri'],
    postLogoutRedirectUris: values['post-logout-redirect-uri'] ?? [],
    ...(values['backchannel-logout-uri'] ? { backchannelLogoutUri: values['backchannel-logout-uri'] } : {}),
    ...(values.sector ? { sector: values.sector } : {}),
    ...(values.scope ? { scopes: values.scope as RegisterClientInput['scopes'] } : {}),
    ...(values.auth ? { tokenEndpointAuthMethod: values.auth as RegisterClientInput['tokenEndpointAuthMethod'] } : {}),
  };
}
