import {
  forecastArrivals,
  localDayOf,
  localTimeline,
  localWeekdayOf,
  recommendStaffing,
  type ServiceStandard,
  type TCallingPolicyConfig,
  type TStaffingPlanQuery,
  type TStaffingPlanResponse,
  type Visit,
} from '@serviceloop/domain';
import { gte } from 'drizzle-orm';
import type { ServerContext } from '../context.ts';
import { queueTickets } from '../db/schema-queue.ts';
import type { Actor } from '../identity/actor.ts';
import { type BranchInfo, branchInScope, branchPolicy, servicesOf } from './branch.ts';
import { branchHistory } from './history.ts';

/** How far back the branch's own tickets are read; imported history is read whole (up to the cap). */
const TICKET_DAYS = 182;
const MAX_ROWS = 200_000;
const DEFAULT_TARGET_S = 600;
const VIP_TARGET_S = 300;
/** Intervals outside the day whose arrivals are under 5% of the busiest one's are not staffed. */
const STRAY_SHARE = 0.05;

/** Calling-policy classes as visit-log priorities: lightest weight 0, upwards (as the export writes them). */
function priorityRanks(policy: TCallingPolicyConfig): Map<string, number> {
  const weights = [...new Set(policy.classes.map((c) => c.weight))].sort((a, b) => a - b);
  return new Map(policy.classes.map((c) => [c.id, weights.indexOf(c.weight)]));
}

/**
 * The branch's visits on its local timeline: imported history (visit-log CSV) and its own
 * finished tickets of the last half year, each up to MAX_ROWS of the latest.
 */
export function branchVisits(
  ctx: ServerContext,
  branch: BranchInfo,
  ranks: ReadonlyMap<string, number>,
): Promise<Visit[]> {
  const since = new Date(ctx.clock().getTime() - TICKET_DAYS * 86_400_000);
  return branchHistory(ctx, branch, ranks, {
    tickets: gte(queueTickets.arrivedAt, since),
    limit: MAX_ROWS,
  });
}

/**
 * Staffing plan of a branch for one weekday: arrivals per service and interval forecast from the
 * branch's history (mean over the dates of that weekday), and the counters to open per interval
 * so that `target`% of each service's customers are called within the service's target wait,
 * and VIPs (the calling policy's top class) within 5 minutes — Erlang C per interval, pooled
 * counters, each counter leading with a skill by offered load.
 */
export async function staffingPlan(
  ctx: ServerContext,
  actor: Actor,
  input: { readonly branchId: string } & TStaffingPlanQuery,
): Promise<TStaffingPlanResponse> {
  const branch = await branchInScope(ctx, actor, input.branchId);
  const [services, { policy }] = await Promise.all([
    servicesOf(ctx, branch.id),
    branchPolicy(ctx, branch.id),
  ]);
  const ranks = priorityRanks(policy.calling);
  const visits = await branchVisits(ctx, branch, ranks);
  const weekday = input.weekday ?? localWeekdayOf(localTimeline(ctx.clock(), branch.timeZone));
  const level = input.target / 100;
  const forecast = forecastArrivals(visits, { intervalMinutes: input.interval });

  // The branch's catalogue in its order, then services only the history knows, by code.
  const catalogue = services.filter((s) => s.active).map((s) => s.code);
  const codes = [
    ...catalogue,
    ...[...new Set(forecast.cells.filter((c) => c.weekday === weekday).map((c) => c.service))]
      .filter((c) => !catalogue.includes(c))
      .sort(),
  ];
  const targetOf = (code: string): number =>
    services.find((s) => s.code === code)?.targetWaitSeconds ?? DEFAULT_TARGET_S;
  const onDay = new Set(forecast.cells.filter((c) => c.weekday === weekday).map((c) => c.service));
  const standards: ServiceStandard[] = codes
    .filter((code) => onDay.has(code))
    .map((code) => ({
      name: `${code}: ${input.target}% ≤ ${Math.round(targetOf(code) / 60)} min`,
      service: code,
      minPriority: Number.NEGATIVE_INFINITY,
      targetSeconds: targetOf(code),
      level,
    }));
  const top = Math.max(0, ...ranks.values());
  if (top > 0) {
    standards.push({
      name: `VIP: ${input.target}% ≤ 5 min`,
      minPriority: top,
      targetSeconds: VIP_TARGET_S,
      level,
    });
  }
  const plan = recommendStaffing({ forecast, weekday, standards, strayShare: STRAY_SHARE });

  const arrivedAt = visits.map((v) => v.arrivedAt);
  const first = arrivedAt.length > 0 ? Math.min(...arrivedAt) : null;
  const last = arrivedAt.length > 0 ? Math.max(...arrivedAt) : null;
  const peak = plan.intervals.reduce<(typeof plan.intervals)[number] | undefined>(
    (best, i) => (best === undefined || i.counters > best.counters ? i : best),
    undefined,
  );
  return {
    branchId: branch.id,
    weekday,
    intervalMinutes: plan.intervalMinutes,
    targetLevel: level,
    history: {
      visits: visits.length,
      from: first === null ? null : localDayOf(first),
      to: last === null ? null : localDayOf(last),
      datesPerWeekday: Array.from({ length: 7 }, (_, w) => forecast.datesPerWeekday[w] ?? 0),
    },
    standards: plan.standards.map((s) => ({
      name: s.name,
      service: s.service ?? null,
      minPriority: Number.isFinite(s.minPriority) ? s.minPriority : null,
      targetSeconds: s.targetSeconds,
      level: s.level,
    })),
    services: codes.map((code) => {
      const info = services.find((s) => s.code === code);
      return {
        code,
        nameZh: info?.nameZh ?? null,
        nameEn: info?.nameEn ?? null,
        targetWaitSeconds: targetOf(code),
        arrivals: round1(plan.intervals.reduce((s, i) => s + (i.arrivalsByService[code] ?? 0), 0)),
        meanServiceSeconds:
          forecast.meanServiceS[code] === undefined ? null : round1(forecast.meanServiceS[code] as number),
        peakCounters: peak?.skillMix.find((m) => m.service === code)?.counters ?? 0,
      };
    }),
    intervals: plan.intervals.map((i) => ({
      slot: i.slot,
      slotStartMin: i.slotStartMin,
      arrivals: round1(i.arrivals),
      arrivalsByService: Object.fromEntries(
        Object.entries(i.arrivalsByService).map(([k, v]) => [k, round1(v)]),
      ),
      offeredLoad: round2(i.offeredLoad),
      counters: i.counters,
      occupancy: round2(i.occupancy),
      achieved: i.achieved.map((a) => ({ standard: a.standard, level: round4(a.level) })),
      skillMix: i.skillMix.map((m) => ({ service: m.service, counters: m.counters })),
    })),
    peakCounters: plan.peakCounters,
    counterHours: round1(plan.counterHours),
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
