import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { JURISDICTIONS, type Jurisdiction } from '../../common/src/jurisdiction.ts';
import { type Pkcs11Location, parsePkcs11Uri } from './platform/crypto/pkcs11-uri.ts';
import { parseS3Location } from './platform/objects/s3-location.ts';
import { SecretValue } from './platform/secret-value.ts';
import { type AiProvider, parseAiProviders } from './assistant/providers/config.ts'; // AI gateway (helper E1)
import { type AiPolicy, checkProviderLevels, parseAiPolicy } from './assistant/policy/classification-config.ts'; // classification & residency (helper B)
import { type AiQuotas, parseAiQuotas } from './assistant/usage/quotas-config.ts'; // AI quotas (helper A)
import { type AiRetrievalConfig, parseAiRetrieval } from './assistant/embeddings/config.ts'; // hybrid retrieval (helper E)
import { type AiRegisterConfig, parseAiRegister } from './assistant/register/config.ts'; // AI register (helper C)

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
    description: 'Object store of the French cell: a folder, or `s3://bucket[/prefix]` of an S3-compatible service (with ENTENTE_CELL_FR_S3_*).',
  },
  {
    name: 'ENTENTE_CELL_QC_OBJECTS',
    default: '$ENTENTE_DATA_DIR/cells/qc/objects',
    description: 'Object store of the Québec cell.',
  },
  {
    name: 'ENTENTE_CELL_FR_KEYS',
    default: 'file:$ENTENTE_DATA_DIR/cells/fr/keys',
    description: 'Key-encryption keys of the French cell: `file:<folder>` (created on first start, mode 0600), or a PKCS#11 token `pkcs11:token=<label>?module-path=<module.so>` (RFC 7512; PIN in ENTENTE_CELL_FR_PKCS11_PIN).',
  },
  {
    name: 'ENTENTE_CELL_QC_KEYS',
    default: 'file:$ENTENTE_DATA_DIR/cells/qc/keys',
    description: 'Key-encryption keys of the Québec cell.',
  },
  // ── storage and keys of the cells (helper D): S3 object stores, PKCS#11 tokens ──
  ...JURISDICTIONS.flatMap((j): VariableDoc[] => [
    {
      name: `ENTENTE_CELL_${j}_S3_ENDPOINT`,
      default: '(the AWS endpoint of the region)',
      description: `With ENTENTE_CELL_${j}_OBJECTS=s3://…: URL of the S3-compatible service in the cell's jurisdiction (https in production).`,
    },
    { name: `ENTENTE_CELL_${j}_S3_REGION`, default: 'us-east-1', description: 'Region of the S3 service (signing; many S3-compatible services accept any).' },
    {
      name: `ENTENTE_CELL_${j}_S3_ACCESS_KEY_ID`,
      default: '(the SDK’s default credentials)',
      description: `Access key id for the bucket, with ENTENTE_CELL_${j}_S3_SECRET_ACCESS_KEY; both absent: the AWS SDK's default chain (AWS_* variables, instance role).`,
    },
    { name: `ENTENTE_CELL_${j}_S3_SECRET_ACCESS_KEY`, default: '(none)', description: 'Secret access key for the bucket (a secret: never logged nor echoed).' },
    {
      name: `ENTENTE_CELL_${j}_S3_FORCE_PATH_STYLE`,
      default: 'false',
      description: 'true: `endpoint/bucket/key` URLs (MinIO, Ceph, most on-premises services) rather than `bucket.endpoint/key`.',
    },
    {
      name: `ENTENTE_CELL_${j}_PKCS11_PIN`,
      default: '(none)',
      description: `User PIN of the PKCS#11 token named by ENTENTE_CELL_${j}_KEYS=pkcs11:… (a secret: never logged nor echoed).`,
    },
  ]),
  // ── end storage and keys ──
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
  // ── tamper-evident audit (helper C) ──
  {
    name: 'ENTENTE_AUDIT_SIGNING_KEY',
    default: '$ENTENTE_DATA_DIR/keys/audit-signing.json',
    description: 'Ed25519 key file that signs audit checkpoints and exports (created on first start, mode 0600; the same file on every node; back it up).',
  },
  {
    name: 'ENTENTE_AUDIT_RETENTION_DAYS',
    default: '400',
    description: 'Days audit entries are kept (at least 183); older ones are deleted up to a signed checkpoint that stays as the anchor.',
  },
  // ── end tamper-evident audit ──
  // ── malware scanning (helper E): clamd, by its unix socket or TCP; none configured: files stay `unscanned` ──
  {
    name: 'ENTENTE_CLAMD_SOCKET',
    default: '(none: files are not scanned)',
    description: 'Unix socket of clamd (its LocalSocket) to scan uploaded files; infected files are quarantined.',
  },
  {
    name: 'ENTENTE_CLAMD_HOST',
    default: '(none)',
    description: 'Host of clamd over TCP (its TCPAddr), instead of a socket; keep it on loopback or a private network.',
  },
  { name: 'ENTENTE_CLAMD_PORT', default: '3310', description: 'TCP port of clamd (its TCPSocket), with ENTENTE_CLAMD_HOST.' },
  {
    name: 'ENTENTE_CLAMD_TIMEOUT_MS',
    default: '30000',
    description: 'Longest silence of clamd (connecting, scanning) before a scan fails; uploads then fail closed (503).',
  },
  {
    name: 'ENTENTE_CLAMD_STREAM_MAX_BYTES',
    default: '26214400',
    description: 'clamd’s StreamMaxLength, in bytes: longer files cannot be scanned and are refused (set both to your largest upload).',
  },
  // ── end malware scanning ──
  // ── files (helper A): largest file and default quotas ──
  {
    name: 'ENTENTE_MAX_FILE_BYTES',
    default: '5368709120',
    description: 'Largest file accepted in a space’s files area, in bytes (5 GiB); a larger upload is refused before any byte is sent.',
  },
  {
    name: 'ENTENTE_SPACE_QUOTA_BYTES',
    default: '10737418240',
    description: 'Default storage quota of a space, in bytes (10 GiB): every version of its files, the trash and document images count; an operator can set another per space.',
  },
  {
    name: 'ENTENTE_ORGANISATION_QUOTA_BYTES',
    default: '107374182400',
    description: 'Default storage quota of an organisation, in bytes (100 GiB): bytes its agents uploaded, in both cells; an operator can set another per organisation.',
  },
  // ── end files ──
];

