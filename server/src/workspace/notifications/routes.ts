import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LIMITS } from '../../platform/http/rate-limit.ts';
import { listNotifications, PAGE_MAX, readAllNotifications, readNotification, unreadCount } from './list.ts';
import { getPreferences, setPreferences } from './preferences.ts';
import { NOTIFICATION_KINDS, type NotificationsDeps } from './types.ts';

/**
 * The agent's own notifications and notification preferences. Thin: parse with zod, call the use
 * case (which reads only the signed-in agent's rows, in their home cell), present. Reading is
 * not audited (it changes nothing anyone else sees); marking as read is rate-limited.
 */

const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }).loose();
const errors = { 401: problem, 403: problem };
const kind = z.enum(NOTIFICATION_KINDS);
const notification = z.object({
  id: z.uuid(),
  kind,
  createdAt: z.iso.datetime(),
  read: z.boolean(),
  actor: z.object({ principalId: z.uuid(), givenName: z.string(), familyName: z.string() }).nullable(),
  documentId: z.uuid(),
  spaceId: z.uuid(),
  threadId: z.uuid().nullable(),
  commentId: z.uuid().nullable(),
  available: z.boolean().describe('False when the document can no longer be read: no title, no link'),
  title: z.string().nullable(),
  path: z.string().nullable().describe('The web app page of the document (with the comment thread anchor)'),
  excerpt: z.string().nullable(),
});
const preference = z.object({ kind, inApp: z.boolean(), email: z.boolean() }).strict();
const preferences = z.object({ preferences: z.array(preference) });
const unread = z.object({ unreadCount: z.number().int().min(0) });

export function notificationRoutes(app: FastifyInstance, deps: NotificationsDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // A browser session (with CSRF for changes) or a personal access token (api:read, api:write).
  const read = { security: [{ session: [] }, { token: [] }] as Record<string, string[]>[] };
  const change = { security: [{ session: [], csrf: [] }, { token: [] }] as Record<string, string[]>[] };
  const limited = { rateLimit: LIMITS.adminChanges };

  r.get(
    '/api/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'My notifications, newest first, with the number unread',
        ...read,
        querystring: z
          .object({
            limit: z.coerce.number().int().min(1).max(PAGE_MAX).default(20),
            before: z.uuid().optional().describe('nextBefore of the previous page'),
          })
          .strict(),
        response: { 200: z.object({ notifications: z.array(notification), unreadCount: z.number().int(), nextBefore: z.uuid().nullable() }), 400: problem, ...errors },
      },
    },
    async (request) => listNotifications(deps, await request.actor(), request.query),
  );

  r.get(
    '/api/notifications/unread-count',
    {
      schema: { tags: ['notifications'], summary: 'How many of my notifications are unread', ...read, response: { 200: unread, ...errors } },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { unreadCount: await unreadCount(deps, await request.actor()) };
    },
  );

  r.post(
    '/api/notifications/:id/read',
    {
      config: limited,
      schema: {
        tags: ['notifications'],
        summary: 'Mark one of my notifications as read',
        ...change,
        params: z.object({ id: z.uuid() }).strict(),
        response: { 200: unread, 404: problem, 429: problem, ...errors },
      },
    },
    async (request) => ({ unreadCount: await readNotification(deps, await request.actor(), request.params.id) }),
  );

  r.post(
    '/api/notifications/read-all',
    {
      config: limited,
      schema: {
        tags: ['notifications'],
        summary: 'Mark all my notifications as read',
        ...change,
        response: { 200: z.object({ marked: z.number().int(), unreadCount: z.literal(0) }), 429: problem, ...errors },
      },
    },
    async (request) => ({ marked: await readAllNotifications(deps, await request.actor()), unreadCount: 0 as const }),
  );

  r.get(
    '/api/me/notification-preferences',
    {
      schema: {
        tags: ['notifications'],
        summary: 'My notification preferences: for each kind, in the app and by mail',
        ...read,
        response: { 200: preferences, ...errors },
      },
    },
    async (request) => ({ preferences: await getPreferences(deps.stores, await request.actor()) }),
  );

  r.put(
    '/api/me/notification-preferences',
    {
      config: limited,
      schema: {
        tags: ['notifications'],
        summary: 'Change my notification preferences (the kinds given; the others keep their value)',
        ...change,
        body: z.object({ preferences: z.array(preference).min(1).max(NOTIFICATION_KINDS.length) }).strict(),
        response: { 200: preferences, 400: problem, 429: problem, ...errors },
      },
    },
    async (request) => ({ preferences: await setPreferences(deps.stores, await request.actor(), request.body.preferences) }),
  );
}
