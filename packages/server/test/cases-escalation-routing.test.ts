import { DEFAULT_ESCALATION_POLICY } from '@serviceloop/domain';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSlaTick } from '../src/cases/worker.ts';
import { outboxEvents } from '../src/db/schema.ts';
import { caseSlaNotifications } from '../src/db/schema-cases.ts';
import {
  call,
  createTestEnv,
  engines,
  orgIdByCode,
  type Session,
  signInAs,
  type TestEnv,
  userIdByName,
} from './harness.ts';

interface Detail {
  case: { id: string };
  clocks: { role: string; dueAt: string }[];
}
interface Note {
  type: string;
  aggregateId: string;
  data: Record<string, unknown>;
}

function complaint(orgUnitId: string, assigneeId: string) {
  return {
    type: 'complaint',
    orgUnitId,
    channel: 'counter',
    customer: { kind: 'walk_in', name: '赵先生', phone: '13700000000' },
    subject: '存款利率告知不清',
    content: '客户反映定期存款提前支取利率未告知',
    assigneeId,
    complaint: {
      business: '储蓄存款',
      claims: { compensation: null, remedies: [], nonProperty: ['explanation'] },
      severity: 'medium',
      serviceLevel: 'unrated',
      classification: null,
    },
  };
}

/** BJ-CY's chain: warnings also to the branch-manager level, which reaches the region's branch manager. */
const ROUTED = {
  ...DEFAULT_ESCALATION_POLICY,
  warnTo: ['assignee', 'branch_manager'],
  recipients: { branch_manager: [{ kind: 'role', role: 'branch_manager', at: ['region'] }] },
};

describe.each(engines)('who each escalation level reaches, on %s', (engine) => {
  let env: TestEnv;
  let bjcy: string;
  let bjhd: string;
  const ids = new Map<string, string>();
  const id = (username: string) => ids.get(username) as string;
  const session = async (username: string): Promise<Session> => signInAs(env, username);
  const create = async (username: string, payload: Record<string, unknown>) => {
    const res = await call(env, 'POST', '/api/v1/cases', { session: await session(username), payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Detail;
  };
  /** The recipients the worker resolved for one fired notification of a case's acknowledgement clock. */
  const firedTo = async (caseId: string, type: string, level: string) => {
    const rows = await env.database.db
      .select({ payload: outboxEvents.payload })
      .from(outboxEvents)
      .where(and(eq(outboxEvents.aggregateId, caseId), eq(outboxEvents.type, type)));
    const hit = rows
      .map((r) => r.payload as { clock: string; levels: string[]; recipients: string[] })
      .filter((p) => p.clock === 'acknowledgement' && p.levels.includes(level));
    expect(hit.length, `${type} ${level}`).toBe(1);
    return [...(hit[0]?.recipients ?? [])].sort();
  };
  const sorted = (...usernames: string[]) => usernames.map(id).sort();

  beforeAll(async () => {
    env = await createTestEnv(engine);
    bjcy = await orgIdByCode(env, 'BJ-CY');
    bjhd = await orgIdByCode(env, 'BJ-HD');
    for (const u of [
      'bj-cy.complaints',
      'bj-cy.manager',
      'bj-hd.complaints',
      'bj-hd.manager',
      'north.manager',
      'hq.director',
      'hq.service',
    ])
      ids.set(u, await userIdByName(env, u));
  });
  afterAll(() => env.close());

  it('a chain that routes level 2 to the region’s branch manager warns and escalates to that person only', async () => {
    // Opened before the change: keeps the routing it was opened under (like its deadlines).
    const before = await create('bj-cy.teller1', complaint(bjcy, id('bj-cy.complaints')));

    const url = `/api/v1/sla/config/units/${bjcy}`;
    const admin = await session('admin');
    const invalid = await call(env, 'PUT', url, {
      session: admin,
      payload: {
        expectedVersion: 0,
        override: {
          escalation: {
            ...ROUTED,
            recipients: { branch_manager: [{ kind: 'role', role: 'teller', at: ['branch'] }] },
          },
        },
      },
    });
    expect(invalid.statusCode, invalid.body).toBe(400);
    expect(invalid.json().issues).toContainEqual(
      expect.objectContaining({
        path: 'override.escalation.recipients.branch_manager.0.role',
        rule: 'recipient_role',
      }),
    );
    const saved = await call(env, 'PUT', url, {
      session: admin,
      payload: { expectedVersion: 0, override: { escalation: ROUTED }, note: '二级升级至区域负责人' },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().effective.escalation.recipients).toEqual(ROUTED.recipients);

    const routed = await create('bj-cy.teller1', complaint(bjcy, id('bj-cy.complaints')));
    const elsewhere = await create('bj-hd.teller1', complaint(bjhd, id('bj-hd.complaints')));
    const ackDue = new Date(routed.clocks.find((c) => c.role === 'acknowledgement')?.dueAt as string);

    // Past the branch-manager step (4 h after the breach), before head office's (24 h).
    const start = env.clock.now();
    env.clock.set(new Date(ackDue.getTime() + 4 * 3_600_000 + 60_000));
    try {
      await runSlaTick(env.app.ctx);
      await env.app.ctx.dispatcher.drain();
    } finally {
      env.clock.set(start);
    }

    // The routed unit: the warning and the level-2 escalation reach the region's branch manager,
    // not the branch's own nor head office's.
    expect(await firedTo(routed.case.id, 'case.warning', 'branch_manager')).toEqual(
      sorted('bj-cy.complaints', 'north.manager'),
    );
    expect(await firedTo(routed.case.id, 'case.escalated', 'branch_manager')).toEqual(
      sorted('north.manager'),
    );
    // Untouched levels keep the default: the team lead level reaches the complaint handlers on the line.
    expect(await firedTo(routed.case.id, 'case.escalated', 'team_lead')).toEqual(
      sorted('bj-cy.complaints', 'hq.service'),
    );
    // Default routing elsewhere and for the case opened before: every branch manager on the line.
    expect(await firedTo(elsewhere.case.id, 'case.escalated', 'branch_manager')).toEqual(
      sorted('bj-hd.manager', 'north.manager', 'hq.director'),
    );
    expect(await firedTo(before.case.id, 'case.escalated', 'branch_manager')).toEqual(
      sorted('bj-cy.manager', 'north.manager', 'hq.director'),
    );

    // The exactly-once keys do not name recipients.
    const keys = await env.database.db
      .select({ key: caseSlaNotifications.key })
      .from(caseSlaNotifications)
      .where(eq(caseSlaNotifications.caseId, routed.case.id));
    expect(keys.map((k) => k.key).filter((k) => k.includes(':escalation:'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/:acknowledgement#0:escalation:branch_manager:240$/)]),
    );

    // Recipients become inbox entries.
    const inbox = async (username: string) => {
      const res = await call(env, 'GET', '/api/v1/notifications?limit=100', {
        session: await session(username),
      });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { items: Note[] }).items.filter((n) => n.aggregateId === routed.case.id);
    };
    const north = await inbox('north.manager');
    expect(north.map((n) => n.type).sort()).toEqual(['case.escalated', 'case.warning']);
    expect(north.find((n) => n.type === 'case.escalated')?.data).toMatchObject({
      clock: 'acknowledgement',
      levels: ['branch_manager'],
    });
    expect(await inbox('bj-cy.manager')).toEqual([]);
    expect(await inbox('hq.director')).toEqual([]);
  });
});
