import {
  type CounterView,
  compareEvents,
  type LearnedState,
  type LiveQueueInput,
  LiveQueueState,
  localDayOf,
  localTimeline,
  type PolicyTicket,
  priorityRanks,
  projectLiveQueue,
  projectNewArrival,
  type QueueAhead,
  type QueueEvent,
  type ServiceLoopPredictor,
  type ServiceLoopPredictorOptions,
  serviceLoopPredictor,
  serviceLoopPredictorFrom,
  type TCallingPolicyConfig,
  type TWaitEstimate,
  trainingSteps,
  type Visit,
  type WaitPrediction,
} from '@serviceloop/domain';
import { and, gte, lt, sql } from 'drizzle-orm';
import type { ServerContext } from '../context.ts';
import { type Slots, statement } from '../db/database.ts';
import { queueTickets } from '../db/schema-queue.ts';
import type { BranchInfo } from './branch.ts';
import { branchHistory } from './history.ts';
import { LearnerUnavailable, PredictionLearner } from './prediction-learner.ts';

/*
 * Live wait prediction, per branch. Three caches, from slow to fast:
 *
 * 1. The learned model (domain serviceLoopPredictor): learned from the branch's own past days —
 *    imported history (queue_visit_history) and its finished tickets of earlier business days —
 *    replayed day by day exactly as the backtest does. The history is read here; the replay and
 *    the fit (~0.3 s of CPU per 8,000 visits) run in a worker thread (prediction-learner.ts), which
 *    posts back the plain LearnedState that serviceLoopPredictorFrom restores (identical answers).
 *    Only if the worker cannot start or dies does a branch learn on the main thread (logged), the
 *    event loop given back between days.
 *    Learned once per business day; re-checked every MODEL_RECHECK_MS (a count query) and
 *    re-learned only if the history changed; an untrained branch re-checks every
 *    UNTRAINED_RECHECK_MS. `forgetBranchModel` (after an import) makes the next read learn anew
 *    and wait for it; otherwise a branch's first read waits at most LEARN_BUDGET_MS (a branch
 *    without history learns in a few milliseconds) and answers with the formula meanwhile.
 * 2. Today's state (domain LiveQueueState) rebuilt from today's tickets: recent calls, services
 *    and abandonments. Rebuilt in the background when the queue changed, at most every
 *    STATE_MIN_AGE_MS; the first build of a day is awaited.
 * 3. The predictions of every waiting ticket, computed together from the waiting line and
 *    counters the caller already read (one projection under the calling policy, then one
 *    prediction per ticket) and kept until the line, the counters, the policy, the model or the
 *    state change, or BUCKET_MS of clock time pass. A status read is then a map lookup.
 */

const MODEL_RECHECK_MS = 10 * 60_000;
const UNTRAINED_RECHECK_MS = 60_000;
// Today's state moves service rates slowly; the line itself (positions) is read live every time.
const STATE_MIN_AGE_MS = 15_000;
const STATE_MAX_AGE_MS = 60_000;
const BUCKET_MS = 10_000;
/** How long a request waits for a branch's first learning before answering with the formula. */
const LEARN_BUDGET_MS = 250;
/** Days of history a branch learns from (the predictor forgets older days anyway). */
export const MEMORY_DAYS = 60;
const DAY_MS = 86_400_000;

export interface TicketPrediction {
  readonly peopleAhead: number;
  readonly estimate: TWaitEstimate;
}

export interface BranchPredictions {
  /** A waiting ticket of the line given; undefined for any other. */
  forTicket(ticketId: string): TicketPrediction | undefined;
  /** What a customer drawing a ticket now would be told (class: the policy's default). */
  forNewArrival(serviceCode: string, priorityClass?: string): TicketPrediction;
}

/** What the caller has read of the branch's queue right now. */
export interface LineInput {
  readonly branch: BranchInfo;
  readonly businessDay: string;
  readonly config: TCallingPolicyConfig;
  readonly waiting: readonly PolicyTicket[];
  /** Every counter of the branch; closed and paused ones are left out here. */
  readonly counters: readonly {
    readonly id: string;
    readonly skills: readonly string[];
    readonly state: string;
  }[];
  readonly nowMs: number;
}

/** Where models are learned: a worker thread (prediction-learner.ts), or the main thread. */
export type LearningThread = 'worker' | 'main';

