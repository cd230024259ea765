import { parseArgs } from 'node:util';
import { findDeletion, findOrganisationToDelete } from '../identity/organisation-deletion.repo.ts';
import type { Config } from '../config.ts';
import { deleteOrganisation, type OrganisationDeletionDeps, type OrganisationDeletionView, organisationDeletionView, reapplyOrganisationDeletions } from '../identity/organisation-deletion.ts';
import { createSessionService, DEFAULT_SESSION_POLICY } from '../identity/sessions.ts';
import { createAuditLog } from '../platform/audit/audit-log.ts';
import { type Cells, openCells } from '../platform/cells/cells.ts';
import { migrateStores, type Stores } from '../platform/db/stores.ts';
import { AppError } from '../platform/errors.ts';
import { createEventBus, type EventBus } from '../platform/events/index.ts';
import { OutboxRegistry } from '../platform/jobs/index.ts';
import { createLogger, type Logger } from '../platform/logger.ts';
import { organisationSpacesPort, registerSpaceDeletedOutbox } from '../workspace/index.ts';
import { openDataForCommand } from './open-data.ts';
import { say } from './output.ts';
import { operatorName } from './spaces.ts';

const USAGE = say(
  `Usage :
  npm run entente -- organisations delete ID --confirm "NOM EXACT"   supprime l’organisation pour de bon (reprend une suppression interrompue)
  npm run entente -- organisations status ID                         où en est la suppression d’une organisation`,
  `Usage:
  npm run entente -- organisations delete ID --confirm "EXACT NAME"  deletes the organisation for good (resumes an interrupted deletion)
  npm run entente -- organisations status ID                         how far an organisation's deletion went`,
);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `entente organisations delete|status` (identity/organisation-deletion.ts; docs/adr/0005). The
 * operator at the console is recorded as `cli:<system account>`. On an embedded data directory it
 * refuses while the server runs (open-data.ts); on PostgreSQL it runs beside the servers, which
 * it tells through the event bus (Redis) so that live editors of deleted spaces are cut off.
 * Exit codes: 0 done, 1 refused or stopped, 2 usage.
 */
export async function organisations(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  let parsed: { id: string; confirm?: string };
  try {
    if (verb !== 'delete' && verb !== 'status') throw new Error('');
    const { values, positionals } = parseArgs({ args: rest, options: { confirm: { type: 'string' } }, allowPositionals: true, strict: true });
    if (positionals.length !== 1 || !UUID.test(positionals[0] as string)) throw new Error(say('Donnez l’identifiant (UUID) de l’organisation.', 'Give the organisation’s id (UUID).'));
    if (verb === 'delete' && !values.confirm) throw new Error(say('Tapez le nom exact de l’organisation : --confirm "NOM".', 'Type the organisation’s exact name: --confirm "NAME".'));
    if (verb === 'status' && values.confirm !== undefined) throw new Error(say('--confirm va avec delete.', '--confirm goes with delete.'));
    parsed = { id: (positionals[0] as string).toLowerCase(), ...(values.confirm ? { confirm: values.confirm } : {}) };
  } catch (error) {
    if ((error as Error).message) console.error((error as Error).message);
    console.error(USAGE);
    return 2;
  }

  const data = await openDataForCommand(`organisations ${verb}`);
  if (!data) return 1;
  const { config, stores } = data;
  const logger = createLogger({ ...config, logLevel: 'warn' });
  const events = createEventBus(config, logger);
  let cells: Awaited<ReturnType<typeof openCells>> | null = null;
  try {
    await migrateStores(stores);
    if (verb === 'status') {
      const organisation = await findOrganisationToDelete(stores.control.db, parsed.id);
      const row = await findDeletion(stores.control.db, parsed.id);
      if (!organisation) return refuse(say(`Organisation inconnue : ${parsed.id}.`, `Unknown organisation: ${parsed.id}.`));
      if (!row) {
        console.log(say(`« ${organisation.name} » n’est pas supprimée.`, `"${organisation.name}" is not deleted.`));
        return 0;
      }
      print(organisationDeletionView(organisation.name, row));
      return 0;
    }
    cells = await openCells(config, stores);
    const deps = deletionDepsForCommand(stores, cells, events, logger);
    console.log(say(`Suppression de l’organisation ${parsed.id}…`, `Deleting organisation ${parsed.id}…`));
    const done = await deleteOrganisation(deps, { kind: 'cli', account: operatorName() }, parsed.id, { confirmName: parsed.confirm as string }, { ip: null, requestId: `cli-${Date.now()}` });
    print(done);
    return 0;
  } catch (error) {
    if (error instanceof AppError) return refuse(explain(error, parsed.id));
    console.error(say(`✗ Arrêté : ${(error as Error).message}`, `✗ Stopped: ${(error as Error).message}`));
    console.error(
      say(
        `La suppression reprendra d’elle-même (tâche de fond du serveur) ; ou relancez : npm run entente -- organisations delete ${parsed.id} --confirm "…"`,
        `The deletion will resume by itself (the server's background job); or run again: npm run entente -- organisations delete ${parsed.id} --confirm "…"`,
      ),
    );
    return 1;
  } finally {
    await events.close().catch(() => undefined);
    await cells?.close().catch(() => undefined);
    await data.close();
  }
}

