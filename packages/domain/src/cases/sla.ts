/**
 * Due-time computation for SLA clocks; the counting rules are documented on the schema in
 * sla-schema.ts and in this folder's README.
 */
import type { Temporal } from 'temporal-polyfill';
import { AppError } from '../shared/errors.ts';
import {
  closeOfBusiness,
  endOfLocalDay,
  isHoliday,
  isWorkingDay,
  type TBusinessCalendar,
  toPlainDate,
  workingInstantsOn,
} from './calendar.ts';
import { BUILT_IN_PRESETS } from './sla-presets.ts';
import type {
  CountingMode,
  DayEnd,
  RollOverRule,
  TAppliedExtension,
  TClockDefinition,
  TPause,
  TSlaPreset,
} from './sla-schema.ts';

export interface ComputeDueInput {
  /** A preset object (possibly edited by an administrator) or the name of a built-in preset. */
  readonly preset: TSlaPreset | string;
  /** The clock's name within the preset, e.g. 'decision' or 'summary_resolution'. */
  readonly clock: string;
  /** The event that starts the clock (receipt; for review clocks, the decision or review request). */
  readonly receivedAt: Date;
  readonly calendar: TBusinessCalendar;
  readonly pauses?: readonly TPause[];
  readonly extensions?: readonly TAppliedExtension[];
  /** Needed only when a pause is still open: it is then treated as ending now. */
  readonly now?: Date;
}

export interface DueDetail {
  readonly due: Date;
  /** Last counted local day (after roll-over) for day-based modes, else null. */
  readonly lastDay: string | null;
  /** Base amount plus applied extensions, in the clock's unit. */
  readonly amount: number;
  readonly mode: CountingMode;
}

/** Ten years of days: beyond that a calendar without working days is a configuration error. */
const MAX_DAYS = 3660;

export function resolveClock(preset: TSlaPreset | string, clock: string): TClockDefinition {
  const p = typeof preset === 'string' ? BUILT_IN_PRESETS[preset] : preset;
  if (!p) throw new AppError('not_found', `Unknown SLA preset ${String(preset)}`);
  const def = p.clocks.find((c) => c.name === clock);
  if (!def) {
    throw new AppError('not_found', `Preset ${p.name} has no clock ${clock}`, {
      details: { clocks: p.clocks.map((c) => c.name) },
    });
  }
  return def;
}

/** Due times of every clock of a preset, for the admin preview and the CLI. */
export function computePresetDues(
  input: Omit<ComputeDueInput, 'clock' | 'extensions'>,
): Array<{ clock: string; label: string; detail: DueDetail }> {
  const p = typeof input.preset === 'string' ? BUILT_IN_PRESETS[input.preset] : input.preset;
  if (!p) throw new AppError('not_found', `Unknown SLA preset ${String(input.preset)}`);
  return p.clocks.map((def) => ({
    clock: def.name,
    label: def.label,
    detail: computeClockDue({ ...input, definition: def }),
  }));
}

export function computeDue(input: ComputeDueInput): Date {
  return computeDueDetail(input).due;
}

export function computeDueDetail(input: ComputeDueInput): DueDetail {
  const def = resolveClock(input.preset, input.clock);
  return computeClockDue({
    definition: def,
    receivedAt: input.receivedAt,
    calendar: input.calendar,
    pauses: input.pauses ?? [],
    extensions: input.extensions ?? [],
    now: input.now,
  });
}

export interface ComputeClockDueInput {
  readonly definition: TClockDefinition;
  readonly receivedAt: Date;
  readonly calendar: TBusinessCalendar;
  readonly pauses?: readonly TPause[];
  readonly extensions?: readonly TAppliedExtension[];
  readonly now?: Date | undefined;
}

/** Same computation for an inline clock definition (policies may define their own clocks). */
export function computeClockDue(input: ComputeClockDueInput): DueDetail {
  const def = input.definition;
  const amount = def.amount + extensionAmount(def, input.extensions ?? []);
  if (Number.isNaN(input.receivedAt.getTime()))
    throw new AppError('validation_failed', 'receivedAt is not a valid date');
  const all = mergePauses(input.pauses ?? [], input.now);
  // A pause that begins at or after the breach cannot revive a breached clock. Pauses only ever
  // push the due time later, so admitting those that start before the current due time until
  // nothing changes reaches the least fixed point in at most one pass per pause.
  let admitted: Interval[] = [];
  let detail = dueWith(def, input, amount, admitted);
  for (;;) {
    const next = all.filter(([from]) => from < detail.due.getTime());
    if (next.length === admitted.length) return detail;
    admitted = next;
    detail = dueWith(def, input, amount, admitted);
  }
}

