import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { type AnyRoute, defineRoute } from '../http/route.ts';
import type { Actor } from '../identity/actor.ts';
import { listNotifications, markAllRead, markRead, unreadCount } from './service.ts';

const ZNotification = z.object({
  id: z.uuid(),
  type: z.string(),
  aggregateType: z.string(),
  aggregateId: z.string(),
  data: z.record(z.string(), z.unknown()),
  occurredAt: z.string(),
  readAt: z.string().nullable(),
});

/** The signed-in user's own notification inbox (in-app channel). */
export function notificationRoutes(ctx: ServerContext): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/notifications',
      access: 'authenticated',
      summary: 'My notifications, newest first (SLA warnings, escalations, assignments, approvals, ratings)',
      tags: ['notifications'],
      query: z.strictObject({
        unread: z
          .enum(['true', 'false'])
          .transform((v) => v === 'true')
          .optional(),
        before: z.iso.datetime({ offset: true }).optional(),
        limit: z.coerce.number().int().min(1).max(100).default(20),
      }),
      response: z.object({ items: z.array(ZNotification), unread: z.number().int() }),
      handler: ({ actor, query }) => listNotifications(ctx, actor as Actor, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/notifications/unread-count',
      access: 'authenticated',
      summary: 'How many of my notifications are unread (the bell in the header)',
      tags: ['notifications'],
      response: z.object({ unread: z.number().int() }),
      handler: async ({ actor }) => ({ unread: await unreadCount(ctx, actor as Actor) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/notifications/:id/read',
      access: 'authenticated',
      summary: 'Mark one of my notifications read (someone else’s is not found)',
      tags: ['notifications'],
      params: z.strictObject({ id: z.uuid() }),
      body: z.strictObject({}),
      response: ZNotification,
      handler: ({ actor, params }) => markRead(ctx, actor as Actor, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/notifications/read-all',
      access: 'authenticated',
      summary: 'Mark all my notifications read',
      tags: ['notifications'],
      body: z.strictObject({}),
      response: z.object({ marked: z.number().int() }),
      handler: ({ actor }) => markAllRead(ctx, actor as Actor),
    }),
  ];
}
