import { compilePolicy } from '../policy/config.ts';
import { type PolicyTicket, pickNextCompiled } from '../policy/pick-next.ts';
import { type DurationSampler, durationSampler } from './distributions.ts';
import { EventHeap } from './event-heap.ts';
import { arrivalsEndS, type TSimulationModel } from './model.ts';
import { Rng } from './rng.ts';

export interface SimulationOptions {
  readonly seed: number;
  /** Keep one record per visit in the result (memory: ~100 bytes a visit). */
  readonly recordVisits?: boolean;
  /** Stop generating arrivals after this many (benchmarks: a fixed amount of work). */
  readonly maxArrivals?: number;
}

export type SimOutcome = 'served' | 'abandoned' | 'balked' | 'unserved';

export interface SimVisit {
  readonly index: number;
  readonly serviceCode: string;
  readonly priorityClass: string;
  readonly arrivedS: number;
  readonly calledS: number | undefined;
  readonly endedS: number | undefined;
  readonly outcome: SimOutcome;
  readonly counterId: string | undefined;
}

export interface WaitStats {
  readonly arrivals: number;
  readonly balked: number;
  readonly abandoned: number;
  readonly served: number;
  /** Still waiting when every counter had closed. */
  readonly unserved: number;
  /** Over served visits: arrival → call. */
  readonly meanWaitS: number;
  readonly p90WaitS: number;
  readonly maxWaitS: number;
  /** Abandoned among those who joined the queue (arrivals − balked). */
  readonly abandonmentRate: number;
  readonly balkingRate: number;
  /** Served visits called within the service's target (only where a target is set). */
  readonly withinTargetShare: number | undefined;
}

export interface CounterStats {
  readonly id: string;
  readonly openS: number;
  readonly busyS: number;
  readonly utilisation: number;
  readonly served: number;
}

export interface SimulationResult {
  readonly overall: WaitStats;
  readonly byClass: Readonly<Record<string, WaitStats>>;
  readonly byService: Readonly<Record<string, WaitStats>>;
  readonly counters: readonly CounterStats[];
  /** Busy time over open time, all counters together. */
  readonly utilisation: number;
  /** Arrivals + service starts + departures: the unit the benchmark counts. */
  readonly events: number;
  readonly endS: number;
  readonly visits: readonly SimVisit[] | undefined;
}

const EV_ARRIVAL = 0;
const EV_DEPARTURE = 1;
const EV_ABANDON = 2;
const EV_OPEN = 3;
const EV_CLOSE = 4;
const EV_FINAL_CLOSE = 5;

const PENDING = 0;
const SERVED = 1;
const ABANDONED = 2;
const BALKED = 3;
const UNSERVED = 4;

/**
 * The policy's ticket plus where it sits in the waiting array, so removal is O(1). Pooled: the
 * id is the pool slot, unique among waiting tickets, which is all the policy's tie-break needs.
 */
interface SimTicket extends PolicyTicket {
  serviceCode: string;
  priorityClass: string;
  arrivedAtMs: number;
  visit: number;
  slot: number;
}

interface CounterState {
  readonly id: string;
  readonly skills: readonly string[];
  /** Shift says open (or overtime); a busy counter whose shift ended finishes its customer first. */
  open: boolean;
  overtime: boolean;
  busy: boolean;
  /** Still counting open time (open, or finishing a customer after closing). */
  staffed: boolean;
  staffedSince: number;
  openMs: number;
  busyMs: number;
  serviceStart: number;
  served: number;
  current: number;
}

/**
 * Simulates one branch day (or one long steady-state run) as a discrete-event simulation,
 * calling tickets with the live queue's pickNext. Pure and deterministic for a given seed.
 *
 * - Arrivals: per service, Poisson with the segment's rate; each takes a class from classMix.
 * - Balking: on arrival the customer looks at the waiting count and may leave at once.
 * - Abandonment: a customer whose class has a patience distribution leaves when it runs out
 *   before being called.
 * - Counters open and close by shift; a counter whose shift ends finishes its customer first.
 *   An idle counter calls as soon as a ticket it may serve arrives (longest-idle counter first).
 * - Doors close at the end of the last arrival segment; with `drain`, counters whose last shift
 *   ends then keep calling until nobody they can serve is left. Anyone still waiting when no
 *   counter is staffed or due to open is "unserved".
 * - Waits are arrival → call, as in the live queue's KPIs.
 */
