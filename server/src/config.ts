import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { JURISDICTIONS, type Jurisdiction } from '../../common/src/jurisdiction.ts';

/**
 * The one configuration object of Entente. Every environment variable Entente reads is declared
 * in VARIABLES below, with its default and its documentation: the README's configuration table is
 * checked against this list by a test, and `loadConfig` is the only place that reads process.env.
 */

export interface VariableDoc {
  name: string;
  default: string;
  description: string;
}

export const VARIABLES: readonly VariableDoc[] = [
  { name: 'PORT', default: '3000', description: 'TCP port the HTTP server listens on.' },
  { name: 'HOST', default: '127.0.0.1', description: 'Interface the HTTP server binds to (0.0.0.0 to listen on all).' },
  {
    name: 'ENTENTE_PUBLIC_URL',
    default: 'http://localhost:$PORT',
    description: 'Public base URL (issuer of the OpenID provider, links in mails). Must be https in production.',
  },
  {
    name: 'ENTENTE_DATA_DIR',
    default: './data',
    description: 'Folder of the embedded databases (PGlite), local object stores, local keys and the lock file.',
  },
  { name: 'NODE_ENV', default: 'development', description: '`production` refuses demo features and insecure defaults.' },
  {
    name: 'ENTENTE_DEMO',
    default: 'true outside production',
    description: 'Demo organisations, demo agents, demo identity providers and the demo mail outbox. Refused in production.',
  },
  {
    name: 'DATABASE_URL',
    default: '(embedded PGlite)',
    description: 'PostgreSQL URL of the control plane. Without it everything runs on PGlite under ENTENTE_DATA_DIR.',
  },
  {
    name: 'ENTENTE_CELL_FR_DATABASE_URL',
    default: '(schema cell_fr of DATABASE_URL)',
    description: 'PostgreSQL URL of the French cell. Absent beside DATABASE_URL: a schema in that database (refused in production).',
  },
  {
    name: 'ENTENTE_CELL_QC_DATABASE_URL',
    default: '(schema cell_qc of DATABASE_URL)',
    description: 'PostgreSQL URL of the Québec cell (same rule as the French cell).',
  },
  {
    name: 'ENTENTE_CELL_FR_OBJECTS',
    default: '$ENTENTE_DATA_DIR/cells/fr/objects',
    description: 'Object store of the French cell: a folder (S3-compatible storage comes with the data-plane issue).',
  },
  {
    name: 'ENTENTE_CELL_QC_OBJECTS',
    default: '$ENTENTE_DATA_DIR/cells/qc/objects',
    description: 'Object store of the Québec cell.',
  },
  {
    name: 'ENTENTE_CELL_FR_KEYS',
    default: 'file:$ENTENTE_DATA_DIR/cells/fr/keys',
    description: 'Key-encryption keys of the French cell: `file:<folder>` (created on first start, mode 0600).',
  },
  {
    name: 'ENTENTE_CELL_QC_KEYS',
    default: 'file:$ENTENTE_DATA_DIR/cells/qc/keys',
    description: 'Key-encryption keys of the Québec cell.',
  },
  {
    name: 'REDIS_URL',
    default: '(none: in-process events)',
    description: 'Redis URL; required to run several processes (events, collaboration, rate limits across nodes).',
  },
  {
    name: 'ENTENTE_SMTP_URL',
    default: '(none: demo outbox)',
    description: 'SMTP URL for outgoing mail (smtp:// or smtps://). Without it mails go to the demo outbox page.',
  },
  { name: 'ENTENTE_MAIL_FROM', default: 'Entente <no-reply@localhost>', description: 'Sender address of outgoing mail.' },
  {
    name: 'ENTENTE_SECRET',
    default: '(generated in ENTENTE_DATA_DIR/secret)',
    description: 'Server secret, 32 characters or more, from which session and CSRF keys are derived. Required in production.',
  },
  {
    name: 'ENTENTE_METRICS_TOKEN',
    default: '(none: /metrics open outside production)',
    description: 'Bearer token an operator presents to read /metrics. Required in production.',
  },
  {
    name: 'ENTENTE_SESSION_IDLE_MINUTES',
    default: '30',
    description: 'A session unused for this long ends.',
  },
  {
    name: 'ENTENTE_SESSION_ABSOLUTE_HOURS',
    default: '12',
    description: 'A session ends this long after sign-in, used or not.',
  },
  { name: 'ENTENTE_BODY_LIMIT', default: '1048576', description: 'Largest accepted request body in bytes (uploads have their own limits).' },
  { name: 'ENTENTE_DB_POOL_SIZE', default: '10', description: 'Connections per PostgreSQL database and process.' },
  { name: 'ENTENTE_LOG_LEVEL', default: 'info', description: 'fatal, error, warn, info, debug, trace or silent.' },
  {
    name: 'ENTENTE_CONFIG',
    default: '(none)',
    description: 'Path of an optional JSON file for lists: upstream identity providers, AI providers.',
  },
  {
    name: 'ENTENTE_OPERATORS',
    default: '(none)',
    description: 'Operators, as comma-separated `upstream:subject` pairs (federation name and subject); applied at start and at each sign-in.',
  },
  {
    name: 'ENTENTE_OIDC_KEYS_CELL',
    default: 'FR',
    description: 'Cell (FR or QC) whose keyring encrypts the OpenID provider’s signing keys and client secrets.',
  },
];

