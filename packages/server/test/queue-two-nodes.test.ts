import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type App, buildApp } from '../src/app.ts';
import { type Database, openDatabase } from '../src/db/database.ts';
import { Dispatcher } from '../src/events/outbox.ts';
import { closeDisplayStreams } from '../src/queue/stream.ts';
import { call, createTestEnv, orgIdByCode, type Session, signInAs, type TestEnv } from './harness.ts';
import { testConfig } from './templates.ts';

/**
 * Two server nodes on one PostgreSQL database: a display board connected to node B shows a call
 * that a teller made on node A. The queue's hot path writes its outbox rows already dispatched
 * (no durable subscriber wants them), so B can learn of them only from A's live broadcast.
 */
describe.runIf(Boolean(process.env.DATABASE_URL))('queue on two nodes (PostgreSQL)', () => {
  let env: TestEnv; // node A
  let databaseB: Database;
  let nodeB: App;
  let branch: string;
  let teller: Session;
  let counterId: string;

  beforeAll(async () => {
    env = await createTestEnv('postgres');
    databaseB = await openDatabase({ url: env.databaseUrl, poolMax: 4 });
    nodeB = await buildApp({
      database: databaseB,
      config: testConfig(),
      clock: env.clock.now,
      serveWeb: false,
    });
    await env.app.ctx.dispatcher.start();
    await nodeB.ctx.dispatcher.start();
    branch = await orgIdByCode(env, 'SH-XH');
    teller = await signInAs(env, 'sh-xh.teller1');
    const overview = (await call(env, 'GET', `/api/v1/branches/${branch}/queue`, { session: teller })).json();
    counterId = overview.counters[0].id;
    await call(env, 'POST', `/api/v1/branches/${branch}/counters/${counterId}/open`, { session: teller });
  });
  afterAll(async () => {
    closeDisplayStreams(nodeB.ctx);
    await nodeB.fastify.close();
    await nodeB.ctx.dispatcher.stop();
    await databaseB.close();
    await env.close();
  });

  it('a board on node B announces a call made on node A, once', async () => {
    await nodeB.fastify.listen({ host: '127.0.0.1', port: 0 });
    const address = nodeB.fastify.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const abort = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/branches/${branch}/display/stream`, {
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const until = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        text += decoder.decode(value);
      }
    };
    await until(/event: state\n/);
    await call(env, 'POST', `/api/v1/branches/${branch}/tickets`, { payload: { serviceCode: 'cash' } });
    const called = await call(env, 'POST', `/api/v1/branches/${branch}/counters/${counterId}/call-next`, {
      session: teller,
      payload: {},
    });
    expect(called.statusCode).toBe(200);
    const number = called.json().ticket.number as string;
    const callEvent = new RegExp(`event: call\\ndata: \\{[^\\n]*"number":"${number}"`, 'g');
    await until(callEvent);
    // Give any second copy (B's own dispatcher, a rebroadcast) time to show up: it must not.
    await new Promise((r) => setTimeout(r, 300));
    const more = await Promise.race([
      reader.read().then(({ value }) => decoder.decode(value)),
      new Promise<string>((r) => setTimeout(() => r(''), 200)),
    ]);
    text += more;
    expect(text.match(callEvent)).toHaveLength(1);
    abort.abort();
    await reader.cancel().catch(() => undefined);
  });
});

describe.runIf(Boolean(process.env.DATABASE_URL))('live broadcast peers (PostgreSQL)', () => {
  it('a node alone broadcasts to nobody; a node joining is heard at once; one leaving is noticed', async () => {
    const env = await createTestEnv('postgres');
    const a = env.app.ctx.dispatcher;
    const databaseB = await openDatabase({ url: env.databaseUrl, poolMax: 2 });
    const b = new Dispatcher(databaseB, env.clock.now);
    try {
      await a.start();
      expect(a.livePeers).toBe(false);
      await b.start();
      // B's hello reaches A without waiting for A's next count.
      await vi.waitFor(() => expect(a.livePeers).toBe(true), { timeout: 3_000 });
      expect(b.livePeers).toBe(true);
      await b.stop();
      await vi.waitFor(
        async () => {
          await a.checkPeers();
          expect(a.livePeers).toBe(false);
        },
        { timeout: 5_000, interval: 100 },
      );
    } finally {
      await b.stop();
      await a.stop();
      await databaseB.close();
      await env.close();
    }
  });
});
