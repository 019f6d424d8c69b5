import {
  AppError,
  BUILT_IN_CALENDARS,
  calendarFromICalendar,
  type TBusinessCalendar,
  ZBusinessCalendar,
} from '@serviceloop/domain';
import { eq } from 'drizzle-orm';
import { type AuditActor, appendAudit } from '../audit/service.ts';
import type { ServerContext } from '../context.ts';
import type { Executor } from '../db/database.ts';
import { businessCalendars } from '../db/schema-cases.ts';

/** The calendar a new case uses when its org unit names none (the demo bank is mainland China). */
export const DEFAULT_CASE_CALENDAR = 'cn-2026';

export const ZCalendarName = ZBusinessCalendar.shape.id;

/** A built-in calendar by id (cn-2026, uk-ew-2026, us-federal-2026) or an imported one by name. */
export async function findCalendar(db: Executor, name: string): Promise<TBusinessCalendar | undefined> {
  const builtIn = BUILT_IN_CALENDARS[name];
  if (builtIn) return builtIn;
  const [row] = await db
    .select({ calendar: businessCalendars.calendar })
    .from(businessCalendars)
    .where(eq(businessCalendars.name, name));
  return row ? ZBusinessCalendar.parse(row.calendar) : undefined;
}

export async function loadCalendar(db: Executor, name: string): Promise<TBusinessCalendar> {
  const calendar = await findCalendar(db, name);
  if (!calendar) {
    throw new AppError('not_found', `Unknown calendar ${name}`, {
      details: { builtIn: Object.keys(BUILT_IN_CALENDARS) },
    });
  }
  return calendar;
}

/** A per-call cache: a worker tick looks each calendar up once. */
export function calendarCache(db: Executor): (name: string) => Promise<TBusinessCalendar> {
  const seen = new Map<string, Promise<TBusinessCalendar>>();
  return (name) => {
    let hit = seen.get(name);
    if (!hit) {
      hit = loadCalendar(db, name);
      seen.set(name, hit);
    }
    return hit;
  };
}

export interface CalendarSummary {
  readonly name: string;
  readonly source: 'built_in' | 'imported';
  readonly timeZone: string;
  readonly holidays: number;
  readonly makeUpDays: number;
  readonly coveredYears: number[];
}

function summary(name: string, source: CalendarSummary['source'], c: TBusinessCalendar): CalendarSummary {
  return {
    name,
    source,
    timeZone: c.timeZone,
    holidays: c.holidays.length,
    makeUpDays: c.makeUpDays.length,
    coveredYears: [...(c.coveredYears ?? [])],
  };
}

export async function listCalendars(db: Executor): Promise<CalendarSummary[]> {
  const rows = await db.select().from(businessCalendars);
  return [
    ...Object.entries(BUILT_IN_CALENDARS).map(([name, c]) => summary(name, 'built_in', c)),
    ...rows.map((r) => summary(r.name, 'imported', ZBusinessCalendar.parse(r.calendar))),
  ];
}

export interface ImportCalendarInput {
  readonly name: string;
  readonly ics: string;
  readonly fileName?: string | undefined;
  readonly timeZone?: string | undefined;
  readonly actor?: AuditActor;
}

/**
 * Stores a calendar imported from iCalendar text under a name (replacing an earlier import of
 * that name; built-in names are reserved). Returns the parser's warnings (skipped events).
 */
export async function importCalendar(
  ctx: Pick<ServerContext, 'db' | 'clock'>,
  input: ImportCalendarInput,
): Promise<{ summary: CalendarSummary; warnings: string[] }> {
  const name = ZCalendarName.parse(input.name);
  if (BUILT_IN_CALENDARS[name]) throw new AppError('conflict', `${name} is a built-in calendar`);
  const { calendar, warnings } = calendarFromICalendar(input.ics, {
    id: name,
    name,
    ...(input.timeZone ? { timeZone: input.timeZone } : {}),
  });
  const now = ctx.clock();
  const source = input.fileName ?? 'ics';
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(businessCalendars)
      .values({ name, calendar, source, warnings, importedAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: businessCalendars.name,
        set: { calendar, source, warnings, updatedAt: now },
      });
    // A calendar moves due times: a configuration change, so it is audited.
    await appendAudit(tx, ctx.clock, input.actor ?? { userId: null, name: 'cli' }, {
      action: 'calendar.imported',
      orgUnitId: null,
      targetType: 'business_calendar',
      targetId: name,
      details: { source, holidays: calendar.holidays.length, makeUpDays: calendar.makeUpDays.length },
    });
  });
  return { summary: summary(name, 'imported', calendar), warnings };
}