export interface CellConfig {
  jurisdiction: Jurisdiction;
  /** null: embedded PGlite at `pgliteDir`. */
  databaseUrl: string | null;
  /** PostgreSQL schema used when the cell shares DATABASE_URL (tests, development only). */
  schema: string | null;
  pgliteDir: string;
  /** A folder (absolute), or `s3://bucket[/prefix]` with `s3`. */
  objects: string;
  /** `file:<absolute folder>`, or `pkcs11:…` with `pkcs11`. */
  keys: string;
  /** How to reach the S3 service when `objects` is `s3://…`; null for a folder. */
  s3: S3CellConfig | null;
  /** The token and its PIN when `keys` is `pkcs11:…`; null for `file:`. */
  pkcs11: Pkcs11CellConfig | null;
}

export interface S3CellConfig {
  bucket: string;
  /** `''` or segments ending with `/`. */
  prefix: string;
  endpoint: string | null;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: SecretValue } | null;
  forcePathStyle: boolean;
}

export type Pkcs11CellConfig = Pkcs11Location & { pin: SecretValue };

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
  /** ENTENTE_CONFIG `aiProviders`, validated (assistant/providers/config.ts); API keys as SecretValue. */
  ai: { providers: AiProvider[] };
  // ── classification & residency (helper B) ──
  /** ENTENTE_CONFIG `aiPolicy` (assistant/policy/classification-config.ts): the scale, default level, redaction threshold. */
  aiPolicy: AiPolicy;
  // ── end classification & residency ──
  // ── AI quotas (helper A) ──
  /** ENTENTE_CONFIG `aiQuotas` (assistant/usage/quotas-config.ts), defaults filled in. */
  aiQuotas: AiQuotas;
  // ── end AI quotas ──
  // ── hybrid retrieval (helper E) ──
  /** ENTENTE_CONFIG `aiRetrieval` (assistant/embeddings/config.ts): the embeddings alias of retrieval, or null. */
  aiRetrieval: AiRetrievalConfig;
  // ── end hybrid retrieval ──
  // ── AI register (helper C) ──
  /** ENTENTE_CONFIG `aiRegister` (assistant/register/config.ts): purposes, data categories, legal basis, contact per model or provider. */
  aiRegister: AiRegisterConfig;
  // ── end AI register ──
  /** ENTENTE_OPERATORS: federated identities that hold the operator role. */
  operators: { upstream: string; subject: string }[];
  /** ENTENTE_OIDC_KEYS_CELL: the cell whose keyring seals the OpenID provider's keys. */
  oidcKeysCell: Jurisdiction;
  /** ENTENTE_AUDIT_SIGNING_KEY, ENTENTE_AUDIT_RETENTION_DAYS (platform/audit). */
  audit: { signingKeyFile: string; retentionDays: number };
  /** ENTENTE_CLAMD_*: the malware scanner (platform/scanning); no socket and no host: none. */
  scanning: {
    clamd: { socket: string | null; host: string | null; port: number | null; timeoutMs: number; streamMaxBytes: number };
  };
  /** ENTENTE_MAX_FILE_BYTES, ENTENTE_SPACE_QUOTA_BYTES, ENTENTE_ORGANISATION_QUOTA_BYTES (workspace/files). */
  files: { maxFileBytes: number; spaceQuotaBytes: number; organisationQuotaBytes: number };
}

