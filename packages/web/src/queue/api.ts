import type {
  TBranchQueuePolicy,
  TDisplayNotices,
  TIssueTicketRequest,
  TIssueTicketResponse,
  TNotice,
  TTicket,
  TTicketStatusView,
  TWaitEstimate,
} from '@serviceloop/domain';
import type { TFunction } from 'i18next';
import { ApiError, buildUrl, request } from '../shell/api.ts';

export type { TIssueTicketRequest as IssueTicketRequest, TTicket as Ticket, TWaitEstimate as WaitEstimate };
export type IssueTicketResponse = TIssueTicketResponse;

export const TicketStatusList = ['waiting', 'called', 'serving', 'served', 'no_show', 'abandoned'] as const;
export type TicketStatus = (typeof TicketStatusList)[number];
export const FinishOutcomeList = ['completed', 'referred', 'not_completed'] as const;
export type FinishOutcome = (typeof FinishOutcomeList)[number];
export type CounterState = 'open' | 'paused' | 'closed';

export interface TicketDetail extends TTicket {
  readonly walkUp: boolean;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly outcome: string | null;
  readonly staffId: string | null;
  readonly transferCount: number;
  readonly originalServiceCode: string;
  readonly triageNote: string | null;
  readonly assistance: string | null;
}

export interface QueueService {
  readonly code: string;
  readonly prefix: string;
  readonly nameZh: string;
  readonly nameEn: string;
  readonly targetWaitSeconds: number;
  readonly active: boolean;
}

export interface KioskInfo {
  readonly branchId: string;
  readonly branchName: string;
  readonly branchNameEn: string | null;
  readonly services: readonly QueueService[];
}

export type TicketStatusView = TTicketStatusView;

export interface Counter {
  readonly id: string;
  readonly branchId: string;
  readonly number: number;
  readonly name: string;
  readonly skills: readonly string[];
  readonly state: CounterState;
  readonly pauseReason: string | null;
  readonly staffId: string | null;
  readonly currentTicketId: string | null;
}

export interface LobbyCounter {
  readonly id: string;
  readonly number: number;
  readonly name: string;
  readonly state: string;
  readonly pauseReason: string | null;
  readonly skills: readonly string[];
  readonly staffId: string | null;
  readonly currentTicketId: string | null;
  readonly currentNumber: string | null;
  readonly currentStatus: string | null;
}

export interface LobbyService extends QueueService {
  readonly waiting: number;
  readonly longestWaitSeconds: number;
  readonly estimate: TWaitEstimate;
}

export interface LobbyOverview {
  readonly branchId: string;
  readonly branchName: string;
  readonly businessDay: string;
  readonly at: string;
  readonly waitingTotal: number;
  readonly services: readonly LobbyService[];
  readonly counters: readonly LobbyCounter[];
}

export interface DisplayState {
  readonly branchId: string;
  readonly branchName: string;
  readonly at: string;
  readonly counters: readonly {
    readonly number: number;
    readonly name: string;
    readonly state: string;
    readonly currentNumber: string | null;
  }[];
  readonly recentCalls: readonly {
    readonly ticketId: string;
    readonly number: string;
    readonly serviceCode: string;
    readonly counterNumber: number | null;
    readonly calledAt: string;
    readonly status: string;
  }[];
  readonly waiting: readonly {
    readonly code: string;
    readonly nameZh: string;
    readonly nameEn: string;
    readonly waiting: number;
  }[];
}

export interface CallEvent {
  readonly ticketId: string;
  readonly number: string;
  readonly serviceCode: string;
  readonly counterNumber: number | null;
  readonly recall: boolean;
  readonly occurredAt: string;
}

export function isTicketStatus(value: string): value is TicketStatus {
  return (TicketStatusList as readonly string[]).includes(value);
}

export function isCounterState(value: string): value is CounterState {
  return value === 'open' || value === 'paused' || value === 'closed';
}

/** A service's name in the UI language. */
export function serviceName(
  service: { readonly nameZh: string; readonly nameEn: string } | undefined,
  locale: string,
  fallback = '',
): string {
  if (!service) return fallback;
  return locale === 'en' ? service.nameEn : service.nameZh;
}

