import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clientIp } from '../../identity/http-session.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { canEditText, documentAccessFor } from '../access.ts';
import { auditLinkUse } from '../sharing/link-audit.ts';
import { requireActor, requireAssuranceFor } from '../spaces/deps.ts';
import type { DocumentStore } from './document-store.ts';
import { issueTicket } from './tickets.ts';

/**
 * `POST /api/collab/tickets` (a ticket to open a document's socket) and
 * `GET /api/documents/:documentId/content` (the derived copies). Thin: authorise with the access
 * rules (404 for anything the actor cannot see), call the store, present.
 */

/**
 * Tickets are cheap and a page opens one per document (and one per reconnect): limited per
 * session rather than per address, so that many agents behind one gateway are not throttled
 * together, while one session cannot mint them in a loop.
 */
const TICKETS = {
  max: 600,
  timeWindow: 60_000,
  keyGenerator: (request: FastifyRequest) =>
    `collab-ticket:${createHash('sha256').update(request.headers.cookie ?? request.ip).digest('base64url').slice(0, 22)}`,
};
const CONTENT = { max: 120, timeWindow: 60_000 };

const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }).loose();

export function collabRoutes(app: FastifyInstance, deps: { stores: Stores; store: DocumentStore; ticketKey: Buffer; audit?: AuditLog }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/collab/tickets',
    {
      config: { rateLimit: TICKETS },
      schema: {
        tags: ['collaboration'],
        summary: 'A short-lived ticket to open a document on the collaboration socket (/collab)',
        security: [{ session: [], csrf: [] }],
        body: z.object({ documentId: z.uuid(), epoch: z.number().int().min(1).optional() }).strict(),
        response: {
          200: z.object({
            ticket: z.string(),
            epoch: z.number().int(),
            role: z.enum(['owner', 'editor', 'commenter', 'reader']),
            readOnly: z.boolean(),
            expiresAt: z.iso.datetime(),
          }),
          401: problem,
          403: problem,
          404: problem,
          409: problem,
        },
      },
    },
    async (request) => {
      const actor = requireActor(await request.actor());
      // A ticket opens a live socket: a browser session only, never a personal access token.
      if (actor.via !== 'session') throw notFound();
      const access = await documentAccessFor(deps.stores, actor, request.body.documentId);
      if (!access) throw notFound();
      // Said as such to whoever may see it (its space's trash shows it to them): the page keeps
      // what is typed meanwhile and sends it if the document is restored, rather than « no access ».
      if (access.trashed) throw new AppError('document_in_trash', { status: 409 });
      requireAssuranceFor(actor, access.minAssurance, `/documents/${access.documentId}`);
      if (request.body.epoch !== undefined && request.body.epoch !== access.epoch) {
        throw new AppError('epoch_changed', { status: 409, extensions: { epoch: access.epoch } });
      }
      const { ticket, expiresAt } = issueTicket(deps.ticketKey, {
        principalId: actor.principalId,
        sessionId: actor.sessionId,
        documentId: access.documentId,
        epoch: access.epoch,
      });
      const readOnly = !canEditText(access.role) || access.moving;
      // The live socket opened through a share link: read-only or editing, said in the event.
      await auditLinkUse(deps.audit, actor, access, 'ticket', { ip: clientIp(request), requestId: request.id }, { editing: !readOnly });
      return { ticket, epoch: access.epoch, role: access.role, readOnly, expiresAt: expiresAt.toISOString() };
    },
  );

  r.get(
    '/api/documents/:documentId/content',
    {
      config: { rateLimit: CONTENT },
      schema: {
        tags: ['collaboration'],
        summary: 'The document’s content as ProseMirror JSON, Markdown or plain text (from its latest state)',
        security: [{ session: [] }, { token: [] }] as Record<string, string[]>[],
        params: z.object({ documentId: z.uuid() }).strict(),
        querystring: z.object({ format: z.enum(['json', 'markdown', 'text']).default('json') }).strict(),
        response: {
          200: z.object({ documentId: z.uuid(), epoch: z.number().int(), format: z.enum(['json', 'markdown', 'text']), content: z.unknown() }),
          401: problem,
          403: problem,
          404: problem,
        },
      },
    },
    async (request) => {
      const actor = requireActor(await request.actor());
      const access = await documentAccessFor(deps.stores, actor, request.params.documentId);
      if (!access) throw notFound();
      requireAssuranceFor(actor, access.minAssurance, `/documents/${access.documentId}`);
      const derived = await deps.store.derived(access);
      const { format } = request.query;
      const content = format === 'json' ? derived.json : format === 'markdown' ? derived.markdown : derived.text;
      // Reading a document's content is a security event (issue 6).
      await deps.audit?.record({
        action: 'workspace.document.read',
        outcome: 'success',
        actorId: actor.principalId,
        jurisdiction: access.jurisdiction,
        resource: { type: 'document', id: access.documentId },
        ip: clientIp(request),
        requestId: request.id,
        details: { via: 'content', format },
      });
      await auditLinkUse(deps.audit, actor, access, 'read', { ip: clientIp(request), requestId: request.id }, { format });
      return { documentId: access.documentId, epoch: access.epoch, format, content };
    },
  );
}
