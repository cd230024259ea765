import type { Generated } from 'kysely';

/**
 * The assistant's conversations, in the cell of the space they concern (migration
 * 20261130130000_assistant_conversations). Text is sealed with the space's data key (sealing.ts):
 * the columns hold ciphertext only. Owners are principal ids, never names.
 */

/** A conversation's title: plain text, at most this many characters. */
export const TITLE_MAX = 200;
/** One message: at most this many characters (a long generated answer fits; a pasted book does not). */
export const MESSAGE_MAX = 20_000;
/** Messages a conversation may hold; beyond, the agent starts a new one. */
export const MESSAGES_PER_CONVERSATION_MAX = 200;
/** Conversations an agent may keep in one space; beyond, they delete old ones. */
export const CONVERSATIONS_PER_SPACE_MAX = 500;
/** Citations one message may carry (ask my documents returns at most 10 passages). */
export const CITATIONS_MAX = 10;
/** The cited passage's text kept with a citation, for display. */
export const CITATION_TEXT_MAX = 1_000;

export type MessageRole = 'user' | 'assistant';
export type MessageMode = 'generated' | 'extractive';

export interface AssistantConversationsTable {
  id: string;
  space_id: string;
  document_id: string | null;
  principal_id: string;
  key_version: number;
  title_sealed: Uint8Array;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface AssistantMessagesTable {
  id: string;
  conversation_id: string;
  space_id: string;
  role: MessageRole;
  mode: MessageMode | null;
  model: string | null;
  key_version: number;
  content_sealed: Uint8Array;
  citations_sealed: Uint8Array | null;
  created_at: Generated<Date>;
}

declare module '../../platform/db/types.ts' {
  interface CellTables {
    assistant_conversations: AssistantConversationsTable;
    assistant_messages: AssistantMessagesTable;
  }
}
