import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localTimeline, readWallClock } from './wall-clock.ts';

describe('localTimeline', () => {
  it('reads the wall clock of the zone, milliseconds kept', () => {
    const at = new Date('2026-11-23T02:00:00.250Z');
    expect(new Date(localTimeline(at, 'Asia/Shanghai')).toISOString()).toBe('2026-11-23T10:00:00.250Z');
    expect(new Date(localTimeline(at, 'UTC')).toISOString()).toBe('2026-11-23T02:00:00.250Z');
  });

  it('crosses the date line and follows daylight saving time', () => {
    // 03:30 UTC is the evening before in New York: 22:30 in winter (UTC−5), 23:30 in summer (UTC−4).
    expect(new Date(localTimeline(new Date('2026-01-15T03:30:00Z'), 'America/New_York')).toISOString()).toBe(
      '2026-01-14T22:30:00.000Z',
    );
    expect(new Date(localTimeline(new Date('2026-07-15T03:30:00Z'), 'America/New_York')).toISOString()).toBe(
      '2026-07-14T23:30:00.000Z',
    );
  });

  it('reads midnight as 00, not 24', () => {
    expect(new Date(localTimeline(new Date('2026-11-22T16:00:00Z'), 'Asia/Shanghai')).toISOString()).toBe(
      '2026-11-23T00:00:00.000Z',
    );
  });

  it('equals the Intl reading for any instant, across transitions and odd offsets', () => {
    const zones = [
      'Asia/Shanghai',
      'America/New_York',
      'Europe/London',
      'Australia/Lord_Howe',
      'Asia/Kathmandu',
      'America/St_Johns',
      'Pacific/Chatham',
      'UTC',
    ];
    // Instants near the 2026 transitions too, where a quarter hour holds one.
    const near = [
      '2026-03-08T07:00:00Z',
      '2026-11-01T06:00:00Z',
      '2026-03-29T01:00:00Z',
      '2026-10-04T15:30:00Z',
      '2026-04-04T15:00:00Z',
    ].map(Date.parse);
    const instant = fc.oneof(
      fc.integer({ min: Date.parse('1990-01-01T00:00:00Z'), max: Date.parse('2060-01-01T00:00:00Z') }),
      fc
        .tuple(fc.constantFrom(...near), fc.integer({ min: -2 * 3_600_000, max: 2 * 3_600_000 }))
        .map(([t, d]) => t + d),
    );
    fc.assert(
      fc.property(instant, fc.constantFrom(...zones), (ms, zone) => {
        expect(localTimeline(new Date(ms), zone)).toBe(readWallClock(ms, zone));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads instant by instant a quarter hour that holds a transition (Shanghai, 1901: LMT +8:05:43 to +8)', () => {
    const transition = Date.parse('1900-12-31T15:54:17Z');
    for (let ms = transition - 20 * 60_000; ms <= transition + 20 * 60_000; ms += 7_000) {
      expect(localTimeline(new Date(ms), 'Asia/Shanghai')).toBe(readWallClock(ms, 'Asia/Shanghai'));
    }
  });
});