interface ModelEntry {
  readonly predictor: ServiceLoopPredictor;
  /** Where it was learned (null: the formula stand-in, nothing learned). */
  readonly learnedOn: LearningThread | null;
  readonly day: string;
  readonly marker: string;
  readonly checkedAt: number;
  readonly version: number;
}

interface StateEntry {
  readonly state: LiveQueueState;
  readonly day: string;
  readonly fingerprint: string;
  readonly builtAtReal: number;
  readonly builtAtClock: number;
  readonly version: number;
}

interface PredictionEntry {
  readonly key: string;
  readonly tickets: ReadonlyMap<string, TicketPrediction>;
  readonly newArrivals: Map<string, TicketPrediction>;
  readonly input: LiveQueueInput<PolicyTicket>;
  readonly predict: (target: { service: string; priority: number }, q: QueueAhead) => TWaitEstimate;
  readonly ranks: ReadonlyMap<string, number>;
  readonly defaultClass: string;
}

interface BranchEntry {
  model?: ModelEntry;
  learning?: Promise<ModelEntry>;
  /** Set by an import on this node: the next prediction waits for the learning it needs. */
  awaitLearning?: boolean;
  checking?: boolean;
  state?: StateEntry;
  building?: Promise<StateEntry>;
  predictions?: PredictionEntry;
}

interface Registry {
  readonly branches: Map<string, BranchEntry>;
  readonly inFlight: Set<Promise<unknown>>;
  versions: number;
  /**
   * Learnings run one at a time per node: one worker thread does them all, and the main-thread
   * fallback holds the event loop for each fit (~0.3 s per 8,000 visits).
   */
  learnChain: Promise<void>;
  thread: LearningThread;
  learner?: PredictionLearner;
  learnedOnMain: number;
}

const registries = new WeakMap<ServerContext, Registry>();

function registry(ctx: ServerContext): Registry {
  let r = registries.get(ctx);
  if (!r) {
    r = {
      branches: new Map(),
      inFlight: new Set(),
      versions: 0,
      learnChain: Promise.resolve(),
      thread: 'worker',
      learnedOnMain: 0,
    };
    registries.set(ctx, r);
  }
  return r;
}

function entryOf(ctx: ServerContext, branchId: string): BranchEntry {
  const branches = registry(ctx).branches;
  let e = branches.get(branchId);
  if (!e) {
    e = {};
    branches.set(branchId, e);
  }
  return e;
}

/** Runs background work, logging (not throwing) its failure; tracked for `predictionsSettled`. */
function background(ctx: ServerContext, what: string, work: () => Promise<unknown>): void {
  const reg = registry(ctx);
  const p = work()
    .catch((error: unknown) => ctx.log.warn({ err: error }, `wait prediction: ${what} failed`))
    .finally(() => reg.inFlight.delete(p));
  reg.inFlight.add(p);
}

/** Waits for this node's background learning and rebuilding (tests, orderly shutdown). */
export async function predictionsSettled(ctx: ServerContext): Promise<void> {
  const reg = registry(ctx);
  while (reg.inFlight.size > 0) await Promise.all([...reg.inFlight]);
}

/** Ends this node's learning worker (app close); a learning in progress then fails (the formula answers). */
export async function closePredictions(ctx: ServerContext): Promise<void> {
  await registries.get(ctx)?.learner?.close();
}

/**
 * Where this node learns models: 'worker' (the default; the main thread only when the worker
 * cannot) or 'main' (always on the main thread: to compare the two, or where threads are
 * unwelcome). `learner`: the worker pool to use instead of the node's own (tests: a failing one).
 */
export function setLearningThread(
  ctx: ServerContext,
  thread: LearningThread,
  learner?: PredictionLearner,
): void {
  const reg = registry(ctx);
  reg.thread = thread;
  if (learner && learner !== reg.learner) {
    void reg.learner?.close();
    reg.learner = learner;
  }
}

/** How many models this node learned where (diagnostics, tests). */
export function learningStats(ctx: ServerContext): { worker: number; main: number; workerStarts: number } {
  const reg = registry(ctx);
  const stats = reg.learner?.stats;
  return { worker: stats?.inWorker ?? 0, main: reg.learnedOnMain, workerStarts: stats?.started ?? 0 };
}

