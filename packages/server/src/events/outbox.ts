import type { Clock } from '@serviceloop/domain';
import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/database.ts';
import { outboxEvents } from '../db/schema.ts';
import { newId } from '../ids.ts';

export const OUTBOX_CHANNEL = 'serviceloop_outbox';
/** Committed events fanned out to every node's live listeners (display boards), as NOTIFY payloads. */
export const LIVE_CHANNEL = 'serviceloop_live';
/** NOTIFY payloads must stay under 8000 bytes (UTF-8). */
const LIVE_PAYLOAD_MAX = 7_000;

export interface NewEvent {
  readonly type: string;
  readonly orgUnitId: string | null;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly actorId: string | null;
  readonly payload: Record<string, unknown>;
}

export interface StoredEvent extends NewEvent {
  readonly id: number;
  readonly eventId: string;
  readonly occurredAt: Date;
}

/**
 * Appends events inside the caller's transaction, so an event exists if and only if the state
 * change committed. pg_notify is transactional too: listeners wake only after the commit.
 */
export async function appendEvents(tx: Executor, clock: Clock, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  const now = clock();
  await tx.insert(outboxEvents).values(
    events.map((e) => ({
      eventId: newId(),
      type: e.type,
      orgUnitId: e.orgUnitId,
      aggregateType: e.aggregateType,
      aggregateId: e.aggregateId,
      actorId: e.actorId,
      payload: e.payload,
      occurredAt: now,
    })),
  );
  await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
}

export type EventHandler = (event: StoredEvent) => Promise<void>;

interface Subscription {
  readonly name: string;
  readonly matches: (type: string) => boolean;
  /** The same test as SQL LIKE patterns. */
  readonly patterns: readonly string[];
  readonly handler: EventHandler;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A subscription's types as LIKE patterns: 'a.b' exactly, 'a.*' as the prefix 'a.', '*' as anything. */
function likePatterns(types: readonly string[] | '*'): string[] {
  if (types === '*') return ['%'];
  return types.map((t) => (t.endsWith('.*') ? `${likeEscape(t.slice(0, -1))}%` : likeEscape(t)));
}

const MAX_ATTEMPTS = 10;
const LEASE_MS = 30_000;
const POLL_MS = 1_000;
/**
 * Commits announced with committed() within this window share one NOTIFY. NOTIFY is only a
 * wake-up hint (the outbox table is the truth, polled every POLL_MS), so coalescing loses nothing.
 */
const NOTIFY_COALESCE_MS = 5;
/** How often a node counts the other nodes' live listeners (a node joining says hello at once). */
const PEER_CHECK_MS = 5_000;
/** application_name of every node's live listening connection. */
const LIVE_APPLICATION = 'serviceloop-live';
/** After a wake-up, wait this long so a burst of commits is claimed as one batch. */
const GATHER_MS = 2;
const BATCH = 200;

/**
 * A CTE that makes the statement joining it commit asynchronously (SET LOCAL for its implicit
 * transaction, no WAL flush wait). Only for writes whose loss in a database crash is harmless.
 */
const ASYNC_COMMIT = sql.raw(`async_commit as (select set_config('synchronous_commit', 'off', true) as v)`);

/** Events as NOTIFY payloads under the size limit (an event too big alone is left out: live only). */
function livePayloads(nodeId: string, events: readonly StoredEvent[]): string[] {
  const payloads: string[] = [];
  let parts: string[] = [];
  let size = 0;
  const flush = () => {
    if (parts.length > 0) payloads.push(`{"n":${JSON.stringify(nodeId)},"e":[${parts.join(',')}]}`);
    parts = [];
    size = 0;
  };
  for (const event of events) {
    const json = JSON.stringify(event);
    const bytes = Buffer.byteLength(json);
    if (bytes > LIVE_PAYLOAD_MAX) continue;
    if (size + bytes > LIVE_PAYLOAD_MAX) flush();
    parts.push(json);
    size += bytes + 1;
  }
  flush();
  return payloads;
}

/**
 * Delivers committed events to in-process subscribers, at least once. An event is marked
 * dispatched only after every subscriber handled it, so a crash between commit and dispatch
 * (or during it) leaves it pending and it is delivered after restart. A lease lets several
 * server nodes share the outbox without handing one event to two of them at once.
 *
 * A batch is claimed in one statement and the events every subscriber handled are marked in one
 * more, so the cost per event stays flat under load. An event no durable subscriber wants is
 * marked dispatched by the claim itself (the queue's hot path even writes such events already
 * dispatched: only live listeners see them). Both statements commit asynchronously
 * (synchronous_commit off): losing one in a database crash only means the lease or the mark is
 * gone and the event is delivered again — the at-least-once promise holds, subscribers are
 * idempotent already.
 */
export class Dispatcher {
  private readonly subscriptions: Subscription[] = [];
  private readonly wanted = new Map<string, boolean>();
  private readonly live = new Set<(event: StoredEvent) => void>();
  private running = false;
  private wake: (() => void) | undefined;
  /** Set by a wake-up that came while draining: drain again before sleeping. */
  private kicked = false;
  private loop: Promise<void> | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private draining: Promise<number> | undefined;
  private notifyTimer: NodeJS.Timeout | undefined;
  /** Tells this node's broadcasts from other nodes' (each node skips its own). */
  private readonly nodeId = newId();
  private readonly ownPrefix = `{"n":${JSON.stringify(this.nodeId)},`;
  private unlistenLive: (() => Promise<void>) | undefined;
  private outgoing: StoredEvent[] = [];
  private liveTimer: NodeJS.Timeout | undefined;
  /**
   * Whether another node listens live; unknown counts as yes. A node alone on its database
   * broadcasts nothing (its own listeners are served by the writer). A node starting says hello
   * on LIVE_CHANNEL, so the others start broadcasting at once; every PEER_CHECK_MS each node
   * counts the live listeners to notice nodes that went away.
   */
  private peers = true;
  private hellos = 0;
  private peerTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly onError: (
      error: unknown,
      where: { subscriber: string; event?: StoredEvent },
    ) => void = () => undefined,
  ) {}

