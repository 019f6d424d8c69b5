import type {
  Abandonment,
  ArrivalSeen,
  BusyCounter,
  CalledVisit,
  CompletedService,
  QueueEvent,
  QueueSnapshot,
  WaitingTicket,
} from './types.ts';

export interface LiveStateOptions {
  /** A counter idle for longer than this no longer counts as open. */
  readonly openCounterWindowMs?: number;
  /** How much recent history snapshots carry. */
  readonly recentWindowMs?: number;
  readonly recentMax?: number;
}

const kindOrder: Record<QueueEvent['kind'], number> = {
  service_end: 0,
  abandon: 1,
  call: 2,
  service_start: 3,
  arrival: 4,
};

/** Time order, then ends before starts (a counter frees before it is reused), then visit id. */
export function compareEvents(a: QueueEvent, b: QueueEvent): number {
  return (
    a.at - b.at ||
    kindOrder[a.kind] - kindOrder[b.kind] ||
    (a.visitId < b.visitId ? -1 : a.visitId > b.visitId ? 1 : 0)
  );
}

interface Known {
  readonly service: string;
  readonly priority: number;
  readonly arrivedAt: number;
}

/**
 * The queue as known from events seen so far. It refuses events that go back in time, and a
 * snapshot can only be taken after the last applied event, so whatever reads a snapshot cannot
 * see anything at or after its `now`.
 */
export class LiveQueueState {
  private readonly openWindow: number;
  private readonly recentWindow: number;
  private readonly recentMax: number;
  private readonly known = new Map<string, Known>();
  private readonly waiting = new Map<string, WaitingTicket>();
  private readonly busy = new Map<string, BusyCounter & { visitId: string }>();
  private readonly lastActive = new Map<string, number>();
  private readonly completed: CompletedService[] = [];
  private readonly calls: CalledVisit[] = [];
  private readonly abandonments: Abandonment[] = [];
  private readonly arrivals: ArrivalSeen[] = [];
  private readonly startOf = new Map<string, { at: number; counter: string | null }>();
  private lastAt = Number.NEGATIVE_INFINITY;
  private totals = { arrivals: 0, calls: 0, abandonments: 0, finishedWaitMs: 0 };

  constructor(
    readonly dayStart: number,
    options: LiveStateOptions = {},
  ) {
    this.openWindow = options.openCounterWindowMs ?? 15 * 60_000;
    this.recentWindow = options.recentWindowMs ?? 2 * 3_600_000;
    this.recentMax = options.recentMax ?? 400;
  }

  get lastEventAt(): number {
    return this.lastAt;
  }

  apply(event: QueueEvent): void {
    if (event.at < this.lastAt) throw new RangeError(`event at ${event.at} precedes ${this.lastAt}`);
    this.lastAt = event.at;
    switch (event.kind) {
      case 'arrival': {
        const ticket = {
          visitId: event.visitId,
          service: event.service,
          priority: event.priority,
          arrivedAt: event.at,
        };
        this.known.set(event.visitId, ticket);
        this.waiting.set(event.visitId, ticket);
        this.arrivals.push({ service: event.service, priority: event.priority, at: event.at });
        this.totals.arrivals++;
        break;
      }
      case 'call': {
        const k = this.known.get(event.visitId);
        if (!k) break;
        this.leaveQueue(event.visitId, event.at);
        this.calls.push({
          visitId: event.visitId,
          service: k.service,
          priority: k.priority,
          arrivedAt: k.arrivedAt,
          calledAt: event.at,
        });
        this.totals.calls++;
        this.inferOvertaken(k, event.at);
        if (event.counter !== null) this.lastActive.set(event.counter, event.at);
        break;
      }
      case 'service_start': {
        const k = this.known.get(event.visitId);
        if (!k) break;
        // Logs may start service a second before the call; the ticket is out of the queue either way.
        this.leaveQueue(event.visitId, event.at);
        this.startOf.set(event.visitId, { at: event.at, counter: event.counter });
        if (event.counter !== null) {
          this.busy.set(event.counter, {
            counter: event.counter,
            service: k.service,
            priority: k.priority,
            startedAt: event.at,
            visitId: event.visitId,
          });
          this.lastActive.set(event.counter, event.at);
        }
        break;
      }
      case 'service_end': {
        const k = this.known.get(event.visitId);
        const start = this.startOf.get(event.visitId);
        if (!k || !start) break;
        this.startOf.delete(event.visitId);
        const counter = event.counter ?? start.counter;
        if (counter !== null) {
          if (this.busy.get(counter)?.visitId === event.visitId) this.busy.delete(counter);
          this.lastActive.set(counter, event.at);
        }
        this.completed.push({
          counter,
          service: k.service,
          priority: k.priority,
          startedAt: start.at,
          endedAt: event.at,
        });
        break;
      }
      case 'abandon': {
        const k = this.known.get(event.visitId);
        if (!k || !this.waiting.has(event.visitId)) break;
        this.leaveQueue(event.visitId, event.at);
        this.abandonments.push({ visitId: event.visitId, ...k, leftAt: event.at, inferred: false });
        this.totals.abandonments++;
        break;
      }
    }
    this.trim();
  }

