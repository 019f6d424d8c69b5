import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { businessDayOf, businessDayRange } from './business-day.ts';
import { ZIssueTicketRequest, ZTransferTicketRequest } from './contracts.ts';
import { defaultServices, ZBranchServices } from './service.ts';
import { formatTicketNumber, nextTicketSequence, parseTicketNumber } from './ticket-number.ts';

const ms = (iso: string) => Date.parse(iso);

describe('business day', () => {
  it('follows the branch zone, not UTC', () => {
    // 23:30 UTC on 1 March is 07:30 on 2 March in Shanghai
    expect(businessDayOf(ms('2026-03-01T23:30:00Z'), 'Asia/Shanghai')).toBe('2026-03-02');
    expect(businessDayOf(ms('2026-03-01T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-03-01');
    expect(businessDayOf(ms('2026-03-01T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-03-02');
    expect(businessDayOf(ms('2026-03-02T03:00:00Z'), 'America/New_York')).toBe('2026-03-01');
  });

  it('honours a cutover by wall clock, also on a DST day', () => {
    // Berlin springs forward on 29 March 2026 at 02:00; 04:30 local is still after a 04:00 cutover
    expect(businessDayOf(ms('2026-03-29T02:30:00Z'), 'Europe/Berlin', { cutoverMinutes: 240 })).toBe(
      '2026-03-29',
    );
    expect(businessDayOf(ms('2026-03-29T01:30:00Z'), 'Europe/Berlin', { cutoverMinutes: 240 })).toBe(
      '2026-03-28',
    );
  });

  it('gives day ranges of 24 h, or 23 h across a DST change, each containing exactly its own instants', () => {
    const sh = businessDayRange('2026-03-02', 'Asia/Shanghai');
    expect(sh.startMs).toBe(ms('2026-03-01T16:00:00Z'));
    expect(sh.endMs - sh.startMs).toBe(86_400_000);
    const be = businessDayRange('2026-03-29', 'Europe/Berlin');
    expect(be.endMs - be.startMs).toBe(23 * 3_600_000);
    fc.assert(
      fc.property(
        fc.integer({ min: ms('2020-01-01T00:00:00Z'), max: ms('2035-01-01T00:00:00Z') }),
        fc.constantFrom('Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe'),
        fc.constantFrom(0, 180, 300),
        (at, zone, cutoverMinutes) => {
          const day = businessDayOf(at, zone, { cutoverMinutes });
          const r = businessDayRange(day, zone, { cutoverMinutes });
          expect(at).toBeGreaterThanOrEqual(r.startMs);
          expect(at).toBeLessThan(r.endMs);
        },
      ),
    );
  });
});

describe('ticket numbers', () => {
  it('pads to three digits and widens past 999', () => {
    expect(formatTicketNumber('A', 1)).toBe('A001');
    expect(formatTicketNumber('B', 21)).toBe('B021');
    expect(formatTicketNumber('A', 999)).toBe('A999');
    expect(formatTicketNumber('A', 1000)).toBe('A1000');
    expect(() => formatTicketNumber('A', 0)).toThrow(RangeError);
    expect(() => formatTicketNumber('A', 100_000)).toThrow(RangeError);
  });

  it('parses exactly what it formats', () => {
    fc.assert(
      fc.property(fc.constantFrom('A', 'B', 'V'), fc.integer({ min: 1, max: 99_999 }), (prefix, seq) => {
        expect(parseTicketNumber(formatTicketNumber(prefix, seq))).toEqual({ prefix, sequence: seq });
      }),
    );
    for (const bad of ['A01', 'A0100', 'a001', 'A000', 'AB001', 'A100000'])
      expect(parseTicketNumber(bad)).toBeUndefined();
  });

  it('restarts the sequence each business day', () => {
    const first = nextTicketSequence(undefined, '2026-03-02');
    expect(first).toEqual({ businessDay: '2026-03-02', sequence: 1 });
    const second = nextTicketSequence(first, '2026-03-02');
    expect(second.sequence).toBe(2);
    expect(nextTicketSequence(second, '2026-03-03')).toEqual({ businessDay: '2026-03-03', sequence: 1 });
    expect(() => nextTicketSequence(second, '2026-03-01')).toThrow(RangeError);
  });
});

describe('contracts', () => {
  it('validates an issue request and applies defaults', () => {
    expect(ZIssueTicketRequest.parse({ serviceCode: 'cash' })).toEqual({
      serviceCode: 'cash',
      locale: 'zh-CN',
    });
    const withId = ZIssueTicketRequest.parse({
      serviceCode: 'wealth',
      identification: { kind: 'national_id', value: '11010519491231002x' },
      assistance: 'elderly',
    });
    expect(withId.identification?.value).toBe('11010519491231002X');
    expect(
      ZIssueTicketRequest.safeParse({ serviceCode: 'cash', identification: { kind: 'card', value: '12' } })
        .success,
    ).toBe(false);
    expect(ZTransferTicketRequest.safeParse({}).success).toBe(false);
  });

  it('rejects a catalogue with a shared prefix', () => {
    expect(ZBranchServices.safeParse(defaultServices).success).toBe(true);
    const clash = [...defaultServices, { ...defaultServices[0]!, code: 'cash2' }];
    expect(ZBranchServices.safeParse(clash).success).toBe(false);
  });
});