function refuse(message: string): number {
  console.error(`✗ ${message}`);
  return 1;
}

function print(v: OrganisationDeletionView): void {
  const c = v.counters;
  const state = v.phase === 'done' ? say(`supprimée le ${v.finishedAt}`, `deleted on ${v.finishedAt}`) : say(`suppression en cours (étape ${v.phase})`, `deletion under way (phase ${v.phase})`);
  console.log(`${v.phase === 'done' ? '✓' : '…'} « ${v.name} » (${v.organisationId}) : ${state}`);
  console.log(`  ${say('espaces supprimés (clés détruites)', 'spaces deleted (keys destroyed)')}: ${c.spacesDeleted ?? 0}`);
  console.log(`  ${say('espaces partagés conservés, sans ses agents', 'shared spaces kept, without its agents')}: ${c.spacesKept ?? 0} (${c.spaceMembershipsRemoved ?? 0} ${say('places retirées', 'memberships removed')})`);
  console.log(`  ${say('clés de l’organisation détruites', 'organisation keys destroyed')}: ${c.keysDestroyed ?? 0}`);
  console.log(`  ${say('membres retirés', 'members removed')}: ${c.membersRemoved ?? 0}, ${say('agents désactivés', 'agents disabled')}: ${c.agentsDisabled ?? 0}, ${say('équipes', 'teams')}: ${c.teamsDeleted ?? 0}`);
  if (v.lastError) console.log(`  ${say('dernière erreur', 'last error')}: ${v.lastError}`);
}

function explain(error: AppError, id: string): string {
  switch (error.slug) {
    case 'not_found':
      return say(`Organisation inconnue : ${id}.`, `Unknown organisation: ${id}.`);
    case 'organisation_is_demo':
      return say(
        'Refusé : c’est une organisation de démonstration (le mode démo la recrée à chaque démarrage).',
        'Refused: this is a demo organisation (demo mode creates it again at every start).',
      );
    case 'organisation_name_mismatch':
      return say('Refusé : le nom donné à --confirm n’est pas exactement celui de l’organisation. Rien n’a été supprimé.', 'Refused: the name given to --confirm is not exactly the organisation’s. Nothing was deleted.');
    case 'organisation_already_deleted':
      return say('Cette organisation est déjà supprimée (organisations status ID pour le détail).', 'This organisation is already deleted (organisations status ID for the details).');
    case 'organisation_deletion_busy':
      return say(
        'Refusé : un autre processus supprime cette organisation (ou un processus arrêté la tient encore pour deux minutes au plus). Réessayez plus tard.',
        'Refused: another process is deleting this organisation (or a stopped one still holds it for at most two minutes). Try again later.',
      );
    default:
      return say(`Refusé (${error.slug}).`, `Refused (${error.slug}).`);
  }
}

/**
 * What deleting an organisation needs, outside the server (this command and `entente restore`).
 * The space-deletion outbox entries it writes are applied here (and, if it stops, by the server's
 * reconciliation job, which runs the same handler).
 */
export function deletionDepsForCommand(stores: Stores, cells: Cells, events: EventBus, logger: Logger): OrganisationDeletionDeps {
  const audit = createAuditLog(stores);
  const outbox = new OutboxRegistry();
  const shred = { stores, cells, audit, events, logger, outbox };
  registerSpaceDeletedOutbox(shred, outbox);
  return { stores, cells, audit, events, logger, sessions: createSessionService(stores, audit, DEFAULT_SESSION_POLICY), spaces: organisationSpacesPort(shred) };
}

/** `entente restore`: organisations deleted after the data backup was taken are deleted again. */
export async function reapplyAfterRestore(config: Config, stores: Stores, cells: Cells): Promise<OrganisationDeletionView[]> {
  const logger = createLogger({ ...config, logLevel: 'warn' });
  const events = createEventBus(config, logger);
  try {
    return await reapplyOrganisationDeletions(deletionDepsForCommand(stores, cells, events, logger));
  } finally {
    await events.close().catch(() => undefined);
  }
}
