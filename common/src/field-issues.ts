/**
 * A field error as the server sends it (problem+json `errors[]`, an import report's lines) and the
 * web says it: where (`path`, dotted, e.g. `fr.options.1`), what (`code`: zod's issue code or a
 * module's own, e.g. `too_big`, `unknown_competence`) and, for some codes, the few details needed
 * to say it precisely (`params`). Codes and params are stable; the words are the client's, from
 * the message catalogue in its language, never zod's English messages.
 *
 * Params by code (all optional; a client falls back on the code alone):
 * - `invalid_type`: `expected` (zod's: string, number, int, boolean, array, object…), `received`
 *   (missing, null, string, number, boolean, array, object) when the server saw the input;
 * - `too_small` / `too_big`: `origin` (string: characters, array: elements, number: value),
 *   `minimum` / `maximum`, `inclusive`;
 * - `invalid_value`: `values`, the values allowed; `received: 'missing'` when the choice was left out;
 * - `unrecognized_keys`: `keys`, the keys not known;
 * - `invalid_format`: `format` (regex, uuid, datetime…).
 */
export type FieldParams = Readonly<Record<string, string | number | boolean | string[]>>;

export interface FieldIssue {
  path: string;
  code: string;
  params?: FieldParams;
}
