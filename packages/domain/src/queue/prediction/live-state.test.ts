import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareEvents, LiveQueueState } from './live-state.ts';
import type { QueueEvent } from './types.ts';

/** Random visits → their events (arrival, then maybe a call + service, or a recorded departure). */
const eventsArb = fc
  .array(
    fc.record({
      arrive: fc.integer({ min: 0, max: 3_600 }),
      wait: fc.integer({ min: 1, max: 900 }),
      serve: fc.integer({ min: 1, max: 900 }),
      priority: fc.integer({ min: 0, max: 2 }),
      service: fc.constantFrom('A', 'B'),
      fate: fc.constantFrom('served', 'left', 'unknown'),
    }),
    { maxLength: 60 },
  )
  .map((specs) =>
    specs
      .flatMap((s, i): QueueEvent[] => {
        const id = `v${i}`;
        const a = s.arrive * 1000;
        const out: QueueEvent[] = [
          { kind: 'arrival', at: a, visitId: id, service: s.service, priority: s.priority },
        ];
        if (s.fate === 'served') {
          const c = a + s.wait * 1000;
          out.push({ kind: 'call', at: c, visitId: id, counter: `c${i % 4}` });
          out.push({ kind: 'service_start', at: c, visitId: id, counter: `c${i % 4}` });
          out.push({ kind: 'service_end', at: c + s.serve * 1000, visitId: id, counter: `c${i % 4}` });
        } else if (s.fate === 'left') out.push({ kind: 'abandon', at: a + s.wait * 1000, visitId: id });
        return out;
      })
      .sort(compareEvents),
  );

describe('LiveQueueState invariants', () => {
  it('loses no arrival and never lists a called or departed ticket as waiting', () => {
    fc.assert(
      fc.property(eventsArb, (events) => {
        const state = new LiveQueueState(0, { recentMax: 10_000 });
        const called = new Set<string>();
        const left = new Set<string>();
        const arrived = new Set<string>();
        for (const e of events) {
          state.apply(e);
          if (e.kind === 'arrival') arrived.add(e.visitId);
          if (e.kind === 'call' || e.kind === 'service_start') called.add(e.visitId);
          if (e.kind === 'abandon') left.add(e.visitId);
          const snap = state.snapshot(e.at + 1);
          for (const w of snap.waiting) {
            expect(called.has(w.visitId)).toBe(false);
            expect(left.has(w.visitId)).toBe(false);
          }
          // Nobody is lost: each arrival is waiting, called, or gone (recorded or inferred).
          const gone = new Set(snap.recentAbandonments.map((x) => x.visitId));
          const waiting = new Set(snap.waiting.map((w) => w.visitId));
          for (const id of arrived) expect(waiting.has(id) || called.has(id) || gone.has(id)).toBe(true);
          for (const id of waiting) expect(gone.has(id)).toBe(false);
          expect(snap.today.arrivals).toBe(arrived.size);
          expect(snap.busy.length).toBeLessThanOrEqual(4);
          expect(snap.waiting.every((w) => w.arrivedAt <= e.at)).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});
