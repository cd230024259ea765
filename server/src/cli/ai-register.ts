import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildRegister, registerCsv } from '../assistant/index.ts';
import { rangeQuery } from '../assistant/usage-reports/range.ts';
import { createAuditLog } from '../platform/audit/audit-log.ts';
import { migrateStores } from '../platform/db/stores.ts';
import { openDataForCommand } from './open-data.ts';
import { say } from './output.ts';
import { operatorName } from './spaces.ts';

const USAGE = say(
  `Usage :
  npm run entente -- ai register [--format json|csv] [--from AAAA-MM-JJ] [--to AAAA-MM-JJ] [--out FICHIER]
      le registre des systèmes d’IA (docs/ai.md) ; par défaut JSON, les douze derniers mois, sur la sortie standard`,
  `Usage:
  npm run entente -- ai register [--format json|csv] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out FILE]
      the register of AI systems (docs/ai.md); by default JSON, the last twelve months, on standard output`,
);

/**
 * `entente ai register`: the register of AI systems at the console, as the operators' page gives
 * it (assistant/register). Audited as `ai.register.exported` with the system account as
 * `cli:<user>` in the details. Exit codes: 0 done, 1 refused, 2 usage.
 */
export async function ai(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  let options: { format: 'json' | 'csv'; from?: string; to?: string; out?: string };
  try {
    if (verb !== 'register') throw new Error('');
    const { values } = parseArgs({
      args: rest,
      options: { format: { type: 'string', default: 'json' }, from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
    if (values.format !== 'json' && values.format !== 'csv') throw new Error(say('--format vaut json ou csv.', '--format is json or csv.'));
    const range = rangeQuery.safeParse({ ...(values.from ? { from: values.from } : {}), ...(values.to ? { to: values.to } : {}) });
    if (!range.success) throw new Error(range.error.issues.map((i) => `--${i.path.join('.') || 'from'}: ${i.message}`).join('\n'));
    options = { format: values.format, ...range.data, ...(values.out ? { out: values.out } : {}) };
  } catch (error) {
    if ((error as Error).message) console.error((error as Error).message);
    console.error(USAGE);
    return 2;
  }

  const data = await openDataForCommand('ai register');
  if (!data) return 1;
  try {
    await migrateStores(data.stores);
    const register = await buildRegister({ stores: data.stores, providers: data.config.ai.providers, register: data.config.aiRegister }, { from: options.from, to: options.to });
    await createAuditLog(data.stores).record({
      action: 'ai.register.exported',
      outcome: 'success',
      actorId: null,
      resource: { type: 'ai_register', id: 'platform' },
      requestId: `cli-${Date.now()}`,
      details: { format: options.format, from: register.from, to: register.to, systems: register.systems.length, by: operatorName() },
    });
    const output = options.format === 'csv' ? registerCsv(register) : `${JSON.stringify(register, null, 2)}\n`;
    if (options.out) {
      writeFileSync(options.out, output, { mode: 0o600 });
      console.error(say(`Registre écrit dans ${options.out} (${register.systems.length} systèmes).`, `Register written to ${options.out} (${register.systems.length} systems).`));
    } else process.stdout.write(output);
    return 0;
  } finally {
    await data.close();
  }
}
