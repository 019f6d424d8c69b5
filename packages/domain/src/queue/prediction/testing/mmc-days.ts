import type { Visit } from '../../visit-log/schema.ts';

/** mulberry32: a tiny seeded PRNG so simulated days are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface MmcDayOptions {
  readonly seed: number;
  /** `YYYY-MM-DD`; the day runs from 08:00 for `hours`. */
  readonly day: string;
  readonly hours: number;
  /** Arrivals per hour, as a function of the hour since opening (time-varying load). */
  readonly arrivalsPerHour: (hour: number) => number;
  readonly servers: number;
  readonly meanServiceS: number;
  /** Exponential patience; Infinity for none. */
  readonly meanPatienceS: number;
  /** Probability of each class, index = priority. */
  readonly classMix: readonly number[];
}

/**
 * A minimal M/M/c+M day with strict non-preemptive priority and FIFO within a class, written out
 * as visit-log visits (abandoners carry `leftAt`). Only a test fixture: the real simulator
 * lives in queue/simulation.
 */
export function simulateMmcDay(o: MmcDayOptions): Visit[] {
  const rnd = seededRandom(o.seed);
  const exp = (mean: number): number => -Math.log(1 - rnd()) * mean;
  const start = Date.parse(`${o.day}T08:00:00Z`);
  const end = start + o.hours * 3_600_000;
  const maxRate = Math.max(...Array.from({ length: Math.ceil(o.hours) + 1 }, (_, h) => o.arrivalsPerHour(h)));
  // Thinning gives a non-homogeneous Poisson process.
  const arrivals: { at: number; priority: number; patience: number }[] = [];
  for (let t = start; ; ) {
    t += exp(3_600_000 / maxRate);
    if (t >= end) break;
    if (rnd() * maxRate > o.arrivalsPerHour((t - start) / 3_600_000)) continue;
    let u = rnd();
    let priority = 0;
    while (priority < o.classMix.length - 1 && u >= (o.classMix[priority] as number)) {
      u -= o.classMix[priority] as number;
      priority++;
    }
    arrivals.push({ at: Math.round(t / 1000) * 1000, priority, patience: exp(o.meanPatienceS * 1000) });
  }
  const freeAt = new Array<number>(o.servers).fill(start);
  const visits: Visit[] = [];
  const waiting: { idx: number; at: number; priority: number; leaveAt: number }[] = [];
  let next = 0;
  let now = start;
  const finish = (
    idx: number,
    calledAt: number | null,
    leftAt: number | null,
    server: number | null,
  ): void => {
    const a = arrivals[idx] as (typeof arrivals)[number];
    const service =
      calledAt === null ? null : Math.max(1000, Math.round(exp(o.meanServiceS * 1000) / 1000) * 1000);
    const called = calledAt === null ? null : Math.round(calledAt / 1000) * 1000;
    visits.push({
      visitId: `${o.day}-${String(idx).padStart(5, '0')}`,
      site: 'sim',
      service: 'S',
      priority: a.priority,
      arrivedAt: a.at,
      calledAt: called,
      serviceStartedAt: called,
      serviceEndedAt: called === null || service === null ? null : called + service,
      outcome: calledAt === null ? 'abandoned' : 'served',
      counter: server === null ? null : `C${server}`,
      leftAt: leftAt === null ? null : Math.round(leftAt / 1000) * 1000,
    });
    if (server !== null && called !== null && service !== null) freeAt[server] = called + service;
  };
  for (;;) {
    const nextArrival =
      next < arrivals.length ? (arrivals[next] as (typeof arrivals)[number]).at : Number.POSITIVE_INFINITY;
    let server = 0;
    for (let k = 1; k < o.servers; k++) if ((freeAt[k] as number) < (freeAt[server] as number)) server = k;
    const serverFree = freeAt[server] as number;
    let firstLeave = Number.POSITIVE_INFINITY;
    let leaver = -1;
    waiting.forEach((w, i) => {
      if (w.leaveAt < firstLeave) {
        firstLeave = w.leaveAt;
        leaver = i;
      }
    });
    const callAt = waiting.length > 0 ? Math.max(serverFree, now) : Number.POSITIVE_INFINITY;
    const t = Math.min(nextArrival, callAt, firstLeave);
    if (t === Number.POSITIVE_INFINITY) break;
    now = t;
    if (t === firstLeave && leaver >= 0 && firstLeave <= callAt && firstLeave <= nextArrival) {
      const [w] = waiting.splice(leaver, 1);
      if (w) finish(w.idx, null, w.leaveAt, null);
    } else if (t === callAt && callAt <= nextArrival) {
      // Highest class first, then first come.
      let best = 0;
      waiting.forEach((w, i) => {
        const b = waiting[best] as (typeof waiting)[number];
        if (w.priority > b.priority || (w.priority === b.priority && w.at < b.at)) best = i;
      });
      const [w] = waiting.splice(best, 1);
      if (w) finish(w.idx, Math.max(callAt, w.at + 1000), null, server);
    } else {
      const a = arrivals[next] as (typeof arrivals)[number];
      waiting.push({ idx: next, at: a.at, priority: a.priority, leaveAt: a.at + a.patience });
      next++;
    }
  }
  return visits;
}
