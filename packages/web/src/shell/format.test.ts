import { describe, expect, it } from 'vitest';
import { formatInZone, formatUtcOffset, utcOffsetMinutes } from './format.ts';

// 09:30 UTC: 17:30 in Beijing, 04:30 in New York (EST), 15:00 in Kolkata.
const DUE = '2026-11-24T09:30:00Z';

describe('formatInZone', () => {
  it('shows the branch’s wall clock, with its offset when the viewer’s clock reads otherwise', () => {
    expect(formatInZone(DUE, 'zh-CN', 'Asia/Shanghai', { viewerZone: 'America/New_York' })).toBe(
      '2026/11/24 17:30 (UTC+8)',
    );
    expect(formatInZone(DUE, 'en', 'Asia/Shanghai', { viewerZone: 'America/New_York' })).toBe(
      '24/11/2026, 17:30 (UTC+8)',
    );
  });

  it('adds nothing when the viewer’s clock reads the same, even under another zone name', () => {
    expect(formatInZone(DUE, 'zh-CN', 'Asia/Shanghai', { viewerZone: 'Asia/Shanghai' })).toBe(
      '2026/11/24 17:30',
    );
    expect(formatInZone(DUE, 'zh-CN', 'Asia/Shanghai', { viewerZone: 'Asia/Hong_Kong' })).toBe(
      '2026/11/24 17:30',
    );
  });

  it('keeps the date of the branch across midnight and shows the weekday when asked', () => {
    // 16:05 UTC on Monday the 23rd is already Tuesday 00:05 in Beijing (h23: never "24:05").
    expect(
      formatInZone('2026-11-23T16:05:00Z', 'en', 'Asia/Shanghai', { viewerZone: 'UTC', weekday: true }),
    ).toBe('Tue, 24/11/2026, 00:05 (UTC+8)');
  });

  it('without a zone is the viewer’s own time; an unreadable instant is returned as it came', () => {
    expect(formatInZone(DUE, 'zh-CN', undefined, { viewerZone: 'America/New_York' })).toBe(
      '2026/11/24 04:30',
    );
    expect(formatInZone('not a date', 'zh-CN', 'Asia/Shanghai')).toBe('not a date');
  });
});

describe('UTC offsets', () => {
  it('follow daylight saving and half hours', () => {
    expect(utcOffsetMinutes(new Date('2026-07-01T12:00:00Z'), 'America/New_York')).toBe(-240);
    expect(utcOffsetMinutes(new Date(DUE), 'America/New_York')).toBe(-300);
    expect(formatUtcOffset(utcOffsetMinutes(new Date(DUE), 'Asia/Kolkata'))).toBe('UTC+5:30');
    expect(formatUtcOffset(-300)).toBe('UTC-5');
    expect(formatUtcOffset(0)).toBe('UTC');
  });
});
