import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../src/db/schema.ts';
import { displayHub } from '../src/queue/stream.ts';
import {
  call,
  createTestEnv,
  engines,
  orgIdByCode,
  type Session,
  signInAs,
  type TestEnv,
} from './harness.ts';

interface NoticeJson {
  id: string;
  textZh: string;
  textEn: string | null;
  status: string;
  endsAt: string | null;
  postedByName: string | null;
  expiredByName: string | null;
}

// Issue #3: lobby managers post and take down notices; display boards show them live over SSE.
describe.each(engines)('display notices on %s', (engine) => {
  let env: TestEnv;
  let branch: string;
  let lobby: Session;
  let teller: Session;
  const base = () => `/api/v1/branches/${branch}`;
  const post = (payload: unknown, session = lobby) =>
    call(env, 'POST', `${base()}/notices`, { session, payload });
  const shown = async () =>
    ((await call(env, 'GET', `${base()}/display/notices`)).json().notices as NoticeJson[]).map(
      (n) => n.textZh,
    );

  beforeAll(async () => {
    env = await createTestEnv(engine);
    branch = await orgIdByCode(env, 'BJ-HD');
    lobby = await signInAs(env, 'bj-hd.lobby');
    teller = await signInAs(env, 'bj-hd.teller1');
  });
  afterAll(() => env.close());

  it('a lobby manager posts and takes down notices; they are audited and kept on file', async () => {
    expect(await shown()).toEqual([]);
    expect((await post({ textZh: '越权' }, teller)).statusCode).toBe(403);
    expect((await post({ textZh: '' })).statusCode).toBe(400);
    expect((await post({ textZh: 'x', durationMinutes: 0 })).statusCode).toBe(400);

    const atm = await post({ textZh: 'ATM 2 暂停服务', textEn: 'ATM 2 out of service' });
    expect(atm.statusCode, atm.body).toBe(201);
    const notice = atm.json() as NoticeJson;
    expect(notice).toMatchObject({ status: 'active', endsAt: null, postedByName: expect.any(String) });
    expect(await shown()).toEqual(['ATM 2 暂停服务']);

    const expired = await call(env, 'POST', `${base()}/notices/${notice.id}/expire`, {
      session: lobby,
      payload: {},
    });
    expect(expired.statusCode, expired.body).toBe(200);
    expect(expired.json()).toMatchObject({ status: 'expired', expiredByName: expect.any(String) });
    expect(await shown()).toEqual([]);
    const twice = await call(env, 'POST', `${base()}/notices/${notice.id}/expire`, {
      session: lobby,
      payload: {},
    });
    expect(twice.statusCode).toBe(409);

    const list = (await call(env, 'GET', `${base()}/notices`, { session: teller })).json() as NoticeJson[];
    expect(list.map((n) => [n.textZh, n.status])).toEqual([['ATM 2 暂停服务', 'expired']]);
    const entries = await env.database.db
      .select({ action: auditLog.action, targetId: auditLog.targetId })
      .from(auditLog)
      .where(and(eq(auditLog.orgUnitId, branch), eq(auditLog.targetType, 'queue_notice')));
    expect(entries.map((e) => e.action).sort()).toEqual(['queue.notice_expired', 'queue.notice_posted']);
    expect(new Set(entries.map((e) => e.targetId))).toEqual(new Set([notice.id]));
  });

  it('a notice with a duration leaves the boards when its time is up', async () => {
    const res = await post({ textZh: '网点将于 16:00 暂停对公业务', level: 'info', durationMinutes: 30 });
    expect(res.statusCode).toBe(201);
    expect(await shown()).toEqual(['网点将于 16:00 暂停对公业务']);
    env.clock.advance(29 * 60_000);
    expect(await shown()).toHaveLength(1);
    env.clock.advance(2 * 60_000);
    expect(await shown()).toEqual([]);
    lobby = await signInAs(env, 'bj-hd.lobby'); // the clock moved past the idle timeout
    const list = (await call(env, 'GET', `${base()}/notices`, { session: lobby })).json() as NoticeJson[];
    expect(list[0]).toMatchObject({ textZh: '网点将于 16:00 暂停对公业务', status: 'expired' });
    // Ended on its own: there is nothing left to take down.
    const late = await call(env, 'POST', `${base()}/notices/${list[0]?.id}/expire`, {
      session: lobby,
      payload: {},
    });
    expect(late.statusCode).toBe(409);
  });

  it('boards get the notices on connect and every change live, over the display stream', async () => {
    await env.app.fastify.listen({ host: '127.0.0.1', port: 0 });
    const address = env.app.fastify.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const abort = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}${base()}/display/stream`, { signal: abort.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const raw = () =>
      [...text.matchAll(/event: notices\ndata: (.*)\n/g)].map(
        (m) => JSON.parse(m[1] as string) as { at: string; notices: NoticeJson[] },
      );
    const messages = () => raw().map((m) => m.notices);
    // What a board shows: the newest list by `at` (DisplayPage applies the same rule).
    const board = () =>
      raw().reduce<{ at: string; notices: NoticeJson[] } | undefined>(
        (shownNow, m) => (shownNow === undefined || m.at >= shownNow.at ? m : shownNow),
        undefined,
      )?.notices ?? [];
    const until = async (count: number) => {
      while (messages().length < count) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        text += decoder.decode(value);
      }
      return messages()[count - 1] ?? [];
    };
    expect(await until(1)).toEqual([]);
    expect(displayHub(env.app.ctx).connections).toBe(1);

    const first = (await post({ textZh: '2 号 ATM 暂停服务' })).json() as NoticeJson;
    expect((await until(2)).map((n) => n.textZh)).toEqual(['2 号 ATM 暂停服务']);
    env.clock.advance(1000);
    await post({ textZh: '外币兑换请到 5 号窗口', textEn: 'Foreign exchange at counter 5', level: 'info' });
    const both = await until(3);
    expect(both.map((n) => n.textZh)).toEqual(['外币兑换请到 5 号窗口', '2 号 ATM 暂停服务']);
    expect(both[0]).toMatchObject({ textEn: 'Foreign exchange at counter 5', level: 'info' });
    expect(both[0]).not.toHaveProperty('postedByName');
    await call(env, 'POST', `${base()}/notices/${first.id}/expire`, { session: lobby, payload: {} });
    expect((await until(4)).map((n) => n.textZh)).toEqual(['外币兑换请到 5 号窗口']);

    expect(board().map((n) => n.textZh)).toEqual(['外币兑换请到 5 号窗口']);

    // The dispatcher now delivers every notice event of this file. This node's own live ones
    // were shown already and are skipped; the three from before the board connected arrive late
    // with older lists, which a board ignores, so the notice taken down stays down.
    await env.app.ctx.dispatcher.drain();
    await until(7);
    expect(
      raw()
        .slice(4)
        .every((m) => m.at < (raw()[3]?.at ?? '')),
    ).toBe(true);
    expect(board().map((n) => n.textZh)).toEqual(['外币兑换请到 5 号窗口']);
    abort.abort();
    await reader.cancel().catch(() => undefined);
  });
});
