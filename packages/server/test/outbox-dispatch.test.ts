import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvents, Dispatcher, type NewEvent, type StoredEvent } from '../src/events/outbox.ts';
import { createTestEnv, engines, type TestEnv } from './harness.ts';

const event = (type: string, aggregateId: string): NewEvent => ({
  type,
  orgUnitId: null,
  aggregateType: 'test',
  aggregateId,
  actorId: null,
  payload: { aggregateId },
});

describe.each(engines)('outbox dispatch in batches on %s', (engine) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv(engine);
  });
  afterAll(() => env.close());

  const pending = async (aggregateIds: string[]) =>
    (
      await env.database.rows<{ aggregate_id: string }>(
        sql`select aggregate_id from outbox_events where dispatched_at is null
            and aggregate_id = any(${`{${aggregateIds.join(',')}}`}::text[]) order by id`,
      )
    ).map((r) => r.aggregate_id);

  it('hands a batch to subscribers in order, marks what they handled, and shows everything to live listeners', async () => {
    const handled: string[] = [];
    const live: string[] = [];
    const dispatcher = new Dispatcher(env.database, env.clock.now);
    // 'pay_x' must not match 'payXx': the underscore in a type is no LIKE wildcard.
    dispatcher.subscribe('rec', ['batch.wanted', 'batch.pay_x', 'prefix.*'], async (e) => {
      if (e.aggregateId === 'fails') throw new Error('transient');
      handled.push(e.aggregateId);
    });
    dispatcher.onDispatched((e: StoredEvent) => live.push(e.aggregateId));
    await env.database.db.transaction((tx) =>
      appendEvents(tx, env.clock.now, [
        event('batch.wanted', 'a'),
        event('batch.unwanted', 'b'),
        event('prefix.any.thing', 'c'),
        event('batch.payXx', 'd'),
        event('batch.pay_x', 'e'),
        event('batch.wanted', 'fails'),
      ]),
    );
    await dispatcher.drain();
    expect(handled).toEqual(['a', 'c', 'e']);
    expect(live).toEqual(['a', 'b', 'c', 'd', 'e']);
    // Nobody wants b and d: settled by the claim. The failed one waits for its lease to end.
    expect(await pending(['a', 'b', 'c', 'd', 'e', 'fails'])).toEqual(['fails']);
    env.clock.advance(31_000);
    await dispatcher.drain();
    expect(await pending(['fails'])).toEqual(['fails']); // fails again: still pending, attempts counted
    const [row] = await env.database.rows<{ attempts: number }>(
      sql`select attempts from outbox_events where aggregate_id = 'fails'`,
    );
    expect(Number(row?.attempts)).toBe(2);
  });

  it('committed() wakes a running dispatcher without a NOTIFY in the writing transaction', async () => {
    const seen: string[] = [];
    const dispatcher = new Dispatcher(env.database, env.clock.now);
    dispatcher.subscribe('rec', ['wake.*'], async (e) => {
      seen.push(e.aggregateId);
    });
    await dispatcher.start();
    try {
      await dispatcher.drain();
      // Written the way the queue's hot path writes: a plain insert, no pg_notify.
      await env.database.db.execute(sql`
        insert into outbox_events (event_id, type, org_unit_id, aggregate_type, aggregate_id, actor_id, payload, occurred_at)
        values (gen_random_uuid(), 'wake.up', null, 'test', 'w1', null, '{}'::jsonb, now())`);
      const started = Date.now();
      dispatcher.committed([
        {
          id: 0,
          eventId: '00000000-0000-7000-8000-000000000001',
          type: 'wake.up',
          orgUnitId: null,
          aggregateType: 'test',
          aggregateId: 'w1',
          actorId: null,
          payload: {},
          occurredAt: new Date(),
        },
      ]);
      while (!seen.includes('w1') && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 5));
      expect(seen).toEqual(['w1']);
      // Well inside the 1 s poll: it was the wake-up, not the poll.
      expect(Date.now() - started).toBeLessThan(800);
    } finally {
      await dispatcher.stop();
    }
  });
});