/** What a branch's current model learned and where (undefined before its first learning). */
export function learnedModel(
  ctx: ServerContext,
  branchId: string,
): { readonly state: LearnedState; readonly learnedOn: LearningThread | null } | undefined {
  const model = registries.get(ctx)?.branches.get(branchId)?.model;
  return model && { state: model.predictor.learnedState(), learnedOn: model.learnedOn };
}

/** Drops a branch's learned model (its history changed): the next prediction learns anew. */
export function forgetBranchModel(ctx: ServerContext, branchId: string): void {
  const branches = registry(ctx).branches;
  const e = branches.get(branchId) ?? {};
  e.model = undefined;
  e.predictions = undefined;
  e.awaitLearning = true;
  branches.set(branchId, e);
}

// ---------------------------------------------------------------------------------------------
// 1. The learned model

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** A cheap fingerprint of the history a model learns from: changes when rows are added. */
async function historyMarker(ctx: ServerContext, branch: BranchInfo, day: string): Promise<string> {
  const cutoff = isoDay(Date.parse(`${day}T00:00:00Z`) - MEMORY_DAYS * DAY_MS);
  const rows = await ctx.database.rows<{ h: number | string; t: number | string }>(sql`
    select (select count(*) from queue_visit_history where branch_id = ${branch.id}::uuid) as h,
      (select count(*) from queue_tickets where branch_id = ${branch.id}::uuid
        and business_day < ${day}::date and business_day >= ${cutoff}::date) as t`);
  const r = rows[0];
  return `${Number(r?.h ?? 0)}:${Number(r?.t ?? 0)}`;
}

/** The branch's past days as visits on the local timeline: imported history and earlier tickets. */
async function pastVisits(
  ctx: ServerContext,
  branch: BranchInfo,
  day: string,
  ranks: ReadonlyMap<string, number>,
): Promise<Visit[]> {
  const [last] = await ctx.database.rows<{ m: string | null }>(sql`
    select max(arrived_at) as m from queue_visit_history where branch_id = ${branch.id}::uuid`);
  const importedFrom = last?.m
    ? isoDay(Date.parse(`${last.m.slice(0, 10)}T00:00:00Z`) - MEMORY_DAYS * DAY_MS)
    : null;
  const ticketsFrom = isoDay(Date.parse(`${day}T00:00:00Z`) - MEMORY_DAYS * DAY_MS);
  const all = await branchHistory(ctx, branch, ranks, {
    importedFrom,
    tickets: and(lt(queueTickets.businessDay, day), gte(queueTickets.businessDay, ticketsFrom)),
  });
  const days = [...new Set(all.map((v) => localDayOf(v.arrivedAt)))].sort();
  const keep = new Set(days.slice(-MEMORY_DAYS));
  return all.filter((v) => keep.has(localDayOf(v.arrivedAt)));
}

const PREDICTOR_OPTIONS: ServiceLoopPredictorOptions = {};

/** Gives the event loop a turn (other requests' I/O) before going on. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Replays the visits and fits the model in the worker thread; on the main thread (the event loop
 * given back between days, not during the fit) when the worker cannot, or there is nothing to learn.
 */
async function train(
  ctx: ServerContext,
  branchId: string,
  visits: readonly Visit[],
): Promise<{ predictor: ServiceLoopPredictor; learnedOn: LearningThread }> {
  const reg = registry(ctx);
  if (visits.length > 0 && reg.thread === 'worker') {
    reg.learner ??= new PredictionLearner(ctx.log);
    try {
      const state = await reg.learner.learn(visits, PREDICTOR_OPTIONS);
      return { predictor: serviceLoopPredictorFrom(state, PREDICTOR_OPTIONS), learnedOn: 'worker' };
    } catch (error) {
      // Closed with the app: nobody waits for this model any more.
      if (reg.learner.closed || !(error instanceof LearnerUnavailable)) throw error;
      // The learner logged why (once); never no model because of a thread.
      ctx.log.debug({ err: error, branchId }, 'wait prediction: learning on the main thread');
    }
  }
  reg.learnedOnMain++;
  const predictor = serviceLoopPredictor(PREDICTOR_OPTIONS);
  for (const _day of trainingSteps(visits, [predictor])) await nextTurn();
  return { predictor, learnedOn: 'main' };
}

