import { describe, expect, it } from 'vitest';
import { localTimeline } from './wall-clock.ts';

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
});
