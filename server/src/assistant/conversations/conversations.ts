import type { Kysely } from 'kysely';
import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Actor } from '../../identity/actor.ts';
import type { RequestMeta } from '../../identity/roles.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { AuditEventsTable } from '../../platform/audit/audit.tables.ts';
import type { Cells } from '../../platform/cells/cells.ts';
import type { DataKey } from '../../platform/crypto/keyring.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { CellDb } from '../../platform/db/types.ts';
import { AppError, notFound, unauthenticated } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { documentAccessFor, getSpace, requireAssuranceFor, requireNotMoving, spaceAccessFor } from '../../workspace/index.ts';
import {
  type ConversationRow,
  countMessages,
  countOwnConversations,
  deleteConversationRow,
  findOwnConversation,
  insertConversation,
  insertMessage,
  listMessages,
  listOwnConversations,
  type MessageRow,
  touchConversation,
} from './conversations.repo.ts';
import { CONVERSATIONS_PER_SPACE_MAX, MESSAGES_PER_CONVERSATION_MAX, type MessageMode, type MessageRole } from './conversations.tables.ts';
import { CONTENT_RETENTION_DAYS, contentLoggingFor, organisationOf } from '../usage/index.ts';
import { openText, sealText } from './sealing.ts';

/**
 * The assistant's conversations (issue 7: « conversations kept in the cell of the space they
 * concern »). Rules, checked here on every call, not only in the panel:
 * - a conversation is its owner's only: every lookup names the owner, and another agent's id is a
 *   404 exactly like an id that does not exist;
 * - it belongs to a space: the owner must be a member of it now (at the space's level of
 *   assurance), so whoever leaves or is removed from the space loses its conversations with it;
 *   one started from a document also needs that document to be readable now;
 * - a message citing a document the agent can no longer read is left out whole: its content may be
 *   that document's words (the panel keeps quoted passages as the answer's text, and sends the
 *   history back to a model naming only the documents still cited), so hiding the citation alone
 *   would keep the text and lose the label that guards it;
 * - its text (title, messages, citations) is sealed with the space's data key in the space's cell,
 *   so it moves with the space and is shredded with it (the purge finds the `space_id` columns);
 * - creation and deletion are audited in the space's cell, with ids only, never text.
 */
export interface ConversationsDeps {
  stores: Stores;
  cells: Cells;
  audit: AuditLog;
}

export interface Citation {
  n: number;
  documentId: string;
  title: string;
  offset: number;
  length: number;
  quote: string;
  text?: string;
}

export interface ConversationSummary {
  id: string;
  spaceId: string;
  documentId: string | null;
  title: string;
  createdAt: string;
  updatedAt: string;
}

export interface MessageView {
  id: string;
  role: MessageRole;
  mode: MessageMode | null;
  model: string | null;
  content: string;
  citations: Citation[];
  createdAt: string;
}

export interface ConversationView extends ConversationSummary {
  messages: MessageView[];
}

export interface NewMessage {
  role: MessageRole;
  content: string;
  mode?: MessageMode | null;
  model?: string | null;
  citations?: Citation[];
}

/** Conversations listed at most (the most recently used). */
export const CONVERSATIONS_LISTED = 100;

function requireActor(actor: Actor | null): Actor {
  if (!actor) throw unauthenticated();
  return actor;
}

type AuditTrx = Kysely<{ audit_events: AuditEventsTable }>;

interface Place {
  spaceId: string;
  jurisdiction: Jurisdiction;
  moving: boolean;
}

/** The space as the actor may use its assistant now: 404 for a non-member, a step-up below its level. */
async function spaceFor(deps: ConversationsDeps, actor: Actor, spaceId: string): Promise<Place> {
  const space = await getSpace(deps.stores, actor, spaceId);
  requireAssuranceFor(actor, space.minAssurance, `/espaces/${spaceId}`);
  const access = await spaceAccessFor(deps.stores, actor.principalId, spaceId);
  if (!access) throw notFound();
  return { spaceId, jurisdiction: space.jurisdiction, moving: access.moving };
}

/** Whether the actor may read the document now, in this space (a cache per call: citations repeat documents). */
function documentReader(deps: ConversationsDeps, actor: Actor, spaceId: string) {
  const seen = new Map<string, Promise<boolean>>();
  return (documentId: string): Promise<boolean> => {
    let known = seen.get(documentId);
    if (!known) {
      known = documentAccessFor(deps.stores, actor, documentId).then((a) => a !== null && a.spaceId === spaceId && !a.insufficientAssurance && !a.trashed);
      seen.set(documentId, known);
    }
    return known;
  };
}

