import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The operator roles that a designation (ENTENTE_OPERATORS, `entente operators add`) granted.
  // Removing a designation removes only those: an operator role given otherwise (the demo data, a
  // future grant by another means) is not the designation's to take away.
  await db.schema
    .createTable('operator_grants')
    .addColumn('principal_id', 'uuid', (c) => c.primaryKey().references('principals.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Roles held today by a designated identity came from its designation (that was the only way).
  await sql`insert into operator_grants (principal_id)
    select distinct fi.principal_id from operator_designations od
    join federated_identities fi on fi.upstream = od.upstream and fi.subject = od.subject
    join platform_roles pr on pr.principal_id = fi.principal_id and pr.role = 'operator'`.execute(db);
}
