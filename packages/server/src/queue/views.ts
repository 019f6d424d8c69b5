import {
  AppError,
  businessDayOf,
  type CounterView,
  peopleAhead,
  type TTicketStatusView,
  type TWaitEstimate,
} from '@serviceloop/domain';
import type { ServerContext } from '../context.ts';
import type { Actor } from '../identity/actor.ts';
import { type BranchInfo, branchInScope, publicBranch, type ServiceInfo, servicesOf } from './branch.ts';
import {
  type BranchSnapshot,
  branchSnapshot,
  policyTicketsFromRaw,
  type RawCounter,
  type TicketWithLine,
  ticketWithLine,
} from './fast.ts';
import { branchPredictions, type TicketPrediction } from './prediction.ts';
import { callingPolicyOf } from './service.ts';
import { type CounterRow, toTicket } from './store.ts';

/** Open counters as the calling policy sees them. */
function counterViews(counters: readonly CounterRow[]): CounterView[] {
  return counters.filter((c) => c.state === 'open').map((c) => ({ id: c.id, skills: c.skills }));
}

function countersFromRaw(raw: readonly RawCounter[]): CounterRow[] {
  return raw.map((c) => ({
    id: c.id,
    branchId: '',
    number: Number(c.n),
    name: c.name,
    skills: c.sk,
    state: c.st,
    pauseReason: null,
    staffId: null,
    currentTicketId: c.cur,
    stateChangedAt: new Date(0),
    createdAt: new Date(0),
    updatedAt: new Date(0),
  }));
}

export type TicketStatusView = TTicketStatusView;

/**
 * Public status of one ticket (by its unguessable id): position and predicted wait while it
 * waits, the counter once called. One query fetches the ticket with its branch's line and
 * counters; the prediction comes from the branch's prediction cache (prediction.ts), recomputed
 * for the whole line only when the line, the counters or the clock's 10 s bucket changed.
 */
export async function ticketStatus(ctx: ServerContext, ticketId: string): Promise<TicketStatusView> {
  const found = await ticketWithLine(ctx, ticketId);
  if (!found) throw new AppError('not_found', 'Ticket not found');
  return ticketStatusOf(ctx, found);
}

/** The status of a ticket read with its line (by ticketWithLine, or by the statement that issued it). */
export async function ticketStatusOf(ctx: ServerContext, found: TicketWithLine): Promise<TicketStatusView> {
  const { row } = found;
  const branch = await publicBranch(ctx, row.branchId);
  const services = await servicesOf(ctx, branch.id);
  const service = services.find((s) => s.code === row.serviceCode);
  const counters = countersFromRaw(found.counters);
  let position: { peopleAhead: number; estimate: TWaitEstimate | null } | undefined;
  if (row.status === 'waiting' && found.waiting) {
    const waiting = policyTicketsFromRaw(found.waiting);
    const nowMs = ctx.clock().getTime();
    const config = await callingPolicyOf(ctx, branch.id);
    if (row.businessDay === businessDayOf(nowMs, branch.timeZone)) {
      const predictions = await branchPredictions(ctx, {
        branch,
        businessDay: row.businessDay,
        config,
        waiting,
        counters: found.counters.map((c) => ({ id: c.id, skills: c.sk, state: c.st })),
        nowMs,
      });
      position = predictions.forTicket(row.id);
    } else {
      // Left over from an earlier day (nobody closed it): a place in that line, no prediction.
      const ahead = peopleAhead(config, waiting, row.id, counterViews(counters), nowMs);
      if (ahead !== undefined) position = { peopleAhead: ahead, estimate: null };
    }
  }
  const counter = row.counterId ? counters.find((c) => c.id === row.counterId) : undefined;
  return {
    ticket: toTicket(row),
    branchName: branch.name,
    branchNameEn: branch.nameEn,
    serviceNameZh: service?.nameZh ?? row.serviceCode,
    serviceNameEn: service?.nameEn ?? row.serviceCode,
    peopleAhead: position?.peopleAhead ?? null,
    estimate: position?.estimate ?? null,
    counterNumber: counter?.number ?? null,
    counterName: counter?.name ?? null,
  };
}

export interface CounterSummary {
  readonly id: string;
  readonly number: number;
  readonly name: string;
  readonly state: string;
  readonly pauseReason: string | null;
  readonly skills: string[];
  readonly staffId: string | null;
  readonly currentTicketId: string | null;
  readonly currentNumber: string | null;
  readonly currentStatus: string | null;
}

export interface ServiceSummary {
  readonly code: string;
  readonly prefix: string;
  readonly nameZh: string;
  readonly nameEn: string;
  readonly targetWaitSeconds: number;
  readonly active: boolean;
  readonly waiting: number;
  readonly longestWaitSeconds: number;
  /** What a customer drawing a ticket for this service now (default class) would be told. */
  readonly estimate: TWaitEstimate;
  /** …and how many people the kiosk would say are ahead of them. */
  readonly newArrivalAhead: number;
}