/** The actor's conversation and its space as they may use it now; 404 otherwise (not theirs, space left, document gone). */
async function loadOwn(deps: ConversationsDeps, actor: Actor, id: string): Promise<{ row: ConversationRow; place: Place }> {
  for (const jurisdiction of JURISDICTIONS) {
    const row = await findOwnConversation(deps.stores.cells[jurisdiction].db, actor.principalId, id);
    if (!row) continue;
    const place = await spaceFor(deps, actor, row.space_id);
    // A row left behind in the other cell (a move in progress) is not the space's.
    if (place.jurisdiction !== jurisdiction) throw notFound();
    if (row.document_id && !(await documentReader(deps, actor, row.space_id)(row.document_id))) throw notFound();
    return { row, place };
  }
  throw notFound();
}

function spaceKey(deps: ConversationsDeps, place: Place): Promise<DataKey> {
  return deps.cells.get(place.jurisdiction).keyring.getOrCreateDataKey(deps.stores.cells[place.jurisdiction].db, { type: 'space', id: place.spaceId });
}

/** Decrypts with the key version the row was sealed with (one key read per version per call). */
function keyReader(deps: ConversationsDeps, place: Place) {
  const keys = new Map<number, Promise<DataKey>>();
  return (version: number): Promise<DataKey> => {
    let key = keys.get(version);
    if (!key) {
      key = deps.cells.get(place.jurisdiction).keyring.getDataKey(deps.stores.cells[place.jurisdiction].db, { type: 'space', id: place.spaceId }, version);
      keys.set(version, key);
    }
    return key;
  };
}

function summaryOf(row: ConversationRow, title: string): ConversationSummary {
  return { id: row.id, spaceId: row.space_id, documentId: row.document_id, title, createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString() };
}

function auditEvent(actor: Actor, place: Place, action: string, row: { id: string; document_id: string | null }, meta: RequestMeta) {
  return {
    action,
    outcome: 'success' as const,
    actorId: actor.principalId,
    jurisdiction: place.jurisdiction,
    resource: { type: 'assistant_conversation', id: row.id },
    ip: meta.ip,
    requestId: meta.requestId,
    // Ids only: the conversation's text is the space's content, never the audit log's.
    details: { spaceId: place.spaceId, documentId: row.document_id },
  };
}

export async function listConversations(deps: ConversationsDeps, actorOrNull: Actor | null, spaceId: string): Promise<ConversationSummary[]> {
  const actor = requireActor(actorOrNull);
  const place = await spaceFor(deps, actor, spaceId);
  const rows = await listOwnConversations(deps.stores.cells[place.jurisdiction].db, actor.principalId, spaceId, CONVERSATIONS_LISTED);
  const readable = documentReader(deps, actor, spaceId);
  const key = keyReader(deps, place);
  const out: ConversationSummary[] = [];
  for (const row of rows) {
    if (row.document_id && !(await readable(row.document_id))) continue;
    out.push(summaryOf(row, openText(await key(row.key_version), 'title', row.id, row.space_id, row.title_sealed)));
  }
  return out;
}

/**
 * Whether the agent's organisation keeps the text of their AI requests (contract C3), so that the
 * panel says so before anything is asked: the organisation charged is the one the gateway picks.
 */
export async function contentLoggingNotice(deps: ConversationsDeps, actorOrNull: Actor | null): Promise<{ on: boolean; retentionDays: number }> {
  const actor = requireActor(actorOrNull);
  return { on: await contentLoggingFor(deps, organisationOf(actor)), retentionDays: CONTENT_RETENTION_DAYS };
}

export async function createConversation(
  deps: ConversationsDeps,
  actorOrNull: Actor | null,
  input: { spaceId: string; documentId?: string | null; title: string },
  meta: RequestMeta,
): Promise<ConversationSummary> {
  const actor = requireActor(actorOrNull);
  const place = await spaceFor(deps, actor, input.spaceId);
  const documentId = input.documentId ?? null;
  if (documentId && !(await documentReader(deps, actor, input.spaceId)(documentId))) throw notFound();
  requireNotMoving(place);
  const db = deps.stores.cells[place.jurisdiction].db;
  if ((await countOwnConversations(db, actor.principalId, input.spaceId)) >= CONVERSATIONS_PER_SPACE_MAX) {
    throw new AppError('conflict', { status: 409, extensions: { limit: CONVERSATIONS_PER_SPACE_MAX } });
  }
  const key = await spaceKey(deps, place); // before the transaction (Keyring: keys made in one are not cached)
  const id = uuidv7();
  const row = await db.transaction().execute(async (trx) => {
    const row = await insertConversation(trx, {
      id,
      space_id: input.spaceId,
      document_id: documentId,
      principal_id: actor.principalId,
      key_version: key.version,
      title_sealed: sealText(key, 'title', id, input.spaceId, input.title),
    });
    await deps.audit.record(auditEvent(actor, place, 'assistant.conversation.created', row, meta), trx as unknown as AuditTrx);
    return row;
  });
  return summaryOf(row, input.title);
}

