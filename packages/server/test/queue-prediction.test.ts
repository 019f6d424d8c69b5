import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  forgetBranchModel,
  type LearningThread,
  learnedModel,
  learningStats,
  predictionsSettled,
  setLearningThread,
} from '../src/queue/prediction.ts';
import { PredictionLearner } from '../src/queue/prediction-learner.ts';
import {
  call,
  createTestEnv,
  engines,
  orgIdByCode,
  SAMPLE_CSV,
  type Session,
  signInAs,
  type TestEnv,
} from './harness.ts';

/** The first `days` days of the sample: enough served visits (≥ 300) for the model to replace the formula. */
function sampleDays(days: number): string {
  const [header, ...rows] = readFileSync(SAMPLE_CSV, 'utf8').trim().split(/\r?\n/);
  const keep = new Set(Array.from({ length: days }, (_, i) => `2010-08-${String(i + 1).padStart(2, '0')}`));
  return [header, ...rows.filter((r) => keep.has(r.split(',')[4]?.slice(0, 10) ?? ''))].join('\n');
}

interface Estimate {
  pointSeconds: number;
  lowerSeconds: number;
  upperSeconds: number;
  method: string;
}

function expectSane(e: Estimate | null): asserts e is Estimate {
  expect(e).not.toBeNull();
  const x = e as Estimate;
  expect(x.lowerSeconds).toBeLessThanOrEqual(x.pointSeconds);
  expect(x.pointSeconds).toBeLessThanOrEqual(x.upperSeconds);
  expect(x.upperSeconds).toBeGreaterThan(x.lowerSeconds);
}

