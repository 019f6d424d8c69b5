import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BUILT_IN_CALENDARS, dueNotifications } from '@serviceloop/domain';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { clockStateOf } from '../src/cases/clocks.ts';
import { runSlaTick } from '../src/cases/worker.ts';
import { caseSlaClocks } from '../src/db/schema-cases.ts';
import { call, createTestEnv, orgIdByCode, signInAs } from './harness.ts';

const script = fileURLToPath(new URL('./fixtures/cases-sla-ticker.ts', import.meta.url));

interface Run {
  readonly lines: string[];
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
}

/** Runs one worker pass in a child process; `killAfter` committed clocks, SIGKILL it. */
function ticker(url: string, now: Date, killAfter?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, url, now.toISOString()], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let buffer = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      lines.push(...parts);
      if (killAfter !== undefined && lines.length >= killAfter && child.exitCode === null)
        child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === null && code !== 0) reject(new Error(`ticker failed (${code}): ${stderr}`));
      else resolve({ lines, signal, code });
    });
  });
}

describe.skipIf(!process.env.DATABASE_URL)('SLA worker across a crash, on PostgreSQL', () => {
  it('a worker killed mid-run and two resuming nodes fire every due warning and escalation exactly once', async () => {
    const env = await createTestEnv('postgres');
    try {
      env.clock.set(new Date('2026-11-23T01:30:00Z'));
      const session = await signInAs(env, 'bj-cy.complaints');
      const orgUnitId = await orgIdByCode(env, 'BJ-CY');
      for (let i = 0; i < 40; i++) {
        const res = await call(env, 'POST', '/api/v1/cases', {
          session,
          payload: {
            type: i % 2 === 0 ? 'ebanking_support' : 'internal_request',
            orgUnitId,
            channel: i % 2 === 0 ? 'hotline' : 'internal',
            customer: { kind: 'walk_in', name: `客户${i}` },
            subject: `case ${i}`,
            content: 'SLA crash test',
          },
        });
        expect(res.statusCode, res.body).toBe(201);
      }
      // Sixty days on, every warning, breach and escalation step of every clock is due.
      const now = new Date(env.clock.now().getTime() + 60 * 86_400_000);
      const clocks = await env.database.db.select().from(caseSlaClocks);
      const expected = new Set(
        clocks.flatMap((row) =>
          dueNotifications(clockStateOf(row, []), now, BUILT_IN_CALENDARS[row.calendarId]).map((n) => n.key),
        ),
      );
      expect(clocks.length).toBe(120);
      expect(expected.size).toBe(120 * 5);

      const url = env.databaseUrl as string;
      const killed = await ticker(url, now, 5);
      expect(killed.signal).toBe('SIGKILL');
      const count = async () =>
        Number(
          (await env.database.rows<{ n: string }>(sql`select count(*) as n from case_sla_notifications`))[0]
            ?.n,
        );
      const afterKill = await count();
      expect(afterKill).toBeGreaterThan(0);
      expect(afterKill).toBeLessThan(expected.size);

      // Two nodes resume at once.
      const [a, b] = await Promise.all([ticker(url, now), ticker(url, now)]);
      expect(a.code).toBe(0);
      expect(b.code).toBe(0);
      // And one more pass, here, finds nothing left.
      const last = await runSlaTick({ ...env.app.ctx, clock: () => now });
      expect(last.fired).toBe(0);

      const keys = await env.database.rows<{ key: string; n: string }>(
        sql`select key, count(*) as n from case_sla_notifications group by key`,
      );
      expect(new Set(keys.map((k) => k.key))).toEqual(expected);
      expect(keys.every((k) => Number(k.n) === 1)).toBe(true);
      const events = await env.database.rows<{ key: string; n: string }>(sql`
        select payload->>'key' as key, count(*) as n from outbox_events
        where type in ('case.warning', 'case.breached', 'case.escalated') group by 1`);
      expect(events.length).toBe(expected.size);
      expect(events.every((e) => Number(e.n) === 1 && expected.has(e.key))).toBe(true);
      const timeline = await env.database.rows<{ key: string; n: string }>(sql`
        select data->>'key' as key, count(*) as n from case_timeline
        where type in ('case.warning', 'case.breached', 'case.escalated') group by 1`);
      expect(timeline.length).toBe(expected.size);
      expect(timeline.every((e) => Number(e.n) === 1)).toBe(true);
      const byType = await env.database.rows<{ type: string; n: string }>(sql`
        select type, count(*) as n from outbox_events
        where type in ('case.warning', 'case.breached', 'case.escalated') group by 1 order by 1`);
      expect(byType.map((r) => [r.type, Number(r.n)])).toEqual([
        ['case.breached', 120],
        ['case.escalated', 360],
        ['case.warning', 120],
      ]);
    } finally {
      await env.close();
    }
  }, 120_000);
});
