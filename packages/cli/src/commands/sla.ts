import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import {
  AppError,
  BUILT_IN_CALENDARS,
  type CalendarDiff,
  type CalendarImportMode,
  type TBusinessCalendar,
} from '@serviceloop/domain';
import {
  CLI_CALENDAR_AUTHOR,
  importCalendar,
  importUnitCalendar,
  listCalendars,
  loadCalendar,
  namedCalendarHistory,
  resolveUnitCalendar,
} from '@serviceloop/server/cases/calendars';
import { unitIdByCode } from '@serviceloop/server/cases/config-units';
import { previewDues, type TSlaPreview } from '@serviceloop/server/cases/sla-preview';
import type { Command } from 'commander';
import { withContext } from '../context.ts';

export interface SlaDueOptions {
  readonly preset: string;
  readonly clock: string;
  readonly received: string;
  readonly calendar?: string | undefined;
  /** An org unit's code: its calendar in force (own, inherited or the built-in default). */
  readonly orgUnit?: string | undefined;
}

/**
 * `serviceloop sla due`: the engine's own computation. Built-in calendars need no database;
 * an imported calendar is read from the configured one.
 */
export async function slaDue(options: SlaDueOptions): Promise<TSlaPreview> {
  const query = {
    preset: options.preset,
    clock: options.clock,
    received: options.received,
    ...(options.calendar ? { calendar: options.calendar } : {}),
  };
  if (options.orgUnit) {
    const code = options.orgUnit;
    return withContext(async (ctx) => {
      const { ref } = await resolveUnitCalendar(ctx.db, await unitIdByCode(ctx.db, code));
      return previewDues((name) => loadCalendar(ctx.db, name), { ...query, calendar: ref });
    });
  }
  const builtIn = (name: string): TBusinessCalendar | undefined => BUILT_IN_CALENDARS[name];
  if (!options.calendar || builtIn(options.calendar)) {
    return previewDues(async (name) => {
      const calendar = builtIn(name);
      if (!calendar) throw new Error(`Unknown calendar ${name}`);
      return calendar;
    }, query);
  }
  return withContext((ctx) => previewDues((name) => loadCalendar(ctx.db, name), query));
}

export function registerSla(program: Command): void {
  const sla = program.command('sla').description('SLA clocks: due times of the regulatory presets');
  sla
    .command('due')
    .description(
      'Print the due (breach) instant of a preset clock as ISO 8601 — the computation the engine uses',
    )
    .requiredOption('--preset <name>', 'cn-nfra-2020, uk-fca-disp or us-cfpb')
    .requiredOption(
      '--clock <name>',
      'e.g. decision, decision_extended, review_request, review_decision; summary_resolution, final_response, payment_final, payment_final_exceptional; response',
    )
    .requiredOption(
      '--received <iso>',
      'receipt time: 2026-12-23T10:00:00Z, or local time in the calendar zone (2026-12-23T10:00)',
    )
    .option(
      '--calendar <name>',
      "built-in (cn-2026, uk-ew-2026, us-federal-2026) or imported calendar; default: the preset's",
    )
    .option('--org-unit <code>', 'use the calendar in force for this org unit (e.g. BJ-CY) instead')
    .action(
      async (opts: {
        preset: string;
        clock: string;
        received: string;
        calendar?: string;
        orgUnit?: string;
      }) => {
        const preview = await slaDue(opts);
        process.stdout.write(`${preview.dues[0]?.due}\n`);
      },
    );
}

/** The days a diff adds and removes, one line each, in date order. */
function diffLines(d: CalendarDiff): string[] {
  return [
    ...d.holidaysAdded.map((x) => `+ holiday   ${x.date} ${x.name}`),
    ...d.holidaysRemoved.map((x) => `- holiday   ${x.date} ${x.name}`),
    ...d.makeUpAdded.map((x) => `+ make-up   ${x.date} ${x.name}`),
    ...d.makeUpRemoved.map((x) => `- make-up   ${x.date} ${x.name}`),
  ].sort((a, b) => a.slice(12).localeCompare(b.slice(12)));
}

