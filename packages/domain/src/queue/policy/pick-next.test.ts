import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type TCallingPolicyConfig, ZCallingPolicyConfig } from './config.ts';
import { type CounterView, orderForCounter, type PolicyTicket, pickNext } from './pick-next.ts';

const SERVICES = ['a', 'b', 'c', 'v'] as const;
const CLASSES = ['vip', 'assisted', 'ordinary'] as const;

const arbConfig: fc.Arbitrary<TCallingPolicyConfig> = fc
  .record({
    weights: fc.tuple(
      fc.integer({ min: 1, max: 20 }),
      fc.integer({ min: 1, max: 20 }),
      fc.integer({ min: 1, max: 20 }),
    ),
    heads: fc.tuple(fc.nat(600_000), fc.nat(600_000), fc.nat(600_000)),
    bounds: fc.tuple(
      fc.integer({ min: 1_000, max: 1_200_000 }),
      fc.integer({ min: 1_000, max: 1_200_000 }),
      fc.integer({ min: 1_000, max: 1_200_000 }),
    ),
    penalty: fc.oneof(fc.constant(0), fc.nat(1_000_000)),
  })
  .map(({ weights, heads, bounds, penalty }) =>
    ZCallingPolicyConfig.parse({
      classes: CLASSES.map((id, i) => ({
        id,
        weight: weights[i]!,
        headStartMs: heads[i]!,
        maxWaitMs: bounds[i]!,
      })),
      defaultClass: 'ordinary',
      skillRankPenaltyMs: penalty,
    }),
  );

const arbCounter: fc.Arbitrary<CounterView> = fc.record({
  id: fc.constantFrom('c1', 'c2', 'c3'),
  skills: fc.uniqueArray(fc.constantFrom(...SERVICES), { minLength: 0, maxLength: 4 }),
});

const NOW = 10_000_000;

/** Waiting tickets with distinct ids; arrivals clustered so that ties and overdue tickets happen. */
const arbWaiting: fc.Arbitrary<PolicyTicket[]> = fc
  .array(
    fc.record({
      serviceCode: fc.constantFrom(...SERVICES),
      priorityClass: fc.constantFrom(...CLASSES, 'unknown'),
      arrivedAtMs: fc.oneof(
        fc.integer({ min: NOW - 2_000_000, max: NOW }),
        fc.constantFrom(NOW - 60_000, NOW),
      ),
      transferred: fc.boolean(),
      targetCounterId: fc.option(fc.constantFrom('c1', 'c2', 'c3'), { nil: undefined, freq: 4 }),
    }),
    { maxLength: 40 },
  )
  .map((rows) => rows.map((r, i) => ({ ...r, id: `t${String(i).padStart(3, '0')}` })));

function eligible(t: PolicyTicket, counter: CounterView): boolean {
  return (
    counter.skills.includes(t.serviceCode) &&
    (t.targetCounterId === undefined || t.targetCounterId === counter.id)
  );
}

function classOf(config: TCallingPolicyConfig, id: string) {
  return config.classes.find((c) => c.id === id) ?? config.classes.find((c) => c.id === config.defaultClass)!;
}