  /** Durable subscriber: `types` is a list of event types or prefixes ending in '.*', or '*'. */
  subscribe(name: string, types: readonly string[] | '*', handler: EventHandler): void {
    const matches =
      types === '*'
        ? () => true
        : (type: string) =>
            types.some((t) => (t.endsWith('.*') ? type.startsWith(t.slice(0, -1)) : t === type));
    this.subscriptions.push({ name, matches, patterns: likePatterns(types), handler });
    this.wanted.clear();
  }

  /** Every durable subscriber's types as one array literal of LIKE patterns. */
  private wantedPatterns(): string {
    const patterns = this.subscriptions.flatMap((s) => s.patterns);
    return `{${patterns.map((p) => `"${p.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
  }

  /** Whether a durable subscriber wants events of this type (else nobody but live listeners does). */
  wants(type: string): boolean {
    let wanted = this.wanted.get(type);
    if (wanted === undefined) {
      wanted = this.subscriptions.some((s) => s.matches(type));
      this.wanted.set(type, wanted);
    }
    return wanted;
  }

  /**
   * Live listeners (SSE streams) see each event dispatched by this node and, on PostgreSQL while
   * the dispatcher runs, each event other nodes committed or dispatched (LIVE_CHANNEL). Best
   * effort and possibly twice: a listener dedupes by eventId; durable work belongs in subscribe().
   */
  onDispatched(listener: (event: StoredEvent) => void): () => void {
    this.live.add(listener);
    return () => this.live.delete(listener);
  }