export interface CellConfig {
  jurisdiction: Jurisdiction;
  /** null: embedded PGlite at `pgliteDir`. */
  databaseUrl: string | null;
  /** PostgreSQL schema used when the cell shares DATABASE_URL (tests, development only). */
  schema: string | null;
  pgliteDir: string;
  objects: string;
  keys: string;
}

export interface Config {
  production: boolean;
  demo: boolean;
  port: number;
  host: string;
  publicUrl: URL;
  dataDir: string;
  control: { databaseUrl: string | null; pgliteDir: string };
  cells: Record<Jurisdiction, CellConfig>;
  redisUrl: string | null;
  smtpUrl: string | null;
  mailFrom: string;
  /** null in embedded mode until the platform reads or creates the secret file. */
  secret: string | null;
  metricsToken: string | null;
  session: { idleMs: number; absoluteMs: number };
  bodyLimit: number;
  dbPoolSize: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Lists from ENTENTE_CONFIG; each module validates its own list. */
  file: ConfigFile;
  /** ENTENTE_OPERATORS: federated identities that hold the operator role. */
  operators: { upstream: string; subject: string }[];
  /** ENTENTE_OIDC_KEYS_CELL: the cell whose keyring seals the OpenID provider's keys. */
  oidcKeysCell: Jurisdiction;
}

const configFileSchema = z
  .object({
    identityProviders: z.array(z.unknown()).optional(),
    aiProviders: z.array(z.unknown()).optional(),
  })
  .strict();
export type ConfigFile = z.infer<typeof configFileSchema>;

