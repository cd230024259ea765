import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clientIp } from '../../identity/http-session.ts';
import { contentDisposition } from '../../platform/http/content-disposition.ts';
import { skillsFrameworkAdminRoutes } from '../framework/routes.ts';
import * as s from '../schemas.ts';
import { itemFields } from './authoring.ts';
import { type AuthoringDeps, createItem, editItem, exportItems, FILE_FORMAT, getAuthoredItem, importItems, listAuthoredItems, setItemStatus } from './item-authoring.ts';

/**
 * The trainers' and operators' item-bank API, `/api/skills/items…` (issue 8: authoring screens,
 * import/export as JSON), and, through `skillsAuthoringRoutes`, the organisations' framework
 * administration (framework/routes.ts). Thin: parse, call the use case (which authorises), present.
 */
const perAgent = (name: string) => async (request: FastifyRequest) => {
  const actor = await request.actor();
  return actor ? `${name}:${actor.principalId}` : `${name}-ip:${request.ip}`;
};
const READS = { max: 300, timeWindow: 60_000, keyGenerator: perAgent('skills-authoring-read') };
const WRITES = { max: 120, timeWindow: 60_000, keyGenerator: perAgent('skills-authoring-write') };
/** An import checks up to 1,000 items: a few per minute is plenty. */
const BULK = { max: 10, timeWindow: 60_000, keyGenerator: perAgent('skills-authoring-bulk') };
export const IMPORT_BODY_LIMIT = 2 * 1024 * 1024;
export const ITEM_BODY_LIMIT = 64 * 1024;

const contentView = z.object({ stem: z.string(), options: z.array(z.string()).optional(), accepted: z.array(z.string()).optional(), explanation: z.string() });
export const itemView = z.object({
  id: z.uuid(),
  key: z.string(),
  organisationId: z.uuid().nullable(),
  competence: z.string(),
  level: z.number().int(),
  kind: z.enum(['single', 'multiple', 'true_false', 'short_answer']),
  status: z.enum(['draft', 'live', 'retired']),
  correct: z.array(z.number().int()),
  fr: contentView,
  frCA: contentView.partial().optional(),
  en: contentView,
  parameters: z.object({ a: z.number(), b: z.number(), c: z.number(), calibrated: z.boolean(), calibratedAt: z.string().nullable(), answers: z.number().int(), flags: z.array(z.string()) }),
  updatedAt: z.string(),
  version: z.number().int().describe('Send it back with an edit: a stale one is refused (409 `item_conflict`)'),
  source: z.enum(['starter', 'authored', 'imported']),
  problems: z.array(z.object({ path: z.string(), code: z.string() })).describe('What keeps the item from going live (empty when nothing)'),
});

const organisationQuery = z.object({ organisationId: z.uuid().optional().describe('The organisation’s bank; absent: the shared bank (operators)') }).strict();
const idParams = z.object({ id: z.uuid() }).strict();
const fieldIssues = z.array(
  z.object({
    path: z.string(),
    code: z.string(),
    params: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]))
      .optional()
      .describe('Details of some codes: a limit, the values allowed, the keys not known, the kind of value received'),
  }),
);
const importLine = z.object({
  index: z.number().int(),
  key: z.string().nullable(),
  outcome: z.enum(['created', 'updated', 'unchanged', 'error']),
  id: z.uuid().optional(),
  errors: fieldIssues.optional().describe('Why the item was skipped: where (dotted path) and what (stable code), to say in the reader’s language'),
  problems: fieldIssues
    .optional()
    .describe('A draft written with what keeps it from being asked (the authoring rules it breaks), to fix before publishing'),
});
const importReport = z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), errors: z.number().int(), items: z.array(importLine) });

export function skillsAuthoringRoutes(app: FastifyInstance, deps: AuthoringDeps): void {
  skillsItemRoutes(app, deps);
  skillsFrameworkAdminRoutes(app, deps);
}

