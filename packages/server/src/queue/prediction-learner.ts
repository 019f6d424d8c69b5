import { Worker } from 'node:worker_threads';
import type { LearnedState, ServiceLoopPredictorOptions, TVisitOutcome, Visit } from '@serviceloop/domain';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';

/*
 * The worker thread that learns wait-prediction models (replay of a branch's past days and the
 * model fit: ~0.3 s of CPU per 8,000 visits), so that learning hundreds of branches at the start
 * of a business day does not stall requests. One worker per node is enough: learnings run one at
 * a time (prediction.ts, learnChain). It is started on the first learning that needs it, ended
 * after IDLE_MS without work and on close.
 *
 * The server runs TypeScript through tsx, registered in the main thread only (`npm start`), as
 * `--import` flags (tsx CLI, bench), or by vite (vitest, e2e). A worker inherits none of that
 * reliably, so it starts from a plain .mjs bootstrap that registers tsx itself, with no
 * execArgv of its own (a parent's tsx flags would register it twice).
 */

const BOOTSTRAP = new URL('./prediction-worker.mjs', import.meta.url);
/** A worker with nothing to learn is ended after this long (its isolate holds ~30 MB). */
const IDLE_MS = 5 * 60_000;
/** After the worker failed to start, learn on the main thread this long before trying again. */
const RETRY_MS = 10 * 60_000;

export interface LearnRequest {
  readonly id: number;
  readonly visits: PackedVisits;
  readonly options: ServiceLoopPredictorOptions;
}

/**
 * Visits as columns, because posting 8,000 visit objects costs the main thread ~10 ms of
 * structured cloning and these columns well under one: times in typed arrays (transferred, not
 * copied), the ids as one string, the few sites, services, outcomes and counters as indices
 * into a table. `unpackVisits` gives back equal visits, so learning from them is identical.
 */
export interface PackedVisits {
  readonly count: number;
  /** Every visit id, concatenated; `idEnds[i]` is where the i-th ends. */
  readonly ids: string;
  readonly idEnds: Uint32Array;
  readonly words: readonly string[];
  /** Indices into `words`; -1: null (counter). */
  readonly site: Int32Array;
  readonly service: Int32Array;
  readonly outcome: Int32Array;
  readonly counter: Int32Array;
  readonly priority: Float64Array;
  readonly arrivedAt: Float64Array;
  /** 0 where `absent` says so (any number a visit holds survives, NaN included). */
  readonly calledAt: Float64Array;
  readonly serviceStartedAt: Float64Array;
  readonly serviceEndedAt: Float64Array;
  readonly leftAt: Float64Array;
  /** Per visit, bits: 1 calledAt, 2 serviceStartedAt, 4 serviceEndedAt, 8 leftAt null, 16 leftAt undefined. */
  readonly absent: Uint8Array;
}

export function packVisits(visits: readonly Visit[]): PackedVisits {
  const n = visits.length;
  const words: string[] = [];
  const index = new Map<string, number>();
  const word = (w: string): number => {
    let i = index.get(w);
    if (i === undefined) {
      i = words.length;
      words.push(w);
      index.set(w, i);
    }
    return i;
  };
  const ids: string[] = new Array(n);
  const idEnds = new Uint32Array(n);
  const site = new Int32Array(n);
  const service = new Int32Array(n);
  const outcome = new Int32Array(n);
  const counter = new Int32Array(n);
  const priority = new Float64Array(n);
  const arrivedAt = new Float64Array(n);
  const calledAt = new Float64Array(n);
  const serviceStartedAt = new Float64Array(n);
  const serviceEndedAt = new Float64Array(n);
  const leftAt = new Float64Array(n);
  const absent = new Uint8Array(n);
  let end = 0;
  for (let i = 0; i < n; i++) {
    const v = visits[i] as Visit;
    ids[i] = v.visitId;
    end += v.visitId.length;
    idEnds[i] = end;
    site[i] = word(v.site);
    service[i] = word(v.service);
    outcome[i] = word(v.outcome);
    counter[i] = v.counter === null ? -1 : word(v.counter);
    priority[i] = v.priority;
    arrivedAt[i] = v.arrivedAt;
    let bits = 0;
    if (v.calledAt === null) bits |= 1;
    else calledAt[i] = v.calledAt;
    if (v.serviceStartedAt === null) bits |= 2;
    else serviceStartedAt[i] = v.serviceStartedAt;
    if (v.serviceEndedAt === null) bits |= 4;
    else serviceEndedAt[i] = v.serviceEndedAt;
    if (v.leftAt === undefined) bits |= 16;
    else if (v.leftAt === null) bits |= 8;
    else leftAt[i] = v.leftAt;
    absent[i] = bits;
  }
  return {
    count: n,
    ids: ids.join(''),
    idEnds,
    words,
    site,
    service,
    outcome,
    counter,
    priority,
    arrivedAt,
    calledAt,
    serviceStartedAt,
    serviceEndedAt,
    leftAt,
    absent,
  };
}