async function learn(ctx: ServerContext, branch: BranchInfo, day: string, config: TCallingPolicyConfig) {
  const marker = await historyMarker(ctx, branch, day);
  // PGlite answers in-process without giving the event loop back: each step is its own turn.
  await nextTurn();
  const visits = marker === '0:0' ? [] : await pastVisits(ctx, branch, day, priorityRanks(config));
  await nextTurn();
  const { predictor, learnedOn } = await train(ctx, branch.id, visits);
  // On the main thread this fits the model now, not on the first request.
  const trained = predictor.trained;
  const entry: ModelEntry = {
    predictor,
    learnedOn,
    day,
    marker,
    checkedAt: ctx.clock().getTime(),
    version: ++registry(ctx).versions,
  };
  ctx.log.debug(
    { branchId: branch.id, visits: visits.length, trained, learnedOn },
    'wait prediction: model learned',
  );
  return entry;
}

function startLearning(ctx: ServerContext, e: BranchEntry, input: LineInput): Promise<ModelEntry> {
  if (e.learning) return e.learning;
  const reg = registry(ctx);
  const run = reg.learnChain.then(() => learn(ctx, input.branch, input.businessDay, input.config));
  reg.learnChain = run.then(
    () => undefined,
    () => undefined,
  );
  const p = run
    .then((m) => {
      e.model = m;
      return m;
    })
    .finally(() => {
      e.learning = undefined;
    });
  e.learning = p;
  return p;
}

/** The formula, for a branch whose model is still being learned (version 0: never cached as learned). */
const unlearned = (day: string, nowMs: number): ModelEntry => ({
  predictor: serviceLoopPredictor(PREDICTOR_OPTIONS),
  learnedOn: null,
  day,
  marker: '',
  checkedAt: nowMs,
  version: 0,
});

async function modelFor(ctx: ServerContext, e: BranchEntry, input: LineInput): Promise<ModelEntry> {
  const model = e.model;
  if (!model) {
    const learning = startLearning(ctx, e, input);
    // After an import the next answer waits for what was imported; a cold start (server just
    // started) waits at most LEARN_BUDGET_MS and answers with the formula meanwhile.
    const budget = e.awaitLearning ? null : LEARN_BUDGET_MS;
    e.awaitLearning = false;
    try {
      if (budget === null) return await learning;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), budget);
      });
      const first = await Promise.race([learning, late]).finally(() => clearTimeout(timer));
      if (first) return first;
      background(ctx, 'learning', () => learning);
      return unlearned(input.businessDay, input.nowMs);
    } catch (error) {
      // No model rather than no answer: the formula needs none. Retried after UNTRAINED_RECHECK_MS.
      ctx.log.warn({ err: error, branchId: input.branch.id }, 'wait prediction: learning failed');
      const fallback = { ...unlearned(input.businessDay, input.nowMs), version: ++registry(ctx).versions };
      e.model = fallback;
      return fallback;
    }
  }
  if (model.day !== input.businessDay) {
    if (!e.learning) background(ctx, 'learning', () => startLearning(ctx, e, input));
  } else {
    const every = model.predictor.trained ? MODEL_RECHECK_MS : UNTRAINED_RECHECK_MS;
    if (input.nowMs - model.checkedAt >= every && !e.checking && !e.learning) {
      const check = async () => {
        const marker = await historyMarker(ctx, input.branch, input.businessDay);
        if (marker !== model.marker) await startLearning(ctx, e, input);
        else if (e.model === model) e.model = { ...model, checkedAt: input.nowMs };
      };
      e.checking = true;
      background(ctx, 'history check', () =>
        check().finally(() => {
          e.checking = false;
        }),
      );
    }
  }
  return model;
}

// ---------------------------------------------------------------------------------------------
// 2. Today's state

interface StateRow extends Record<string, unknown> {
  readonly id: string;
  readonly s: string;
  readonly p: string;
  readonly st: string;
  readonly a: number;
  readonly fc: number | null;
  readonly sa: number | null;
  readonly ea: number | null;
  readonly la: number | null;
  readonly c: string | null;
}

// Instants as epoch milliseconds (numbers on both engines); a prepared statement, 40 a second on a
// busy node.
const ms = (column: string) => sql.raw(`(extract(epoch from ${column}) * 1000)::float8`);
const DAY_TICKETS = statement(
  (p: Slots<'branchId' | 'day'>) => sql`
    select id, service_code as s, priority_class as p, status as st, ${ms('arrived_at')} as a,
      ${ms('first_called_at')} as fc, ${ms('started_at')} as sa, ${ms('ended_at')} as ea,
      ${ms('left_at')} as la, counter_id as c
    from queue_tickets
    where branch_id = ${p.branchId}::uuid and business_day = ${p.day}::date and not walk_up`,
);