function dueWith(
  def: TClockDefinition,
  input: ComputeClockDueInput,
  amount: number,
  pauses: readonly Interval[],
): DueDetail {
  const start = input.receivedAt.getTime();

  switch (def.mode) {
    case 'hours': {
      const due = advanceCounted(elapsedSegments(start), pauses, Math.round(amount * 60) * 60_000);
      return { due: new Date(due), lastDay: null, amount, mode: def.mode };
    }
    case 'business_hours': {
      const due = advanceCounted(
        businessSegments(input.calendar, start),
        pauses,
        Math.round(amount * 60) * 60_000,
      );
      return { due: new Date(due), lastDay: null, amount, mode: def.mode };
    }
    case 'calendar_days':
    case 'weeks':
    case 'business_days': {
      if (!Number.isInteger(amount))
        throw new AppError('validation_failed', 'day-based clocks need whole units');
      const last = lastCountedDay(def, input.calendar, input.receivedAt, amount, pauses);
      const due =
        def.end === 'close_of_business'
          ? closeOfBusiness(input.calendar, last)
          : endOfLocalDay(input.calendar.timeZone, last);
      return { due, lastDay: last.toString(), amount, mode: def.mode };
    }
  }
}

/**
 * A clock's time limit in figures — what the reader's screen words in its own language, where the
 * definition's `label` is one configured text.
 */
export interface ClockPeriod {
  readonly mode: CountingMode;
  /** The base amount in the mode's unit (hour modes may be fractional). */
  readonly amount: number;
  readonly end: DayEnd;
  readonly rollOver: RollOverRule;
  /** Applied extensions, in the same unit (0 when none). */
  readonly extendedBy: number;
}

export function clockPeriod(def: TClockDefinition, applied: readonly TAppliedExtension[] = []): ClockPeriod {
  const ids = new Set(applied.map((a) => a.id));
  return {
    mode: def.mode,
    amount: def.amount,
    end: def.end,
    rollOver: def.rollOver,
    extendedBy: def.extensions.filter((e) => ids.has(e.id)).reduce((sum, e) => sum + e.amount, 0),
  };
}

function extensionAmount(def: TClockDefinition, applied: readonly TAppliedExtension[]): number {
  const seen = new Set<string>();
  let total = 0;
  for (const a of applied) {
    const ext = def.extensions.find((e) => e.id === a.id);
    if (!ext) throw new AppError('validation_failed', `Clock ${def.name} has no extension ${a.id}`);
    if (seen.has(a.id)) throw new AppError('validation_failed', `Extension ${a.id} applied twice`);
    if (ext.requiresApproval && !a.approvedBy) {
      throw new AppError('validation_failed', `Extension ${a.id} needs an approver`);
    }
    if (ext.requiresCustomerNotice && !a.customerNotifiedAt) {
      throw new AppError('validation_failed', `Extension ${a.id} needs the customer to be notified`);
    }
    seen.add(a.id);
    total += ext.amount;
  }
  return total;
}

type Interval = readonly [number, number];

/** Sorted, non-overlapping pause intervals in epoch ms; an open pause ends at `now`. */
export function mergePauses(pauses: readonly TPause[], now?: Date): Interval[] {
  const raw: Interval[] = [];
  for (const p of pauses) {
    let to = p.to?.getTime();
    if (to === undefined) {
      if (!now) throw new AppError('validation_failed', 'An open pause needs `now` to compute a due time');
      to = Math.max(now.getTime(), p.from.getTime());
    }
    if (to > p.from.getTime()) raw.push([p.from.getTime(), to]);
  }
  raw.sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of raw) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

function* elapsedSegments(from: number): Generator<Interval> {
  yield [from, Number.POSITIVE_INFINITY];
}

/** Working intervals from `from` onwards, clipped at `from`. */
export function* businessSegments(calendar: TBusinessCalendar, from: number): Generator<Interval> {
  let day = toPlainDate(calendar, new Date(from));
  for (let i = 0; i < MAX_DAYS; i++, day = day.add({ days: 1 })) {
    for (const [s, e] of workingInstantsOn(calendar, day)) {
      if (e <= from) continue;
      yield [Math.max(s, from), e];
    }
  }
  throw new AppError('validation_failed', `Calendar ${calendar.id} has no working time within ten years`);
}