const configFileSchema = z
  .object({
    identityProviders: z.array(z.unknown()).optional(),
    // Validated below by parseAiProviders (each problem names the entry), then kept only in
    // `config.ai`, its keys wrapped as secrets: the raw list (with the keys) is dropped.
    aiProviders: z.array(z.unknown()).optional(),
    aiQuotas: z.unknown().optional(), // AI quotas (helper A): validated by parseAiQuotas
    aiPolicy: z.unknown().optional(), // classification & residency (helper B): validated by parseAiPolicy
    // ── hybrid retrieval (helper E) ── validated by parseAiRetrieval against aiProviders
    aiRetrieval: z.unknown().optional(),
    // ── end hybrid retrieval ──
    aiRegister: z.unknown().optional(), // AI register (helper C): validated by parseAiRegister against aiProviders
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
  if (SECRET_VARIABLES.has(name) || name.endsWith('DATABASE_URL') || /_(S3_SECRET_ACCESS_KEY|PKCS11_PIN)$/.test(name)) return '(valeur masquée / value hidden)';
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
    const storage = cellStorage(j, { get, boolean, problems, production, dataDir, cwd });
    cells[j] = {
      jurisdiction: j,
      databaseUrl: cellUrl ?? controlUrl,
      schema: controlUrl && !cellUrl ? `cell_${lower}` : null,
      pgliteDir: path.join(dataDir, 'cells', lower, 'db'),
      ...storage,
    };
  }
  problems.push(...sharedStorageProblems(cells, production));

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

  // AI gateway (helper E1): the providers of ENTENTE_CONFIG, their keys kept as secrets only.
  const aiProviders = parseAiProviders(file.aiProviders, { production });
  for (const problem of aiProviders.problems) problems.push(`ENTENTE_CONFIG (${configPath}) ${problem}`);
  const { aiProviders: _rawAiProviders, ...fileWithoutAi } = file;
  file = fileWithoutAi;
  // ── AI quotas (helper A) ──
  const aiQuotas = parseAiQuotas(file.aiQuotas);
  for (const problem of aiQuotas.problems) problems.push(`ENTENTE_CONFIG (${configPath}) ${problem}`);
  // ── end AI quotas ──
  // ── classification & residency (helper B): the scale; each provider's maxClassification must be one of its levels ──
  const aiPolicy = parseAiPolicy(file.aiPolicy);
  for (const problem of [...aiPolicy.problems, ...(aiPolicy.problems.length ? [] : checkProviderLevels(aiProviders.providers, aiPolicy.policy))]) {
    problems.push(`ENTENTE_CONFIG (${configPath}) ${problem}`);
  }
  // ── end classification & residency ──
  // ── hybrid retrieval (helper E): the embeddings alias of « ask my documents » (absent: full text only) ──
  const aiRetrieval = parseAiRetrieval(file.aiRetrieval, aiProviders.providers);
  for (const problem of aiRetrieval.problems) problems.push(`ENTENTE_CONFIG (${configPath}) ${problem}`);
  // ── end hybrid retrieval ──
  // ── AI register (helper C): what operators declare of each AI system; names must be aliases or providers of aiProviders ──
  const aiRegister = parseAiRegister(file.aiRegister, aiProviders.providers);
  for (const problem of aiRegister.problems) problems.push(`ENTENTE_CONFIG (${configPath}) ${problem}`);
  // ── end AI register ──

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

  // Malware scanning (helper E): one way to reach clamd, a socket or a host.
  const clamdSocket = get('ENTENTE_CLAMD_SOCKET') ?? null;
  const clamdHost = get('ENTENTE_CLAMD_HOST') ?? null;
  if (clamdSocket && clamdHost) problems.push('ENTENTE_CLAMD_SOCKET, ENTENTE_CLAMD_HOST: one or the other / l’un ou l’autre');
  if (get('ENTENTE_CLAMD_PORT') !== undefined && !clamdHost) problems.push('ENTENTE_CLAMD_PORT: requires ENTENTE_CLAMD_HOST / exige ENTENTE_CLAMD_HOST');
  const scanning = {
    clamd: {
      socket: clamdSocket ? path.resolve(cwd, clamdSocket) : null,
      host: clamdHost,
      port: clamdHost ? integer('ENTENTE_CLAMD_PORT', 3310, 1, 65535) : null,
      timeoutMs: integer('ENTENTE_CLAMD_TIMEOUT_MS', 30_000, 100, 600_000),
      streamMaxBytes: integer('ENTENTE_CLAMD_STREAM_MAX_BYTES', 26_214_400, 1, 4 * 1024 ** 3 - 1),
    },
  };

  // Files (helper A): bytes, up to 2^53 - 1 (what a JavaScript number holds exactly).
  const files = {
    maxFileBytes: integer('ENTENTE_MAX_FILE_BYTES', 5 * 1024 ** 3, 1, Number.MAX_SAFE_INTEGER),
    spaceQuotaBytes: integer('ENTENTE_SPACE_QUOTA_BYTES', 10 * 1024 ** 3, 0, Number.MAX_SAFE_INTEGER),
    organisationQuotaBytes: integer('ENTENTE_ORGANISATION_QUOTA_BYTES', 100 * 1024 ** 3, 0, Number.MAX_SAFE_INTEGER),
  };

  // Tamper-evident audit (helper C): at least six months of audit, as the issue requires.
  const retentionRaw = get('ENTENTE_AUDIT_RETENTION_DAYS');
  let retentionDays = 400;
  if (retentionRaw !== undefined) {
    const n = Number(retentionRaw);
    if (!/^\d+$/.test(retentionRaw) || !Number.isSafeInteger(n) || n > 36_500) bad('ENTENTE_AUDIT_RETENTION_DAYS', 'a number of days from 183 to 36500 / un nombre de jours de 183 à 36500');
    else if (n < 183) {
      problems.push(
        `ENTENTE_AUDIT_RETENTION_DAYS: ${n} days is too short, the audit log must be kept at least 183 days (6 months) / ${n} jours est trop court, le journal d’audit doit être conservé au moins 183 jours (6 mois)`,
      );
    } else retentionDays = n;
  }
  const audit = {
    signingKeyFile: path.resolve(cwd, get('ENTENTE_AUDIT_SIGNING_KEY') ?? path.join(dataDir, 'keys', 'audit-signing.json')),
    retentionDays,
  };

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
    ai: { providers: aiProviders.providers },
    aiQuotas: aiQuotas.quotas, // AI quotas (helper A)
    aiPolicy: aiPolicy.policy, // classification & residency (helper B)
    aiRetrieval: aiRetrieval.config, // hybrid retrieval (helper E)
    aiRegister: aiRegister.register, // AI register (helper C)
    operators,
    oidcKeysCell: oidcKeysCell as Jurisdiction,
    audit,
    scanning,
    files,
  };
}