export interface LobbyOverview {
  readonly branchId: string;
  readonly branchName: string;
  readonly businessDay: string;
  readonly at: string;
  readonly services: ServiceSummary[];
  readonly counters: CounterSummary[];
  readonly waitingTotal: number;
}

/** The lobby's view of a branch; `withRecent` also reads the day's last calls (for the board). */
async function summarise(
  ctx: ServerContext,
  branch: BranchInfo,
  withRecent = false,
): Promise<LobbyOverview & { readonly recent: BranchSnapshot['recent'] }> {
  const now = ctx.clock().getTime();
  const day = businessDayOf(now, branch.timeZone);
  const services = await servicesOf(ctx, branch.id); // first: a new branch gets its counters here
  const [snapshot, config] = await Promise.all([
    branchSnapshot(ctx, branch.id, day, withRecent),
    callingPolicyOf(ctx, branch.id),
  ]);
  const { waiting } = snapshot;
  const counters = snapshot.counters.map((c) => c.row);
  const current = new Map(
    snapshot.counters.map((c) => [c.row.id, { number: c.currentNumber, status: c.currentStatus }]),
  );
  const predictions = await branchPredictions(ctx, {
    branch,
    businessDay: day,
    config,
    waiting,
    counters,
    nowMs: now,
  });
  const summaries = services.map((s: ServiceInfo): ServiceSummary => {
    const mine = waiting.filter((t) => t.serviceCode === s.code);
    const oldest = mine.reduce((m, t) => Math.min(m, t.arrivedAtMs), now);
    const arrival: TicketPrediction = predictions.forNewArrival(s.code);
    return {
      code: s.code,
      prefix: s.prefix,
      nameZh: s.nameZh,
      nameEn: s.nameEn,
      targetWaitSeconds: s.targetWaitSeconds,
      active: s.active,
      waiting: mine.length,
      longestWaitSeconds: Math.max(0, Math.round((now - oldest) / 1000)),
      estimate: arrival.estimate,
      newArrivalAhead: arrival.peopleAhead,
    };
  });
  return {
    branchId: branch.id,
    branchName: branch.name,
    businessDay: day,
    at: new Date(now).toISOString(),
    services: summaries,
    counters: counters.map((c) => {
      const t = c.currentTicketId ? current.get(c.id) : undefined;
      return {
        id: c.id,
        number: c.number,
        name: c.name,
        state: c.state,
        pauseReason: c.pauseReason,
        skills: c.skills,
        staffId: c.staffId,
        currentTicketId: c.currentTicketId,
        currentNumber: t?.number ?? null,
        currentStatus: t?.status ?? null,
      };
    }),
    waitingTotal: waiting.length,
    recent: snapshot.recent,
  };
}

/** Lobby manager: every service's waiting count, longest wait, estimate; counters and their state. */
export async function lobbyOverview(
  ctx: ServerContext,
  actor: Actor,
  branchId: string,
): Promise<LobbyOverview> {
  const { recent, ...overview } = await summarise(ctx, await branchInScope(ctx, actor, branchId));
  return overview;
}

export interface RecentCall {
  readonly ticketId: string;
  readonly number: string;
  readonly serviceCode: string;
  readonly counterNumber: number | null;
  readonly calledAt: string;
  readonly status: string;
}

export interface DisplayState {
  readonly branchId: string;
  readonly branchName: string;
  readonly at: string;
  readonly counters: {
    readonly number: number;
    readonly name: string;
    readonly state: string;
    readonly currentNumber: string | null;
  }[];
  readonly recentCalls: RecentCall[];
  readonly waiting: {
    readonly code: string;
    readonly nameZh: string;
    readonly nameEn: string;
    readonly waiting: number;
    /** Predicted wait of a ticket drawn now for this service (default class), with its interval. */
    readonly estimate: TWaitEstimate;
  }[];
}

/** What a lobby display board shows: no personal data, only numbers, counters and counts. */
export async function displayState(ctx: ServerContext, branchId: string): Promise<DisplayState> {
  const branch = await publicBranch(ctx, branchId);
  const overview = await summarise(ctx, branch, true);
  const counterNo = new Map(overview.counters.map((c) => [c.id, c.number]));
  const recent = overview.recent;
  return {
    branchId: branch.id,
    branchName: branch.name,
    at: overview.at,
    counters: overview.counters.map((c) => ({
      number: c.number,
      name: c.name,
      state: c.state,
      currentNumber: c.currentStatus === 'called' || c.currentStatus === 'serving' ? c.currentNumber : null,
    })),
    recentCalls: recent.map((r) => ({
      ticketId: r.id,
      number: r.number,
      serviceCode: r.serviceCode,
      counterNumber: r.counterId ? (counterNo.get(r.counterId) ?? null) : null,
      calledAt: (r.calledAt as Date).toISOString(),
      status: r.status,
    })),
    waiting: overview.services.map((s) => ({
      code: s.code,
      nameZh: s.nameZh,
      nameEn: s.nameEn,
      waiting: s.waiting,
      estimate: s.estimate,
    })),
  };
}