/** Parts of a segment not covered by pauses. */
function* unpaused(seg: Interval, pauses: readonly Interval[]): Generator<Interval> {
  let cursor = seg[0];
  for (const [ps, pe] of pauses) {
    if (pe <= cursor) continue;
    if (ps >= seg[1]) break;
    if (ps > cursor) yield [cursor, ps];
    cursor = Math.max(cursor, pe);
    if (cursor >= seg[1]) return;
  }
  if (cursor < seg[1]) yield [cursor, seg[1]];
}

/** The instant at which `ms` of counted (segment, unpaused) time has run. */
export function advanceCounted(
  segments: Iterable<Interval>,
  pauses: readonly Interval[],
  ms: number,
): number {
  let remaining = ms;
  for (const seg of segments) {
    for (const [s, e] of unpaused(seg, pauses)) {
      if (e - s >= remaining) return s + remaining;
      remaining -= e - s;
    }
  }
  throw new AppError('internal', 'clock segments ended early');
}

/** Counted (segment, unpaused) time in [from, to). */
export function countedBetween(
  segments: Iterable<Interval>,
  pauses: readonly Interval[],
  to: number,
): number {
  let total = 0;
  for (const seg of segments) {
    if (seg[0] >= to) break;
    for (const [s, e] of unpaused([seg[0], Math.min(seg[1], to)], pauses)) total += e - s;
  }
  return total;
}

export function elapsedSegmentsFrom(from: number): Iterable<Interval> {
  return elapsedSegments(from);
}

/**
 * Day-based pauses work in whole local days: a pause from `from` to `to` removes the local
 * dates from the date of `from` up to, not including, the date of `to` from the count. So a
 * pause that starts and ends on one day removes nothing, and the day the clock resumes counts
 * (the customer answered that day and the bank can still work on it). Removing a day that
 * would not have counted anyway (a weekend in business-day mode) extends nothing.
 */
function pausedDates(calendar: TBusinessCalendar, pauses: readonly Interval[]): Set<string> {
  const out = new Set<string>();
  for (const [s, e] of pauses) {
    const last = toPlainDate(calendar, new Date(e));
    let d = toPlainDate(calendar, new Date(s));
    for (let i = 0; d.toString() < last.toString(); i++, d = d.add({ days: 1 })) {
      if (i > MAX_DAYS * 3) throw new AppError('validation_failed', 'pause is longer than thirty years');
      out.add(d.toString());
    }
  }
  return out;
}

function lastCountedDay(
  def: TClockDefinition,
  calendar: TBusinessCalendar,
  receivedAt: Date,
  amount: number,
  pauses: readonly Interval[],
): Temporal.PlainDate {
  const paused = pausedDates(calendar, pauses);
  const units = def.mode === 'weeks' ? amount * 7 : amount;
  const businessOnly = def.mode === 'business_days';
  let day = toPlainDate(calendar, receivedAt);
  let counted = 0;
  for (let guard = 0; counted < units; guard++) {
    if (guard > units + MAX_DAYS + paused.size) {
      throw new AppError('validation_failed', `Calendar ${calendar.id} has no working day within ten years`);
    }
    day = day.add({ days: 1 });
    if (paused.has(day.toString())) continue;
    if (businessOnly && !isWorkingDay(calendar, day)) continue;
    counted++;
  }
  return rollOver(def.rollOver, calendar, day);
}

/**
 * Civil Code art. 203: a period whose last day is a statutory rest day ends on the day after
 * it. 'rest_days' treats every non-working day of the calendar as such (weekends included,
 * as Chinese practice reads 法定休假日; a make-up Saturday is a working day and does not roll);
 * 'holidays' rolls only over listed public holidays.
 */
function rollOver(
  rule: RollOverRule,
  calendar: TBusinessCalendar,
  last: Temporal.PlainDate,
): Temporal.PlainDate {
  let day = last;
  for (let i = 0; i < MAX_DAYS; i++) {
    const rest =
      rule === 'rest_days' ? !isWorkingDay(calendar, day) : rule === 'holidays' && isHoliday(calendar, day);
    if (!rest) return day;
    day = day.add({ days: 1 });
  }
  throw new AppError('validation_failed', `Calendar ${calendar.id} has no working day within ten years`);
}
