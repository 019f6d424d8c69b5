import type { Permission } from '@serviceloop/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Actor } from '../identity/actor.ts';

/** Who may call a route: a permission, any signed-in user, or everybody (kiosk, sign-in, health). */
export type Access = Permission | 'authenticated' | 'public';

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<B, Q, P> {
  readonly body: B;
  readonly query: Q;
  readonly params: P;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  /** The signed-in user; undefined only on public routes. */
  readonly actor: Actor | undefined;
}

export interface RouteSpec<
  B extends Schema | undefined,
  Q extends Schema | undefined,
  P extends Schema | undefined,
  R extends Schema | undefined,
> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly access: Access;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly body?: B;
  readonly query?: Q;
  readonly params?: P;
  readonly response?: R;
  /** Status of a successful response; 200 by default. */
  readonly status?: number;
  /** Content types accepted for the body besides JSON (e.g. text/csv). */
  readonly rawBody?: 'text/csv';
  /** Per-route rate limit (requests per minute per IP) for public endpoints. */
  readonly rateLimitPerMinute?: number;
  readonly handler: (
    ctx: RouteContext<Out<B>, Out<Q>, Out<P>>,
  ) => Promise<Out<R> | undefined> | Out<R> | undefined;
}

export type AnyRoute = RouteSpec<
  Schema | undefined,
  Schema | undefined,
  Schema | undefined,
  Schema | undefined
>;

/** Declares a route. Access is a required field: a route without one cannot be written. */
export function defineRoute<
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
  R extends Schema | undefined = undefined,
>(spec: RouteSpec<B, Q, P, R>): AnyRoute {
  return spec as unknown as AnyRoute;
}
