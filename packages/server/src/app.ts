import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Clock } from '@serviceloop/domain';
import { sql } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import helmet from 'helmet';
import { z } from 'zod';
import { auditRoutes } from './audit/routes.ts';
import { registerCaseNotifications } from './cases/notify.ts';
import { caseRoutes } from './cases/routes.ts';
import type { Config } from './config.ts';
import type { ServerContext } from './context.ts';
import { customerRoutes } from './customers/routes.ts';
import type { Database } from './db/database.ts';
import { Dispatcher } from './events/outbox.ts';
import { buildOpenApi } from './http/openapi.ts';
import { installNotFoundHandler, installProblemHandlers } from './http/problem.ts';
import { installAccessGuard, registerRoutes } from './http/register.ts';
import { type AnyRoute, defineRoute } from './http/route.ts';
import { identityRoutes } from './identity/routes.ts';
import { notificationRoutes } from './notifications/routes.ts';
import { orgRoutes } from './org/routes.ts';
import { closePredictions } from './queue/prediction.ts';
import { queueRoutes } from './queue/routes.ts';
import { staffingRoutes } from './queue/staffing-routes.ts';
import { closeDisplayStreams } from './queue/stream.ts';

export const VERSION = '0.1.0';

const here = dirname(fileURLToPath(import.meta.url));
export const WEB_DIST = resolve(here, '../../web/dist');

export interface AppOptions {
  readonly database: Database;
  readonly config: Config;
  readonly clock: Clock;
  /** Extra route groups (later contexts plug in here). */
  readonly extraRoutes?: (ctx: ServerContext) => AnyRoute[];
  readonly serveWeb?: boolean;
}

export interface App {
  readonly fastify: FastifyInstance;
  readonly ctx: ServerContext;
  readonly routes: readonly AnyRoute[];
}

function systemRoutes(ctx: ServerContext, openapi: () => unknown): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/health',
      access: 'public',
      summary: 'Liveness and database reachability',
      tags: ['system'],
      response: z.object({ status: z.enum(['ok', 'degraded']), database: z.string(), version: z.string() }),
      handler: async ({ reply }) => {
        try {
          await ctx.db.execute(sql`select 1`);
          return { status: 'ok' as const, database: ctx.database.kind, version: VERSION };
        } catch {
          reply.status(503);
          return { status: 'degraded' as const, database: ctx.database.kind, version: VERSION };
        }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/openapi.json',
      access: 'public',
      summary: 'This API as OpenAPI 3.1',
      tags: ['system'],
      handler: () => openapi() as undefined,
    }),
  ];
}

export async function buildApp(options: AppOptions): Promise<App> {
  const fastify = Fastify({
    logger:
      options.config.logLevel === 'silent'
        ? false
        : { level: options.config.logLevel, redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]'] },
    bodyLimit: 1024 * 1024,
    trustProxy: true,
    ajv: { customOptions: { removeAdditional: false } },
  });
  const dispatcher = new Dispatcher(options.database, options.clock, (error, where) =>
    fastify.log.error(
      { err: error, subscriber: where.subscriber, eventId: where.event?.eventId },
      'event handler failed',
    ),
  );
  const ctx: ServerContext = {
    database: options.database,
    db: options.database.db,
    clock: options.clock,
    dispatcher,
    config: options.config,
    log: fastify.log,
  };

  // In-app notifications of case events (warnings, escalations, assignments, approvals…).
  registerCaseNotifications(ctx);
  installProblemHandlers(fastify);
  // Open display-board streams would otherwise hold close() (and a graceful shutdown) forever.
  fastify.addHook('preClose', async () => closeDisplayStreams(ctx));
  fastify.addHook('onClose', async () => closePredictions(ctx)); // ends the learning worker thread
  installAccessGuard(fastify);
  // helmet's middleware built once: @fastify/helmet builds a new one on every request (its CSP
  // directives parsed again each time), which was 4 % of a queue request's server time.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        // Only behind HTTPS: on a plain-HTTP branch LAN it would break every asset request.
        upgradeInsecureRequests: options.config.cookieSecure ? [] : null,
      },
    },
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (error?: unknown) =>
      done(error instanceof Error ? error : undefined),
    );
  });
  await fastify.register(cookie);
  await fastify.register(rateLimit, { global: false });
  fastify.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: 20 * 1024 * 1024 },
    (_req, body, done) => done(null, body),
  );

  const routes: AnyRoute[] = [];
  let openapi: unknown;
  routes.push(
    ...systemRoutes(ctx, () => openapi),
    ...identityRoutes(ctx),
    ...orgRoutes(ctx),
    ...customerRoutes(ctx),
    ...auditRoutes(ctx),
    ...queueRoutes(ctx),
    ...staffingRoutes(ctx),
    ...caseRoutes(ctx),
    ...notificationRoutes(ctx),
    ...(options.extraRoutes?.(ctx) ?? []),
  );
  openapi = buildOpenApi(routes, VERSION);
  await fastify.register(async (api) => registerRoutes(api, ctx, routes));
  await fastify.register(swagger, { mode: 'static', specification: { document: openapi as never } });
  await fastify.register(swaggerUi, { routePrefix: '/api/v1/docs' });

  const serveWeb = options.serveWeb !== false && existsSync(join(WEB_DIST, 'index.html'));
  if (serveWeb) await fastify.register(fastifyStatic, { root: WEB_DIST, wildcard: false });
  installNotFoundHandler(fastify, serveWeb);
  return { fastify, ctx, routes };
}
