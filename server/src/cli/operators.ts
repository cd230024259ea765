import { addOperator, listOperators, removeOperator } from '../identity/operators.ts';
import { createAuditLog } from '../platform/audit/audit-log.ts';
import { openDataForCommand } from './open-data.ts';
import { say } from './output.ts';

/**
 * `entente operators add UPSTREAM SUBJECT | list | remove UPSTREAM SUBJECT`: names an operator by
 * federated identity (the federation's name in Entente and the subject it gives the agent). The
 * role is granted at once if that identity has signed in already, otherwise at its first sign-in.
 * Operators named in ENTENTE_OPERATORS are managed there, not here.
 */
export async function operators(args: string[]): Promise<number> {
  const [verb, upstream, subject, ...rest] = args;
  const usage = () => {
    console.error(
      say(
        'Usage : npm run entente -- operators add AMONT SUJET | operators list | operators remove AMONT SUJET',
        'Usage: npm run entente -- operators add UPSTREAM SUBJECT | operators list | operators remove UPSTREAM SUBJECT',
      ),
    );
    return 2;
  };
  const needsIdentity = verb === 'add' || verb === 'remove';
  if (verb !== 'list' && !needsIdentity) return usage();
  if (needsIdentity && (!upstream || !subject || rest.length > 0 || !/^[a-z0-9][a-z0-9_-]{0,99}$/i.test(upstream) || subject.length > 255)) return usage();
  if (verb === 'list' && args.length > 1) return usage();

  const data = await openDataForCommand(`operators ${verb}`);
  if (!data) return 1;
  try {
    const audit = createAuditLog(data.stores);
    if (verb === 'list') {
      const { designations, principals } = await listOperators(data.stores);
      if (designations.length === 0) console.log(say('Aucun opérateur désigné.', 'No operator designated.'));
      for (const d of designations) {
        const who = d.principalId ?? say('(pas encore connecté)', '(not signed in yet)');
        console.log(`${d.upstream}\t${d.subject}\t${d.source}\t${who}`);
      }
      const undesignated = principals.filter((p) => !designations.some((d) => d.principalId === p));
      for (const p of undesignated) console.log(`-\t-\t${say('autre', 'other')}\t${p}`);
      return 0;
    }
    const identity = { upstream: upstream as string, subject: subject as string };
    if (verb === 'add') {
      const { principalId, granted } = await addOperator(data.stores, audit, identity);
      console.log(
        principalId
          ? granted
            ? say(`Opérateur : ${principalId} (rôle accordé).`, `Operator: ${principalId} (role granted).`)
            : say(`Opérateur : ${principalId} (avait déjà le rôle).`, `Operator: ${principalId} (already held the role).`)
          : say(
              'Désigné ; le rôle sera accordé à la première connexion de cette identité.',
              'Designated; the role will be granted at this identity’s first sign-in.',
            ),
      );
      return 0;
    }
    const { removed, revoked } = await removeOperator(data.stores, audit, identity);
    if (!removed) {
      console.error(
        say(
          'Cette identité n’a pas été désignée par « operators add » (voyez « operators list » ; ENTENTE_OPERATORS se modifie dans la configuration).',
          'This identity was not designated with "operators add" (see "operators list"; ENTENTE_OPERATORS is changed in the configuration).',
        ),
      );
      return 1;
    }
    console.log(revoked ? say('Désignation retirée ; rôle retiré.', 'Designation removed; role removed.') : say('Désignation retirée.', 'Designation removed.'));
    return 0;
  } finally {
    await data.close(); // the process then ends in cli/main.ts (PGlite leaves a timer behind)
  }
}
