import {
  AppError,
  businessDayOf,
  type DayKpis,
  type HourFigures,
  type KpiFigures,
  type KpiTrend,
  localTimeline,
  type TrendDay,
  WAIT_BUCKETS_MIN,
} from '@serviceloop/domain';
import { and, asc, between, eq } from 'drizzle-orm';
import type { ServerContext } from '../context.ts';
import { queueTickets } from '../db/schema-queue.ts';
import type { Actor } from '../identity/actor.ts';
import { branchInScope, servicesOf } from './branch.ts';
import { countersOf, type TicketRow } from './store.ts';

const seconds = (ms: number) => ms / 1000;
const round1 = (n: number) => Math.round(n * 10) / 10;

export function figuresOf(rows: readonly TicketRow[], targetOf: (serviceCode: string) => number): KpiFigures {
  const waits: number[] = [];
  let within = 0;
  const services: number[] = [];
  let served = 0;
  let abandoned = 0;
  let noShows = 0;
  let open = 0;
  let walkUps = 0;
  for (const r of rows) {
    if (r.walkUp) walkUps++;
    if (r.status === 'served') served++;
    else if (r.status === 'abandoned') abandoned++;
    else if (r.status === 'no_show') noShows++;
    else open++;
    const called = r.firstCalledAt ?? r.calledAt;
    if (!r.walkUp && called) {
      const wait = seconds(called.getTime() - r.arrivedAt.getTime());
      waits.push(wait);
      if (wait <= targetOf(r.serviceCode)) within++;
    }
    if (r.status === 'served' && r.startedAt && r.endedAt) {
      services.push(seconds(r.endedAt.getTime() - r.startedAt.getTime()));
    }
  }
  waits.sort((a, b) => a - b);
  const mean = (xs: readonly number[]) =>
    xs.length === 0 ? null : round1(xs.reduce((s, x) => s + x, 0) / xs.length);
  return {
    arrivals: rows.length - walkUps,
    walkUps,
    served,
    abandoned,
    noShows,
    open,
    meanWaitSeconds: mean(waits),
    p90WaitSeconds: waits.length === 0 ? null : round1(waits[Math.ceil(0.9 * waits.length) - 1] as number),
    maxWaitSeconds: waits.length === 0 ? null : round1(waits[waits.length - 1] as number),
    withinTargetPct: waits.length === 0 ? null : round1((100 * within) / waits.length),
    meanServiceSeconds: mean(services),
  };
}

function calledAtOf(r: TicketRow): Date | null {
  return r.firstCalledAt ?? r.calledAt;
}

function hoursOf(rows: readonly TicketRow[], timeZone: string): HourFigures[] {
  const byHour = new Map<number, { arrivals: number; served: number; waits: number[] }>();
  const hourOf = (d: Date) => new Date(localTimeline(d, timeZone)).getUTCHours();
  const slot = (h: number) => {
    let v = byHour.get(h);
    if (!v) {
      v = { arrivals: 0, served: 0, waits: [] };
      byHour.set(h, v);
    }
    return v;
  };
  for (const r of rows) {
    if (!r.walkUp) slot(hourOf(r.arrivedAt)).arrivals++;
    if (r.status === 'served' && r.endedAt) slot(hourOf(r.endedAt)).served++;
    const called = calledAtOf(r);
    if (!r.walkUp && called)
      slot(hourOf(called)).waits.push(seconds(called.getTime() - r.arrivedAt.getTime()));
  }
  return [...byHour.entries()]
    .sort(([a], [b]) => a - b)
    .map(([hour, v]) => ({
      hour,
      arrivals: v.arrivals,
      served: v.served,
      meanWaitSeconds:
        v.waits.length === 0 ? null : round1(v.waits.reduce((x, y) => x + y, 0) / v.waits.length),
    }));
}

function waitBucketsOf(rows: readonly TicketRow[]): number[] {
  const buckets = new Array<number>(WAIT_BUCKETS_MIN.length + 1).fill(0);
  for (const r of rows) {
    const called = calledAtOf(r);
    if (r.walkUp || !called) continue;
    const minutes = (called.getTime() - r.arrivedAt.getTime()) / 60_000;
    const found = WAIT_BUCKETS_MIN.findIndex((b) => minutes < b);
    const i = found === -1 ? WAIT_BUCKETS_MIN.length : found;
    buckets[i] = (buckets[i] ?? 0) + 1;
  }
  return buckets;
}

