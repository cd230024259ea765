import os from 'node:os';
import { parseArgs } from 'node:util';
import { isJurisdiction } from '../../../common/src/jurisdiction.ts';
import { createAuditLog } from '../platform/audit/audit-log.ts';
import { openCells } from '../platform/cells/cells.ts';
import { migrateStores } from '../platform/db/stores.ts';
import { AppError } from '../platform/errors.ts';
import { createEventBus } from '../platform/events/index.ts';
import { createLogger } from '../platform/logger.ts';
import {
  getSpaceMove,
  listSpaceMoves,
  type MoveDeps,
  runSpaceMove,
  type SpaceMoveView,
  startSpaceMove,
} from '../workspace/spaces/move/move-space.ts';
import type { MovePhase } from '../workspace/spaces/move/move.tables.ts';
import { openDataForCommand } from './open-data.ts';
import { say } from './output.ts';

const USAGE = say(
  `Usage :
  npm run entente -- spaces move ID_ESPACE --to FR|QC     déplace l’espace dans la cellule de l’autre juridiction
  npm run entente -- spaces move --resume ID_DÉPLACEMENT   reprend un déplacement interrompu
  npm run entente -- spaces moves [--space ID_ESPACE]      liste les déplacements
  npm run entente -- spaces moves ID_DÉPLACEMENT           état d’un déplacement`,
  `Usage:
  npm run entente -- spaces move SPACE_ID --to FR|QC      moves the space to the other jurisdiction's cell
  npm run entente -- spaces move --resume MOVE_ID         resumes an interrupted move
  npm run entente -- spaces moves [--space SPACE_ID]      lists the moves
  npm run entente -- spaces moves MOVE_ID                 one move's status`,
);

const PHASE_LABELS: Record<MovePhase | 'done', [string, string]> = {
  lock: ['verrouillage (espace en lecture seule)', 'lock (space read-only)'],
  keys: ['clés de données réenveloppées', 'data keys rewrapped'],
  rows: ['lignes copiées', 'rows copied'],
  objects: ['objets copiés et vérifiés', 'objects copied and verified'],
  switch: ['vérification et bascule de l’annuaire', 'verification and directory switch'],
  clean: ['ancienne cellule vidée', 'old cell emptied'],
  unlock: ['journalisé et déverrouillé', 'recorded and unlocked'],
  done: ['terminé', 'done'],
};

const label = (phase: MovePhase | 'done') => say(...PHASE_LABELS[phase]);

/**
 * `entente spaces move|moves`: moving a space to the other jurisdiction (workspace/spaces/move).
 * The operator is the one who runs it: recorded as `cli:<system account>`. On an embedded data
 * directory it refuses while the server runs (open-data.ts); on PostgreSQL it runs beside the
 * servers, which it tells through the event bus (Redis) so that live editors go read-only.
 */
