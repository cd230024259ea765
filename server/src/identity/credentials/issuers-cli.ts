import { parseArgs } from 'node:util';
import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import { openDataForCommand } from '../../cli/open-data.ts';
import { say } from '../../cli/output.ts';
import { createAuditLog } from '../../platform/audit/audit-log.ts';
import { openCells } from '../../platform/cells/cells.ts';
import { migrateStores } from '../../platform/db/stores.ts';
import { createEventBus } from '../../platform/events/index.ts';
import { createLogger } from '../../platform/logger.ts';
import { rotateIssuers } from './index.ts';

const USAGE = say('Usage :\n  npm run entente -- issuers keys rotate [--jurisdiction FR|QC]', 'Usage:\n  npm run entente -- issuers keys rotate [--jurisdiction FR|QC]');

/**
 * `entente issuers keys rotate [--jurisdiction FR|QC]`: a new ES256 key generation for the
 * credential issuer of one jurisdiction (both without the option), sealed with that cell's
 * keyring. It signs from now on; the previous generations stay published while what they signed
 * is valid. Audited in the issuer's cell. Running servers read the newest key at each issuance.
 */
export async function issuersCommand(args: string[]): Promise<number> {
  const [area, verb, ...rest] = args;
  if (area !== 'keys' || verb !== 'rotate') {
    console.error(USAGE);
    return 2;
  }
  let jurisdictions: readonly Jurisdiction[] = JURISDICTIONS;
  try {
    const { values } = parseArgs({ args: rest, options: { jurisdiction: { type: 'string' } }, strict: true });
    if (values.jurisdiction !== undefined) {
      const wanted = values.jurisdiction.toUpperCase();
      if (!(JURISDICTIONS as readonly string[]).includes(wanted)) throw new Error(say(`Juridiction inconnue : ${values.jurisdiction}`, `Unknown jurisdiction: ${values.jurisdiction}`));
      jurisdictions = [wanted as Jurisdiction];
    }
  } catch (error) {
    console.error((error as Error).message);
    console.error(USAGE);
    return 2;
  }
  const data = await openDataForCommand('issuers keys rotate');
  if (!data) return 1;
  const { config, stores } = data;
  const logger = createLogger({ ...config, logLevel: 'warn' });
  const events = createEventBus(config, logger);
  try {
    await migrateStores(stores);
    const cells = await openCells(config, stores);
    try {
      for (const r of await rotateIssuers({ cells, audit: createAuditLog(stores), events }, jurisdictions)) {
        console.log(say(`Émetteur ${r.jurisdiction} : nouvelle génération de clé ${r.generation} (${r.kid}).`, `Issuer ${r.jurisdiction}: new key generation ${r.generation} (${r.kid}).`));
        if (r.retired.length > 0) console.log(say(`  Retirées du JWKS : ${r.retired.join(', ')}.`, `  Removed from the JWKS: ${r.retired.join(', ')}.`));
      }
    } finally {
      await cells.close();
    }
    return 0;
  } finally {
    await events.close();
    await data.close();
  }
}