export function unpackVisits(p: PackedVisits): Visit[] {
  const visits: Visit[] = [];
  const word = (i: number): string => p.words[i] as string;
  const time = (column: Float64Array, i: number, bit: number): number | null =>
    ((p.absent[i] as number) & bit) !== 0 ? null : (column[i] as number);
  let start = 0;
  for (let i = 0; i < p.count; i++) {
    const end = p.idEnds[i] as number;
    const counter = p.counter[i] as number;
    const absent = p.absent[i] as number;
    const visit: Visit = {
      visitId: p.ids.slice(start, end),
      site: word(p.site[i] as number),
      service: word(p.service[i] as number),
      priority: p.priority[i] as number,
      arrivedAt: p.arrivedAt[i] as number,
      calledAt: time(p.calledAt, i, 1),
      serviceStartedAt: time(p.serviceStartedAt, i, 2),
      serviceEndedAt: time(p.serviceEndedAt, i, 4),
      outcome: word(p.outcome[i] as number) as TVisitOutcome,
      counter: counter < 0 ? null : word(counter),
    };
    visits.push((absent & 16) !== 0 ? visit : { ...visit, leftAt: time(p.leftAt, i, 8) });
    start = end;
  }
  return visits;
}

/** The typed arrays of a packed request, handed over to the worker instead of copied. */
const transferList = (p: PackedVisits): ArrayBuffer[] =>
  [
    p.idEnds,
    p.site,
    p.service,
    p.outcome,
    p.counter,
    p.priority,
    p.arrivedAt,
    p.calledAt,
    p.serviceStartedAt,
    p.serviceEndedAt,
    p.leftAt,
    p.absent,
  ].map((a) => a.buffer as ArrayBuffer);

/** Any number, non-finite ones included: a model's numbers arrive as the worker computed them. */
const num = z.custom<number>((v) => typeof v === 'number');

const ZLearnedState = z.object({
  model: z
    .object({
      classes: z.array(num),
      beta: z.array(num),
      residuals: z.array(z.object({ priority: num, sorted: z.array(num) })),
      pooledResiduals: z.array(num),
    })
    .nullable(),
  serviceTotal: num,
  serviceCount: num,
  trainingVisits: num,
});

/** What the worker posts back (prediction-worker.ts). */
export const ZLearnReply = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ready') }),
  z.object({ kind: z.literal('learned'), id: z.number(), state: ZLearnedState }),
  z.object({ kind: z.literal('failed'), id: z.number(), message: z.string() }),
]);
export type TLearnReply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'learned'; readonly id: number; readonly state: LearnedState }
  | { readonly kind: 'failed'; readonly id: number; readonly message: string };

/** The worker could not learn this (did not start, crashed or failed): learn on the main thread. */
export class LearnerUnavailable extends Error {
  override readonly name = 'LearnerUnavailable';
}

interface Job {
  readonly resolve: (state: LearnedState) => void;
  readonly reject: (error: Error) => void;
}

export interface LearnerStats {
  /** Models learned by the worker thread. */
  readonly inWorker: number;
  /** Worker starts (a crash or the idle timeout ends one). */
  readonly started: number;
}

export class PredictionLearner {
  #worker: Worker | null = null;
  #ready = false;
  #jobs = new Map<number, Job>();
  #nextId = 0;
  #idle: NodeJS.Timeout | undefined;
  #unavailableUntil = 0;
  #closed = false;
  #inWorker = 0;
  #started = 0;

  readonly #log: FastifyBaseLogger;
  readonly #entry: URL;