export async function spaces(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  if (verb !== 'move' && verb !== 'moves') {
    console.error(USAGE);
    return 2;
  }
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(verb, rest);
  } catch (error) {
    console.error((error as Error).message);
    console.error(USAGE);
    return 2;
  }

  const data = await openDataForCommand(`spaces ${verb}`);
  if (!data) return 1;
  const { config, stores } = data;
  const logger = createLogger({ ...config, logLevel: 'warn' });
  let cells: Awaited<ReturnType<typeof openCells>> | null = null;
  const events = createEventBus(config, logger);
  try {
    await migrateStores(stores);
    if (parsed.kind === 'list') {
      const moves = await listSpaceMoves(stores, { spaceId: parsed.spaceId });
      if (moves.length === 0) console.log(say('Aucun déplacement.', 'No moves.'));
      for (const move of moves) console.log(summaryLine(move));
      return 0;
    }
    if (parsed.kind === 'status') {
      printStatus(await getSpaceMove(stores, parsed.moveId));
      return 0;
    }
    cells = await openCells(config, stores);
    const deps: MoveDeps = {
      stores,
      cells,
      audit: createAuditLog(stores),
      logger,
      events,
      onPhase: (phase, move) => console.log(`✓ ${label(phase)}${phaseFigures(phase, move)}`),
    };
    let moveId: string | null = parsed.kind === 'resume' ? parsed.moveId : null;
    try {
      let done: SpaceMoveView;
      if (parsed.kind === 'resume') {
        const before = await getSpaceMove(stores, parsed.moveId);
        if (before.phase === 'done') {
          console.log(say(`Ce déplacement est déjà terminé (${before.finishedAt}).`, `This move is already done (${before.finishedAt}).`));
          return 0;
        }
        console.log(say(`Reprise du déplacement ${before.id} à l’étape « ${label(before.phase)} ».`, `Resuming move ${before.id} at "${label(before.phase)}".`));
        done = await runSpaceMove(deps, parsed.moveId);
      } else {
        console.log(say(`Déplacement de l’espace ${parsed.spaceId} vers ${parsed.to}…`, `Moving space ${parsed.spaceId} to ${parsed.to}…`));
        done = await startSpaceMove(
          {
            ...deps,
            onPhase: (phase, move) => {
              moveId = move.id;
              deps.onPhase?.(phase, move);
            },
          },
          { spaceId: parsed.spaceId, to: parsed.to, startedBy: operatorName() },
        );
      }
      console.log(
        say(
          `Espace ${done.spaceId} déplacé de ${done.from} vers ${done.to} (déplacement ${done.id}).`,
          `Space ${done.spaceId} moved from ${done.from} to ${done.to} (move ${done.id}).`,
        ),
      );
      return 0;
    } catch (error) {
      console.error(explain(error));
      const id = moveId ?? (parsed.kind === 'move' ? ((await listSpaceMoves(stores, { spaceId: parsed.spaceId, limit: 1 }))[0]?.id ?? null) : null);
      const stopped = id ? await getSpaceMove(stores, id).catch(() => null) : null;
      if (stopped && stopped.phase !== 'done' && !(error instanceof AppError && error.slug === 'space_move_in_progress')) {
        console.error(
          say(
            `Le déplacement ${stopped.id} s’est arrêté à l’étape « ${label(stopped.phase)} » ; l’espace reste en lecture seule. Corrigez la cause puis reprenez : npm run entente -- spaces move --resume ${stopped.id}`,
            `Move ${stopped.id} stopped at "${label(stopped.phase)}"; the space stays read-only. Fix the cause, then resume: npm run entente -- spaces move --resume ${stopped.id}`,
          ),
        );
      }
      return 1;
    }
  } catch (error) {
    if (error instanceof AppError) {
      console.error(explain(error));
      return 1;
    }
    throw error;
  } finally {
    await events.close().catch(() => undefined);
    await cells?.close().catch(() => undefined);
    await data.close(); // the process then ends in cli/main.ts (PGlite leaves a timer behind)
  }
}

type Parsed =
  | { kind: 'move'; spaceId: string; to: 'FR' | 'QC' }
  | { kind: 'resume'; moveId: string }
  | { kind: 'list'; spaceId?: string }
  | { kind: 'status'; moveId: string };

function parse(verb: 'move' | 'moves', args: string[]): Parsed {
  if (verb === 'moves') {
    const { values, positionals } = parseArgs({ args, options: { space: { type: 'string' } }, allowPositionals: true, strict: true });
    if (positionals.length > 1 || (positionals.length === 1 && values.space)) throw new Error(say('Un seul identifiant.', 'One id only.'));
    if (positionals[0]) return { kind: 'status', moveId: positionals[0] };
    return { kind: 'list', ...(values.space ? { spaceId: values.space } : {}) };
  }
  const { values, positionals } = parseArgs({ args, options: { to: { type: 'string' }, resume: { type: 'string' } }, allowPositionals: true, strict: true });
  if (values.resume !== undefined) {
    if (positionals.length > 0 || values.to !== undefined) throw new Error(say('--resume s’emploie seul.', '--resume goes alone.'));
    return { kind: 'resume', moveId: values.resume };
  }
  const to = values.to?.toUpperCase();
  if (positionals.length !== 1 || !isJurisdiction(to)) throw new Error(say('Donnez un espace et --to FR ou --to QC.', 'Give a space and --to FR or --to QC.'));
  return { kind: 'move', spaceId: positionals[0] as string, to };
}

/** The system account that runs the command: the operator at the console. */
export function operatorName(): string { // exported for `organisations delete` (helper O)
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    user = process.env.USER ?? 'unknown';
  }
  return `cli:${user.replace(/[^\w.@-]/g, '_').slice(0, 64)}`;
}

function phaseFigures(phase: MovePhase | 'done', move: SpaceMoveView): string {
  const c = move.counters;
  if (phase === 'keys') return ` (${c.keys})`;
  if (phase === 'rows') return ` (${Object.values(c.rows).reduce((a, b) => a + b, 0)})`;
  if (phase === 'objects') return ` (${c.objects}, ${c.bytes} ${say('octets', 'bytes')})`;
  if (phase === 'clean') return ` (${c.deleted.rows} ${say('lignes', 'rows')}, ${c.deleted.objects} ${say('objets', 'objects')}, ${c.deleted.keys} ${say('clés', 'keys')})`;
  return '';
}