/** "about 12 min (6–22 min)" — always labelled as an estimate by the caller. */
export function formatEstimate(estimate: TWaitEstimate | null | undefined, t: TFunction): string {
  if (!estimate) return t('queue.noEstimate');
  const min = (s: number) => Math.max(0, Math.round(s / 60));
  const point = min(estimate.pointSeconds);
  const lower = min(estimate.lowerSeconds);
  const upper = min(estimate.upperSeconds);
  return upper > lower
    ? t('queue.estimateRange', { point, lower, upper })
    : t('queue.estimatePoint', { point });
}

/** 75 → "1 min 15 s", 30 → "30 s". */
export function formatDuration(seconds: number | null | undefined, t: TFunction): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return t('common.none');
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('queue.seconds', { n: s });
  return t('queue.minSec', { m: Math.floor(s / 60), s: s % 60 });
}

export function formatClock(iso: string | null | undefined, locale: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleTimeString(locale === 'en' ? 'en-GB' : 'zh-CN', { hour12: false });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How long the kiosk waits for an answer before retrying with the same Idempotency-Key. */
export const ISSUE_TIMEOUT_MS = 8_000;
const ISSUE_ATTEMPTS = 3;

/**
 * Draws a ticket. The Idempotency-Key is made once per customer attempt (the button press) and
 * reused by every retry after a timeout or a network failure, so the server never issues two.
 */
export async function issueTicket(
  branchId: string,
  body: TIssueTicketRequest,
  idempotencyKey: string,
  onRetry?: (attempt: number) => void,
): Promise<TIssueTicketResponse> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= ISSUE_ATTEMPTS; attempt++) {
    if (attempt > 1) onRetry?.(attempt);
    const controller = new AbortController();
    const timer = window.setTimeout(() => controller.abort(), ISSUE_TIMEOUT_MS);
    try {
      const response = await fetch(buildUrl(`/branches/${branchId}/tickets`), {
        method: 'POST',
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          'idempotency-key': idempotencyKey,
        },
        body: JSON.stringify(body),
        credentials: 'same-origin',
        signal: controller.signal,
      });
      const text = await response.text();
      const data: unknown = text ? JSON.parse(text) : undefined;
      if (response.ok) return data as TIssueTicketResponse;
      const problem = isRecord(data) ? data : {};
      const error = new ApiError(
        response.status,
        typeof problem.code === 'string' ? problem.code : 'unknown',
        typeof problem.detail === 'string' ? problem.detail : response.statusText,
      );
      // Only a server failure is worth retrying; a refusal (4xx) is final.
      if (response.status < 500) throw error;
      lastError = error;
    } catch (error) {
      if (error instanceof ApiError && error.status > 0 && error.status < 500) throw error;
      lastError =
        error instanceof ApiError
          ? error
          : new ApiError(0, 'network', error instanceof Error ? error.message : String(error));
    } finally {
      window.clearTimeout(timer);
    }
  }
  throw lastError;
}

/** The absolute address of a ticket's live status page (what the QR code encodes). */
export function statusPageUrl(ticketId: string): string {
  return `${window.location.origin}/ticket/${ticketId}`;
}

/** PUT through the shell's fetch wrapper (CSRF, problem+json). */
export function apiPut<T>(path: string, json: unknown): Promise<T> {
  return request<T>('PUT', path, { json });
}

// ---------------------------------------------------------------------------------------------
// Day KPIs (server-computed), queue settings, display notices.

export type {
  CounterKpis,
  DayKpis,
  KpiFigures,
  KpiTrend,
  ServiceKpis,
} from '@serviceloop/domain/queue/kpis';
export type { TBranchQueuePolicy as BranchQueuePolicy, TDisplayNotices as DisplayNotices, TNotice as Notice };

export interface QueueSettings {
  readonly branchId: string;
  readonly branchName: string;
  readonly branchNameEn: string | null;
  readonly services: readonly QueueService[];
  readonly policy: TBranchQueuePolicy;
  readonly version: number;
  readonly updatedAt: string | null;
  readonly updatedByName: string | null;
  readonly defaults: TBranchQueuePolicy;
}
