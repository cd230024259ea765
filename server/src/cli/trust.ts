import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { addTrustedIssuer, listTrustedIssuers, removeTrustedIssuer, validIssuerUrl } from '../identity/credentials/trust.ts';
import { createAuditLog } from '../platform/audit/audit-log.ts';
import { migrateStores } from '../platform/db/stores.ts';
import { AppError } from '../platform/errors.ts';
import { openDataForCommand } from './open-data.ts';
import { say } from './output.ts';
import { operatorName } from './spaces.ts';

const USAGE = say(
  `Usage :
  npm run entente -- trust list
  npm run entente -- trust add --issuer URL (--metadata-url URL | --jwks-file FICHIER) --jurisdiction FR|QC --name NOM
  npm run entente -- trust remove --issuer URL`,
  `Usage:
  npm run entente -- trust list
  npm run entente -- trust add --issuer URL (--metadata-url URL | --jwks-file FILE) --jurisdiction FR|QC --name NAME
  npm run entente -- trust remove --issuer URL`,
);

const MAX_JWKS_FILE_BYTES = 64 * 1024;

type Parsed =
  | { verb: 'list' }
  | { verb: 'add'; issuer: string; jurisdiction: 'FR' | 'QC'; name: string; metadataUrl?: string; jwksFile?: string }
  | { verb: 'remove'; issuer: string };

