import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { businessDayOf } from './business-day.ts';

/** The definition, computed afresh every time (what the remembered answer must agree with). */
function reference(epochMs: number, timeZone: string, cutoverMinutes: number): string {
  const local = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone);
  const date = local.toPlainDate();
  return (local.hour * 60 + local.minute < cutoverMinutes ? date.subtract({ days: 1 }) : date).toString();
}

const zones = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
const start2026 = Date.UTC(2026, 0, 1);
const year = 366 * 86_400_000;

describe('businessDayOf remembers a day without changing any answer', () => {
  it('agrees with the definition for instants in any order, across DST changes and cutovers', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            offset: fc.integer({ min: 0, max: year }),
            zone: fc.constantFrom(...zones),
            cutover: fc.constantFrom(0, 90, 150, 240),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        (calls) => {
          for (const c of calls) {
            const at = start2026 + c.offset;
            expect(businessDayOf(at, c.zone, { cutoverMinutes: c.cutover })).toBe(
              reference(at, c.zone, c.cutover),
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('walks minute by minute through a spring-forward and a fall-back night in Berlin', () => {
    for (const [from, hours] of [
      [Date.UTC(2026, 2, 28, 20), 12],
      [Date.UTC(2026, 9, 24, 20), 12],
    ] as const) {
      for (let m = 0; m < hours * 60; m++) {
        const at = from + m * 60_000;
        for (const cutover of [0, 150]) {
          expect(businessDayOf(at, 'Europe/Berlin', { cutoverMinutes: cutover })).toBe(
            reference(at, 'Europe/Berlin', cutover),
          );
        }
      }
    }
  });
});