export function registerCalendar(program: Command): void {
  const calendar = program
    .command('calendar')
    .description('Business calendars (working days, holidays, make-up days)');
  calendar
    .command('import')
    .description(
      "Import holidays and make-up working days (调休) from an iCalendar file as a new version (earlier versions are kept): under a name, or into an org unit's calendar",
    )
    .option('--name <name>', 'calendar name, e.g. cn-2027 (built-in names are reserved)')
    .option(
      '--org-unit <code>',
      "import into this org unit's calendar, e.g. BJ-CY (what new cases there use)",
    )
    .option('--mode <mode>', "with --org-unit: merge (add the file's days) or replace_years", 'merge')
    .option('--dry-run', 'print what would change, store nothing')
    .option('--note <text>', 'why, kept with the version and in the audit log')
    .option('--time-zone <zone>', 'IANA time zone when the file has no X-WR-TIMEZONE, e.g. Asia/Shanghai')
    .argument('<file>', '.ics file')
    .action(
      async (
        file: string,
        opts: {
          name?: string;
          orgUnit?: string;
          mode: string;
          dryRun?: boolean;
          note?: string;
          timeZone?: string;
        },
      ) => {
        const ics = readFileSync(file, 'utf8');
        const dryRun = opts.dryRun === true;
        if (opts.orgUnit) {
          const code = opts.orgUnit;
          const mode = opts.mode as CalendarImportMode;
          if (mode !== 'merge' && mode !== 'replace_years') {
            throw new AppError('validation_failed', '--mode is merge or replace_years');
          }
          const result = await withContext(async (ctx) =>
            importUnitCalendar(ctx, CLI_CALENDAR_AUTHOR, await unitIdByCode(ctx.db, code), {
              ics,
              fileName: basename(file),
              mode,
              expectedVersion: undefined,
              note: opts.note,
              dryRun,
            }),
          );
          for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
          process.stdout.write(
            `${result.applied ? `Imported into ${code}, calendar version ${result.view.version}` : `Dry run for ${code}, nothing stored`}: ${result.diff.changedDays} day(s) change\n`,
          );
          for (const line of diffLines(result.diff)) process.stdout.write(`${line}\n`);
          return;
        }
        if (!opts.name) throw new AppError('validation_failed', 'Pass --name <name> or --org-unit <code>');
        const name = opts.name;
        const result = await withContext((ctx) =>
          importCalendar(ctx, {
            name,
            ics,
            fileName: basename(file),
            timeZone: opts.timeZone,
            note: opts.note,
            dryRun,
          }),
        );
        for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
        const { summary, diff } = result;
        process.stdout.write(
          `${result.applied ? `Imported ${summary.name} version ${summary.version}` : `Dry run for ${summary.name} version ${summary.version}, nothing stored`} (${summary.timeZone}): ${summary.holidays} holidays, ${summary.makeUpDays} make-up days, years ${summary.coveredYears.join(', ')}; ${diff.changedDays} day(s) change\n`,
        );
        for (const line of diffLines(diff)) process.stdout.write(`${line}\n`);
      },
    );
  calendar
    .command('list')
    .description('List built-in and imported calendars')
    .action(async () => {
      const all = await withContext((ctx) => listCalendars(ctx.db));
      for (const c of all) {
        const version = c.source === 'imported' ? `\tversion ${c.version}` : '';
        process.stdout.write(
          `${c.name}\t${c.source}\t${c.timeZone}\t${c.holidays} holidays\t${c.makeUpDays} make-up days${version}\n`,
        );
      }
    });
  calendar
    .command('history')
    .description('Every version of a calendar imported under a name, newest first')
    .argument('<name>', 'calendar name, e.g. cn-2027')
    .action(async (name: string) => {
      const versions = await withContext((ctx) => namedCalendarHistory(ctx.db, name));
      for (const v of versions) {
        const changed =
          typeof v.changes.changedDays === 'number' ? `${v.changes.changedDays} day(s) changed` : '';
        process.stdout.write(
          `v${v.version}\t${v.createdAt}\t${v.createdByName ?? ''}\t${v.source}\t${v.holidays} holidays\t${v.makeUpDays} make-up days\t${changed}\t${v.note ?? ''}\n`,
        );
      }
    });
}