/** A business day's KPIs of a branch (default: today in the branch's zone). */
export async function dayKpis(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; day?: string | undefined },
): Promise<DayKpis> {
  const branch = await branchInScope(ctx, actor, input.branchId);
  const today = businessDayOf(ctx.clock().getTime(), branch.timeZone);
  const day = input.day ?? today;
  if (day > today) throw new AppError('validation_failed', 'No figures for a day that has not come yet');
  const [services, counters, rows] = await Promise.all([
    servicesOf(ctx, branch.id),
    countersOf(ctx.db, branch.id),
    ctx.db
      .select()
      .from(queueTickets)
      .where(and(eq(queueTickets.branchId, branch.id), eq(queueTickets.businessDay, day))),
  ]);
  const targets = new Map(services.map((s) => [s.code, s.targetWaitSeconds]));
  const targetOf = (code: string) => targets.get(code) ?? Number.POSITIVE_INFINITY;
  const known = new Set(services.map((s) => s.code));
  // A service that is no longer in the catalogue but had tickets that day still gets its row.
  const extra = [...new Set(rows.map((r) => r.serviceCode))].filter((c) => !known.has(c)).sort();
  return {
    branchId: branch.id,
    branchName: branch.name,
    branchNameEn: branch.nameEn,
    businessDay: day,
    at: ctx.clock().toISOString(),
    branch: figuresOf(rows, targetOf),
    services: [
      ...services.map((s) => ({
        code: s.code,
        nameZh: s.nameZh,
        nameEn: s.nameEn,
        targetWaitSeconds: s.targetWaitSeconds,
      })),
      ...extra.map((code) => ({ code, nameZh: code, nameEn: code, targetWaitSeconds: 0 })),
    ].map((s) => ({
      ...s,
      ...figuresOf(
        rows.filter((r) => r.serviceCode === s.code),
        targetOf,
      ),
    })),
    counters: counters.map((c) => ({
      counterId: c.id,
      number: c.number,
      name: c.name,
      ...figuresOf(
        rows.filter((r) => r.counterId === c.id),
        targetOf,
      ),
    })),
    hours: hoursOf(rows, branch.timeZone),
    waitBuckets: waitBucketsOf(rows),
  };
}

export const MAX_TREND_DAYS = 92;

export async function kpiTrend(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; from: string; to: string },
): Promise<KpiTrend> {
  const branch = await branchInScope(ctx, actor, input.branchId);
  if (input.to < input.from) throw new AppError('validation_failed', '`to` is before `from`');
  const span = (Date.parse(input.to) - Date.parse(input.from)) / 86_400_000 + 1;
  if (span > MAX_TREND_DAYS) {
    throw new AppError('validation_failed', `At most ${MAX_TREND_DAYS} days per trend`);
  }
  const [services, rows] = await Promise.all([
    servicesOf(ctx, branch.id),
    ctx.db
      .select()
      .from(queueTickets)
      .where(
        and(eq(queueTickets.branchId, branch.id), between(queueTickets.businessDay, input.from, input.to)),
      )
      .orderBy(asc(queueTickets.businessDay)),
  ]);
  const targets = new Map(services.map((s) => [s.code, s.targetWaitSeconds]));
  const targetOf = (code: string) => targets.get(code) ?? Number.POSITIVE_INFINITY;
  const byDay = new Map<string, TicketRow[]>();
  for (const r of rows) {
    const list = byDay.get(r.businessDay);
    if (list) list.push(r);
    else byDay.set(r.businessDay, [r]);
  }
  const days: TrendDay[] = [];
  for (let t = Date.parse(input.from); t <= Date.parse(input.to); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    days.push({ businessDay: day, ...figuresOf(byDay.get(day) ?? [], targetOf) });
  }
  return { branchId: branch.id, from: input.from, to: input.to, days };
}

const CSV_FIGURES = [
  'arrivals',
  'walkUps',
  'served',
  'abandoned',
  'noShows',
  'open',
  'meanWaitSeconds',
  'p90WaitSeconds',
  'maxWaitSeconds',
  'withinTargetPct',
  'meanServiceSeconds',
] as const satisfies readonly (keyof KpiFigures)[];

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The day's KPIs as CSV: one row for the branch, one per service and one per counter. Starts
 * with a byte-order mark so spreadsheet programs read the Chinese names as UTF-8.
 */
export function kpisCsv(k: DayKpis): string {
  const header = [
    'business_day',
    'level',
    'key',
    'name_zh',
    'name_en',
    'target_wait_seconds',
    ...CSV_FIGURES,
  ];
  const line = (level: string, key: string, zh: string, en: string, target: string, f: KpiFigures) =>
    [
      k.businessDay,
      level,
      key,
      zh,
      en,
      target,
      ...CSV_FIGURES.map((c) => (f[c] === null ? '' : String(f[c]))),
    ]
      .map(csvField)
      .join(',');
  const lines = [
    header.join(','),
    line('branch', k.branchId, k.branchName, '', '', k.branch),
    ...k.services.map((s) => line('service', s.code, s.nameZh, s.nameEn, String(s.targetWaitSeconds), s)),
    ...k.counters.map((c) => line('counter', String(c.number), c.name, '', '', c)),
  ];
  return `\uFEFF${lines.join('\n')}\n`;
}