export function simulateDay(model: TSimulationModel, options: SimulationOptions): SimulationResult {
  const rng = new Rng(options.seed);
  const policy = model.policy;
  const compiled = compilePolicy(policy);
  const maxArrivals = options.maxArrivals ?? Number.POSITIVE_INFINITY;
  const arrivalsEndMs = arrivalsEndS(model) * 1000;

  const classIds = policy.classes.map((c) => c.id);
  const classIndex = new Map(classIds.map((id, i) => [id, i]));
  const services = model.services.map((s) => {
    const mix = Object.entries(s.classMix ?? { [policy.defaultClass]: 1 }).filter(([, p]) => p > 0);
    const total = mix.reduce((sum, [, p]) => sum + p, 0);
    let acc = 0;
    const cumulative = mix.map(([, p]) => {
      acc += p / total;
      return acc;
    });
    const segments = [...s.arrivals]
      .sort((a, b) => a.fromS - b.fromS)
      .map((seg) => ({ fromMs: seg.fromS * 1000, toMs: seg.toS * 1000, meanGapMs: 3_600_000 / seg.perHour }));
    return {
      code: s.code,
      segments,
      mixClassIndex: Int32Array.from(mix, ([id]) => classIndex.get(id) ?? 0),
      segment: 0,
      serviceTime: durationSampler(s.serviceTime),
      mixClasses: mix.map(([id]) => id),
      mixCumulative: cumulative,
      targetMs: s.targetWaitS === undefined ? undefined : s.targetWaitS * 1000,
    };
  });
  const patience: (DurationSampler | undefined)[] = classIds.map((id) => {
    const d = model.patience[id];
    return d === undefined ? undefined : durationSampler(d);
  });
  const trackAbandonment = patience.some((p) => p !== undefined);
  const counters: CounterState[] = model.counters.map((c) => ({
    id: c.id,
    skills: c.skills,
    open: false,
    overtime: false,
    busy: false,
    staffed: false,
    staffedSince: 0,
    openMs: 0,
    busyMs: 0,
    serviceStart: 0,
    served: 0,
    current: -1,
  }));

  // Visit records as parallel typed arrays: a day or a million-customer run without an object each.
  // Sized from the expected number of arrivals (+5σ) so a run rarely reallocates.
  let expected = 0;
  for (const svc of model.services)
    for (const seg of svc.arrivals) expected += (seg.perHour * (seg.toS - seg.fromS)) / 3600;
  let cap = Math.max(1024, Math.ceil(Math.min(maxArrivals, expected + 5 * Math.sqrt(expected) + 64)));
  let vArrived = new Float64Array(cap);
  let vCalled = new Float64Array(cap);
  let vEnded = new Float64Array(cap);
  let vOutcome = new Uint8Array(cap);
  let vService = new Uint16Array(cap);
  let vClass = new Uint8Array(cap);
  let vCounter = new Int32Array(cap);
  let nVisits = 0;
  const grow = (): void => {
    cap *= 2;
    const f = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    vArrived = f(vArrived);
    vCalled = f(vCalled);
    vEnded = f(vEnded);
    const o = new Uint8Array(cap);
    o.set(vOutcome);
    vOutcome = o;
    const s = new Uint16Array(cap);
    s.set(vService);
    vService = s;
    const k = new Uint8Array(cap);
    k.set(vClass);
    vClass = k;
    const c = new Int32Array(cap);
    c.set(vCounter);
    vCounter = c;
  };

  const waiting: SimTicket[] = [];
  const pool: SimTicket[] = [];
  const free: SimTicket[] = [];
  /** Waiting visit → its ticket, for abandonment; undefined once called or gone. */
  const ticketOfVisit = new Map<number, SimTicket>();
  const waitingByService = new Int32Array(services.length);
  /** Idle open counters, longest idle first. */
  const idle = new Int32Array(counters.length);
  let idleCount = 0;
  const heap = new EventHeap();
  let events = 0;
  let arrivals = 0;
  let now = 0;
  let endMs = 0;

  // Bookkeeping to stop once nobody can be served any more: no arrivals to come, no counter
  // staffed or due to open. Whoever still waits then is sent home ("unserved").
  let arrivalStreams = services.length;
  let pendingOpens = 0;
  let staffedCount = 0;

  const scheduleArrival = (si: number, fromMs: number): void => {
    const svc = services[si]!;
    let t = fromMs;
    // Piecewise-constant rate: draw within the current segment; on crossing its end, restart at
    // the next one (exact, because the exponential is memoryless).
    while (svc.segment < svc.segments.length) {
      const seg = svc.segments[svc.segment]!;
      if (t < seg.fromMs) t = seg.fromMs;
      if (Number.isFinite(seg.meanGapMs)) {
        const next = t + rng.exponential(seg.meanGapMs);
        if (next < seg.toMs) {
          heap.push(next, EV_ARRIVAL | (si << 3));
          return;
        }
      }
      t = seg.toMs;
      svc.segment++;
    }
    arrivalStreams--;
  };

  const removeWaiting = (ticket: SimTicket): void => {
    const last = waiting.pop()!;
    if (last !== ticket) {
      waiting[ticket.slot] = last;
      last.slot = ticket.slot;
    }
    ticket.slot = -1;
    waitingByService[vService[ticket.visit]!]!--;
    if (trackAbandonment) ticketOfVisit.delete(ticket.visit);
    free.push(ticket);
  };

  /** The counter calls its next ticket; false when there is none it may serve. */
  const callNext = (ci: number): boolean => {
    const counter = counters[ci]!;
    const ticket = pickNextCompiled(compiled, waiting, counter, now);
    if (ticket === undefined) return false;
    removeWaiting(ticket);
    const v = ticket.visit;
    vCalled[v] = now;
    vCounter[v] = ci;
    counter.busy = true;
    counter.current = v;
    counter.serviceStart = now;
    events++;
    heap.push(now + services[vService[v]!]!.serviceTime(rng), EV_DEPARTURE | (ci << 3));
    return true;
  };

  const stopStaffing = (counter: CounterState): void => {
    if (!counter.staffed) return;
    counter.staffed = false;
    staffedCount--;
    counter.openMs += now - counter.staffedSince;
  };

  // A plain loop: for a dozen counters it beats copyWithin's builtin-call overhead.
  const removeIdleAt = (at: number): void => {
    const n = --idleCount;
    for (let i = at; i < n; i++) idle[i] = idle[i + 1]!;
  };
  const removeIdle = (ci: number): void => {
    const at = idle.subarray(0, idleCount).indexOf(ci);
    if (at >= 0) removeIdleAt(at);
  };

  // Start: arrivals per service, counter shifts.
  for (let si = 0; si < services.length; si++) scheduleArrival(si, 0);
  for (const [ci, c] of model.counters.entries()) {
    const shifts = c.shifts ?? [{ fromS: 0, toS: arrivalsEndMs / 1000 }];
    const sorted = [...shifts].sort((a, b) => a.fromS - b.fromS);
    for (const [k, shift] of sorted.entries()) {
      heap.push(shift.fromS * 1000, EV_OPEN | (ci << 3));
      pendingOpens++;
      heap.push(shift.toS * 1000, (k === sorted.length - 1 ? EV_FINAL_CLOSE : EV_CLOSE) | (ci << 3));
    }
  }

  while (heap.size > 0) {
    now = heap.peekTime();
    const payload = heap.pop();
    const arg = payload >>> 3;
    switch (payload & 7) {
      case EV_ARRIVAL: {
        if (arrivals >= maxArrivals) {
          arrivalStreams--;
          continue;
        }
        arrivals++;
        events++;
        const svc = services[arg]!;
        scheduleArrival(arg, now);
        if (nVisits === cap) grow();
        const v = nVisits++;
        let k = 0;
        if (svc.mixClasses.length > 1) {
          const u = rng.uniform();
          const cum = svc.mixCumulative;
          while (k < cum.length - 1 && u > cum[k]!) k++;
        }
        const clsId = svc.mixClasses[k]!;
        const cls = svc.mixClassIndex[k]!;
        vArrived[v] = now;
        vCalled[v] = Number.NaN;
        vEnded[v] = Number.NaN;
        vService[v] = arg;
        vClass[v] = cls;
        vCounter[v] = -1;
        const balking = model.balking;
        if (balking !== undefined) {
          const seen = balking.counts === 'all' ? waiting.length : waitingByService[arg]!;
          if (seen >= balking.startAt) {
            const p = (seen - balking.startAt) / (balking.certainAt - balking.startAt);
            if (p >= 1 || rng.uniform() < p) {
              vOutcome[v] = BALKED;
              vEnded[v] = now;
              break;
            }
          }
        }
        vOutcome[v] = PENDING;
        let ticket = free.pop();
        if (ticket === undefined) {
          ticket = {
            id: String(pool.length),
            serviceCode: svc.code,
            priorityClass: clsId,
            arrivedAtMs: now,
            transferred: undefined,
            targetCounterId: undefined,
            visit: v,
            slot: -1,
          };
          pool.push(ticket);
        } else {
          ticket.serviceCode = svc.code;
          ticket.priorityClass = clsId;
          ticket.arrivedAtMs = now;
          ticket.visit = v;
        }
        ticket.slot = waiting.length;
        waiting.push(ticket);
        waitingByService[arg]!++;
        const impatience = patience[cls];
        if (impatience !== undefined) {
          ticketOfVisit.set(v, ticket);
          heap.push(now + impatience(rng), EV_ABANDON | (v << 3));
        }
        // The longest-idle counter with the skill takes it (an idle counter has nothing else it may serve).
        for (let k = 0; k < idleCount; k++) {
          const ci = idle[k]!;
          if (counters[ci]!.skills.indexOf(svc.code) < 0) continue;
          if (callNext(ci)) removeIdleAt(k);
          break;
        }
        break;
      }
      case EV_DEPARTURE: {
        const counter = counters[arg]!;
        const v = counter.current;
        vEnded[v] = now;
        vOutcome[v] = SERVED;
        counter.served++;
        counter.busy = false;
        counter.current = -1;
        counter.busyMs += now - counter.serviceStart;
        events++;
        if (counter.open) {
          if (!callNext(arg)) {
            if (counter.overtime) {
              counter.open = false;
              stopStaffing(counter);
            } else {
              idle[idleCount++] = arg;
            }
          }
        } else {
          stopStaffing(counter);
        }
        break;
      }
      case EV_ABANDON: {
        const ticket = ticketOfVisit.get(arg);
        // Lazily cancelled: the customer was called first. Skip without moving the day's end.
        if (ticket === undefined) continue;
        removeWaiting(ticket);
        vOutcome[arg] = ABANDONED;
        vEnded[arg] = now;
        break;
      }
      case EV_OPEN: {
        const counter = counters[arg]!;
        pendingOpens--;
        if (counter.open) break;
        counter.open = true;
        if (!counter.staffed) {
          counter.staffed = true;
          staffedCount++;
          counter.staffedSince = now;
        }
        if (!counter.busy && !callNext(arg)) idle[idleCount++] = arg;
        break;
      }
      case EV_CLOSE:
      case EV_FINAL_CLOSE: {
        const counter = counters[arg]!;
        const final = (payload & 7) === EV_FINAL_CLOSE;
        if (final && model.drain && now >= arrivalsEndMs) {
          // Doors are shut: serve whoever is still waiting, then go home.
          counter.overtime = true;
          if (counter.busy) break;
        }
        counter.open = false;
        removeIdle(arg);
        if (!counter.busy) stopStaffing(counter);
        break;
      }
    }
    endMs = now;
    if (arrivalStreams === 0 && pendingOpens === 0 && staffedCount === 0) break;
  }
  now = endMs;

  for (const ticket of waiting) {
    vOutcome[ticket.visit] = UNSERVED;
    vEnded[ticket.visit] = now;
  }
  for (const c of counters) stopStaffing(c);

  // Statistics in two passes over the visits: counts and sums, then each group's waits for p90.
  const warmupMs = model.warmupS * 1000;
  const nClasses = classIds.length;
  const nGroups = 1 + nClasses + services.length;
  const gArrived = new Float64Array(nGroups);
  const gBalked = new Float64Array(nGroups);
  const gAbandoned = new Float64Array(nGroups);
  const gUnserved = new Float64Array(nGroups);
  const gServed = new Float64Array(nGroups);
  const gSum = new Float64Array(nGroups);
  const gMax = new Float64Array(nGroups);
  const gWithin = new Float64Array(nGroups);
  const gTarget = new Float64Array(nGroups).fill(Number.NaN);
  for (const [k, svc] of services.entries())
    if (svc.targetMs !== undefined) gTarget[1 + nClasses + k] = svc.targetMs;
  const count = (g: number, o: number, w: number): void => {
    gArrived[g]!++;
    if (o === SERVED) {
      gServed[g]!++;
      gSum[g]! += w;
      if (w > gMax[g]!) gMax[g] = w;
      if (w <= gTarget[g]!) gWithin[g]!++;
    } else if (o === BALKED) gBalked[g]!++;
    else if (o === ABANDONED) gAbandoned[g]!++;
    else gUnserved[g]!++;
  };
  // With one class (or one service without a target) its figures are the overall ones: skip it.
  const splitClasses = nClasses > 1;
  const splitServices = services.length > 1 || services[0]?.targetMs !== undefined;
  for (let v = 0; v < nVisits; v++) {
    if (vArrived[v]! < warmupMs) continue;
    const o = vOutcome[v]!;
    const w = vCalled[v]! - vArrived[v]!;
    count(0, o, w);
    if (splitClasses) count(1 + vClass[v]!, o, w);
    if (splitServices) count(1 + nClasses + vService[v]!, o, w);
  }
  const gWaits = Array.from(gServed, (n) => new Float64Array(n));
  const gFill = new Int32Array(nGroups);
  const fill = (g: number, w: number): void => {
    gWaits[g]![gFill[g]!++] = w;
  };
  for (let v = 0; v < nVisits; v++) {
    if (vArrived[v]! < warmupMs || vOutcome[v] !== SERVED) continue;
    const w = vCalled[v]! - vArrived[v]!;
    fill(0, w);
    if (splitClasses) fill(1 + vClass[v]!, w);
    if (splitServices) fill(1 + nClasses + vService[v]!, w);
  }
  const memo: (WaitStats | undefined)[] = [];
  const waitStats = (g: number): WaitStats => {
    memo[g] ??= computeWaitStats(g);
    return memo[g];
  };
  const computeWaitStats = (g: number): WaitStats => {
    const served = gServed[g]!;
    const joined = gArrived[g]! - gBalked[g]!;
    return {
      arrivals: gArrived[g]!,
      balked: gBalked[g]!,
      abandoned: gAbandoned[g]!,
      served,
      unserved: gUnserved[g]!,
      meanWaitS: served === 0 ? Number.NaN : gSum[g]! / served / 1000,
      p90WaitS: served === 0 ? Number.NaN : quantile(gWaits[g]!, 0.9) / 1000,
      maxWaitS: gMax[g]! / 1000,
      abandonmentRate: joined === 0 ? 0 : gAbandoned[g]! / joined,
      balkingRate: gArrived[g] === 0 ? 0 : gBalked[g]! / gArrived[g]!,
      withinTargetShare: Number.isNaN(gTarget[g]!) || served === 0 ? undefined : gWithin[g]! / served,
    };
  };
  const classStats: Record<string, WaitStats> = {};
  for (const [k, id] of classIds.entries()) classStats[id] = waitStats(splitClasses ? 1 + k : 0);
  const serviceStats: Record<string, WaitStats> = {};
  for (const [k, svc] of services.entries()) {
    serviceStats[svc.code] = waitStats(splitServices ? 1 + nClasses + k : 0);
  }

  let openMs = 0;
  let busyMs = 0;
  const counterStats = counters.map((c) => {
    openMs += c.openMs;
    busyMs += c.busyMs;
    return {
      id: c.id,
      openS: c.openMs / 1000,
      busyS: c.busyMs / 1000,
      utilisation: c.openMs === 0 ? 0 : c.busyMs / c.openMs,
      served: c.served,
    };
  });

  let visits: SimVisit[] | undefined;
  if (options.recordVisits === true) {
    const outcomes: SimOutcome[] = ['unserved', 'served', 'abandoned', 'balked', 'unserved'];
    visits = [];
    for (let v = 0; v < nVisits; v++) {
      const called = vCalled[v]!;
      const ended = vEnded[v]!;
      const ci = vCounter[v]!;
      visits.push({
        index: v,
        serviceCode: services[vService[v]!]!.code,
        priorityClass: classIds[vClass[v]!]!,
        arrivedS: vArrived[v]! / 1000,
        calledS: Number.isNaN(called) ? undefined : called / 1000,
        endedS: Number.isNaN(ended) ? undefined : ended / 1000,
        outcome: outcomes[vOutcome[v]!]!,
        counterId: ci < 0 ? undefined : counters[ci]!.id,
      });
    }
  }

  return {
    overall: waitStats(0),
    byClass: classStats,
    byService: serviceStats,
    counters: counterStats,
    utilisation: openMs === 0 ? 0 : busyMs / openMs,
    events,
    endS: now / 1000,
    visits,
  };
}

/** Linear-time quantile (nearest rank, as KPI reports compute p90); reorders `values`. */
export function quantile(values: Float64Array, q: number): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const k = Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const pivot = values[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k]!;
}
