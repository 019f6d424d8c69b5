import { Permissions, Roles, ZSignInRequest } from '@serviceloop/domain';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { SESSION_COOKIE } from '../http/register.ts';
import { type AnyRoute, defineRoute } from '../http/route.ts';
import type { Actor } from './actor.ts';
import { signIn, signOut } from './service.ts';

const ZMe = z.object({
  userId: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  orgUnitId: z.uuid(),
  roles: z.array(z.enum(Roles)),
  permissions: z.array(z.enum(Permissions)),
  locale: z.string(),
  csrfToken: z.string(),
});

function me(actor: Actor): z.infer<typeof ZMe> {
  return {
    userId: actor.userId,
    username: actor.username,
    displayName: actor.displayName,
    orgUnitId: actor.orgUnitId,
    roles: [...actor.roles],
    permissions: [...actor.permissions],
    locale: actor.locale,
    csrfToken: actor.csrfToken,
  };
}

export function identityRoutes(ctx: ServerContext): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      access: 'public',
      rateLimitPerMinute: 20,
      summary: 'Sign in; sets the httpOnly session cookie and returns the CSRF token',
      tags: ['identity'],
      body: ZSignInRequest,
      response: ZMe,
      handler: async ({ body, request, reply }) => {
        const result = await signIn(ctx, {
          ...body,
          ip: request.ip,
          userAgent: request.headers['user-agent'],
        });
        reply.setCookie(SESSION_COOKIE, result.token, {
          httpOnly: true,
          sameSite: 'strict',
          secure: ctx.config.cookieSecure,
          path: '/',
          maxAge: 12 * 3600,
        });
        return me(result.actor);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/sign-out',
      access: 'authenticated',
      summary: 'Sign out: ends the session',
      tags: ['identity'],
      handler: async ({ actor, reply }) => {
        if (actor) await signOut(ctx, actor);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return undefined;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/auth/me',
      access: 'authenticated',
      summary: 'The signed-in user, roles, permissions and CSRF token',
      tags: ['identity'],
      response: ZMe,
      handler: ({ actor }) => me(actor as Actor),
    }),
  ];
}
