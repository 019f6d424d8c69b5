import { permissionsOf } from '@serviceloop/domain';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../src/app.ts';
import { type Database, openDatabase } from '../src/db/database.ts';
import { orgUnits } from '../src/db/schema.ts';
import { queueCounters, queueTickets } from '../src/db/schema-queue.ts';
import type { Actor } from '../src/identity/actor.ts';
import { newId } from '../src/ids.ts';
import { servicesOf } from '../src/queue/branch.ts';
import { callNext, issueTicket, markNoShow, setCounterState, startService } from '../src/queue/service.ts';
import { createTestEnv, orgIdByCode, type TestEnv, userIdByName } from './harness.ts';
import { testConfig } from './templates.ts';

const COUNTERS = 40;
const TICKETS = 2000;

// Two counters calling at the same instant must never get the same ticket. PGlite has a single
// connection and cannot race, so this runs on PostgreSQL only, with a pool of many connections.
describe.skipIf(!process.env.DATABASE_URL)('concurrent calling on postgres', () => {
  let env: TestEnv;
  let database: Database;
  let app: App;
  let branchId: string;
  let actor: Actor;

  beforeAll(async () => {
    env = await createTestEnv('postgres');
    database = await openDatabase({ url: env.databaseUrl, poolMax: COUNTERS + 8 });
    app = await buildApp({ database, config: testConfig(), clock: () => new Date(), serveWeb: false });
    branchId = await orgIdByCode(env, 'BJ-CY');
    const [branch] = await database.db.select().from(orgUnits).where(eq(orgUnits.id, branchId));
    actor = {
      userId: await userIdByName(env, 'bj-cy.teller1'),
      username: 'bj-cy.teller1',
      displayName: 'teller',
      orgUnitId: branchId,
      scopePath: branch?.path as string,
      roles: ['teller'],
      permissions: permissionsOf(['teller']),
      sessionId: 'test',
      csrfToken: 'test',
      locale: 'zh-CN',
    };
    await servicesOf(app.ctx, branchId); // default catalogue and counters 1–5
    const now = new Date();
    await database.db.insert(queueCounters).values(
      Array.from({ length: COUNTERS - 5 }, (_, i) => ({
        id: newId(),
        branchId,
        number: 6 + i,
        name: `${6 + i}号窗口`,
        skills: [],
        state: 'closed',
        stateChangedAt: now,
        createdAt: now,
        updatedAt: now,
      })),
    );
    await database.db
      .update(queueCounters)
      .set({ skills: ['cash', 'personal', 'corporate', 'wealth'] })
      .where(eq(queueCounters.branchId, branchId));
  });
  afterAll(async () => {
    await app.fastify.close();
    await database.close();
    await env.close();
  });

  it(`${COUNTERS} counters on ${COUNTERS} connections call ${TICKETS} tickets, each exactly once`, async () => {
    const counters = await database.db
      .select({ id: queueCounters.id })
      .from(queueCounters)
      .where(eq(queueCounters.branchId, branchId));
    expect(counters).toHaveLength(COUNTERS);
    for (const c of counters)
      await setCounterState(app.ctx, actor, { branchId, counterId: c.id, state: 'open' });
    const services = ['cash', 'personal', 'corporate', 'wealth'];
    const issueMany = async (n: number, offset: number) => {
      for (let i = 0; i < n; i += 50) {
        await Promise.all(
          Array.from({ length: Math.min(50, n - i) }, (_, j) =>
            issueTicket(app.ctx, {
              branchId,
              request: { serviceCode: services[(offset + i + j) % 4] as string, locale: 'zh-CN' },
              idempotencyKey: undefined,
            }),
          ),
        );
      }
    };
    // A line forms before the counters start; the rest arrive while they call.
    const started = Date.now();
    await issueMany(200, 0);
    let issuing = true;
    const issuer = issueMany(TICKETS - 200, 200).finally(() => {
      issuing = false;
    });
    const calledBy = new Map<string, string>();
    const duplicates: string[] = [];
    const worker = async (counterId: string, k: number) => {
      for (;;) {
        const ticket = await callNext(app.ctx, actor, { branchId, counterId });
        if (!ticket) {
          if (!issuing) return;
          await new Promise((r) => setTimeout(r, 2));
          continue;
        }
        if (calledBy.has(ticket.id)) duplicates.push(ticket.id);
        calledBy.set(ticket.id, counterId);
        // Free the counter: alternate between a no-show and a started service.
        if (k % 2 === 0) await markNoShow(app.ctx, actor, { branchId, ticketId: ticket.id });
        else {
          await startService(app.ctx, actor, { branchId, ticketId: ticket.id });
          await database.db
            .update(queueCounters)
            .set({ currentTicketId: null })
            .where(eq(queueCounters.id, counterId));
        }
      }
    };
    await Promise.all([issuer, ...counters.map((c, k) => worker(c.id, k))]);
    process.stdout.write(
      `${TICKETS} tickets issued and called by ${COUNTERS} counters in ${Date.now() - started} ms\n`,
    );
    expect(duplicates).toEqual([]);
    expect(calledBy.size).toBe(TICKETS);
    const [left] = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(queueTickets)
      .where(and(eq(queueTickets.branchId, branchId), eq(queueTickets.status, 'waiting')));
    expect(left?.n).toBe(0);
    const events = await database.rows<{ n: number; distinct_tickets: number }>(sql`
      select count(*)::int as n, count(distinct aggregate_id)::int as distinct_tickets
      from outbox_events where type = 'queue.ticket_called' and org_unit_id = ${branchId}`);
    expect(events[0]).toEqual({ n: TICKETS, distinct_tickets: TICKETS });
    // Numbers stayed unique per service and day under concurrent issuing.
    const numbers = await database.rows<{ n: number; distinct_numbers: number }>(sql`
      select count(*)::int as n, count(distinct number)::int as distinct_numbers
      from queue_tickets where branch_id = ${branchId}`);
    expect(numbers[0]?.n).toBe(numbers[0]?.distinct_numbers);
  }, 180_000);
});