/** A configuration problem, with the variable it concerns: the start stops with this message. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Configuration invalide / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Env = Record<string, string | undefined>;

/** Never echo a secret back in an error message. */
const SECRET_VARIABLES = new Set(['ENTENTE_SECRET', 'ENTENTE_METRICS_TOKEN', 'ENTENTE_SMTP_URL', 'REDIS_URL']);
function shown(name: string, value: string): string {
  if (SECRET_VARIABLES.has(name) || name.endsWith('DATABASE_URL')) return '(valeur masquée / value hidden)';
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

/** Reads and validates the configuration. Throws ConfigError listing every problem at once. */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const bad = (name: string, expected: string) => {
    problems.push(`${name}: attendu ${expected}, trouvé ${shown(name, get(name) ?? '')}`);
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
      bad(name, `an integer from ${min} to ${max} / un entier de ${min} à ${max}`);
      return fallback;
    }
    return n;
  };
  const boolean = (name: string): boolean | undefined => {
    const raw = get(name)?.toLowerCase();
    if (raw === undefined) return undefined;
    if (['1', 'true', 'yes', 'on', 'oui'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off', 'non'].includes(raw)) return false;
    bad(name, 'true or false / true ou false');
    return undefined;
  };
  const postgresUrl = (name: string): string | null => {
    const raw = get(name);
    if (raw === undefined) return null;
    try {
      const url = new URL(raw);
      if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new Error('protocol');
      return raw;
    } catch {
      bad(name, 'a postgres:// URL / une URL postgres://');
      return null;
    }
  };

  const nodeEnv = get('NODE_ENV') ?? 'development';
  const production = nodeEnv === 'production';
  const port = integer('PORT', 3000, 0, 65535);
  const host = get('HOST') ?? '127.0.0.1';
  const dataDir = path.resolve(cwd, get('ENTENTE_DATA_DIR') ?? './data');

  let publicUrl = new URL(`http://localhost:${port}`);
  const rawPublic = get('ENTENTE_PUBLIC_URL');
  if (rawPublic !== undefined) {
    try {
      const parsed = new URL(rawPublic);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('protocol');
      if (parsed.search || parsed.hash) throw new Error('query');
      // No trailing slash: issuers and links are built by appending paths.
      publicUrl = new URL(parsed.href.replace(/\/+$/, ''));
    } catch {
      bad('ENTENTE_PUBLIC_URL', 'an absolute http(s) URL without query / une URL http(s) absolue sans paramètres');
    }
  }

  const demoChoice = boolean('ENTENTE_DEMO');
  const demo = demoChoice ?? !production;

  const controlUrl = postgresUrl('DATABASE_URL');
  const cells = {} as Record<Jurisdiction, CellConfig>;
  for (const j of JURISDICTIONS) {
    const lower = j.toLowerCase();
    const cellUrl = postgresUrl(`ENTENTE_CELL_${j}_DATABASE_URL`);
    if (cellUrl && !controlUrl) {
      problems.push(`ENTENTE_CELL_${j}_DATABASE_URL: requires DATABASE_URL too / exige aussi DATABASE_URL`);
    }
    const objects = get(`ENTENTE_CELL_${j}_OBJECTS`) ?? path.join(dataDir, 'cells', lower, 'objects');
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(objects)) {
      bad(`ENTENTE_CELL_${j}_OBJECTS`, 'a folder path (s3:// arrives with the data-plane issue) / un dossier');
    }
    const keys = get(`ENTENTE_CELL_${j}_KEYS`) ?? `file:${path.join(dataDir, 'cells', lower, 'keys')}`;
    if (!keys.startsWith('file:')) bad(`ENTENTE_CELL_${j}_KEYS`, 'file:<folder> / file:<dossier>');
    cells[j] = {
      jurisdiction: j,
      databaseUrl: cellUrl ?? controlUrl,
      schema: controlUrl && !cellUrl ? `cell_${lower}` : null,
      pgliteDir: path.join(dataDir, 'cells', lower, 'db'),
      objects: path.resolve(cwd, objects),
      keys: `file:${path.resolve(cwd, keys.slice('file:'.length))}`,
    };
  }

  const redisUrl = get('REDIS_URL') ?? null;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) bad('REDIS_URL', 'a redis:// or rediss:// URL');
  const smtpUrl = get('ENTENTE_SMTP_URL') ?? null;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) bad('ENTENTE_SMTP_URL', 'an smtp:// or smtps:// URL');

  const secret = get('ENTENTE_SECRET') ?? null;
  if (secret !== null && secret.length < 32) bad('ENTENTE_SECRET', 'at least 32 characters / au moins 32 caractères');
  const metricsToken = get('ENTENTE_METRICS_TOKEN') ?? null;
  if (metricsToken !== null && metricsToken.length < 16) {
    bad('ENTENTE_METRICS_TOKEN', 'at least 16 characters / au moins 16 caractères');
  }

  const logLevel = get('ENTENTE_LOG_LEVEL') ?? 'info';
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
  if (!(levels as readonly string[]).includes(logLevel)) bad('ENTENTE_LOG_LEVEL', levels.join(', '));

  let file: ConfigFile = {};
  const configPath = get('ENTENTE_CONFIG');
  if (configPath) {
    try {
      const parsed = configFileSchema.safeParse(JSON.parse(readFileSync(path.resolve(cwd, configPath), 'utf8')));
      if (parsed.success) file = parsed.data;
      else {
        for (const issue of parsed.error.issues) {
          problems.push(`ENTENTE_CONFIG (${configPath}) ${issue.path.join('.') || '/'}: ${issue.message}`);
        }
      }
    } catch (error) {
      problems.push(`ENTENTE_CONFIG: cannot read JSON file ${configPath} / fichier JSON illisible: ${(error as Error).message}`);
    }
  }

  if (production) {
    if (demoChoice === true) problems.push('ENTENTE_DEMO: demo features are refused in production / la démo est refusée en production');
    if (publicUrl.protocol !== 'https:') {
      problems.push('ENTENTE_PUBLIC_URL: must be an https:// URL in production / doit être en https en production');
    }
    if (!secret) problems.push('ENTENTE_SECRET: required in production (32+ random characters) / obligatoire en production');
    if (!metricsToken) problems.push('ENTENTE_METRICS_TOKEN: required in production / obligatoire en production');
    if (controlUrl) {
      const urls = JURISDICTIONS.map((j) => get(`ENTENTE_CELL_${j}_DATABASE_URL`));
      JURISDICTIONS.forEach((j, i) => {
        if (!urls[i]) {
          problems.push(
            `ENTENTE_CELL_${j}_DATABASE_URL: required in production; cells may not share the control plane's database / obligatoire en production`,
          );
        }
      });
      // Compare where they point (host, port, database), not how they are spelled.
      const target = (u: string | undefined) => {
        if (!u) return undefined;
        const parsed = new URL(u);
        return `${parsed.hostname.toLowerCase()}:${parsed.port || '5432'}${parsed.pathname}`;
      };
      const controlTarget = target(controlUrl);
      if (urls[0] && target(urls[0]) === target(urls[1])) {
        problems.push('ENTENTE_CELL_FR_DATABASE_URL, ENTENTE_CELL_QC_DATABASE_URL: cells may not share one database / les cellules ne peuvent partager une base');
      }
      if (urls.some((u) => u && target(u) === controlTarget)) {
        problems.push('ENTENTE_CELL_*_DATABASE_URL: a cell may not share the control plane database / une cellule ne peut partager la base du plan de contrôle');
      }
    }
  }

  const session = {
    idleMs: integer('ENTENTE_SESSION_IDLE_MINUTES', 30, 1, 24 * 60) * 60_000,
    absoluteMs: integer('ENTENTE_SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 30) * 3_600_000,
  };
  const bodyLimit = integer('ENTENTE_BODY_LIMIT', 1_048_576, 1024, 100 * 1_048_576);
  const dbPoolSize = integer('ENTENTE_DB_POOL_SIZE', 10, 1, 200);

  // `upstream:subject`; only the first colon separates (a subject may contain colons).
  const operators = (get('ENTENTE_OPERATORS') ?? '').split(',').map((s) => s.trim()).filter(Boolean).map((item) => {
    const at = item.indexOf(':');
    return { upstream: item.slice(0, Math.max(at, 0)).trim(), subject: item.slice(at + 1).trim() };
  });
  if (operators.some((o) => !/^[a-z0-9][a-z0-9_-]{0,99}$/i.test(o.upstream) || o.subject.length < 1 || o.subject.length > 255)) {
    bad('ENTENTE_OPERATORS', 'comma-separated upstream:subject pairs / des paires amont:sujet séparées par des virgules');
  }

  const oidcKeysCell = (get('ENTENTE_OIDC_KEYS_CELL') ?? 'FR').toUpperCase();
  if (!(JURISDICTIONS as readonly string[]).includes(oidcKeysCell)) bad('ENTENTE_OIDC_KEYS_CELL', JURISDICTIONS.join(' or '));

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    production,
    demo,
    port,
    host,
    publicUrl,
    dataDir,
    control: { databaseUrl: controlUrl, pgliteDir: path.join(dataDir, 'control', 'db') },
    cells,
    redisUrl,
    smtpUrl,
    mailFrom: get('ENTENTE_MAIL_FROM') ?? 'Entente <no-reply@localhost>',
    secret,
    metricsToken,
    session,
    bodyLimit,
    dbPoolSize,
    logLevel: logLevel as Config['logLevel'],
    file,
    operators,
    oidcKeysCell: oidcKeysCell as Jurisdiction,
  };
}

/** True when any store runs on embedded PGlite, i.e. the data directory must be locked. */
export function usesEmbeddedDatabase(config: Config): boolean {
  return config.control.databaseUrl === null || JURISDICTIONS.some((j) => config.cells[j].databaseUrl === null);
}
