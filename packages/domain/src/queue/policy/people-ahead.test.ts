import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultCallingPolicyConfig, resolvePriorityClass, ZCallingPolicyConfig } from './config.ts';
import { peopleAhead, projectCallOrder } from './people-ahead.ts';
import { type CounterView, type PolicyTicket, pickNext } from './pick-next.ts';

const config = defaultCallingPolicyConfig;
const NOW = 1_000_000;
const t = (id: string, serviceCode: string, priorityClass: string, waitedMs: number): PolicyTicket => ({
  id,
  serviceCode,
  priorityClass,
  arrivedAtMs: NOW - waitedMs,
});

describe('peopleAhead', () => {
  it('counts the tickets the policy calls first', () => {
    const waiting = [
      t('a1', 'a', 'ordinary', 300_000),
      t('a2', 'a', 'ordinary', 200_000),
      t('v1', 'a', 'vip', 10_000),
    ];
    const counters = [{ id: 'c1', skills: ['a'] }];
    expect(peopleAhead(config, waiting, 'a1', counters, NOW)).toBe(1); // vip: 3×10+300 = 330 s > 300 s
    expect(peopleAhead(config, waiting, 'v1', counters, NOW)).toBe(0);
    expect(peopleAhead(config, waiting, 'a2', counters, NOW)).toBe(2);
    expect(peopleAhead(config, waiting, 'nope', counters, NOW)).toBeUndefined();
  });

  it('lets counters of other services take their own tickets and falls back when no counter serves the ticket', () => {
    const waiting = [
      t('b1', 'b', 'ordinary', 350_000),
      t('a1', 'a', 'ordinary', 100_000),
      t('c1', 'c', 'ordinary', 50_000),
    ];
    const counters = [
      { id: 'k1', skills: ['a', 'b'] },
      { id: 'k2', skills: ['b'] },
    ];
    // k1 calls a1 (b1 is penalised 300 s), k2 calls b1
    expect(projectCallOrder(config, waiting, counters, NOW).map((x) => x.id)).toEqual(['a1', 'b1']);
    expect(peopleAhead(config, waiting, 'b1', counters, NOW)).toBe(1);
    expect(peopleAhead(config, waiting, 'c1', counters, NOW)).toBe(0);
  });

  it('agrees with repeated pickNext for a single counter', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            serviceCode: fc.constantFrom('a', 'b'),
            priorityClass: fc.constantFrom('vip', 'assisted', 'ordinary'),
            waited: fc.nat(3_000_000),
          }),
          { maxLength: 30 },
        ),
        (rows) => {
          const waiting = rows.map((r, i) => t(`t${i}`, r.serviceCode, r.priorityClass, r.waited));
          const counter: CounterView = { id: 'c', skills: ['b', 'a'] };
          let left = waiting;
          const expected: string[] = [];
          for (
            let next = pickNext(config, left, counter, NOW);
            next;
            next = pickNext(config, left, counter, NOW)
          ) {
            expected.push(next.id);
            left = left.filter((x) => x !== next);
          }
          expect(projectCallOrder(config, waiting, [counter], NOW).map((x) => x.id)).toEqual(expected);
          for (const [i, id] of expected.entries())
            expect(peopleAhead(config, waiting, id, [counter], NOW)).toBe(i);
        },
      ),
    );
  });
});

describe('calling policy config', () => {
  it('resolves a class from service level and assistance, the higher weight winning', () => {
    expect(resolvePriorityClass(config, {})).toBe('ordinary');
    expect(resolvePriorityClass(config, { needsAssistance: true })).toBe('assisted');
    expect(resolvePriorityClass(config, { serviceLevel: 'gold', needsAssistance: true })).toBe('vip');
    expect(resolvePriorityClass(config, { serviceLevel: 'basic' })).toBe('ordinary');
  });

  it('rejects unknown and duplicate classes', () => {
    const bad = ZCallingPolicyConfig.safeParse({
      classes: [
        { id: 'x', weight: 1, maxWaitMs: 1000 },
        { id: 'x', weight: 2, maxWaitMs: 1000 },
      ],
      defaultClass: 'y',
      serviceLevelClasses: { gold: 'z' },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.message)).toEqual([
      'Duplicate class x',
      'Unknown class y',
      'Unknown class z',
    ]);
  });
});