async function buildState(ctx: ServerContext, input: LineInput, fingerprint: string): Promise<StateEntry> {
  const { branch, businessDay } = input;
  const ranks = priorityRanks(input.config);
  const rows = await ctx.database.run<StateRow, 'branchId' | 'day'>(DAY_TICKETS, {
    branchId: branch.id,
    day: businessDay,
  });
  const tl = (epochMs: number): number => localTimeline(new Date(epochMs), branch.timeZone);
  const events: QueueEvent[] = [];
  for (const r of rows) {
    events.push({
      kind: 'arrival',
      at: tl(r.a),
      visitId: r.id,
      service: r.s,
      priority: ranks.get(r.p) ?? 0,
    });
    // A ticket transferred back into the line waits again: only its arrival counts.
    if (r.st === 'waiting') continue;
    if (r.fc !== null) events.push({ kind: 'call', at: tl(r.fc), visitId: r.id, counter: r.c });
    if (r.sa !== null) {
      events.push({ kind: 'service_start', at: tl(r.sa), visitId: r.id, counter: r.c });
      if (r.ea !== null) events.push({ kind: 'service_end', at: tl(r.ea), visitId: r.id, counter: r.c });
    }
    if (r.st === 'abandoned' && r.la !== null) events.push({ kind: 'abandon', at: tl(r.la), visitId: r.id });
  }
  events.sort(compareEvents);
  const state = new LiveQueueState(Date.parse(`${businessDay}T00:00:00Z`));
  for (const event of events) state.apply(event);
  return {
    state,
    day: businessDay,
    fingerprint,
    builtAtReal: Date.now(),
    builtAtClock: input.nowMs,
    version: ++registry(ctx).versions,
  };
}

function startBuilding(
  ctx: ServerContext,
  e: BranchEntry,
  input: LineInput,
  fp: string,
): Promise<StateEntry> {
  if (e.building) return e.building;
  const p = buildState(ctx, input, fp)
    .then((s) => {
      // A slower, older build never replaces a newer one.
      if (!e.state || e.state.version < s.version) e.state = s;
      return s;
    })
    .finally(() => {
      e.building = undefined;
    });
  e.building = p;
  return p;
}

async function stateFor(
  ctx: ServerContext,
  e: BranchEntry,
  input: LineInput,
  fp: string,
): Promise<StateEntry> {
  const current = e.state;
  if (!current || current.day !== input.businessDay) {
    try {
      return await startBuilding(ctx, e, input, fp);
    } catch (error) {
      // An empty day rather than no answer; rebuilt on the next change.
      ctx.log.warn({ err: error, branchId: input.branch.id }, 'wait prediction: state build failed');
      const empty: StateEntry = {
        state: new LiveQueueState(Date.parse(`${input.businessDay}T00:00:00Z`)),
        day: input.businessDay,
        fingerprint: '',
        builtAtReal: Date.now(),
        builtAtClock: input.nowMs,
        version: ++registry(ctx).versions,
      };
      e.state = empty;
      return empty;
    }
  }
  const realAge = Date.now() - current.builtAtReal;
  const clockAge = input.nowMs - current.builtAtClock;
  const changed = current.fingerprint !== fp;
  if (
    !e.building &&
    ((changed && (realAge >= STATE_MIN_AGE_MS || clockAge >= STATE_MIN_AGE_MS)) ||
      clockAge >= STATE_MAX_AGE_MS)
  ) {
    background(ctx, 'state rebuild', () => startBuilding(ctx, e, input, fp));
  }
  return current;
}

// ---------------------------------------------------------------------------------------------
// 3. Predictions of the line

const policyIds = new WeakMap<TCallingPolicyConfig, number>();
let policyCounter = 0;