/** Parses the arguments; throws an Error whose message says what is wrong (empty: just the usage). */
export function parseTrustArgs(args: string[]): Parsed {
  const [verb, ...rest] = args;
  if (verb !== 'list' && verb !== 'add' && verb !== 'remove') throw new Error(verb ? say(`Verbe inconnu : « ${verb} ».`, `Unknown verb: "${verb}".`) : '');
  const { values, positionals } = parseArgs({
    args: rest,
    options: { issuer: { type: 'string' }, 'metadata-url': { type: 'string' }, 'jwks-file': { type: 'string' }, jurisdiction: { type: 'string' }, name: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw new Error(say(`Argument inattendu : « ${positionals[0]} ».`, `Unexpected argument: "${positionals[0]}".`));
  const given = Object.keys(values);
  if (verb === 'list') {
    if (given.length > 0) throw new Error(say('« trust list » ne prend pas d’option.', '"trust list" takes no option.'));
    return { verb };
  }
  const issuer = values.issuer;
  if (!issuer) throw new Error(say('Donnez l’émetteur : --issuer URL.', 'Give the issuer: --issuer URL.'));
  if (!validIssuerUrl(issuer)) throw new Error(say('--issuer doit être une URL https (http seulement pour localhost), sans paramètres.', '--issuer must be an https URL (http only for localhost), without parameters.'));
  if (verb === 'remove') {
    if (given.some((g) => g !== 'issuer')) throw new Error(say('« trust remove » ne prend que --issuer.', '"trust remove" takes --issuer only.'));
    return { verb, issuer };
  }
  const metadataUrl = values['metadata-url'];
  const jwksFile = values['jwks-file'];
  if ((metadataUrl === undefined) === (jwksFile === undefined)) throw new Error(say('Donnez soit --metadata-url, soit --jwks-file (l’un des deux).', 'Give either --metadata-url or --jwks-file (one of them).'));
  const jurisdiction = values.jurisdiction?.toUpperCase();
  if (jurisdiction !== 'FR' && jurisdiction !== 'QC') throw new Error(say('--jurisdiction doit être FR ou QC.', '--jurisdiction must be FR or QC.'));
  const name = values.name?.trim();
  if (!name || name.length > 200) throw new Error(say('Donnez le nom de l’émetteur : --name NOM (200 caractères au plus).', 'Give the issuer’s name: --name NAME (200 characters at most).'));
  return { verb, issuer, jurisdiction, name, ...(metadataUrl !== undefined ? { metadataUrl } : {}), ...(jwksFile !== undefined ? { jwksFile } : {}) };
}

/**
 * `entente trust list|add|remove` (identity/credentials/trust.ts): the issuers the verifier
 * trusts besides Entente's own two. The operator at the console is recorded as
 * `cli:<system account>` in the audit trail. Exit codes: 0 done, 1 refused, 2 usage.
 */
export async function trust(args: string[]): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parseTrustArgs(args);
  } catch (error) {
    if ((error as Error).message) console.error((error as Error).message);
    console.error(USAGE);
    return 2;
  }
  let jwks: unknown;
  if (parsed.verb === 'add' && parsed.jwksFile) {
    try {
      const text = await readFile(parsed.jwksFile, 'utf8');
      if (Buffer.byteLength(text) > MAX_JWKS_FILE_BYTES) throw new Error('too large');
      jwks = JSON.parse(text) as unknown;
    } catch {
      console.error(say(`Impossible de lire un JWKS (JSON, 64 Kio au plus) dans ${parsed.jwksFile}.`, `Could not read a JWKS (JSON, 64 KiB at most) from ${parsed.jwksFile}.`));
      return 2;
    }
  }

  const data = await openDataForCommand(`trust ${parsed.verb}`);
  if (!data) return 1;
  try {
    await migrateStores(data.stores);
    const deps = { stores: data.stores, audit: createAuditLog(data.stores), publicUrl: () => data.config.publicUrl };
    const by = { kind: 'cli' as const, account: operatorName() };
    if (parsed.verb === 'list') {
      for (const i of await listTrustedIssuers(deps, by)) {
        const keys = i.source === 'local' ? '-' : i.keys.map((k) => k.kid ?? '(sans kid)').join(',');
        console.log([i.issuer, i.jurisdiction, i.source, i.name, i.metadataUrl ?? '-', keys, i.addedBy ?? '-', i.addedAt ?? '-'].join('\t'));
      }
      return 0;
    }
    if (parsed.verb === 'add') {
      const added = await addTrustedIssuer(deps, by, {
        issuer: parsed.issuer,
        jurisdiction: parsed.jurisdiction,
        name: parsed.name,
        ...(parsed.metadataUrl !== undefined ? { metadataUrl: parsed.metadataUrl } : { jwks }),
      });
      console.log(say(`Émetteur de confiance ajouté : ${added.issuer} (${added.source}, ${added.keys.length} clé(s)).`, `Trusted issuer added: ${added.issuer} (${added.source}, ${added.keys.length} key(s)).`));
      return 0;
    }
    const removed = await removeTrustedIssuer(deps, by, parsed.issuer);
    console.log(say(`Émetteur retiré de la liste de confiance : ${removed.issuer}.`, `Issuer removed from the trust list: ${removed.issuer}.`));
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      const cause = typeof error.extensions.cause === 'string' ? ` (${error.extensions.cause})` : '';
      console.error(say(`Refusé : ${messageFr(error.slug)}${cause}`, `Refused: ${messageEn(error.slug)}${cause}`));
      return 1;
    }
    throw error;
  } finally {
    await data.close();
  }
}

function messageFr(slug: string): string {
  const messages: Record<string, string> = {
    trust_issuer_exists: 'cet émetteur est déjà dans la liste de confiance.',
    trust_issuer_local: 'les émetteurs d’Entente sont toujours de confiance.',
    trust_issuer_invalid: 'adresse refusée (https requis, http seulement pour localhost).',
    trust_metadata_unavailable: 'les métadonnées de l’émetteur n’ont pas pu être lues.',
    trust_jwks_invalid: 'aucune clé publique de signature utilisable.',
    not_found: 'cet émetteur n’est pas dans la liste de confiance.',
  };
  return messages[slug] ?? slug;
}

function messageEn(slug: string): string {
  const messages: Record<string, string> = {
    trust_issuer_exists: 'this issuer is already in the trust list.',
    trust_issuer_local: 'Entente’s own issuers are always trusted.',
    trust_issuer_invalid: 'address refused (https required, http only for localhost).',
    trust_metadata_unavailable: 'the issuer’s metadata could not be read.',
    trust_jwks_invalid: 'no usable public signing key.',
    not_found: 'this issuer is not in the trust list.',
  };
  return messages[slug] ?? slug;
}
