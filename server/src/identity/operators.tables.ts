import type { Generated } from 'kysely';

/**
 * Who is an operator, by federated identity (upstream, subject): named in ENTENTE_OPERATORS
 * (`config`) or with `entente operators add` (`cli`). The grant itself is a `platform_roles`
 * row, made when the identity is known (at start, at the CLI command, at each sign-in).
 */
export interface OperatorDesignationsTable {
  upstream: string;
  subject: string;
  source: 'config' | 'cli';
  created_at: Generated<Date>;
}

/** The operator roles a designation granted (and only those may a removed designation take back). */
export interface OperatorGrantsTable {
  principal_id: string;
  created_at: Generated<Date>;
}

declare module '../platform/db/types.ts' {
  interface ControlPlaneTables {
    operator_designations: OperatorDesignationsTable;
    operator_grants: OperatorGrantsTable;
  }
}
