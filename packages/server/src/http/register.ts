import { AppError } from '@serviceloop/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ServerContext } from '../context.ts';
import type { Actor } from '../identity/actor.ts';
import { resolveSession } from '../identity/service.ts';
import { zodIssues } from './problem.ts';
import type { Access, AnyRoute } from './route.ts';

export const SESSION_COOKIE = 'sl_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Routes outside these prefixes are static files; everything under /api must declare its access. */
const GUARDED_PREFIX = '/api/';
const UNGUARDED_API_PREFIXES = ['/api/v1/docs'];

/**
 * Refuses, at start-up, any API route registered without an access declaration — including
 * routes added by plugins — so an unguarded endpoint cannot ship.
 */
export function installAccessGuard(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith(GUARDED_PREFIX)) return;
    if (UNGUARDED_API_PREFIXES.some((p) => route.url.startsWith(p))) return;
    if (!route.config?.access) {
      throw new Error(`Route ${String(route.method)} ${route.url} declares no access permission`);
    }
  });
}

async function actorOf(ctx: ServerContext, request: FastifyRequest): Promise<Actor | undefined> {
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return undefined;
  return resolveSession(ctx, token);
}

function parse<S extends z.ZodType>(schema: S | undefined, value: unknown, where: string): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new AppError('validation_failed', `The request ${where} is not valid`, {
      issues: zodIssues(result.error).map((i) => ({ ...i, path: `${where}.${i.path}` })),
    });
  }
  return result.data;
}

export function registerRoutes(app: FastifyInstance, ctx: ServerContext, routes: readonly AnyRoute[]): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      config: {
        access: route.access,
        ...(route.rateLimitPerMinute
          ? { rateLimit: { max: route.rateLimitPerMinute, timeWindow: 60_000 } }
          : {}),
      },
      handler: async (request, reply) => {
        const actor = await actorOf(ctx, request);
        if (route.access !== 'public') {
          if (!actor) throw new AppError('unauthenticated', 'Please sign in');
          if (route.access !== 'authenticated' && !actor.permissions.has(route.access)) {
            throw new AppError('forbidden', `This action needs the permission ${route.access}`);
          }
          if (UNSAFE.has(request.method) && request.headers[CSRF_HEADER] !== actor.csrfToken) {
            throw new AppError('csrf_failed', 'Missing or wrong CSRF token; reload the page');
          }
        }
        const params = parse(route.params, request.params, 'path');
        const query = parse(route.query, request.query, 'query');
        const body = parse(route.body, request.body ?? (route.body ? {} : undefined), 'body');
        const result = await route.handler({ body, query, params, request, reply, actor } as never);
        if (reply.sent) return reply;
        if (ctx.config.validateResponses && route.response && result !== undefined) {
          const checked = route.response.safeParse(result);
          if (!checked.success) {
            ctx.log.error(
              { route: `${route.method} ${route.url}`, issues: checked.error.issues },
              'response does not match its schema',
            );
            throw new AppError(
              'internal',
              `The response of ${route.method} ${route.url} does not match its schema`,
              {
                issues: zodIssues(checked.error),
              },
            );
          }
        }
        reply.status(route.status ?? (result === undefined ? 204 : 200));
        return result === undefined ? reply.send() : reply.send(result);
      },
    });
  }
}