function summaryLine(move: SpaceMoveView): string {
  const state = move.phase === 'done' ? say('terminé', 'done') : move.error ? say(`arrêté à ${move.phase}`, `stopped at ${move.phase}`) : say(`en cours : ${move.phase}`, `in progress: ${move.phase}`);
  return `${move.id}  ${move.spaceId}  ${move.from}→${move.to}  ${state}  ${move.startedBy}  ${move.createdAt}`;
}

function printStatus(move: SpaceMoveView): void {
  console.log(summaryLine(move));
  const c = move.counters;
  console.log(`  ${say('clés', 'keys')}: ${c.keys}`);
  for (const [table, n] of Object.entries(c.rows)) console.log(`  ${table}: ${n}`);
  console.log(`  ${say('objets', 'objects')}: ${c.objects} (${c.bytes} ${say('octets', 'bytes')})`);
  console.log(`  ${say('supprimé de l’ancienne cellule', 'deleted from the old cell')}: ${c.deleted.rows} ${say('lignes', 'rows')}, ${c.deleted.objects} ${say('objets', 'objects')}, ${c.deleted.keys} ${say('clés', 'keys')}`);
  if (move.switchedAt) console.log(`  ${say('bascule', 'switched')}: ${move.switchedAt}`);
  if (move.finishedAt) console.log(`  ${say('terminé', 'finished')}: ${move.finishedAt}`);
  if (move.error) console.log(`  ${say('erreur', 'error')}: ${move.error}`);
}

function explain(error: unknown): string {
  if (!(error instanceof AppError)) return say(`Échec : ${(error as Error).message ?? String(error)}`, `Failed: ${(error as Error).message ?? String(error)}`);
  const p = error.params;
  switch (error.slug) {
    case 'space_not_found':
      return say(`Espace inconnu : ${p.spaceId}.`, `Unknown space: ${p.spaceId}.`);
    case 'space_move_same_cell':
      return say(`Refusé : l’espace est déjà dans la cellule ${p.jurisdiction}.`, `Refused: the space is already in the ${p.jurisdiction} cell.`);
    case 'space_move_in_progress':
      return say(
        `Refusé : un déplacement de cet espace est déjà en cours (${p.moveId}). Reprenez-le : npm run entente -- spaces move --resume ${p.moveId}`,
        `Refused: a move of this space is already under way (${p.moveId}). Resume it: npm run entente -- spaces move --resume ${p.moveId}`,
      );
    case 'space_move_not_found':
      return say(`Déplacement inconnu : ${p.moveId}.`, `Unknown move: ${p.moveId}.`);
    case 'space_move_busy':
      return say(
        `Refusé : le déplacement ${p.moveId} est en cours dans un autre processus (ou celui-ci s’est arrêté il y a moins de deux minutes). Réessayez plus tard.`,
        `Refused: move ${p.moveId} is being run by another process (or that one stopped less than two minutes ago). Try again later.`,
      );
    case 'space_move_unclassified_tables':
      return say(
        `Refusé : des tables de cellule ne sont pas classées dans server/src/workspace/spaces/move/space-tables.ts (le déplacement laisserait leurs données derrière lui) : ${p.tables}`,
        `Refused: cell tables are not classified in server/src/workspace/spaces/move/space-tables.ts (the move would leave their data behind): ${p.tables}`,
      );
    case 'space_move_schema_mismatch':
      return say(
        `Refusé : les deux cellules n’ont pas les mêmes colonnes (${p.tables}). Appliquez les migrations : npm run entente -- migrate`,
        `Refused: the two cells do not have the same columns (${p.tables}). Apply the migrations: npm run entente -- migrate`,
      );
    case 'space_move_directory_mismatch':
      return say(
        `Arrêté : l’annuaire place l’espace dans la cellule ${p.directory}, alors que le déplacement ${p.moveId} en est à une étape qui suppose ${p.expected}. Rien n’a été copié ni supprimé ; vérifiez la table space_directory.`,
        `Stopped: the directory puts the space in the ${p.directory} cell while move ${p.moveId} is at a phase that implies ${p.expected}. Nothing was copied or deleted; check the space_directory table.`,
      );
    case 'space_move_source_changing':
      return say(
        `L’ancienne cellule a encore été modifiée pendant ${p.rounds} vérifications : un processus écrit malgré le verrou. Reprenez le déplacement.`,
        `The old cell kept changing through ${p.rounds} verifications: a process writes despite the lock. Resume the move.`,
      );
    default:
      return say(`Refusé (${error.slug}) ${JSON.stringify(p)}`, `Refused (${error.slug}) ${JSON.stringify(p)}`);
  }
}
