import type { FieldIssue } from '@entente/common/field-issues.ts';
import type { FrameworkView, ItemAuthoringView, ItemKind } from '@entente/common/skills.ts';
import { getJson, Problem, problemOf } from '../../app/api.ts';
import { fetchMe } from '../../app/me.ts';

/**
 * The trainers' and administrators' skills API (server/src/skills/items/routes.ts and
 * framework/routes.ts). Changes keep every field error the server names, with its full path
 * (`fr.options.1`), so the editor shows each next to its own field.
 */

/** A bank: an organisation's (its id) or the shared bank (null, operators only). */
export type Scope = string | null;

export type AuthoringItem = ItemAuthoringView & { version: number; source: 'starter' | 'authored' | 'imported'; problems: FieldIssue[] };
export type { FieldIssue };
export interface ItemBody {
  competence: string;
  level: number;
  kind: ItemKind;
  correct: number[];
  fr: { stem: string; options?: string[]; accepted?: string[]; explanation: string };
  frCA?: { stem?: string; options?: string[]; accepted?: string[]; explanation?: string };
  en: { stem: string; options?: string[]; accepted?: string[]; explanation: string };
}
export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  errors: number;
  items: { index: number; key: string | null; outcome: 'created' | 'updated' | 'unchanged' | 'error'; errors?: FieldIssue[]; problems?: FieldIssue[] }[];
}
export interface LocalisedText {
  fr: string;
  frCA?: string;
  en: string;
}
export interface OrgCompetence {
  id: string;
  organisationId: string;
  area: string;
  name: LocalisedText;
  description: LocalisedText;
  crcn: string[];
  quebec: string[];
}
export interface OrgProfile {
  id: string;
  organisationId: string;
  role: 'agent' | 'manager' | 'digital-specialist';
  name: LocalisedText;
  required: Record<string, number>;
}
export interface Me {
  organisations: { id: string; name: string; roles: string[] }[];
  platformRoles: string[];
}

/** A refusal with the fields it names (paths without the leading `body.`). */
export class AuthoringProblem extends Error {
  readonly problem: Problem;
  readonly fields: FieldIssue[];
  constructor(problem: Problem, fields: FieldIssue[]) {
    super(problem.message);
    this.name = 'AuthoringProblem';
    this.problem = problem;
    this.fields = fields;
  }
}

async function change<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const { csrfToken } = await getJson<{ csrfToken: string }>('/api/session');
  const headers: Record<string, string> = { accept: 'application/json', 'x-csrf-token': csrfToken };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, credentials: 'same-origin', headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) {
    const problem = await problemOf(response);
    throw new AuthoringProblem(problem, [...problem.issues]);
  }
  return (response.status === 204 ? undefined : await response.json()) as T;
}

const API = '/api/skills';
const scopeQuery = (scope: Scope, extra: Record<string, string> = {}) => {
  const query = new URLSearchParams({ ...(scope ? { organisationId: scope } : {}), ...extra });
  const text = query.toString();
  return text ? `?${text}` : '';
};
const item = (id: string) => `${API}/items/${encodeURIComponent(id)}`;
const org = (id: string) => `${API}/organisations/${encodeURIComponent(id)}`;

export const loadMe = (signal?: AbortSignal) => fetchMe<Me>(signal);
export const loadFramework = (signal?: AbortSignal) => getJson<FrameworkView>(`${API}/framework`, signal);
export const loadItems = (scope: Scope, filters: { competence?: string; status?: string }, signal?: AbortSignal) =>
  getJson<{ items: AuthoringItem[] }>(
    `${API}/items${scopeQuery(scope, Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) as Record<string, string>)}`,
    signal,
  ).then((answer) => answer.items);
export const loadItem = (id: string) => getJson<AuthoringItem>(item(id));
export const createItem = (scope: Scope, body: ItemBody) => change<AuthoringItem>('POST', `${API}/items`, { ...body, organisationId: scope });
export const saveItem = (id: string, version: number, body: ItemBody) => change<AuthoringItem>('PUT', item(id), { ...body, version });
export const setStatus = (id: string, status: AuthoringItem['status'], version: number) =>
  change<AuthoringItem>('POST', `${item(id)}/status`, { status, version });
export const exportUrl = (scope: Scope) => `${API}/items/export${scopeQuery(scope)}`;
/** The `format` of an item-bank export file (server/src/skills/items/item-authoring.ts, FILE_FORMAT). */
export const ITEMS_FILE_FORMAT = 'entente-skills-items';
export const IMPORT_MAX_ITEMS = 1000;
export const importItems = (scope: Scope, file: unknown) => change<ImportReport>('POST', `${API}/items/import${scopeQuery(scope)}`, file);

export const loadCompetences = (orgId: string, signal?: AbortSignal) =>
  getJson<{ competences: OrgCompetence[] }>(`${org(orgId)}/competences`, signal).then((a) => a.competences);
export const addCompetence = (orgId: string, body: Omit<OrgCompetence, 'id' | 'organisationId'>) =>
  change<OrgCompetence>('POST', `${org(orgId)}/competences`, body);
export const removeCompetence = (orgId: string, id: string) => change<undefined>('DELETE', `${org(orgId)}/competences/${encodeURIComponent(id)}`);
export const loadProfiles = (orgId: string, signal?: AbortSignal) =>
  getJson<{ targetProfiles: OrgProfile[] }>(`${org(orgId)}/target-profiles`, signal).then((a) => a.targetProfiles);
export const saveProfile = (orgId: string, id: string, body: Pick<OrgProfile, 'role' | 'name' | 'required'>) =>
  change<OrgProfile>('PUT', `${org(orgId)}/target-profiles/${encodeURIComponent(id)}`, body);
export const removeProfile = (orgId: string, id: string) => change<undefined>('DELETE', `${org(orgId)}/target-profiles/${encodeURIComponent(id)}`);

/** The banks the agent may author: organisations where they train or administer, and the shared bank for operators. */
export function authorableScopes(me: Me): { scope: Scope; name: string }[] {
  const scopes: { scope: Scope; name: string }[] = me.organisations
    .filter((o) => o.roles.includes('trainer') || o.roles.includes('admin'))
    .map((o) => ({ scope: o.id, name: o.name }));
  return scopes;
}
export const isOperator = (me: Me) => me.platformRoles.includes('operator');
export { Problem };