function skillsItemRoutes(app: FastifyInstance, deps: AuthoringDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const meta = (request: FastifyRequest) => ({ ip: clientIp(request), requestId: request.id });
  const read = { security: [{ session: [] }, { token: [] }] as Record<string, string[]>[] };
  const change = { security: [{ session: [], csrf: [] }, { token: [] }] as Record<string, string[]>[] };
  const tags = ['skills-authoring'];
  const noStore = 'no-store';
  const who = 'The shared bank: platform operators; an organisation’s bank: its trainers and administrators. Others: 403; an item of another organisation: 404.';

  r.get(
    '/api/skills/items',
    {
      config: { rateLimit: READS },
      schema: {
        tags,
        ...read,
        summary: 'The items of a bank, with their answer keys and parameters (at most 2,000)',
        description: who,
        querystring: organisationQuery.extend({
          competence: z.string().regex(/^(\d\.\d|org-[a-z0-9-]{1,60})$/).optional(),
          status: z.enum(['draft', 'live', 'retired']).optional(),
        }),
        response: { 200: z.object({ items: z.array(itemView) }), ...s.errors },
      },
    },
    async (request, reply) => {
      const { organisationId, competence, status } = request.query;
      const items = await listAuthoredItems(deps, await request.actor(), { organisationId: organisationId ?? null, competence, status });
      return reply.header('cache-control', noStore).send({ items });
    },
  );
  r.get(
    '/api/skills/items/export',
    {
      config: { rateLimit: BULK },
      schema: {
        tags,
        ...read,
        summary: 'A bank as a JSON file (`entente-skills-items`, version 1), to download; audited',
        description: who,
        querystring: organisationQuery,
        response: { 200: z.any().describe('application/json file: { format, version, organisationId, exportedAt, items }'), ...s.errors },
      },
    },
    async (request, reply) => {
      const organisationId = request.query.organisationId ?? null;
      const file = await exportItems(deps, await request.actor(), meta(request), organisationId);
      const name = organisationId ? `questions-${organisationId}` : 'questions-banque-commune';
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', contentDisposition('attachment', `${name}.json`))
        .header('cache-control', 'private, no-store')
        .send(JSON.stringify(file, null, 2));
    },
  );
  r.post(
    '/api/skills/items/import',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      config: { rateLimit: BULK },
      schema: {
        tags,
        ...change,
        summary: 'Import a JSON file of items (at most 1,000 items, 2 MB): a report per item',
        description: `${who} Each item is checked whole and written whole, or skipped with its reasons. Items are drafts unless the file says otherwise. An existing key is updated only in the importer’s own bank; a new key must be in its own namespace (an organisation’s keys start with its prefix); items without a key get one.`,
        querystring: organisationQuery,
        body: z
          .object({
            format: z.literal(FILE_FORMAT),
            version: z.literal(1),
            organisationId: z.uuid().nullable().optional().describe('Informative: where the file was exported from'),
            exportedAt: z.string().max(40).optional(),
            items: z.array(z.unknown()).max(1000),
          })
          .strict(),
        response: { 200: importReport, ...s.errors },
      },
    },
    async (request, reply) =>
      reply.header('cache-control', noStore).send(await importItems(deps, await request.actor(), meta(request), request.query.organisationId ?? null, request.body.items)),
  );
  r.get(
    '/api/skills/items/:id',
    { config: { rateLimit: READS }, schema: { tags, ...read, summary: 'One item, as its authors see it', description: who, params: idParams, response: { 200: itemView, ...s.errors } } },
    async (request, reply) => reply.header('cache-control', noStore).send(await getAuthoredItem(deps, await request.actor(), request.params.id)),
  );
  r.post(
    '/api/skills/items',
    {
      bodyLimit: ITEM_BODY_LIMIT,
      config: { rateLimit: WRITES },
      schema: {
        tags,
        ...change,
        summary: 'Add an item (a draft; its key is given by the server)',
        description: `${who} The answer lists what still keeps the item from going live (\`problems\`).`,
        body: z.object({ ...itemFields, organisationId: z.uuid().nullable() }).strict(),
        response: { 201: itemView, ...s.errors },
      },
    },
    async (request, reply) => reply.code(201).header('cache-control', noStore).send(await createItem(deps, await request.actor(), meta(request), request.body)),
  );
  r.put(
    '/api/skills/items/:id',
    {
      bodyLimit: ITEM_BODY_LIMIT,
      config: { rateLimit: WRITES },
      schema: {
        tags,
        ...change,
        summary: 'Replace an item’s content (with the version read)',
        description: `${who} 409 \`item_conflict\` when the item changed since it was read. A live item must stay valid (400 with field errors). Editing a starter item makes it the authors’ (the starter seeding leaves it alone).`,
        params: idParams,
        body: z.object({ ...itemFields, version: z.number().int().min(1) }).strict(),
        response: { 200: itemView, ...s.errors },
      },
    },
    async (request, reply) => reply.header('cache-control', noStore).send(await editItem(deps, await request.actor(), meta(request), request.params.id, request.body)),
  );
  r.post(
    '/api/skills/items/:id/status',
    {
      config: { rateLimit: WRITES },
      schema: {
        tags,
        ...change,
        summary: 'Publish (live), withdraw (retired) or return an item to draft',
        description: `${who} Going live requires the item to meet every authoring rule (400 with field errors otherwise).`,
        params: idParams,
        body: z.object({ status: z.enum(['draft', 'live', 'retired']), version: z.number().int().min(1).optional() }).strict(),
        response: { 200: itemView, ...s.errors },
      },
    },
    async (request, reply) =>
      reply.header('cache-control', noStore).send(await setItemStatus(deps, await request.actor(), meta(request), request.params.id, request.body.status, request.body.version)),
  );
}
