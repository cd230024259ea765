import { audit } from './audit.ts';
import { backup, restore } from './backup.ts';
import { doctor } from './doctor.ts';
import { exportCommand } from './export.ts';
import { idp } from './idp.ts';
import { importCommand } from './import.ts';
import { kms } from './kms.ts';
import { migrate } from './migrate.ts';
import { oidc } from './oidc.ts';
import { operators } from './operators.ts';
import { organisations } from './organisations.ts'; // organisation deletion (helper O)
import { ai } from './ai-register.ts'; // AI register (helper C)
import { say } from './output.ts';
import { spaces } from './spaces.ts';
import { skills } from './skills.ts';
import { trust } from './trust.ts'; // credential verification (issue 9)
import { issuersCommand } from '../identity/credentials/issuers-cli.ts'; // credentials (issue 9)

/**
 * `npm run entente -- <area> <verb>`: the administration command (DESIGN.md, CLI contract).
 * Commands that open the data refuse while a server holds an embedded data directory.
 */
const COMMANDS: Record<string, { run: (args: string[]) => Promise<number>; help: string }> = {
  doctor: { run: doctor, help: say('vérifie l’installation et dit quoi corriger', 'checks the installation and says what to fix') },
  migrate: { run: migrate, help: say('applique les migrations de toutes les bases', 'applies the migrations of every database') },
  operators: { run: operators, help: say('operators add AMONT SUJET | list | remove AMONT SUJET : les opérateurs', 'operators add UPSTREAM SUBJECT | list | remove UPSTREAM SUBJECT: operators') },
  idp: {
    run: idp,
    help: say('idp list | idp check NOM : vérifie une fédération d’identité amont', 'idp list | idp check NAME: checks an upstream identity federation'),
  },
  audit: {
    run: audit,
    help: say('audit verify | audit export --org ID | audit checkpoint | audit keys rotate : journal d’audit infalsifiable', 'audit verify | audit export --org ID | audit checkpoint | audit keys rotate: tamper-evident audit log'),
  },
  // ── organisation deletion (helper O) ──
  organisations: {
    run: organisations,
    help: say(
      'organisations delete ID --confirm "NOM" | organisations status ID : supprimer une organisation pour de bon',
      'organisations delete ID --confirm "NAME" | organisations status ID: delete an organisation for good',
    ),
  },
  // ── end organisation deletion ──
  // ── AI register (helper C) ──
  ai: {
    run: ai,
    help: say(
      'ai register [--format json|csv] [--from J] [--to J] [--out FICHIER] : registre des systèmes d’IA',
      'ai register [--format json|csv] [--from D] [--to D] [--out FILE]: register of AI systems',
    ),
  },
  // ── end AI register ──
  spaces: {
    run: spaces,
    help: say(
      'spaces move ID --to FR|QC | spaces move --resume ID | spaces moves : déplacer un espace dans l’autre juridiction',
      'spaces move ID --to FR|QC | spaces move --resume ID | spaces moves: move a space to the other jurisdiction',
    ),
  },
  backup: {
    run: backup,
    help: say(
      'backup --out DOSSIER [--keyring-only [--with-keks]] : sauvegarde cohérente (données, ou trousseau à part)',
      'backup --out DIR [--keyring-only [--with-keks]]: consistent backup (data, or the keyring apart)',
    ),
  },
  restore: {
    run: restore,
    help: say('restore --from DOSSIER [--keyring-from DOSSIER] [--force] : restaure une sauvegarde', 'restore --from DIR [--keyring-from DIR] [--force]: restores a backup'),
  },
  export: {
    run: exportCommand,
    help: say('export --space ID | --org ID --out FICHIER.zip : archive documentée, en clair (docs/export-format.md)', 'export --space ID | --org ID --out FILE.zip: documented archive, plaintext (docs/export-format.md)'),
  },
  import: {
    run: importCommand,
    help: say('import --file FICHIER.zip [--cell FR|QC] [--owner ID] : charge une archive comme nouveaux espaces', 'import --file FILE.zip [--cell FR|QC] [--owner ID]: loads an archive as new spaces'),
  },
  kms: {
    run: kms,
    help: say('kms rotate --cell FR|QC [--retire-old] | kms status --cell FR|QC : clés de chiffrement de clés (KEK) d’une cellule', 'kms rotate --cell FR|QC [--retire-old] | kms status --cell FR|QC: key-encryption keys (KEK) of a cell'),
  },
  skills: {
    run: skills,
    help: say('skills calibrate [--min-answers N] [--dry-run] [--out FICHIER] : recalibre les questions des évaluations', 'skills calibrate [--min-answers N] [--dry-run] [--out FILE]: recalibrates the assessment items'),
  },
  issuers: {
    run: issuersCommand,
    help: say('issuers keys rotate [--jurisdiction FR|QC] : nouvelle clé des émetteurs d’attestations', 'issuers keys rotate [--jurisdiction FR|QC]: new key for the credential issuers'),
  },
  trust: {
    run: trust,
    help: say(
      'trust list | trust add --issuer URL (--metadata-url URL | --jwks-file FICHIER) --jurisdiction FR|QC --name NOM | trust remove --issuer URL : émetteurs d’attestations de confiance',
      'trust list | trust add --issuer URL (--metadata-url URL | --jwks-file FILE) --jurisdiction FR|QC --name NAME | trust remove --issuer URL: trusted credential issuers',
    ),
  },
  oidc: {
    run: oidc,
    help: say('oidc clients add|list|remove, oidc keys rotate : Entente fournisseur OpenID', 'oidc clients add|list|remove, oidc keys rotate: Entente as OpenID provider'),
  },
};

/** Commands of the contract that later issues deliver; named so that nobody thinks they are typos. */
const LATER: Record<string, string> = {
  issuers: 'verifiable credentials',
};

function usage(): void {
  console.log(say('Usage : npm run entente -- <commande>', 'Usage: npm run entente -- <command>'));
  for (const [name, command] of Object.entries(COMMANDS)) console.log(`  ${name.padEnd(10)} ${command.help}`);
}

// Like the server: whatever a command creates is the server user's alone.
process.umask(0o077);

const [name, ...args] = process.argv.slice(2);
if (!name || name === 'help' || name === '--help' || name === '-h') {
  usage();
  process.exit(name ? 0 : 1);
}
const command = COMMANDS[name];
if (!command) {
  const later = LATER[name];
  console.error(
    later
      ? say(`« ${name} » n’est pas encore disponible : il arrive avec le chantier « ${later} ».`, `"${name}" is not available yet: it arrives with the "${later}" issue.`)
      : say(`Commande inconnue : « ${name} ».`, `Unknown command: "${name}".`),
  );
  usage();
  process.exit(2);
}
process.exitCode = await command.run(args);
// PGlite keeps the process alive after close(): its WebAssembly Postgres arms an interval timer
// (10 s: by its value, the idle statistics flush) through Emscripten's __setitimer_js, a plain
// ref'd setTimeout that close() does not clear and that re-arms itself when it fires. Every
// command has closed what it opened by now; this timer, unref'd, only fires if something else
// still holds the process, and ends it with the command's exit code (output flushed meanwhile).
setTimeout(() => process.exit(), 500).unref();