export async function getConversation(deps: ConversationsDeps, actorOrNull: Actor | null, id: string): Promise<ConversationView> {
  const actor = requireActor(actorOrNull);
  const { row, place } = await loadOwn(deps, actor, id);
  const key = keyReader(deps, place);
  const readable = documentReader(deps, actor, place.spaceId);
  const messages: MessageView[] = [];
  for (const m of await listMessages(deps.stores.cells[place.jurisdiction].db, id)) {
    const view = await messageView(m, await key(m.key_version), readable);
    if (view) messages.push(view);
  }
  return { ...summaryOf(row, openText(await key(row.key_version), 'title', row.id, row.space_id, row.title_sealed)), messages };
}

/**
 * The message as the agent may read it now; null when it cites a document they can no longer read
 * (restricted since, trashed, above their assurance): the citation's title and quote are that
 * document's, and so may be the content (passages kept as the answer, or an answer drawn from them).
 */
async function messageView(m: MessageRow, key: DataKey, readable: (documentId: string) => Promise<boolean>): Promise<MessageView | null> {
  const citations = m.citations_sealed ? (JSON.parse(openText(key, 'citations', m.id, m.space_id, m.citations_sealed)) as Citation[]) : [];
  for (const c of citations) if (!(await readable(c.documentId))) return null;
  return {
    id: m.id,
    role: m.role,
    mode: m.mode,
    model: m.model,
    content: openText(key, 'content', m.id, m.space_id, m.content_sealed),
    citations,
    createdAt: m.created_at.toISOString(),
  };
}

export async function appendMessage(deps: ConversationsDeps, actorOrNull: Actor | null, id: string, input: NewMessage): Promise<MessageView> {
  const actor = requireActor(actorOrNull);
  const { place } = await loadOwn(deps, actor, id);
  requireNotMoving(place);
  const readable = documentReader(deps, actor, place.spaceId);
  // A citation names a document the agent may read now, in this space: nothing else is kept.
  for (const c of input.citations ?? []) if (!(await readable(c.documentId))) throw notFound();
  const key = await spaceKey(deps, place);
  const db = deps.stores.cells[place.jurisdiction].db;
  const messageId = uuidv7();
  const row = await db.transaction().execute(async (trx) => {
    const { row: conversation } = await loadOwnLocked(trx, actor, id);
    if ((await countMessages(trx, conversation.id)) >= MESSAGES_PER_CONVERSATION_MAX) {
      throw new AppError('conflict', { status: 409, extensions: { limit: MESSAGES_PER_CONVERSATION_MAX } });
    }
    const citations = input.citations && input.citations.length > 0 ? input.citations : null;
    const row = await insertMessage(trx, {
      id: messageId,
      conversation_id: id,
      space_id: place.spaceId,
      role: input.role,
      mode: input.role === 'assistant' ? (input.mode ?? null) : null,
      model: input.role === 'assistant' ? (input.model ?? null) : null,
      key_version: key.version,
      content_sealed: sealText(key, 'content', messageId, place.spaceId, input.content),
      citations_sealed: citations ? sealText(key, 'citations', messageId, place.spaceId, JSON.stringify(citations)) : null,
    });
    await touchConversation(trx, id);
    return row;
  });
  // Its citations were just checked: null only if one became unreadable meanwhile.
  const view = await messageView(row, key, readable);
  if (!view) throw notFound();
  return view;
}

async function loadOwnLocked(trx: CellDb, actor: Actor, id: string): Promise<{ row: ConversationRow }> {
  const row = await findOwnConversation(trx, actor.principalId, id, true);
  if (!row) throw notFound(); // deleted meanwhile
  return { row };
}

export async function deleteConversation(deps: ConversationsDeps, actorOrNull: Actor | null, id: string, meta: RequestMeta): Promise<void> {
  const actor = requireActor(actorOrNull);
  const { row, place } = await loadOwn(deps, actor, id);
  requireNotMoving(place);
  await deps.stores.cells[place.jurisdiction].db.transaction().execute(async (trx) => {
    if (!(await deleteConversationRow(trx, actor.principalId, id))) throw notFound();
    await deps.audit.record(auditEvent(actor, place, 'assistant.conversation.deleted', row, meta), trx as unknown as AuditTrx);
  });
}
