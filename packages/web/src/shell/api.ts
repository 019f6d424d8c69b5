import type { TFunction } from 'i18next';
import { formatDateTime } from './format.ts';

export interface FieldIssue {
  readonly path: string;
  readonly message: string;
  /** A rule id and its parameters, when the server names the broken rule (for a localised message). */
  readonly rule?: string;
  readonly params?: Readonly<Record<string, string | number | null>>;
}

/** A refused request, from an application/problem+json answer (or a network failure). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly issues: readonly FieldIssue[];
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(
    status: number,
    code: string,
    detail: string,
    issues: readonly FieldIssue[] = [],
    extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.issues = issues;
    this.extra = extra;
  }
}

let csrfToken: string | undefined;
let sessionLost: ((code: string) => void) | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when an authenticated request answers 401: the shell goes back to the sign-in page. */
export function onSessionLost(handler: ((code: string) => void) | undefined): void {
  sessionLost = handler;
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  readonly query?: Query;
  readonly json?: unknown;
  readonly csv?: string;
  readonly signal?: AbortSignal;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toIssues(value: unknown): FieldIssue[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((i) =>
    isRecord(i) && typeof i.path === 'string' && typeof i.message === 'string'
      ? [
          {
            path: i.path,
            message: i.message,
            ...(typeof i.rule === 'string' ? { rule: i.rule } : {}),
            ...(isRecord(i.params) ? { params: i.params as Record<string, string | number | null> } : {}),
          },
        ]
      : [],
  );
}

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ''}`;
}

/** fetch for the API: cookie session, CSRF header on every change, problem+json → ApiError. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: string | undefined;
  if (options.csv !== undefined) {
    headers['content-type'] = 'text/csv';
    body = options.csv;
  } else if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network', error instanceof Error ? error.message : String(error));
  }
  const text = await response.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    const problem = isRecord(data) ? data : {};
    const code =
      typeof problem.code === 'string' ? problem.code : response.status >= 500 ? 'internal' : 'unknown';
    const detail = typeof problem.detail === 'string' ? problem.detail : response.statusText;
    const { code: _c, detail: _d, issues, ...extra } = problem;
    const error = new ApiError(response.status, code, detail, toIssues(issues), extra);
    if (response.status === 401 && path !== '/auth/sign-in' && path !== '/auth/me') sessionLost?.(code);
    throw error;
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) =>
    request<T>('GET', path, { query, ...(signal ? { signal } : {}) }),
  post: <T>(path: string, json?: unknown, query?: Query) =>
    request<T>('POST', path, { json: json ?? {}, ...(query ? { query } : {}) }),
  patch: <T>(path: string, json: unknown) => request<T>('PATCH', path, { json }),
  postCsv: <T>(path: string, csv: string, query?: Query) =>
    request<T>('POST', path, { csv, ...(query ? { query } : {}) }),
};

const knownCodes = [
  'validation_failed',
  'malformed_request',
  'payload_too_large',
  'unsupported_media_type',
  'unauthenticated',
  'invalid_credentials',
  'account_locked',
  'session_expired',
  'csrf_failed',
  'forbidden',
  'not_found',
  'conflict',
  'invalid_state',
  'idempotency_conflict',
  'rate_limited',
  'import_rejected',
  'internal',
  'network',
] as const;
type KnownCode = (typeof knownCodes)[number];
function isKnown(code: string): code is KnownCode {
  return (knownCodes as readonly string[]).includes(code);
}

/** Codes whose server detail says more than the generic sentence (which record, which rule). */
const specificDetail = new Set([
  'validation_failed',
  'conflict',
  'invalid_state',
  'forbidden',
  'malformed_request',
]);

/** A readable, localised headline for any error, with the server's detail when it adds something. */
export function describeError(error: unknown, t: TFunction): { title: string; detail?: string } {
  if (!(error instanceof ApiError)) {
    return { title: t('problem.unknown'), detail: error instanceof Error ? error.message : String(error) };
  }
  if (error.code === 'account_locked' && typeof error.extra.lockedUntil === 'string') {
    const time = formatDateTime(error.extra.lockedUntil, document.documentElement.lang);
    return { title: t('problem.account_locked_until', { time }), detail: error.detail };
  }
  const title = isKnown(error.code) ? t(`problem.${error.code}`) : error.detail || t('problem.unknown');
  const showDetail =
    !isKnown(error.code) || specificDetail.has(error.code) || error.code === 'account_locked';
  return showDetail && error.detail && error.detail !== title
    ? { title, detail: t('problem.serverSays', { detail: error.detail }) }
    : { title };
}

/** Field issues keyed by form field (the server says `body.name`; the form knows `name`). */
export function fieldErrors(error: unknown): { name: string; errors: string[] }[] {
  if (!(error instanceof ApiError)) return [];
  const byField = new Map<string, string[]>();
  for (const issue of error.issues) {
    const name = issue.path.replace(/^(body|query|params)\./, '').split('.')[0] ?? issue.path;
    byField.set(name, [...(byField.get(name) ?? []), issue.message]);
  }
  return [...byField].map(([name, errors]) => ({ name, errors }));
}