/** Two FNV-1a style 32-bit hashes over the parts of the line and counters that ordering uses. */
function lineFingerprint(input: LineInput): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  const add = (s: string): void => {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 16777619);
      h2 = Math.imul(h2 ^ c, 2246822519) ^ (h2 >>> 13);
    }
    h1 = Math.imul(h1 ^ 0x1f, 16777619);
  };
  for (const t of input.waiting) {
    add(t.id);
    add(t.serviceCode);
    add(t.priorityClass);
    add(String(t.arrivedAtMs));
    add(t.targetCounterId ?? '');
  }
  add('|');
  for (const c of input.counters) {
    if (c.state !== 'open') continue;
    add(c.id);
    add(c.skills.join(','));
  }
  return `${input.waiting.length}:${(h1 >>> 0).toString(36)}${(h2 >>> 0).toString(36)}`;
}

function toEstimate(p: WaitPrediction, method: string): TWaitEstimate {
  const point = Math.max(0, Math.round(p.pointS));
  return {
    pointSeconds: point,
    lowerSeconds: Math.min(point, Math.max(0, Math.round(p.lowerS ?? p.pointS))),
    upperSeconds: Math.max(point, Math.round(p.upperS ?? p.pointS)),
    method,
  };
}

function compute(key: string, input: LineInput, model: ModelEntry, state: StateEntry): PredictionEntry {
  const { branch, config, nowMs } = input;
  const nowLocal = localTimeline(new Date(nowMs), branch.timeZone);
  const offset = nowLocal - nowMs;
  const counters: CounterView[] = input.counters
    .filter((c) => c.state === 'open')
    .map((c) => ({ id: c.id, skills: c.skills }));
  const live: LiveQueueInput<PolicyTicket> = {
    config,
    waiting: input.waiting,
    counters,
    nowMs,
    toTimeline: (ms) => ms + offset,
  };
  const ranks = priorityRanks(config);
  const snapshot = state.state.snapshot(Math.max(nowLocal, state.state.lastEventAt + 1));
  const predict = (target: { service: string; priority: number }, q: QueueAhead): TWaitEstimate => {
    const out = model.predictor.predictLive(snapshot, target, q);
    return toEstimate(out.prediction, out.method);
  };
  const byId = new Map(input.waiting.map((w) => [w.id, w]));
  const tickets = new Map<string, TicketPrediction>();
  for (const [id, pos] of projectLiveQueue(live)) {
    const t = byId.get(id);
    if (!t) continue;
    tickets.set(id, {
      peopleAhead: pos.peopleAhead,
      estimate: predict(
        { service: t.serviceCode, priority: ranks.get(t.priorityClass) ?? 0 },
        pos.queueAhead,
      ),
    });
  }
  return {
    key,
    tickets,
    newArrivals: new Map(),
    input: live,
    predict,
    ranks,
    defaultClass: config.defaultClass,
  };
}

function view(entry: PredictionEntry): BranchPredictions {
  return {
    forTicket: (id) => entry.tickets.get(id),
    forNewArrival: (serviceCode, priorityClass = entry.defaultClass) => {
      const k = `${serviceCode}\u0000${priorityClass}`;
      const hit = entry.newArrivals.get(k);
      if (hit) return hit;
      const pos = projectNewArrival(entry.input, serviceCode, priorityClass);
      const result = {
        peopleAhead: pos.peopleAhead,
        estimate: entry.predict(
          { service: serviceCode, priority: entry.ranks.get(priorityClass) ?? 0 },
          pos.queueAhead,
        ),
      };
      entry.newArrivals.set(k, result);
      return result;
    },
  };
}

/**
 * Predictions for a branch's waiting line as the caller just read it. Cheap when nothing
 * changed (a fingerprint of the line and a map lookup); learning and today's state are cached
 * and refreshed in the background (awaited only the first time of a day).
 */
export async function branchPredictions(ctx: ServerContext, input: LineInput): Promise<BranchPredictions> {
  const e = entryOf(ctx, input.branch.id);
  const fp = lineFingerprint(input);
  let policyId = policyIds.get(input.config);
  if (policyId === undefined) {
    policyId = ++policyCounter;
    policyIds.set(input.config, policyId);
  }
  const model = await modelFor(ctx, e, input);
  const state = await stateFor(ctx, e, input, fp);
  const key = `${model.version}/${state.version}/${policyId}/${Math.floor(input.nowMs / BUCKET_MS)}/${fp}`;
  const cached = e.predictions;
  if (cached && cached.key === key) return view(cached);
  const entry = compute(key, input, model, state);
  e.predictions = entry;
  return view(entry);
}
