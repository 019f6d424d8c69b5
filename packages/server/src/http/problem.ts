import { AppError, type ErrorCode, ErrorCodes, type FieldIssue } from '@serviceloop/domain';
import type { FastifyError, FastifyInstance } from 'fastify';
import { ZodError } from 'zod';

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: ErrorCode;
  readonly detail: string;
  readonly instance?: string;
  readonly issues?: readonly FieldIssue[];
  readonly [key: string]: unknown;
}

export function zodIssues(error: ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
}

const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_request',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformed_request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_request',
};

/** Maps any thrown value to one problem+json document: the only place errors become HTTP. */
export function toProblem(error: unknown, instance?: string): { problem: Problem; internal: boolean } {
  let appError: AppError;
  let internal = false;
  if (error instanceof AppError) {
    appError = error;
  } else if (error instanceof ZodError) {
    appError = new AppError('validation_failed', 'The request is not valid', { issues: zodIssues(error) });
  } else {
    const fe = error as Partial<FastifyError> & { statusCode?: number };
    const mapped = fe.code ? fastifyCodes[fe.code] : undefined;
    if (mapped) {
      appError = new AppError(mapped, fe.message ?? mapped);
    } else if (fe.statusCode === 429) {
      appError = new AppError('rate_limited', 'Too many requests; try again shortly');
    } else if (
      error instanceof SyntaxError ||
      (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500)
    ) {
      appError = new AppError('malformed_request', fe.message ?? 'Malformed request');
    } else {
      internal = true;
      appError = new AppError('internal', 'An unexpected error occurred; it has been logged');
    }
  }
  const status = ErrorCodes[appError.code];
  const problem: Problem = {
    type: `https://serviceloop.dev/problems/${appError.code.replaceAll('_', '-')}`,
    title: appError.code.replaceAll('_', ' '),
    status,
    code: appError.code,
    detail: appError.message,
    ...(instance ? { instance } : {}),
    ...(appError.issues ? { issues: appError.issues } : {}),
    ...(appError.details ?? {}),
  };
  return { problem, internal };
}

export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const { problem, internal } = toProblem(error, request.url);
    if (internal) request.log.error({ err: error }, 'unhandled error');
    else request.log.info({ code: problem.code, status: problem.status }, 'request refused');
    if (problem.code === 'rate_limited') reply.header('retry-after', '60');
    return reply.status(problem.status).type('application/problem+json').send(problem);
  });
}

/**
 * Unknown paths: the web app routes on the client, so a GET outside /api gets index.html when the
 * app is served; everything else is a problem+json 404.
 */
export function installNotFoundHandler(app: FastifyInstance, spaIndex: boolean): void {
  app.setNotFoundHandler((request, reply) => {
    if (spaIndex && request.method === 'GET' && !request.url.startsWith('/api/'))
      return reply.sendFile('index.html');
    const { problem } = toProblem(
      new AppError('not_found', `No route ${request.method} ${request.url}`),
      request.url,
    );
    return reply.status(404).type('application/problem+json').send(problem);
  });
}