  /**
   * Tells the dispatchers that events were committed, for writers that append outbox rows
   * without pg_notify in their transaction (the queue's hot path: a NOTIFY in a transaction
   * takes a database-wide lock held through the commit's WAL flush, which serialises every such
   * commit). Call it after the commit. If a durable subscriber wants one of them, this node's
   * loop wakes at once and other nodes through one NOTIFY shared by the commits of the next few
   * milliseconds (a crash before it goes out delays nothing beyond the other nodes' poll). The
   * events also go to the other nodes' live listeners (this node's were served by the writer).
   */
  committed(events: readonly StoredEvent[]): void {
    this.broadcast(events);
    if (!events.some((e) => this.wants(e.type))) return;
    this.kick();
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      this.database.db.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`).catch((error: unknown) => {
        if (this.running) this.onError(error, { subscriber: 'notify' });
      });
    }, NOTIFY_COALESCE_MS);
    this.notifyTimer.unref();
  }

  private kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /** Whether this node believes another node listens live (and so broadcasts to it). */
  get livePeers(): boolean {
    return this.peers;
  }

  /** Counts the live listeners on this database (each node has one); keeps `peers` if a hello came meanwhile. */
  async checkPeers(): Promise<void> {
    const hellos = this.hellos;
    try {
      const [row] = await this.database.rows<{ n: number | string }>(sql`
        select count(*) as n from pg_stat_activity
        where datname = current_database() and application_name = ${LIVE_APPLICATION}`);
      if (this.hellos === hellos) this.peers = Number(row?.n ?? 2) > 1;
    } catch (error) {
      this.peers = true;
      if (this.running) this.onError(error, { subscriber: 'live peers' });
    }
  }

  /** Queues events for the other nodes' live listeners: one NOTIFY per few milliseconds. */
  private broadcast(events: readonly StoredEvent[]): void {
    // One node (PGlite, or alone on PostgreSQL), or not serving: nobody to tell.
    if (!this.unlistenLive || !this.peers || events.length === 0) return;
    this.outgoing.push(...events);
    if (this.liveTimer) return;
    this.liveTimer = setTimeout(() => {
      this.liveTimer = undefined;
      const batch = this.outgoing;
      this.outgoing = [];
      for (const payload of livePayloads(this.nodeId, batch)) {
        this.database.db
          .execute(sql`select pg_notify(${LIVE_CHANNEL}, ${payload})`)
          .catch((error: unknown) => {
            if (this.running) this.onError(error, { subscriber: 'live broadcast' });
          });
      }
    }, NOTIFY_COALESCE_MS);
    this.liveTimer.unref();
  }

  private onLive(payload: string): void {
    // This node hears its own broadcasts too: skip them before parsing.
    if (payload.startsWith(this.ownPrefix)) return;
    let message: {
      n: string;
      hello?: true;
      e?: (Omit<StoredEvent, 'occurredAt'> & { occurredAt: string })[];
    };
    try {
      message = JSON.parse(payload);
    } catch {
      return;
    }
    if (message.n === this.nodeId) return;
    if (message.hello) {
      this.hellos++;
      this.peers = true;
      return;
    }
    for (const e of message.e ?? []) {
      const event: StoredEvent = { ...e, occurredAt: new Date(e.occurredAt) };
      for (const listener of this.live) listener(event);
    }
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.unlisten = await this.database.listen(OUTBOX_CHANNEL, () => this.kick());
    if (this.database.kind === 'postgres') {
      this.unlistenLive = await this.database.listen(LIVE_CHANNEL, (payload) => this.onLive(payload), {
        applicationName: LIVE_APPLICATION,
      });
      await this.database.rows(
        sql`select pg_notify(${LIVE_CHANNEL}, ${JSON.stringify({ n: this.nodeId, hello: true })})`,
      );
      await this.checkPeers();
      this.peerTimer = setInterval(() => void this.checkPeers(), PEER_CHECK_MS);
      this.peerTimer.unref();
    }
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.unlisten?.();
    await this.unlistenLive?.();
    this.unlistenLive = undefined;
    if (this.peerTimer) clearInterval(this.peerTimer);
    this.peerTimer = undefined;
    this.peers = true;
    if (this.notifyTimer) clearTimeout(this.notifyTimer);
    this.notifyTimer = undefined;
    if (this.liveTimer) clearTimeout(this.liveTimer);
    this.liveTimer = undefined;
    this.outgoing = [];
  }

  /** Dispatches everything pending now; returns how many events were handled. */
  drain(): Promise<number> {
    // One drain at a time: a second caller waits for the first and then drains what is left.
    const next = (this.draining ?? Promise.resolve(0)).then(() => this.drainAll());
    this.draining = next.catch(() => 0);
    return next;
  }

  private async drainAll(): Promise<number> {
    let total = 0;
    for (;;) {
      this.kicked = false;
      const n = await this.dispatchBatch();
      total += n;
      if (n === 0) return total;
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.drain();
      } catch (error) {
        this.onError(error, { subscriber: 'dispatcher' });
      }
      if (!this.running) break;
      if (!this.kicked) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, POLL_MS);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
      if (this.running && GATHER_MS > 0) await new Promise((r) => setTimeout(r, GATHER_MS));
    }
  }

  private async dispatchBatch(): Promise<number> {
    const now = this.clock();
    const leaseUntil = new Date(now.getTime() + LEASE_MS);
    const rows = await this.database.rows<{
      id: string;
      event_id: string;
      type: string;
      org_unit_id: string | null;
      aggregate_type: string;
      aggregate_id: string;
      actor_id: string | null;
      payload: Record<string, unknown> | string;
      occurred_at: string | Date;
      settled: boolean;
    }>(sql`
      with ${ASYNC_COMMIT}
      update outbox_events o set claimed_until = ${leaseUntil}, attempts = o.attempts + 1,
        dispatched_at = case when o.type like any(${this.wantedPatterns()}::text[]) then null else ${now}::timestamptz end
      from async_commit
      where o.id in (
        select id from outbox_events
        where dispatched_at is null and attempts < ${MAX_ATTEMPTS}
          and (claimed_until is null or claimed_until < ${now})
        order by id limit ${BATCH}
        for update skip locked)
      returning o.id, o.event_id, o.type, o.org_unit_id, o.aggregate_type, o.aggregate_id, o.actor_id,
        o.payload, o.occurred_at, o.dispatched_at is not null as settled`);
    rows.sort((a, b) => Number(a.id) - Number(b.id));
    const done: StoredEvent[] = [];
    const live: StoredEvent[] = [];
    for (const row of rows) {
      const event: StoredEvent = {
        id: Number(row.id),
        eventId: row.event_id,
        type: row.type,
        orgUnitId: row.org_unit_id,
        aggregateType: row.aggregate_type,
        aggregateId: row.aggregate_id,
        actorId: row.actor_id,
        payload: (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as Record<
          string,
          unknown
        >,
        occurredAt: new Date(row.occurred_at),
      };
      if (row.settled) {
        live.push(event);
        continue;
      }
      let failed = false;
      for (const sub of this.subscriptions) {
        if (!sub.matches(event.type)) continue;
        try {
          await sub.handler(event);
        } catch (error) {
          failed = true;
          this.onError(error, { subscriber: sub.name, event });
          const message = error instanceof Error ? error.message : String(error);
          await this.database.db.execute(
            sql`update outbox_events set last_error = ${`${sub.name}: ${message}`.slice(0, 2000)} where id = ${event.id}`,
          );
          break;
        }
      }
      if (!failed) done.push(event);
    }
    if (done.length > 0) {
      const ids = `{${done.map((e) => e.id).join(',')}}`;
      await this.database.db.execute(sql`
        with ${ASYNC_COMMIT}
        update outbox_events o set dispatched_at = ${this.clock()}, claimed_until = null
        from async_commit where o.id = any(${ids}::bigint[])`);
      live.push(...done);
      live.sort((a, b) => a.id - b.id);
    }
    for (const event of live) for (const listener of this.live) listener(event);
    this.broadcast(live);
    return rows.length;
  }
}
