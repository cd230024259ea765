import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createAuditLog } from '../platform/audit/audit-log.ts';
import { migrateStores } from '../platform/db/stores.ts';
import { runCalibration } from '../skills/index.ts';
import { openDataForCommand } from './open-data.ts';
import { english, say } from './output.ts';
import { operatorName } from './spaces.ts';

const USAGE = say(
  `Usage :
  npm run entente -- skills calibrate [--min-answers N] [--dry-run] [--out RAPPORT.json]
      ré-estime les paramètres des questions à partir des réponses recueillies (docs/skills.md)`,
  `Usage:
  npm run entente -- skills calibrate [--min-answers N] [--dry-run] [--out REPORT.json]
      re-estimates the items' parameters from the answers collected (docs/skills.md)`,
);

/** Counts as the operator reads them: 12 345 in French (narrow no-break space), 12,345 in English. */
const n = (value: number): string => value.toLocaleString(english ? 'en' : 'fr-FR');

/**
 * `entente skills calibrate`: the calibration job at the console (skills/calibration). Prints
 * a summary and the flagged items; `--out` writes the whole report; `--dry-run` changes nothing.
 * Exit codes: 0 done, 1 refused, 2 usage.
 */
export async function skills(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  let options: { minAnswers?: number; dryRun: boolean; out?: string };
  try {
    if (verb !== 'calibrate') throw new Error('');
    const { values } = parseArgs({
      args: rest,
      options: { 'min-answers': { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, out: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
    const min = values['min-answers'] === undefined ? undefined : Number(values['min-answers']);
    if (min !== undefined && !(Number.isInteger(min) && min >= 20 && min <= 1_000_000)) throw new Error(say('--min-answers : un entier entre 20 et 1 000 000.', '--min-answers: an integer between 20 and 1,000,000.'));
    options = { ...(min !== undefined ? { minAnswers: min } : {}), dryRun: values['dry-run'] ?? false, ...(values.out ? { out: values.out } : {}) };
  } catch (error) {
    if ((error as Error).message) console.error((error as Error).message);
    console.error(USAGE);
    return 2;
  }
  const data = await openDataForCommand('skills calibrate');
  if (!data) return 1;
  try {
    await migrateStores(data.stores);
    const run = await runCalibration({ stores: data.stores, audit: createAuditLog(data.stores) }, { ...options, by: operatorName() });
    console.log(
      say(
        `${run.dryRun ? 'Essai (rien n’est écrit) : ' : ''}${n(run.collected.answers)} réponses recueillies (${n(run.collected.examinees)} évaluations), dont ${n(run.answers)} retenues pour l’estimation (questions ayant au moins ${n(run.minAnswers)} réponses) ; ${run.updated} questions recalibrées, ${run.insufficient} sans assez de réponses, ${run.flagged.length} signalées ; ${run.iterations} itérations${run.converged ? '' : ' (sans convergence)'}.`,
        `${run.dryRun ? 'Dry run (nothing written): ' : ''}${n(run.collected.answers)} answers collected (${n(run.collected.examinees)} assessments), ${n(run.answers)} of them used for the estimation (items with at least ${n(run.minAnswers)} answers); ${run.updated} items recalibrated, ${run.insufficient} without enough answers, ${run.flagged.length} flagged; ${run.iterations} iterations${run.converged ? '' : ' (not converged)'}.`,
      ),
    );
    for (const item of run.flagged) console.log(`  ${item.key}: ${item.flags.join(', ')}`);
    if (run.exposurePriced !== null && run.maxSimulatedExposure !== null) {
      const share = (100 * run.maxSimulatedExposure).toFixed(1);
      const target = Math.round(100 * run.exposureTarget);
      console.log(say(`Prix d’exposition réchauffés par simulation : ${run.exposurePriced} questions à un prix au-dessus de 0 ; la plus vue, dans ${share.replace('.', ',')} % des tests simulés (cible ${target} %).`, `Exposure prices warmed by simulation: ${run.exposurePriced} items priced above 0; the most seen, in ${share} % of simulated tests (target ${target} %).`));
      // Tests of up to 32 questions over a bank of a few dozen items per area cannot stay under the
      // target whatever the prices: say so rather than let the figure look like a fault of the loop.
      if (run.maxSimulatedExposure > run.exposureTarget + 0.02) console.log(say('  La banque est trop petite pour la cible : ajoutez des questions, dans les domaines qui en ont le moins.', '  The bank is too small for the target: add items, in the areas that have fewest.'));
    }
    if (options.out) writeFileSync(options.out, `${JSON.stringify(run, null, 2)}\n`, { mode: 0o600 });
    return 0;
  } finally {
    await data.close();
  }
}
