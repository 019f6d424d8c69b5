import type { Clock } from '@serviceloop/domain';
import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/database.ts';
import { outboxEvents } from '../db/schema.ts';
import { newId } from '../ids.ts';

export const OUTBOX_CHANNEL = 'serviceloop_outbox';

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
  readonly handler: EventHandler;
}

const MAX_ATTEMPTS = 10;
const LEASE_MS = 30_000;
const POLL_MS = 1_000;

/**
 * Delivers committed events to in-process subscribers, at least once. An event is marked
 * dispatched only after every subscriber handled it, so a crash between commit and dispatch
 * (or during it) leaves it pending and it is delivered after restart. A lease lets several
 * server nodes share the outbox without handing one event to two of them at once.
 */
export class Dispatcher {
  private readonly subscriptions: Subscription[] = [];
  private readonly live = new Set<(event: StoredEvent) => void>();
  private running = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private draining: Promise<number> | undefined;

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
    this.subscriptions.push({ name, matches, handler });
  }

  /** Live listeners (SSE streams) see each event once it has been dispatched by this node. */
  onDispatched(listener: (event: StoredEvent) => void): () => void {
    this.live.add(listener);
    return () => this.live.delete(listener);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.unlisten = await this.database.listen(OUTBOX_CHANNEL, () => this.wake?.());
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.unlisten?.();
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
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
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
      payload: Record<string, unknown>;
      occurred_at: string | Date;
    }>(sql`
      update outbox_events set claimed_until = ${leaseUntil}, attempts = attempts + 1
      where id in (
        select id from outbox_events
        where dispatched_at is null and attempts < ${MAX_ATTEMPTS}
          and (claimed_until is null or claimed_until < ${now})
        order by id limit 100
        for update skip locked)
      returning id, event_id, type, org_unit_id, aggregate_type, aggregate_id, actor_id, payload, occurred_at`);
    rows.sort((a, b) => Number(a.id) - Number(b.id));
    for (const row of rows) {
      const event: StoredEvent = {
        id: Number(row.id),
        eventId: row.event_id,
        type: row.type,
        orgUnitId: row.org_unit_id,
        aggregateType: row.aggregate_type,
        aggregateId: row.aggregate_id,
        actorId: row.actor_id,
        payload: row.payload,
        occurredAt: new Date(row.occurred_at),
      };
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
      if (failed) continue;
      await this.database.db.execute(
        sql`update outbox_events set dispatched_at = ${this.clock()}, claimed_until = null where id = ${event.id}`,
      );
      for (const listener of this.live) listener(event);
    }
    return rows.length;
  }
}