  /** `entry`: the worker's script (tests: one that fails). */
  constructor(log: FastifyBaseLogger, options: { readonly entry?: URL } = {}) {
    this.#log = log;
    this.#entry = options.entry ?? BOOTSTRAP;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get stats(): LearnerStats {
    return { inWorker: this.#inWorker, started: this.#started };
  }

  /** Replays `visits` and fits the model in the worker; rejects with LearnerUnavailable if it cannot. */
  learn(visits: readonly Visit[], options: ServiceLoopPredictorOptions): Promise<LearnedState> {
    if (this.#closed) return Promise.reject(new LearnerUnavailable('the learner is closed'));
    if (Date.now() < this.#unavailableUntil) {
      return Promise.reject(new LearnerUnavailable('the learning worker failed to start recently'));
    }
    const worker = this.#worker ?? this.#start();
    if (!worker) return Promise.reject(new LearnerUnavailable('the learning worker could not be created'));
    clearTimeout(this.#idle);
    // Kept alive while it works for somebody (a script awaiting a model has nothing else open).
    worker.ref();
    const id = ++this.#nextId;
    return new Promise<LearnedState>((resolve, reject) => {
      this.#jobs.set(id, { resolve, reject });
      try {
        const packed = packVisits(visits);
        worker.postMessage({ id, visits: packed, options } satisfies LearnRequest, transferList(packed));
      } catch (error) {
        this.#jobs.delete(id);
        reject(new LearnerUnavailable('the visits could not be posted to the worker', { cause: error }));
      }
    });
  }

  /** Ends the worker (app close); later learnings run on the main thread. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#stop(new LearnerUnavailable('the learner is closed'));
  }

  #start(): Worker | null {
    let worker: Worker;
    try {
      worker = new Worker(this.#entry, { execArgv: [], name: 'serviceloop wait-prediction learner' });
    } catch (error) {
      this.#failedToStart(error);
      return null;
    }
    this.#started++;
    this.#ready = false;
    worker.on('message', (message: unknown) => this.#onMessage(worker, message));
    worker.on('error', (error) => {
      if (this.#worker !== worker) return;
      if (this.#ready) {
        this.#log.warn(
          { err: error },
          'wait prediction: the learning worker crashed; it restarts on the next learning',
        );
        void this.#stop(new LearnerUnavailable('the learning worker crashed', { cause: error }));
      } else {
        this.#failedToStart(error);
      }
    });
    worker.on('messageerror', (error) => {
      if (this.#worker !== worker) return;
      this.#log.warn({ err: error }, 'wait prediction: a reply of the learning worker could not be read');
      void this.#stop(
        new LearnerUnavailable('a reply of the learning worker could not be read', { cause: error }),
      );
    });
    worker.on('exit', (code) => {
      if (this.#worker !== worker) return;
      // Exited on its own (not terminated by us): what it was learning is learned on the main thread.
      const error = new LearnerUnavailable(`the learning worker exited (code ${code})`);
      if (!this.#ready) {
        this.#failedToStart(error);
        return;
      }
      this.#log.warn(
        { err: error },
        'wait prediction: the learning worker exited; it restarts on the next learning',
      );
      this.#worker = null;
      this.#failJobs(error);
    });
    this.#worker = worker;
    return worker;
  }

  #onMessage(worker: Worker, message: unknown): void {
    const parsed = ZLearnReply.safeParse(message);
    if (!parsed.success) {
      this.#log.warn({ err: parsed.error }, 'wait prediction: unexpected message from the learning worker');
      return;
    }
    const reply = parsed.data;
    if (reply.kind === 'ready') {
      this.#ready = true;
      return;
    }
    const job = this.#jobs.get(reply.id);
    if (!job) return;
    this.#jobs.delete(reply.id);
    if (reply.kind === 'learned') {
      this.#inWorker++;
      job.resolve(reply.state);
    } else {
      this.#log.warn({ message: reply.message }, 'wait prediction: a learning failed in the worker');
      job.reject(new LearnerUnavailable(`the learning worker failed: ${reply.message}`));
    }
    if (this.#jobs.size === 0 && this.#worker === worker) {
      // Idle, it never keeps a process alive (tests and scripts that do not close the app).
      worker.unref();
      this.#idle = setTimeout(() => void this.#stop(null), IDLE_MS);
      this.#idle.unref();
    }
  }

  #failedToStart(error: unknown): void {
    this.#log.warn(
      { err: error, retryInMs: RETRY_MS },
      'wait prediction: the learning worker did not start; models are learned on the main thread',
    );
    this.#unavailableUntil = Date.now() + RETRY_MS;
    void this.#stop(new LearnerUnavailable('the learning worker did not start', { cause: error }));
  }

  async #stop(reason: Error | null): Promise<void> {
    clearTimeout(this.#idle);
    const worker = this.#worker;
    this.#worker = null;
    this.#ready = false;
    this.#failJobs(reason ?? new LearnerUnavailable('the learning worker was stopped'));
    if (worker) await worker.terminate();
  }

  #failJobs(error: Error): void {
    const jobs = [...this.#jobs.values()];
    this.#jobs.clear();
    for (const job of jobs) job.reject(error);
  }
}