/** True when any store runs on embedded PGlite, i.e. the data directory must be locked. */
export function usesEmbeddedDatabase(config: Config): boolean {
  return config.control.databaseUrl === null || JURISDICTIONS.some((j) => config.cells[j].databaseUrl === null);
}

// ── storage and keys of the cells (helper D) ────────────────────────────────────────────────────
const S3_SUFFIXES = ['S3_ENDPOINT', 'S3_REGION', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_FORCE_PATH_STYLE'] as const;

/**
 * ENTENTE_CELL_<J>_OBJECTS (a folder or s3://bucket[/prefix], with its ENTENTE_CELL_<J>_S3_*) and
 * ENTENTE_CELL_<J>_KEYS (file:<folder> or pkcs11:…, with ENTENTE_CELL_<J>_PKCS11_PIN). Problems
 * name the variable; a location is quoted only when it cannot hold a secret.
 */
function cellStorage(
  j: Jurisdiction,
  ctx: {
    get: (name: string) => string | undefined;
    boolean: (name: string) => boolean | undefined;
    problems: string[];
    production: boolean;
    dataDir: string;
    cwd: string;
  },
): Pick<CellConfig, 'objects' | 'keys' | 's3' | 'pkcs11'> {
  const { get, problems } = ctx;
  const name = (suffix: string) => `ENTENTE_CELL_${j}_${suffix}`;
  const lower = j.toLowerCase();

  let objects = get(name('OBJECTS')) ?? path.join(ctx.dataDir, 'cells', lower, 'objects');
  let s3: S3CellConfig | null = null;
  if (objects.startsWith('s3://')) {
    let where = { bucket: '', prefix: '' };
    try {
      where = parseS3Location(objects);
    } catch (error) {
      problems.push(`${name('OBJECTS')}: ${(error as Error).message} / attendu s3://compartiment[/préfixe], sans identifiants`);
    }
    let endpoint: string | null = null;
    const rawEndpoint = get(name('S3_ENDPOINT'));
    if (rawEndpoint !== undefined) {
      try {
        const url = new URL(rawEndpoint);
        if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('protocol');
        if (url.username || url.password || url.search || url.hash) throw new Error('extra');
        if (ctx.production && url.protocol !== 'https:') {
          problems.push(`${name('S3_ENDPOINT')}: must be https in production / doit être en https en production`);
        }
        endpoint = url.href.replace(/\/+$/, '');
      } catch {
        problems.push(`${name('S3_ENDPOINT')}: expected an http(s) URL without credentials or query / attendu une URL http(s) sans identifiants ni paramètres`);
      }
    }
    const region = get(name('S3_REGION')) ?? 'us-east-1';
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(region)) problems.push(`${name('S3_REGION')}: expected a region name such as eu-west-3 / attendu un nom de région`);
    const accessKeyId = get(name('S3_ACCESS_KEY_ID'));
    const secretAccessKey = get(name('S3_SECRET_ACCESS_KEY'));
    if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
      problems.push(`${name('S3_ACCESS_KEY_ID')}, ${name('S3_SECRET_ACCESS_KEY')}: both or neither / les deux ou aucune`);
    }
    s3 = {
      ...where,
      endpoint,
      region,
      credentials: accessKeyId !== undefined && secretAccessKey !== undefined ? { accessKeyId, secretAccessKey: new SecretValue(secretAccessKey) } : null,
      forcePathStyle: ctx.boolean(name('S3_FORCE_PATH_STYLE')) ?? false,
    };
  } else {
    // Not quoted: a URL given by mistake may carry credentials.
    if (/^[a-z][a-z0-9+.-]*:/i.test(objects)) problems.push(`${name('OBJECTS')}: expected a folder or s3://bucket[/prefix] / attendu un dossier ou s3://compartiment[/préfixe]`);
    for (const suffix of S3_SUFFIXES) {
      if (get(name(suffix)) !== undefined) problems.push(`${name(suffix)}: only used with ${name('OBJECTS')}=s3://… / seulement avec ${name('OBJECTS')}=s3://…`);
    }
    objects = path.resolve(ctx.cwd, objects);
  }

  const rawKeys = get(name('KEYS')) ?? `file:${path.join(ctx.dataDir, 'cells', lower, 'keys')}`;
  const pin = get(name('PKCS11_PIN'));
  let keys = rawKeys;
  let pkcs11: Pkcs11CellConfig | null = null;
  if (rawKeys.startsWith('file:')) {
    keys = `file:${path.resolve(ctx.cwd, rawKeys.slice('file:'.length))}`;
    if (pin !== undefined) problems.push(`${name('PKCS11_PIN')}: only used with ${name('KEYS')}=pkcs11:… / seulement avec ${name('KEYS')}=pkcs11:…`);
  } else if (rawKeys.startsWith('pkcs11:')) {
    try {
      pkcs11 = { ...parsePkcs11Uri(rawKeys), pin: new SecretValue(pin ?? '') };
    } catch (error) {
      problems.push(`${name('KEYS')}: ${(error as Error).message} / attendu pkcs11:token=<étiquette>?module-path=<module.so>`);
    }
    if (pin === undefined) problems.push(`${name('PKCS11_PIN')}: required with ${name('KEYS')}=pkcs11:… / obligatoire avec pkcs11:…`);
  } else {
    problems.push(`${name('KEYS')}: expected file:<folder> or pkcs11:token=<label>?module-path=<module.so> / attendu file:<dossier> ou pkcs11:…`);
  }
  return { objects, keys, s3, pkcs11 };
}