describe.each(engines)('live wait prediction on %s', (engine) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv(engine);
  });
  afterAll(() => env.close());

  const importHistory = async (branch: string, manager: Session, csv: string) => {
    const start = await call(env, 'POST', `/api/v1/branches/${branch}/visit-imports?dryRun=false`, {
      session: manager,
      payload: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(start.statusCode, start.body).toBe(202);
    for (let i = 0; i < 600; i++) {
      const job = (
        await call(env, 'GET', `/api/v1/branches/${branch}/visit-imports/${start.json().id}`, {
          session: manager,
        })
      ).json();
      if (job.status !== 'running') {
        expect(job.status, JSON.stringify(job)).toBe('imported');
        return job.accepted as number;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('import did not finish');
  };

  const openCounters = async (branch: string, teller: Session, numbers: number[]) => {
    const overview = (await call(env, 'GET', `/api/v1/branches/${branch}/queue`, { session: teller })).json();
    const ids: string[] = [];
    for (const n of numbers) {
      const c = overview.counters.find((x: { number: number }) => x.number === n);
      const res = await call(env, 'POST', `/api/v1/branches/${branch}/counters/${c.id}/open`, {
        session: teller,
        payload: {},
      });
      expect(res.statusCode, res.body).toBe(200);
      ids.push(c.id);
    }
    return ids;
  };

  const issue = async (branch: string, serviceCode: string) => {
    const res = await call(env, 'POST', `/api/v1/branches/${branch}/tickets`, { payload: { serviceCode } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { ticket: { id: string }; peopleAhead: number; estimate: Estimate | null };
  };
  const status = async (ticketId: string) => {
    const res = await call(env, 'GET', `/api/v1/tickets/${ticketId}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { peopleAhead: number | null; estimate: Estimate | null };
  };

  it('a branch with imported history predicts with the learned model; later positions wait longer; calls move it', async () => {
    const branch = await orgIdByCode(env, 'SH-XH');
    const manager = await signInAs(env, 'sh-xh.manager');
    const teller = await signInAs(env, 'sh-xh.teller1');
    expect(await importHistory(branch, manager, sampleDays(3))).toBeGreaterThan(2000);
    const [counter1] = await openCounters(branch, teller, [1, 2]);

    const issued = [];
    for (let i = 0; i < 6; i++) {
      const t = await issue(branch, 'cash');
      // The kiosk's answer (line read by the statement that issued the ticket) is what a
      // status read right after says (line read from the table).
      const read = await status(t.ticket.id);
      expect(read.peopleAhead).toBe(t.peopleAhead);
      expect(read.estimate).toEqual(t.estimate);
      issued.push(t);
    }
    for (const [i, t] of issued.entries()) {
      expect(t.peopleAhead).toBe(i);
      expectSane(t.estimate);
      expect(t.estimate.method).toBe('serviceloop');
    }
    // Read together at one instant: a longer queue ahead never predicts a shorter wait.
    const before = await Promise.all(issued.map((t) => status(t.ticket.id)));
    for (let i = 1; i < before.length; i++) {
      expectSane(before[i]?.estimate ?? null);
      expect(before[i]?.estimate?.pointSeconds).toBeGreaterThanOrEqual(
        before[i - 1]?.estimate?.pointSeconds ?? 0,
      );
    }
    const first = before[0]?.estimate?.pointSeconds ?? 0;
    const last = before.at(-1)?.estimate?.pointSeconds ?? 0;
    expect(last).toBeGreaterThan(first);

    // The lobby and the display board tell a new arrival the same kind of estimate.
    const lobby = (await call(env, 'GET', `/api/v1/branches/${branch}/queue`, { session: teller })).json();
    const cash = lobby.services.find((s: { code: string }) => s.code === 'cash');
    expectSane(cash.estimate);
    expect(cash.estimate.method).toBe('serviceloop');
    expect(cash.newArrivalAhead).toBe(6);
    expect(cash.estimate.pointSeconds).toBeGreaterThanOrEqual(last);
    const display = (await call(env, 'GET', `/api/v1/branches/${branch}/display`)).json();
    const shown = display.waiting.find((w: { code: string }) => w.code === 'cash');
    expect(shown.estimate).toEqual(cash.estimate);

    // Two calls later the last ticket has two fewer ahead and a shorter predicted wait.
    env.clock.advance(30_000);
    for (let i = 0; i < 2; i++) {
      const called = await call(env, 'POST', `/api/v1/branches/${branch}/counters/${counter1}/call-next`, {
        session: teller,
        payload: {},
      });
      expect(called.statusCode, called.body).toBe(200);
      const ticketId = called.json().ticket.id as string;
      await call(env, 'POST', `/api/v1/branches/${branch}/tickets/${ticketId}/start`, {
        session: teller,
        payload: {},
      });
      env.clock.advance(60_000);
      await call(env, 'POST', `/api/v1/branches/${branch}/tickets/${ticketId}/finish`, {
        session: teller,
        payload: { outcome: 'completed' },
      });
    }
    const after = await status(issued[5]?.ticket.id as string);
    expect(after.peopleAhead).toBe(3);
    expectSane(after.estimate);
    expect(after.estimate.method).toBe('serviceloop');
    expect(after.estimate.pointSeconds).toBeLessThan(last);
    // A called ticket has no prediction any more.
    expect((await status(issued[0]?.ticket.id as string)).estimate).toBeNull();
  });

  it('a branch without history uses QL-abandon, then learns once history is imported', async () => {
    const branch = await orgIdByCode(env, 'BJ-HD');
    const manager = await signInAs(env, 'bj-hd.manager');
    const teller = await signInAs(env, 'bj-hd.teller1');
    await openCounters(branch, teller, [1]);
    const a = await issue(branch, 'cash');
    const b = await issue(branch, 'cash');
    expectSane(a.estimate);
    expectSane(b.estimate);
    expect(a.estimate.method).toBe('ql-abandon');
    // One counter, nothing served yet: 180 s per service until the branch has served anybody.
    expect(a.estimate.pointSeconds).toBe(180);
    expect(b.estimate.pointSeconds).toBe(360);

    // Imported history: the next prediction learns it.
    await importHistory(branch, manager, sampleDays(3));
    const learned = await status(b.ticket.id);
    expectSane(learned.estimate);
    expect(learned.estimate.method).toBe('serviceloop');
    expect(learned.peopleAhead).toBe(1);

    // Another node's import is found by the periodic history check (every minute while untrained,
    // every ten once trained), learned in the background.
    const other = await orgIdByCode(env, 'SH-PD');
    const c = await issue(other, 'cash');
    expect(c.estimate?.method).toBe('ql-abandon');
    const { queueVisitHistory } = await import('../src/db/schema-queue.ts');
    const { newId } = await import('../src/ids.ts');
    const rows = sampleDays(3)
      .split(/\r?\n/)
      .slice(1)
      .map((line) => line.split(','))
      .map((f) => ({
        id: newId(),
        branchId: other,
        importJobId: newId(),
        visitId: f[0] as string,
        site: f[1] as string,
        serviceCode: f[2] as string,
        priority: Number(f[3]),
        arrivedAt: f[4] as string,
        calledAt: f[5] || null,
        serviceStartedAt: f[6] || null,
        serviceEndedAt: f[7] || null,
        outcome: f[8] as string,
        counter: f[9] || null,
      }));
    for (let i = 0; i < rows.length; i += 1000) {
      await env.database.db
        .insert(queueVisitHistory)
        .values(rows.slice(i, i + 1000))
        .onConflictDoNothing();
    }
    expect((await status(c.ticket.id)).estimate?.method).toBe('ql-abandon');
    env.clock.advance(61_000);
    await status(c.ticket.id); // notices the minute has passed: checks and learns in the background
    await predictionsSettled(env.app.ctx);
    expect((await status(c.ticket.id)).estimate?.method).toBe('serviceloop');
  });

  describe('learning in the worker thread', () => {
    let branch: string;
    let teller: Session;
    let tickets: string[];
    beforeAll(async () => {
      branch = await orgIdByCode(env, 'BJ-CY');
      const manager = await signInAs(env, 'bj-cy.manager');
      teller = await signInAs(env, 'bj-cy.teller1');
      // Five days of the sample, ~8,000 visits: what a busy branch learns every morning.
      expect(await importHistory(branch, manager, sampleDays(5))).toBeGreaterThan(8_000);
      await openCounters(branch, teller, [1, 2]);
      tickets = [];
      for (let i = 0; i < 4; i++) tickets.push((await issue(branch, i % 2 ? 'personal' : 'cash')).ticket.id);
    });
    afterAll(() => setLearningThread(env.app.ctx, 'worker'));

    /** Learns the branch's model anew on `thread` (the next read waits for it); what every ticket is told. */
    const learnOn = async (thread: LearningThread) => {
      setLearningThread(env.app.ctx, thread);
      forgetBranchModel(env.app.ctx, branch);
      const estimates = [];
      for (const id of tickets) estimates.push((await status(id)).estimate);
      const model = learnedModel(env.app.ctx, branch);
      expect(model?.learnedOn).toBe(thread);
      return { estimates, state: model?.state };
    };

    it('learns in the worker exactly what the main thread learns from the same history', async () => {
      const before = learningStats(env.app.ctx);
      const inWorker = await learnOn('worker');
      const onMain = await learnOn('main');
      expect(learningStats(env.app.ctx).worker).toBe(before.worker + 1);
      expect(learningStats(env.app.ctx).main).toBe(before.main + 1);
      expect(inWorker.state?.model).not.toBeNull();
      expect(inWorker.state?.trainingVisits).toBeGreaterThan(5_000);
      expect(inWorker.state).toEqual(onMain.state);
      for (const e of inWorker.estimates) {
        expectSane(e);
        expect(e.method).toBe('serviceloop');
      }
      expect(inWorker.estimates).toEqual(onMain.estimates);
    });

    it('takes the replay and the fit off the event loop: less main-thread time, shorter stalls', async () => {
      /** While the branch learns on `thread`: the main thread's busy time and longest stall (ms). */
      const measure = async (thread: LearningThread) => {
        const delay = monitorEventLoopDelay({ resolution: 1 });
        delay.enable();
        // The histogram records from its first tick on: a stall right at the start would be missed.
        await new Promise((resolve) => setTimeout(resolve, 20));
        const before = performance.eventLoopUtilization();
        await learnOn(thread);
        const busy = performance.eventLoopUtilization(before).active;
        delay.disable();
        return { busy, stall: delay.max / 1e6 };
      };
      // A warm worker: its start (once per node) is not what is measured.
      if (learningStats(env.app.ctx).worker === 0) await measure('worker');
      const worker = [];
      const main = [];
      // Alternated and the median of three: this machine is shared, the two are measured alike.
      for (let i = 0; i < 3; i++) {
        worker.push(await measure('worker'));
        main.push(await measure('main'));
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1] as number;
      const round = (xs: number[]) => xs.map((x) => Math.round(x)).join(', ');
      console.info(
        `learning ${engine}: main-thread busy ms: worker ${round(worker.map((m) => m.busy))}; main ${round(main.map((m) => m.busy))}` +
          ` | longest stall ms: worker ${round(worker.map((m) => m.stall))}; main ${round(main.map((m) => m.stall))}`,
      );
      expect(median(worker.map((m) => m.busy))).toBeLessThan(median(main.map((m) => m.busy)));
      // PGlite reads the history in-process, one block as long as a day's replay or the fit: its
      // longest stall is that read whichever thread learns. PostgreSQL reads over a socket.
      if (engine === 'postgres') {
        expect(median(worker.map((m) => m.stall))).toBeLessThan(median(main.map((m) => m.stall)));
      }
    });

    it('learns on the main thread when the worker cannot start: a model all the same', async () => {
      const { ctx } = env.app;
      const missing = new URL('./fixtures/no-such-learner.mjs', import.meta.url);
      setLearningThread(ctx, 'worker', new PredictionLearner(ctx.log, { entry: missing }));
      const before = learningStats(ctx);
      forgetBranchModel(ctx, branch);
      const e = (await status(tickets[0] as string)).estimate;
      expectSane(e);
      expect(e.method).toBe('serviceloop');
      expect(learnedModel(ctx, branch)?.learnedOn).toBe('main');
      expect(learningStats(ctx)).toMatchObject({ worker: 0, main: before.main + 1, workerStarts: 1 });
      setLearningThread(ctx, 'worker', new PredictionLearner(ctx.log));
    });
  });
});
