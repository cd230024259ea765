import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Cell } from '../../platform/cells/cells.ts';
import type { KeyOwner } from '../../platform/crypto/keyring.ts';

/**
 * The sealed content of a request (prompt and answer), when the agent's organisation switched
 * content logging on: AES-256-GCM under the organisation's `ai_content` data key in the agent's
 * home cell. The AAD binds it to its row, its agent and its organisation: a sealed value copied
 * onto another row does not open. Destroying the organisation's keys (its deletion) shreds it.
 */
export const CONTENT_RETENTION_DAYS = 90;
const VERSION = 1;
const IV = 12;
const TAG = 16;

export interface LoggedContent {
  /**
   * The request as the client sent it: `messages` (chat) or `input` (embeddings), with `data:`
   * URLs replaced by a marker; past MAX_LOGGED_PROMPT_CHARS of JSON, that JSON's beginning (a
   * string) and `promptTruncated`. Null when the request carried documents' content.
   */
  prompt: unknown;
  /** The answer's text (chat), or null. */
  answer: string | null;
  // ── review fixes (helper R1) ──
  promptTruncated?: true;
  /**
   * The documents whose content the request carried (X-Entente-Documents, ask, editor actions,
   * indexer): prompt and answer are then not logged — the content of documents stays in the cell
   * of their space, never copied into the agent's home cell.
   */
  documentIds?: string[];
  // ── end review fixes ──
}

// ── review fixes (helper R1): a logged prompt is bounded ──
/** Largest logged prompt, in characters of JSON (a request may be 8 MiB of inline images). */
export const MAX_LOGGED_PROMPT_CHARS = 256 * 1024;
const DATA_URL = /data:[a-z0-9.+/-]*(?:;[a-z0-9.=+-]+)*,[A-Za-z0-9+/=%._~!$&'()*;,:@-]*/gi;

function withoutDataUrls(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.includes('data:') ? value.replace(DATA_URL, (url) => `[data: URL omitted, ${url.length} characters]`) : value;
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => withoutDataUrls(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutDataUrls(v, depth + 1)]));
}

/** The prompt as logged, and its size in characters of JSON (for the writer's bound in bytes). */
export function loggablePrompt(prompt: unknown): { prompt: unknown; truncated: boolean; chars: number } {
  const clean = withoutDataUrls(prompt);
  const json = JSON.stringify(clean ?? null);
  if (json.length <= MAX_LOGGED_PROMPT_CHARS) return { prompt: clean, truncated: false, chars: json.length };
  return { prompt: json.slice(0, MAX_LOGGED_PROMPT_CHARS), truncated: true, chars: MAX_LOGGED_PROMPT_CHARS };
}
// ── end review fixes ──

export const contentOwner = (organisationId: string): KeyOwner => ({ type: 'ai_content', id: organisationId });

function aad(row: { id: string; principalId: string; organisationId: string }): Buffer {
  return Buffer.from(`entente-ai-content/v1\0${row.id}\0${row.principalId}\0${row.organisationId}`, 'utf8');
}

export async function sealContent(
  cell: Cell,
  row: { id: string; principalId: string; organisationId: string },
  content: LoggedContent,
): Promise<{ sealed: Buffer; keyVersion: number }> {
  const key = await cell.keyring.getOrCreateDataKey(cell.db, contentOwner(row.organisationId));
  const iv = randomBytes(IV);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(aad(row));
  const ciphertext = Buffer.concat([cipher.update(Buffer.from(JSON.stringify(content), 'utf8')), cipher.final()]);
  return { sealed: Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ciphertext]), keyVersion: key.version };
}

export async function openContent(
  cell: Cell,
  row: { id: string; principalId: string; organisationId: string; keyVersion: number; sealed: Buffer },
): Promise<LoggedContent> {
  const sealed = row.sealed;
  if (sealed.length < 1 + IV + TAG || sealed[0] !== VERSION) throw new Error('not a sealed content');
  const key = await cell.keyring.getDataKey(cell.db, contentOwner(row.organisationId), row.keyVersion);
  const decipher = createDecipheriv('aes-256-gcm', key.key, sealed.subarray(1, 1 + IV));
  decipher.setAAD(aad(row));
  decipher.setAuthTag(sealed.subarray(1 + IV, 1 + IV + TAG));
  const plain = Buffer.concat([decipher.update(sealed.subarray(1 + IV + TAG)), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as LoggedContent;
}
