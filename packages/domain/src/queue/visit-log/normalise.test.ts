import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseVisitLog, toleratedVisitIssues } from './normalise.ts';
import { toVisitLogRecords } from './serialize.ts';
import { formatLocalTimestamp, parseLocalTimestamp } from './time.ts';

const row = (over: Record<string, string>): Record<string, string> => ({
  visit_id: 'v1',
  site: 'b1',
  service: 'PS',
  priority: '1',
  arrived_at: '2010-08-01T10:00:51',
  called_at: '2010-08-01T10:01:33',
  service_started_at: '2010-08-01T10:01:32',
  service_ended_at: '2010-08-01T10:03:08',
  outcome: 'served',
  counter: 'VICKY',
  ...over,
});

describe('parseLocalTimestamp', () => {
  it('reads naive local time as a UTC timeline', () => {
    expect(parseLocalTimestamp('2010-08-01T10:00:37')).toBe(Date.UTC(2010, 7, 1, 10, 0, 37));
    expect(parseLocalTimestamp('2010-08-01 10:00')).toBe(Date.UTC(2010, 7, 1, 10, 0, 0));
  });
  it('rejects impossible dates and zoned text', () => {
    expect(parseLocalTimestamp('2010-02-30T10:00:00')).toBeNull();
    expect(parseLocalTimestamp('2010-08-01T24:00:00')).toBeNull();
    expect(parseLocalTimestamp('2010-08-01T10:00:00Z')).toBeNull();
    expect(parseLocalTimestamp('yesterday')).toBeNull();
  });
});

describe('normaliseVisitLog', () => {
  it('keeps and reports a service start one second before the call', () => {
    const log = normaliseVisitLog([row({})]);
    expect(log.visits).toHaveLength(1);
    expect(log.summary.service_before_call).toBe(1);
    expect(log.visits[0]?.calledAt).toBe(Date.UTC(2010, 7, 1, 10, 1, 33));
  });

  it('sorts out-of-order rows and reports them', () => {
    const log = normaliseVisitLog([
      row({
        visit_id: 'b',
        arrived_at: '2010-08-01T10:05:00',
        called_at: '',
        service_started_at: '',
        service_ended_at: '',
        outcome: 'abandoned',
        counter: '',
      }),
      row({ visit_id: 'a' }),
    ]);
    expect(log.visits.map((v) => v.visitId)).toEqual(['a', 'b']);
    expect(log.summary.out_of_order).toBe(1);
    expect(log.visits[1]?.calledAt).toBeNull();
  });

  it('rejects bad rows without throwing', () => {
    const log = normaliseVisitLog([
      row({ visit_id: 'x', priority: 'high' }),
      row({ visit_id: 'y', arrived_at: 'nonsense' }),
      row({ visit_id: 'z', outcome: 'vanished' }),
      row({ visit_id: 'ok' }),
      row({ visit_id: 'ok' }),
    ]);
    expect(log.visits.map((v) => v.visitId)).toEqual(['ok']);
    expect(log.rejected).toBe(4);
    expect(log.summary.invalid_row).toBe(3);
    expect(log.summary.duplicate_id).toBe(1);
  });

  it('says why each left-out row was left out as a code with its column and value', () => {
    const log = normaliseVisitLog([
      row({ visit_id: 'x', priority: 'high' }),
      row({ visit_id: 'y', arrived_at: '2010-08-01 25:00', called_at: 'later' }),
      row({ visit_id: 'z', outcome: 'vanished', service: ' ' }),
      row({ visit_id: 'ok' }),
      row({ visit_id: 'ok' }),
    ]);
    const codes = Object.fromEntries(log.issues.filter((i) => i.codes).map((i) => [i.row, i.codes]));
    expect(codes).toEqual({
      1: [{ code: 'bad_integer', column: 'priority', value: 'high' }],
      2: [
        { code: 'bad_date', column: 'arrived_at', value: '2010-08-01 25:00', format: 'YYYY-MM-DDTHH:mm:ss' },
        { code: 'bad_date', column: 'called_at', value: 'later', format: 'YYYY-MM-DDTHH:mm:ss' },
      ],
      3: [
        { code: 'required', column: 'service' },
        {
          code: 'invalid_choice',
          column: 'outcome',
          value: 'vanished',
          allowed: ['served', 'abandoned', 'no_show'],
        },
      ],
      5: [{ code: 'exact_repeat', column: 'visit_id', value: 'ok' }],
    });
  });

  it('counts what it tolerated per kind, in rows; rejected rows and exact repeats are not among them', () => {
    const t = (hhmmss: string) => (hhmmss === '' ? '' : `2010-08-01T${hhmmss}`);
    const at = (arrived: string, called: string, started: string, ended: string) => ({
      arrived_at: t(arrived),
      called_at: t(called),
      service_started_at: t(started),
      service_ended_at: t(ended),
    });
    // Called before arrival and ended before it started: one row, counted once; and out of order.
    const odd = row({ visit_id: 'odd', ...at('10:00:00', '09:59:00', '10:02:00', '10:01:00') });
    const log = normaliseVisitLog([
      row({ visit_id: 'a' }), // service 1 s before the call
      odd,
      row({ visit_id: 'a', ...at('10:20:00', '10:21:00', '10:21:00', '10:25:00') }), // kept as a#2
      odd, // an exact repeat: rejected, not tolerated
      row({ visit_id: 'bad', priority: 'x' }),
      row({ visit_id: 'ghost', ...at('10:30:00', '', '', '') }), // served without a call
    ]);
    expect(toleratedVisitIssues(log)).toEqual([
      { code: 'reused_id', count: 1 },
      { code: 'service_before_call', count: 1 },
      { code: 'time_inconsistent', count: 1 },
      { code: 'outcome_mismatch', count: 1 },
      { code: 'out_of_order', count: 1 },
    ]);
    expect(toleratedVisitIssues(normaliseVisitLog([row({ called_at: t('10:01:32') })]))).toEqual([]);
  });

  it('round-trips through the serializer', () => {
    const second = fc.integer({ min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2030, 0, 1) / 1000 });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            arrive: second,
            wait: fc.integer({ min: 0, max: 3600 }),
            serve: fc.integer({ min: 1, max: 3600 }),
            prio: fc.integer({ min: 0, max: 3 }),
            served: fc.boolean(),
          }),
          { maxLength: 20 },
        ),
        (specs) => {
          const records = specs.map((s, i) => {
            const a = s.arrive * 1000;
            const c = a + s.wait * 1000;
            return s.served
              ? row({
                  visit_id: `v${i}`,
                  priority: String(s.prio),
                  arrived_at: formatLocalTimestamp(a),
                  called_at: formatLocalTimestamp(c),
                  service_started_at: formatLocalTimestamp(c),
                  service_ended_at: formatLocalTimestamp(c + s.serve * 1000),
                })
              : row({
                  visit_id: `v${i}`,
                  priority: String(s.prio),
                  arrived_at: formatLocalTimestamp(a),
                  called_at: '',
                  service_started_at: '',
                  service_ended_at: '',
                  outcome: 'abandoned',
                  counter: '',
                });
          });
          const once = normaliseVisitLog(records);
          const twice = normaliseVisitLog(toVisitLogRecords(once.visits));
          expect(twice.visits).toEqual(once.visits);
          expect(once.rejected).toBe(0);
        },
      ),
    );
  });
});
