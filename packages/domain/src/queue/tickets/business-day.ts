import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';

/** A business day as the branch's local calendar date, `YYYY-MM-DD`. */
export const ZBusinessDay = z.iso.date();
export type TBusinessDay = z.infer<typeof ZBusinessDay>;

export interface BusinessDayOptions {
  /**
   * Local wall-clock time at which a new business day starts, minutes after midnight (default 0).
   * A branch open past midnight (e.g. airport branches) sets this so its night stays one day.
   */
  readonly cutoverMinutes?: number;
}

/**
 * The business day an instant belongs to in the branch's IANA time zone. Ticket sequences
 * restart with each business day, so this decides when A001 comes round again; it is computed
 * from the branch's wall clock, never the server's.
 *
 * Every queue request asks this, so the answer is remembered per zone and cutover together with
 * the day's instant range; an instant inside it gets the same day without a time-zone
 * conversion. Only days whose range has one UTC offset throughout are remembered (on a DST
 * change day the wall clock jumps, and each call computes afresh).
 */
export function businessDayOf(
  epochMs: number,
  timeZone: string,
  options: BusinessDayOptions = {},
): TBusinessDay {
  const key = `${timeZone}|${options.cutoverMinutes ?? 0}`;
  const hit = remembered.get(key);
  if (hit && epochMs >= hit.startMs && epochMs < hit.endMs) return hit.day;
  const day = computeBusinessDay(epochMs, timeZone, options);
  const range = businessDayRange(day, timeZone, options);
  if (
    epochMs >= range.startMs &&
    epochMs < range.endMs &&
    offsetAt(range.startMs, timeZone) === offsetAt(range.endMs - 1, timeZone)
  ) {
    if (remembered.size >= 1000) remembered.clear();
    remembered.set(key, { day, ...range });
  }
  return day;
}

const remembered = new Map<string, { day: TBusinessDay; startMs: number; endMs: number }>();

const offsetAt = (epochMs: number, timeZone: string) =>
  Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone).offsetNanoseconds;

function computeBusinessDay(epochMs: number, timeZone: string, options: BusinessDayOptions): TBusinessDay {
  const local = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone);
  const cutover = options.cutoverMinutes ?? 0;
  // Compare wall-clock time, not elapsed time, so DST shifts never move the cutover.
  const minuteOfDay = local.hour * 60 + local.minute;
  const date = local.toPlainDate();
  return (minuteOfDay < cutover ? date.subtract({ days: 1 }) : date).toString();
}

/**
 * The half-open instant range [startMs, endMs) of a business day in a zone: 24 h long on
 * ordinary days, 23 or 25 h across a DST change.
 */
export function businessDayRange(
  day: TBusinessDay,
  timeZone: string,
  options: BusinessDayOptions = {},
): { readonly startMs: number; readonly endMs: number } {
  const cutover = options.cutoverMinutes ?? 0;
  const plainTime = new Temporal.PlainTime(Math.floor(cutover / 60), cutover % 60);
  const date = Temporal.PlainDate.from(day);
  const startMs = date.toZonedDateTime({ timeZone, plainTime }).epochMilliseconds;
  const endMs = date.add({ days: 1 }).toZonedDateTime({ timeZone, plainTime }).epochMilliseconds;
  return { startMs, endMs };
}
