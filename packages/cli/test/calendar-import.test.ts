import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calendarFromICalendar, computeDue } from '@serviceloop/domain';
import { migrate, openConfiguredDatabase } from '@serviceloop/server';
import { loadConfig } from '@serviceloop/server/config';
import { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { engines } from '../../server/test/harness.ts';
import { cloneFromTemplate, dropPostgresDatabase, withDatabase } from '../../server/test/templates.ts';
import { registerCalendar, registerSla } from '../src/commands/sla.ts';

const ics = (events: readonly { uid: string; start: string; end: string; summary: string }[]) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//ServiceLoop test//EN',
    'X-WR-TIMEZONE:Asia/Shanghai',
    ...events.flatMap((e) => [
      'BEGIN:VEVENT',
      `UID:${e.uid}@test`,
      'DTSTAMP:20261101T000000Z',
      `DTSTART;VALUE=DATE:${e.start}`,
      `DTEND;VALUE=DATE:${e.end}`,
      `SUMMARY:${e.summary}`,
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
    '',
  ].join('\r\n');

// The first notice: 1–3 January off, Saturday 9 January worked.
const FIRST = ics([
  { uid: 'ny', start: '20270101', end: '20270104', summary: '元旦' },
  { uid: 'ny-work', start: '20270109', end: '20270110', summary: '元旦 (班)' },
]);
// A corrected notice: only 1 January off, no make-up day.
const CORRECTED = ics([{ uid: 'ny', start: '20270101', end: '20270102', summary: '元旦' }]);

async function run(args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerCalendar(program);
  registerSla(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'serviceloop', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

async function query<T>(text: ReturnType<typeof sql>): Promise<T[]> {
  const database = await openConfiguredDatabase(loadConfig());
  try {
    // node-postgres and PGlite both answer { rows }.
    const result: unknown = await database.db.execute(text);
    return (result as { rows: T[] }).rows;
  } finally {
    await database.close();
  }
}

describe.each(engines)('serviceloop calendar import --name on %s', (engine) => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-calendar-'));
  const saved = { ...process.env };
  let drop: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    if (engine === 'pglite') {
      Object.assign(process.env, { DATA_DIR: join(dir, 'data'), DATABASE_URL: '', LOG_LEVEL: 'silent' });
      const database = await openConfiguredDatabase(loadConfig());
      await migrate(database);
      await database.close();
    } else {
      const url = saved.DATABASE_URL as string;
      const template = inject('postgresTemplate');
      if (!template) throw new Error('PostgreSQL template missing: global setup did not run');
      const name = await cloneFromTemplate(url, template);
      drop = () => dropPostgresDatabase(url, name);
      Object.assign(process.env, { DATABASE_URL: withDatabase(url, name), LOG_LEVEL: 'silent' });
    }
  }, 120_000);
  afterAll(async () => {
    process.env = { ...saved };
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a second import under a name is a new version: the first stays on file, both audited', async () => {
    const first = join(dir, 'cn-2027.ics');
    const corrected = join(dir, 'cn-2027-corrected.ics');
    writeFileSync(first, FIRST);
    writeFileSync(corrected, CORRECTED);

    expect(await run(['calendar', 'import', '--name', 'cn-2027', first])).toMatch(
      /^Imported cn-2027 version 1 \(Asia\/Shanghai\): 3 holidays, 1 make-up days/,
    );

    // A dry run says what the corrected file changes and stores nothing.
    const dry = await run(['calendar', 'import', '--name', 'cn-2027', '--dry-run', corrected]);
    expect(dry).toMatch(/^Dry run for cn-2027 version 2, nothing stored .*; 3 day\(s\) change/);
    expect(dry).toMatch(/- holiday {3}2027-01-02 元旦/);
    expect(dry).toMatch(/- holiday {3}2027-01-03 元旦/);
    expect(dry).toMatch(/- make-up {3}2027-01-09/);
    expect(await run(['calendar', 'list'])).toMatch(/cn-2027\timported\t.*\tversion 1\n/);

    const applied = await run([
      'calendar',
      'import',
      '--name',
      'cn-2027',
      '--note',
      'corrected notice',
      corrected,
    ]);
    expect(applied).toMatch(/^Imported cn-2027 version 2 \(Asia\/Shanghai\): 1 holidays, 0 make-up days/);
    expect(await run(['calendar', 'list'])).toMatch(/cn-2027\timported\t.*\tversion 2\n/);

    const history = (await run(['calendar', 'history', 'cn-2027'])).trim().split('\n');
    expect(history).toHaveLength(2);
    expect(history[0]).toMatch(
      /^v2\t.*\tserviceloop calendar import\tics:cn-2027-corrected\.ics\t1 holidays\t0 make-up days\t3 day\(s\) changed\tcorrected notice$/,
    );
    expect(history[1]).toMatch(
      /^v1\t.*\tics:cn-2027\.ics\t3 holidays\t1 make-up days\t4 day\(s\) changed\t?$/,
    );

    // Version 1 is kept as it was imported.
    const versions = await query<{ version: number; holidays: number }>(
      sql`select version, jsonb_array_length(calendar->'holidays') as holidays
          from business_calendar_versions where name = 'cn-2027' order by version`,
    );
    expect(versions.map((v) => [v.version, Number(v.holidays)])).toEqual([
      [1, 3],
      [2, 1],
    ]);
    const audit = await query<{ details: { version: number; changedDays: number; note: string | null } }>(
      sql`select details from audit_log where action = 'calendar.imported' and target_id = 'cn-2027'
          order by seq`,
    );
    expect(audit.map((a) => [a.details.version, a.details.changedDays, a.details.note])).toEqual([
      [1, 4, null],
      [2, 3, 'corrected notice'],
    ]);

    // New computations use the latest version. Received Friday 25 December, day 15 is Saturday
    // 9 January: worked under version 1 (make-up day), a weekend under version 2 → Monday 11th.
    const args = [
      '--preset',
      'cn-nfra-2020',
      '--clock',
      'decision',
      '--received',
      '2026-12-25T10:00:00+08:00',
    ];
    const due = (await run(['sla', 'due', ...args, '--calendar', 'cn-2027'])).trim();
    const dueWith = (text: string) =>
      computeDue({
        preset: 'cn-nfra-2020',
        clock: 'decision',
        receivedAt: new Date('2026-12-25T02:00:00Z'),
        calendar: calendarFromICalendar(text, { id: 'cn-2027', name: 'cn-2027' }).calendar,
      }).toISOString();
    expect(dueWith(FIRST)).toBe('2027-01-09T16:00:00.000Z');
    expect(due).toBe(dueWith(CORRECTED));
    expect(due).toBe('2027-01-11T16:00:00.000Z');
  }, 120_000);
});