describe('pickNext', () => {
  it('only ever returns a ticket the counter may serve, and finds one whenever one exists', () => {
    fc.assert(
      fc.property(arbConfig, arbWaiting, arbCounter, (config, waiting, counter) => {
        const picked = pickNext(config, waiting, counter, NOW);
        const any = waiting.some((t) => eligible(t, counter));
        expect(picked === undefined).toBe(!any);
        if (picked !== undefined) expect(eligible(picked, counter)).toBe(true);
      }),
    );
  });

  it('is deterministic: the same pick whatever the order of the waiting list, and the head of orderForCounter', () => {
    fc.assert(
      fc.property(
        arbConfig,
        arbWaiting.chain((w) => fc.tuple(fc.constant(w), fc.shuffledSubarray(w, { minLength: w.length }))),
        arbCounter,
        (config, [waiting, shuffled], counter) => {
          const a = pickNext(config, waiting, counter, NOW);
          expect(pickNext(config, shuffled, counter, NOW)).toBe(a);
          expect(orderForCounter(config, shuffled, counter, NOW)[0]).toBe(a);
        },
      ),
    );
  });

  it('is FIFO within a class and service', () => {
    fc.assert(
      fc.property(arbConfig, arbWaiting, arbCounter, (config, waiting, counter) => {
        const picked = pickNext(config, waiting, counter, NOW);
        if (picked === undefined || picked.targetCounterId !== undefined) return;
        const pc = classOf(config, picked.priorityClass).id;
        const older = waiting.filter(
          (t) =>
            t !== picked &&
            t.targetCounterId === undefined &&
            t.serviceCode === picked.serviceCode &&
            classOf(config, t.priorityClass).id === pc &&
            (t.arrivedAtMs < picked.arrivedAtMs ||
              (t.arrivedAtMs === picked.arrivedAtMs && t.id < picked.id)),
        );
        expect(older).toEqual([]);
      }),
    );
  });

  it('calls an overdue ticket first, earliest deadline first', () => {
    fc.assert(
      fc.property(arbConfig, arbWaiting, arbCounter, (config, waiting, counter) => {
        const deadline = (t: PolicyTicket) => t.arrivedAtMs + classOf(config, t.priorityClass).maxWaitMs;
        const overdue = waiting.filter((t) => eligible(t, counter) && deadline(t) <= NOW);
        if (overdue.length === 0) return;
        const picked = pickNext(config, waiting, counter, NOW)!;
        expect(deadline(picked)).toBe(Math.min(...overdue.map(deadline)));
      }),
    );
  });

  it('no ticket starves: under steady service each is called within its bound plus one call per more urgent ticket', () => {
    const PERIOD = 60_000;
    const arrivalsArb = fc.array(
      fc.array(
        fc.record({ serviceCode: fc.constantFrom(...SERVICES), priorityClass: fc.constantFrom(...CLASSES) }),
        { maxLength: 6 },
      ),
      { minLength: 1, maxLength: 60 },
    );
    const countersArb = fc.array(fc.shuffledSubarray([...SERVICES], { minLength: 4 }), {
      minLength: 1,
      maxLength: 3,
    });
    fc.assert(
      fc.property(arbConfig, arrivalsArb, countersArb, (config, batches, skillLists) => {
        const counters = skillLists.map((skills, i) => ({ id: `c${i}`, skills }));
        const all: PolicyTicket[] = [];
        const calledAt = new Map<PolicyTicket, number>();
        let waiting: PolicyTicket[] = [];
        // Arrivals land mid-period; every counter calls once per period until the lobby is empty.
        for (let tick = 0; tick < batches.length || waiting.length > 0; tick++) {
          for (const [k, b] of (batches[tick] ?? []).entries()) {
            const t = { ...b, id: `t${tick}-${k}`, arrivedAtMs: tick * PERIOD - PERIOD / 2 };
            all.push(t);
            waiting.push(t);
          }
          for (const counter of counters) {
            const t = pickNext(config, waiting, counter, tick * PERIOD);
            if (t === undefined) continue;
            calledAt.set(t, tick * PERIOD);
            waiting = waiting.filter((w) => w !== t);
          }
        }
        const deadline = (t: PolicyTicket) => t.arrivedAtMs + classOf(config, t.priorityClass).maxWaitMs;
        for (const t of all) {
          const called = calledAt.get(t);
          expect(called).toBeDefined();
          const dt = deadline(t);
          const moreUrgent = all.filter((u) => u !== t && u.arrivedAtMs <= dt && deadline(u) <= dt).length;
          const firstCallAfterDeadline = Math.ceil(dt / PERIOD) * PERIOD;
          expect(called!).toBeLessThanOrEqual(Math.max(firstCallAfterDeadline, 0) + moreUrgent * PERIOD);
        }
      }),
    );
  });

  it('keeps a transferred ticket’s place by its original arrival and honours a counter target', () => {
    const config = ZCallingPolicyConfig.parse({
      classes: [{ id: 'ordinary', weight: 1, maxWaitMs: 3_600_000 }],
      defaultClass: 'ordinary',
    });
    const waiting: PolicyTicket[] = [
      { id: 'a2', serviceCode: 'a', priorityClass: 'ordinary', arrivedAtMs: 2_000 },
      { id: 'b1', serviceCode: 'a', priorityClass: 'ordinary', arrivedAtMs: 1_000, transferred: true },
      { id: 'x', serviceCode: 'a', priorityClass: 'ordinary', arrivedAtMs: 500, targetCounterId: 'c9' },
    ];
    expect(pickNext(config, waiting, { id: 'c1', skills: ['a'] }, 10_000)?.id).toBe('b1');
    expect(pickNext(config, waiting, { id: 'c9', skills: ['a'] }, 10_000)?.id).toBe('x');
    expect(pickNext(config, waiting, { id: 'c1', skills: ['b'] }, 10_000)).toBeUndefined();
  });

  it('weighs class, head start and skill preference as documented', () => {
    const config = ZCallingPolicyConfig.parse({
      classes: [
        { id: 'vip', weight: 3, headStartMs: 60_000, maxWaitMs: 600_000 },
        { id: 'ordinary', weight: 1, maxWaitMs: 1_800_000 },
      ],
      defaultClass: 'ordinary',
      skillRankPenaltyMs: 120_000,
    });
    const counter = { id: 'c1', skills: ['a', 'b'] };
    const t = (id: string, serviceCode: string, priorityClass: string, waitedMs: number): PolicyTicket => ({
      id,
      serviceCode,
      priorityClass,
      arrivedAtMs: 1_000_000 - waitedMs,
    });
    // vip waited 30 s: 3×30+60 = 150 s of effective wait beats an ordinary ticket's 140 s
    expect(
      pickNext(config, [t('o', 'a', 'ordinary', 140_000), t('v', 'a', 'vip', 30_000)], counter, 1_000_000)
        ?.id,
    ).toBe('v');
    expect(
      pickNext(config, [t('o', 'a', 'ordinary', 160_000), t('v', 'a', 'vip', 30_000)], counter, 1_000_000)
        ?.id,
    ).toBe('o');
    // second skill costs 120 s: b waited 200 s (→ 80 s) loses to a waited 90 s
    expect(
      pickNext(
        config,
        [t('b', 'b', 'ordinary', 200_000), t('a', 'a', 'ordinary', 90_000)],
        counter,
        1_000_000,
      )?.id,
    ).toBe('a');
    // overdue beats everything: ordinary waited past 30 min
    expect(
      pickNext(
        config,
        [t('o', 'b', 'ordinary', 1_800_000), t('v', 'a', 'vip', 500_000)],
        counter,
        1_000_000 + 0,
      )?.id,
    ).toBe('o');
  });
});
