import type { Selectable } from 'kysely';
import type { CellDb } from '../../platform/db/types.ts';
import type { AssistantConversationsTable, AssistantMessagesTable } from './conversations.tables.ts';
import './conversations.tables.ts';

/** All SQL of the assistant's conversations (cell of the conversation's space). Every lookup names its owner. */

export type ConversationRow = Selectable<AssistantConversationsTable>;
export type MessageRow = Selectable<AssistantMessagesTable>;

const CONVERSATION_COLUMNS = ['id', 'space_id', 'document_id', 'principal_id', 'key_version', 'title_sealed', 'created_at', 'updated_at'] as const;
const MESSAGE_COLUMNS = ['id', 'conversation_id', 'space_id', 'role', 'mode', 'model', 'key_version', 'content_sealed', 'citations_sealed', 'created_at'] as const;

export async function insertConversation(db: CellDb, row: Omit<ConversationRow, 'created_at' | 'updated_at'>): Promise<ConversationRow> {
  return db
    .insertInto('assistant_conversations')
    .values({
      id: row.id,
      space_id: row.space_id,
      document_id: row.document_id,
      principal_id: row.principal_id,
      key_version: row.key_version,
      title_sealed: row.title_sealed,
    })
    .returning(CONVERSATION_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** The owner's conversation (another agent's id is not found). */
export async function findOwnConversation(db: CellDb, principalId: string, id: string, lock = false): Promise<ConversationRow | undefined> {
  let query = db.selectFrom('assistant_conversations').select(CONVERSATION_COLUMNS).where('id', '=', id).where('principal_id', '=', principalId);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The owner's conversations in a space, most recently used first. */
export async function listOwnConversations(db: CellDb, principalId: string, spaceId: string, limit: number): Promise<ConversationRow[]> {
  return db
    .selectFrom('assistant_conversations')
    .select(CONVERSATION_COLUMNS)
    .where('principal_id', '=', principalId)
    .where('space_id', '=', spaceId)
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function countOwnConversations(db: CellDb, principalId: string, spaceId: string): Promise<number> {
  const row = await db
    .selectFrom('assistant_conversations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('principal_id', '=', principalId)
    .where('space_id', '=', spaceId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function touchConversation(db: CellDb, id: string): Promise<void> {
  await db.updateTable('assistant_conversations').set({ updated_at: new Date() }).where('id', '=', id).execute();
}

export async function deleteConversationRow(db: CellDb, principalId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('assistant_conversations').where('id', '=', id).where('principal_id', '=', principalId).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function insertMessage(db: CellDb, row: Omit<MessageRow, 'created_at'>): Promise<MessageRow> {
  return db
    .insertInto('assistant_messages')
    .values({
      id: row.id,
      conversation_id: row.conversation_id,
      space_id: row.space_id,
      role: row.role,
      mode: row.mode,
      model: row.model,
      key_version: row.key_version,
      content_sealed: row.content_sealed,
      citations_sealed: row.citations_sealed,
    })
    .returning(MESSAGE_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** A conversation's messages, in order (ids are UUID v7: they sort by time of writing). */
export async function listMessages(db: CellDb, conversationId: string): Promise<MessageRow[]> {
  return db.selectFrom('assistant_messages').select(MESSAGE_COLUMNS).where('conversation_id', '=', conversationId).orderBy('id').execute();
}

export async function countMessages(db: CellDb, conversationId: string): Promise<number> {
  const row = await db
    .selectFrom('assistant_messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