  /** A frozen view for predictors at `now`, which must be later than every applied event. */
  snapshot(now: number): QueueSnapshot {
    if (now <= this.lastAt)
      throw new RangeError('snapshot must be taken strictly after the last applied event');
    const waiting = [...this.waiting.values()];
    let inProgress = 0;
    for (const w of waiting) inProgress += now - w.arrivedAt;
    const busy = [...this.busy.values()].map(({ visitId: _v, ...b }) => b);
    let open = 0;
    for (const [counter, at] of this.lastActive)
      if (this.busy.has(counter) || now - at <= this.openWindow) open++;
    const snap: QueueSnapshot = {
      now,
      dayStart: this.dayStart,
      waiting,
      busy,
      openCounters: open,
      recentCompleted: this.completed.slice(),
      recentCalls: this.calls.slice(),
      recentAbandonments: this.abandonments.slice(),
      recentArrivals: this.arrivals.slice(),
      today: {
        arrivals: this.totals.arrivals,
        calls: this.totals.calls,
        abandonments: this.totals.abandonments,
        waitingSeconds: (this.totals.finishedWaitMs + inProgress) / 1000,
      },
    };
    return deepFreeze(snap);
  }

  private leaveQueue(visitId: string, at: number): void {
    const w = this.waiting.get(visitId);
    if (!w) return;
    this.waiting.delete(visitId);
    this.totals.finishedWaitMs += at - w.arrivedAt;
  }

  /**
   * Within a service nobody of the same or a higher class who came earlier is called after a
   * later ticket, so anyone like that still listed must have left unseen.
   */
  private inferOvertaken(called: Known, at: number): void {
    for (const w of this.waiting.values()) {
      if (w.service === called.service && w.priority >= called.priority && w.arrivedAt < called.arrivedAt) {
        this.leaveQueue(w.visitId, at);
        this.abandonments.push({ ...w, leftAt: at, inferred: true });
        this.totals.abandonments++;
      }
    }
  }

  private trim(): void {
    const horizon = this.lastAt - this.recentWindow;
    trimList(this.completed, (c) => c.endedAt < horizon, this.recentMax);
    trimList(this.calls, (c) => c.calledAt < horizon, this.recentMax);
    trimList(this.abandonments, (c) => c.leftAt < horizon, this.recentMax);
    trimList(this.arrivals, (c) => c.at < horizon, this.recentMax);
  }
}

function trimList<T>(list: T[], old: (item: T) => boolean, max: number): void {
  let drop = Math.max(0, list.length - max);
  while (drop < list.length && old(list[drop] as T)) drop++;
  if (drop > 0) list.splice(0, drop);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
