import { type Kysely, sql } from 'kysely';

/** The audit table, identical in the control plane and in each cell. */
export async function createAuditTable(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor_id', 'uuid')
    .addColumn('organisation_id', 'uuid')
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action ~ '^[a-z][a-z0-9_.]{2,99}$'`))
    .addColumn('resource_type', 'text')
    .addColumn('resource_id', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('success', 'failure', 'denied')`))
    .addColumn('ip', 'text')
    .addColumn('request_id', 'text')
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema.createIndex('audit_events_time').on('audit_events').column('occurred_at').execute();
  await db.schema.createIndex('audit_events_actor').on('audit_events').columns(['actor_id', 'occurred_at']).execute();
  await db.schema
    .createIndex('audit_events_resource')
    .on('audit_events')
    .columns(['resource_type', 'resource_id', 'occurred_at'])
    .execute();
}
