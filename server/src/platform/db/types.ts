import type { Kysely } from 'kysely';

/**
 * Table types of the control plane. Empty here on purpose: each module adds its own tables by
 * declaration merging (`declare module '…/platform/db/types.ts' { interface ControlPlaneTables { … } }`)
 * in its `*.tables.ts`, so that the platform never knows a module's tables.
 */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by modules
export interface ControlPlaneTables {}

/** Table types of a cell (the same schema in the FR and the QC cell); augmented like ControlPlaneTables. */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by modules
export interface CellTables {}

/** A handle on the control plane: the database itself or a transaction on it (pass it down). */
export type ControlDb = Kysely<ControlPlaneTables>;
/** A handle on one cell's database or a transaction on it. */
export type CellDb = Kysely<CellTables>;

/** Which store a migration belongs to. */
export type Store = 'control' | 'cell';

/** A handle on any store, for code that does not know its tables (migrations, health checks). */
// biome-ignore lint/suspicious/noExplicitAny: deliberately untyped tables
export type AnyDb = Kysely<any>;
