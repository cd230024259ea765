/** A value that survives JSON.stringify/parse unchanged: what jobs, outbox entries and events carry. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
