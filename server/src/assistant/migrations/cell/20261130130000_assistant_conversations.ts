import { type Kysely, sql } from 'kysely';

/**
 * The assistant's conversations (assistant/conversations), in the cell of the space they concern:
 * an AI conversation about a space is that space's content (DESIGN.md, cells). Titles, messages
 * and citations are sealed with the space's data key (`*_sealed` bytea, `key_version` beside
 * them): deleting the space shreds its key, so a conversation left in a backup is unreadable.
 * Both tables carry `space_id`, so space deletion's catalog-driven purge and space moves find them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('assistant_conversations')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('space_id', 'uuid', (c) => c.notNull().references('spaces.id').onDelete('cascade'))
    // The document the conversation was started from, if any (null: about the whole space).
    .addColumn('document_id', 'uuid', (c) => c.references('documents.id').onDelete('set null'))
    .addColumn('principal_id', 'uuid', (c) => c.notNull())
    .addColumn('key_version', 'integer', (c) => c.notNull())
    .addColumn('title_sealed', 'bytea', (c) => c.notNull().check(sql`octet_length(title_sealed) <= 2048`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('assistant_conversations_owner').on('assistant_conversations').columns(['principal_id', 'space_id', 'updated_at']).execute();
  await db.schema.createIndex('assistant_conversations_space').on('assistant_conversations').column('space_id').execute();

  await db.schema
    .createTable('assistant_messages')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('conversation_id', 'uuid', (c) => c.notNull().references('assistant_conversations.id').onDelete('cascade'))
    .addColumn('space_id', 'uuid', (c) => c.notNull().references('spaces.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('user', 'assistant')`))
    // How an assistant message was made: `generated` by a model, or `extractive` (passages, no model).
    .addColumn('mode', 'text', (c) => c.check(sql`mode in ('generated', 'extractive')`))
    .addColumn('model', 'text', (c) => c.check(sql`length(model) <= 200`))
    .addColumn('key_version', 'integer', (c) => c.notNull())
    .addColumn('content_sealed', 'bytea', (c) => c.notNull().check(sql`octet_length(content_sealed) <= 262144`))
    .addColumn('citations_sealed', 'bytea', (c) => c.check(sql`octet_length(citations_sealed) <= 262144`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('assistant_messages_conversation').on('assistant_messages').columns(['conversation_id', 'id']).execute();
  await db.schema.createIndex('assistant_messages_space').on('assistant_messages').column('space_id').execute();
}