/**
 * Each cell has its own storage and its own keys: two cells on one bucket prefix would mix their
 * objects, and two cells on one token would share KEKs (the current one is the newest label).
 * One bucket with two prefixes is tolerated outside production only (one bucket is in one place).
 */
function sharedStorageProblems(cells: Record<Jurisdiction, CellConfig>, production: boolean): string[] {
  const [a, b] = JURISDICTIONS.map((j) => cells[j]) as [CellConfig, CellConfig];
  const problems: string[] = [];
  const both = 'ENTENTE_CELL_FR_OBJECTS, ENTENTE_CELL_QC_OBJECTS';
  if (a.s3 && b.s3 && a.s3.bucket === b.s3.bucket && a.s3.endpoint === b.s3.endpoint) {
    if (a.s3.prefix.startsWith(b.s3.prefix) || b.s3.prefix.startsWith(a.s3.prefix)) {
      problems.push(`${both}: the cells' objects would mix (same bucket, overlapping prefixes) / les objets des cellules se mêleraient`);
    } else if (production) {
      problems.push(`${both}: each cell needs its own bucket, in its jurisdiction, in production / un compartiment par cellule en production`);
    }
  }
  if (!a.s3 && !b.s3 && a.objects === b.objects) problems.push(`${both}: the cells need distinct folders / des dossiers distincts`);
  const token = (c: CellConfig) => (c.pkcs11 ? `${c.pkcs11.modulePath}\0${c.pkcs11.token ?? ''}\0${c.pkcs11.slotId ?? ''}` : null);
  const [ta, tb] = [token(a), token(b)];
  if (ta !== null && ta === tb) {
    problems.push('ENTENTE_CELL_FR_KEYS, ENTENTE_CELL_QC_KEYS: each cell needs its own PKCS#11 token / un jeton par cellule');
  }
  if (a.keys.startsWith('file:') && a.keys === b.keys) problems.push('ENTENTE_CELL_FR_KEYS, ENTENTE_CELL_QC_KEYS: the cells need distinct key folders / des dossiers de clés distincts');
  return problems;
}
// ── end storage and keys ──
