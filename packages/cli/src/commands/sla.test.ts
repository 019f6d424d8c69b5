import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calendarFromICalendar, computeDue, UK_EW_2026_CALENDAR } from '@serviceloop/domain';
import { migrate, openConfiguredDatabase } from '@serviceloop/server';
import { loadConfig } from '@serviceloop/server/config';
import { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerCalendar, registerSla, slaDue } from './sla.ts';

const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//ServiceLoop test//EN',
  'X-WR-TIMEZONE:Asia/Shanghai',
  'BEGIN:VEVENT',
  'UID:ny-2027@test',
  'DTSTAMP:20261101T000000Z',
  'DTSTART;VALUE=DATE:20270101',
  'DTEND;VALUE=DATE:20270104',
  'SUMMARY:元旦',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:ny-2027-work@test',
  'DTSTAMP:20261101T000000Z',
  'DTSTART;VALUE=DATE:20270109',
  'DTEND;VALUE=DATE:20270110',
  'SUMMARY:元旦 (班)',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

async function run(register: (p: Command) => void, args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  register(program);
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

describe('serviceloop sla due', () => {
  it('prints the UK summary-resolution deadline: 23 Dec 2026 → Wednesday 30 Dec (Christmas, Boxing Day substitute)', async () => {
    const out = await run(registerSla, [
      'sla',
      'due',
      '--preset',
      'uk-fca-disp',
      '--clock',
      'summary_resolution',
      '--received',
      '2026-12-23T10:00:00Z',
    ]);
    const due = out.trim();
    expect(due.startsWith('2026-12-30T')).toBe(true);
    expect(due).toBe(
      computeDue({
        preset: 'uk-fca-disp',
        clock: 'summary_resolution',
        receivedAt: new Date('2026-12-23T10:00:00Z'),
        calendar: UK_EW_2026_CALENDAR,
      }).toISOString(),
    );
  });

  it('reads a time without offset in the calendar zone, and names bad input', async () => {
    const local = await slaDue({
      preset: 'uk-fca-disp',
      clock: 'final_response',
      received: '2026-12-23T10:00',
    });
    const utc = await slaDue({
      preset: 'uk-fca-disp',
      clock: 'final_response',
      received: '2026-12-23T10:00:00Z',
    });
    expect(local.dues[0]?.due).toBe(utc.dues[0]?.due);
    await expect(slaDue({ preset: 'uk-fca-disp', clock: 'nope', received: '2026-12-23' })).rejects.toThrow(
      /no clock nope/,
    );
    await expect(slaDue({ preset: 'nope', clock: 'x', received: '2026-12-23' })).rejects.toThrow(/calendar/);
    await expect(slaDue({ preset: 'us-cfpb', clock: 'response', received: 'yesterday' })).rejects.toThrow(
      /ISO 8601/,
    );
  });
});

describe('serviceloop calendar import, then sla due with it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-sla-'));
  const saved = { ...process.env };
  beforeAll(async () => {
    Object.assign(process.env, { DATA_DIR: join(dir, 'data'), DATABASE_URL: '', LOG_LEVEL: 'silent' });
    const database = await openConfiguredDatabase(loadConfig());
    await migrate(database);
    await database.close();
  }, 120_000);
  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the imported calendar and computes with it', async () => {
    const file = join(dir, 'cn-2027.ics');
    writeFileSync(file, ICS);
    const imported = await run(registerCalendar, ['calendar', 'import', '--name', 'cn-2027', file]);
    expect(imported).toMatch(
      /Imported cn-2027 version 1 \(Asia\/Shanghai\): 3 holidays, 1 make-up days, years 2027; 4 day\(s\) change/,
    );
    const listed = await run(registerCalendar, ['calendar', 'list']);
    expect(listed).toMatch(/cn-2027\timported\t.*\tversion 1/);
    const args = [
      '--preset',
      'cn-nfra-2020',
      '--clock',
      'decision',
      '--received',
      '2026-12-17T10:00:00+08:00',
    ];
    const out = await run(registerSla, ['sla', 'due', ...args, '--calendar', 'cn-2027']);
    const { calendar } = calendarFromICalendar(ICS, { id: 'cn-2027', name: 'cn-2027' });
    expect(out.trim()).toBe(
      computeDue({
        preset: 'cn-nfra-2020',
        clock: 'decision',
        receivedAt: new Date('2026-12-17T02:00:00Z'),
        calendar,
      }).toISOString(),
    );
    // Day 15 is 1 January 2027, inside the imported 1–3 January holiday: the period runs to the end
    // of Monday 4 January (Civil Code art. 203), so the breach instant is 00:00 on 5 January, Beijing.
    expect(out.trim()).toBe('2027-01-04T16:00:00.000Z');
  }, 120_000);

  it("imports into an org unit's calendar (dry run first) and sla due --org-unit uses it", async () => {
    const database = await openConfiguredDatabase(loadConfig());
    const hq = '01a20000-0000-7000-8000-0000000000a1';
    const branch = '01a20000-0000-7000-8000-0000000000b1';
    await database.db.execute(sql`insert into org_units
      (id, parent_id, kind, code, name, time_zone, path, depth, active, created_at, updated_at) values
      (${hq}, null, 'head_office', 'HQ', '总行', 'Asia/Shanghai', ${`/${hq}/`}, 0, true, now(), now()),
      (${branch}, ${hq}, 'branch', 'BR', '支行', 'Asia/Shanghai', ${`/${hq}/${branch}/`}, 1, true, now(), now())`);
    await database.close();
    const file = join(dir, 'branch.ics');
    writeFileSync(file, ICS);
    const args = [
      '--preset',
      'cn-nfra-2020',
      '--clock',
      'decision',
      '--received',
      '2026-12-17T10:00:00+08:00',
    ];
    // Before: the built-in cn-2026 (2027 holidays unknown): day 15 is Friday 1 January, a working day.
    expect((await run(registerSla, ['sla', 'due', ...args, '--org-unit', 'BR'])).trim()).toBe(
      '2027-01-01T16:00:00.000Z',
    );
    const dry = await run(registerCalendar, ['calendar', 'import', '--org-unit', 'BR', '--dry-run', file]);
    expect(dry).toMatch(/Dry run for BR, nothing stored: 4 day\(s\) change/);
    expect(dry).toMatch(/\+ holiday {3}2027-01-01 元旦/);
    expect(dry).toMatch(/\+ make-up {3}2027-01-09/);
    expect((await run(registerSla, ['sla', 'due', ...args, '--org-unit', 'BR'])).trim()).toBe(
      '2027-01-01T16:00:00.000Z',
    );
    const applied = await run(registerCalendar, ['calendar', 'import', '--org-unit', 'BR', file]);
    expect(applied).toMatch(/Imported into BR, calendar version 1: 4 day\(s\) change/);
    expect((await run(registerSla, ['sla', 'due', ...args, '--org-unit', 'BR'])).trim()).toBe(
      '2027-01-04T16:00:00.000Z',
    );
    // Head office keeps the built-in calendar.
    expect((await run(registerSla, ['sla', 'due', ...args, '--org-unit', 'HQ'])).trim()).toBe(
      '2027-01-01T16:00:00.000Z',
    );
  }, 120_000);
});
