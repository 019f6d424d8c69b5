import {
  AppError,
  BUILT_IN_CALENDARS,
  type CalendarChangeResult,
  type CalendarDiff,
  type CalendarImportMode,
  CalendarWeekdays,
  calendarFromICalendar,
  diffCalendars,
  importICalendarInto,
  isWithin,
  makeUpDayHoursIssues,
  type TBusinessCalendar,
  type UnitCalendarVersion,
  type UnitCalendarView,
  weeklyHoursIssues,
  ZBusinessCalendar,
} from '@serviceloop/domain';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { type AuditActor, appendAudit, auditActor } from '../audit/service.ts';
import type { ServerContext } from '../context.ts';
import type { Executor } from '../db/database.ts';
import { orgUnits } from '../db/schema.ts';
import { businessCalendars, businessCalendarVersions, caseUnitCalendarVersions } from '../db/schema-cases.ts';
import { appendEvents } from '../events/outbox.ts';
import type { Actor } from '../identity/actor.ts';
import { newId } from '../ids.ts';
import { getOrgUnitInScope } from '../org/service.ts';
import { type ChainUnit, unitChain } from './config-units.ts';

/** The calendar of a unit when neither it nor any unit above it has one (the demo bank is mainland China). */
export const DEFAULT_CASE_CALENDAR = 'cn-2026';

export const ZCalendarName = ZBusinessCalendar.shape.id;

/**
 * Calendar references, as stored on cases and clocks:
 *  - a built-in id (`cn-2026`, `uk-ew-2026`, `us-federal-2026`);
 *  - `unit:<orgUnitId>@<version>`: one version of an org unit's own calendar (never changes);
 *  - any other name: a calendar imported by `serviceloop calendar import --name`.
 */
const UNIT_REF = /^unit:([0-9a-f-]{36})@(\d+)$/i;

export function unitCalendarRef(orgUnitId: string, version: number): string {
  return `unit:${orgUnitId}@${version}`;
}

// Unit calendar versions never change once written: parse each once.
const pinned = new Map<string, TBusinessCalendar>();
const PINNED_MAX = 500;

async function loadPinned(db: Executor, ref: string, unitId: string, version: number) {
  const hit = pinned.get(ref);
  if (hit) return hit;
  const [row] = await db
    .select({ calendar: caseUnitCalendarVersions.calendar })
    .from(caseUnitCalendarVersions)
    .where(
      and(eq(caseUnitCalendarVersions.orgUnitId, unitId), eq(caseUnitCalendarVersions.version, version)),
    );
  if (!row?.calendar) return undefined;
  const calendar = ZBusinessCalendar.parse(row.calendar);
  if (pinned.size >= PINNED_MAX) pinned.clear();
  pinned.set(ref, calendar);
  return calendar;
}

/** A built-in calendar by id, a unit calendar version by reference, or an imported one by name. */
export async function findCalendar(db: Executor, name: string): Promise<TBusinessCalendar | undefined> {
  const builtIn = BUILT_IN_CALENDARS[name];
  if (builtIn) return builtIn;
  const unit = UNIT_REF.exec(name);
  if (unit) return loadPinned(db, name, String(unit[1]), Number(unit[2]));
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
  /** An imported calendar's latest version (a built-in one is 0). */
  readonly version: number;
}

function summary(
  name: string,
  source: CalendarSummary['source'],
  c: TBusinessCalendar,
  version: number,
): CalendarSummary {
  return {
    name,
    source,
    timeZone: c.timeZone,
    holidays: c.holidays.length,
    makeUpDays: c.makeUpDays.length,
    coveredYears: [...(c.coveredYears ?? [])],
    version,
  };
}

export async function listCalendars(db: Executor): Promise<CalendarSummary[]> {
  const rows = await db.select().from(businessCalendars);
  return [
    ...Object.entries(BUILT_IN_CALENDARS).map(([name, c]) => summary(name, 'built_in', c, 0)),
    ...rows.map((r) => summary(r.name, 'imported', ZBusinessCalendar.parse(r.calendar), r.version)),
  ];
}

export interface ImportCalendarInput {
  readonly name: string;
  readonly ics: string;
  readonly fileName?: string | undefined;
  readonly timeZone?: string | undefined;
  readonly note?: string | undefined;
  /** Only compare with the latest version; store nothing. */
  readonly dryRun?: boolean | undefined;
  readonly author?: CalendarAuthor;
}

export interface ImportCalendarResult {
  readonly applied: boolean;
  readonly summary: CalendarSummary;
  /** What this file changes against the latest version (everything, for a new name). */
  readonly diff: CalendarDiff;
  /** The parser's warnings (skipped events). */
  readonly warnings: string[];
}

/**
 * Imports a calendar from iCalendar text under a name, as its next version: the file is the
 * whole calendar, earlier versions stay on file (never overwritten), and the import is audited
 * with what it changed. Built-in names and `unit:` are reserved. With `dryRun` nothing is
 * stored: the answer says what would change.
 */
export async function importCalendar(
  ctx: Pick<ServerContext, 'db' | 'clock'>,
  input: ImportCalendarInput,
): Promise<ImportCalendarResult> {
  const name = ZCalendarName.parse(input.name);
  if (BUILT_IN_CALENDARS[name]) throw new AppError('conflict', `${name} is a built-in calendar`);
  if (name.startsWith('unit:'))
    throw new AppError('validation_failed', 'Names starting with unit: are reserved');
  const { calendar, warnings } = calendarFromICalendar(input.ics, {
    id: name,
    name,
    ...(input.timeZone ? { timeZone: input.timeZone } : {}),
  });
  const author = input.author ?? CLI_CALENDAR_AUTHOR;
  const source = `ics:${(input.fileName ?? 'upload.ics').slice(0, 200)}`;
  return ctx.db.transaction(async (tx) => {
    // One import of a name at a time, so two never take the same version number.
    if (!input.dryRun) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`calendar:${name}`}))`);
    const [head] = await tx.select().from(businessCalendars).where(eq(businessCalendars.name, name));
    const before = head ? ZBusinessCalendar.parse(head.calendar) : undefined;
    const diff = diffCalendars(before ?? emptyLike(calendar), calendar);
    const version = (head?.version ?? 0) + 1;
    if (input.dryRun) {
      return {
        applied: false,
        summary: summary(name, 'imported', calendar, version),
        diff,
        warnings,
      };
    }
    const now = ctx.clock();
    const changes = changesOf(diff);
    await tx.insert(businessCalendarVersions).values({
      id: newId(),
      name,
      version,
      calendar,
      source,
      changes,
      warnings,
      note: input.note ?? null,
      createdByName: author.displayName,
      createdAt: now,
    });
    await tx
      .insert(businessCalendars)
      .values({ name, calendar, source, warnings, version, importedAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: businessCalendars.name,
        set: { calendar, source, warnings, version, updatedAt: now },
      });
    // A calendar moves due times: a configuration change, so it is audited.
    await appendAudit(tx, ctx.clock, author.audit, {
      action: 'calendar.imported',
      orgUnitId: null,
      targetType: 'business_calendar',
      targetId: name,
      details: {
        version,
        source,
        holidays: calendar.holidays.length,
        makeUpDays: calendar.makeUpDays.length,
        ...changes,
        note: input.note ?? null,
      },
    });
    return { applied: true, summary: summary(name, 'imported', calendar, version), diff, warnings };
  });
}

/** A first import is compared with a calendar without any day of its own. */
function emptyLike(calendar: TBusinessCalendar): TBusinessCalendar {
  return { ...calendar, holidays: [], makeUpDays: [] };
}

export interface NamedCalendarVersion {
  readonly version: number;
  readonly source: string;
  readonly holidays: number;
  readonly makeUpDays: number;
  readonly changes: Record<string, unknown>;
  readonly note: string | null;
  readonly createdByName: string | null;
  readonly createdAt: string;
}

/** Every version of a calendar imported under a name, newest first (404 for an unknown name). */
export async function namedCalendarHistory(db: Executor, name: string): Promise<NamedCalendarVersion[]> {
  const rows = await db
    .select()
    .from(businessCalendarVersions)
    .where(eq(businessCalendarVersions.name, name))
    .orderBy(desc(businessCalendarVersions.version));
  if (rows.length === 0) throw new AppError('not_found', `No calendar imported as ${name}`);
  return rows.map((r) => {
    const c = ZBusinessCalendar.parse(r.calendar);
    return {
      version: r.version,
      source: r.source,
      holidays: c.holidays.length,
      makeUpDays: c.makeUpDays.length,
      changes: r.changes as Record<string, unknown>,
      note: r.note,
      createdByName: r.createdByName,
      createdAt: r.createdAt.toISOString(),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Calendars per org unit: a unit has its own calendar (versioned) or inherits the nearest one above.

type CalendarVersionRow = typeof caseUnitCalendarVersions.$inferSelect;

async function latestCalendarVersions(db: Executor, unitIds: readonly string[]) {
  const map = new Map<string, CalendarVersionRow>();
  if (unitIds.length === 0) return map;
  const rows = await db
    .select()
    .from(caseUnitCalendarVersions)
    .where(
      and(
        inArray(caseUnitCalendarVersions.orgUnitId, [...unitIds]),
        sql`${caseUnitCalendarVersions.version} = (select max(w.version) from case_unit_calendar_versions w
          where w.org_unit_id = ${caseUnitCalendarVersions.orgUnitId})`,
      ),
    );
  for (const r of rows) map.set(r.orgUnitId, r);
  return map;
}

export interface EffectiveCalendar {
  /** What cases and clocks store: a unit version reference or a built-in id. */
  readonly ref: string;
  readonly calendar: TBusinessCalendar;
  /** The unit whose calendar this is; null for the built-in default. */
  readonly sourceUnitId: string | null;
  readonly version: number;
}

function effectiveFrom(
  chain: readonly ChainUnit[],
  latest: ReadonlyMap<string, CalendarVersionRow>,
): EffectiveCalendar {
  for (let i = chain.length - 1; i >= 0; i--) {
    const unit = chain[i] as ChainUnit;
    const row = latest.get(unit.id);
    if (row?.calendar) {
      const ref = unitCalendarRef(unit.id, row.version);
      const calendar = pinned.get(ref) ?? ZBusinessCalendar.parse(row.calendar);
      pinned.set(ref, calendar);
      return { ref, calendar, sourceUnitId: unit.id, version: row.version };
    }
  }
  return {
    ref: DEFAULT_CASE_CALENDAR,
    calendar: BUILT_IN_CALENDARS[DEFAULT_CASE_CALENDAR] as TBusinessCalendar,
    sourceUnitId: null,
    version: 0,
  };
}

/** The calendar in force for a unit now: its own, else the nearest unit's above, else the built-in default. */
export async function resolveUnitCalendar(db: Executor, unitId: string): Promise<EffectiveCalendar> {
  const chain = await unitChain(db, unitId);
  return effectiveFrom(
    chain,
    await latestCalendarVersions(
      db,
      chain.map((u) => u.id),
    ),
  );
}

export async function getUnitCalendar(
  ctx: ServerContext,
  actor: Actor,
  unitId: string,
): Promise<UnitCalendarView> {
  await getOrgUnitInScope(ctx.db, actor, unitId);
  return unitCalendarView(ctx.db, unitId);
}

/** Who changes a calendar: a signed-in user (their scope) or the command line (the whole bank). */
export interface CalendarAuthor {
  readonly userId: string | null;
  readonly displayName: string;
  readonly scopePath: string;
  readonly audit: AuditActor;
}

export function calendarAuthor(actor: Actor): CalendarAuthor {
  return {
    userId: actor.userId,
    displayName: actor.displayName,
    scopePath: actor.scopePath,
    audit: auditActor(actor),
  };
}

export const CLI_CALENDAR_AUTHOR: CalendarAuthor = {
  userId: null,
  displayName: 'serviceloop calendar import',
  scopePath: '/',
  audit: { userId: null, name: 'cli' },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The unit, when it lies in the scope (else "not found", like every out-of-scope read). */
async function unitInScope(db: Executor, scopePath: string, unitId: string): Promise<{ id: string }> {
  const [row] = UUID.test(unitId)
    ? await db.select({ id: orgUnits.id, path: orgUnits.path }).from(orgUnits).where(eq(orgUnits.id, unitId))
    : [];
  if (!row || !isWithin(row.path, scopePath)) throw new AppError('not_found', 'Org unit not found');
  return row;
}

async function unitCalendarView(db: Executor, unitId: string): Promise<UnitCalendarView> {
  const chain = await unitChain(db, unitId);
  const unit = chain[chain.length - 1] as ChainUnit;
  const latest = await latestCalendarVersions(
    db,
    chain.map((u) => u.id),
  );
  const effective = effectiveFrom(chain, latest);
  const history = await db
    .select()
    .from(caseUnitCalendarVersions)
    .where(eq(caseUnitCalendarVersions.orgUnitId, unitId))
    .orderBy(desc(caseUnitCalendarVersions.version));
  const source = chain.find((u) => u.id === effective.sourceUnitId);
  return {
    orgUnit: { id: unit.id, name: unit.name, nameEn: unit.nameEn, kind: unit.kind, timeZone: unit.timeZone },
    version: history[0]?.version ?? 0,
    own: effective.sourceUnitId === unit.id,
    effective: {
      ref: effective.ref,
      source:
        effective.sourceUnitId === null
          ? 'built_in'
          : effective.sourceUnitId === unit.id
            ? 'own'
            : 'inherited',
      sourceUnit: source ? { id: source.id, name: source.name, nameEn: source.nameEn } : null,
      version: effective.version,
      calendar: effective.calendar,
    },
    history: history.map((h) => ({
      version: h.version,
      own: h.calendar !== null,
      source: h.source,
      changes: h.changes as UnitCalendarVersion['changes'],
      warnings: h.warnings as string[],
      note: h.note,
      createdByName: h.createdByName,
      createdAt: h.createdAt.toISOString(),
    })),
    builtIns: Object.keys(BUILT_IN_CALENDARS),
  };
}

/** A compact record of a diff for the history (counts and the first dates). */
function changesOf(diff: CalendarDiff): Record<string, unknown> {
  const dates = (xs: readonly { date: string }[]) => xs.slice(0, 40).map((x) => x.date);
  return {
    changedDays: diff.changedDays,
    holidaysAdded: dates(diff.holidaysAdded),
    holidaysRemoved: dates(diff.holidaysRemoved),
    makeUpAdded: dates(diff.makeUpAdded),
    makeUpRemoved: dates(diff.makeUpRemoved),
    renamed: diff.renamed.length,
    makeUpHoursChanged: dates(diff.makeUpHoursChanged),
    timeZone: diff.timeZone,
    weeklyHoursChanged: diff.weeklyHoursChanged,
  };
}

export type CalendarChange =
  | { readonly action: 'set'; readonly calendar: Omit<TBusinessCalendar, 'id'> }
  | { readonly action: 'copy'; readonly from: string }
  | { readonly action: 'inherit' };

interface Proposal {
  readonly next: TBusinessCalendar | null;
  readonly source: string;
  readonly warnings: string[];
  readonly years: number[];
}

/**
 * Changes a unit's calendar: a new version (never an update), audited and evented, in one
 * transaction. `expectedVersion` is the unit's own version the caller saw (409 otherwise);
 * the command line passes none and changes the latest.
 * With `dryRun` nothing is stored: the answer is the preview of what would change.
 */
async function changeUnitCalendar(
  ctx: Pick<ServerContext, 'db' | 'clock'>,
  author: CalendarAuthor,
  unitId: string,
  input: {
    readonly expectedVersion: number | undefined;
    readonly note?: string | undefined;
    readonly dryRun: boolean;
  },
  propose: (current: EffectiveCalendar, unit: ChainUnit) => Proposal,
): Promise<CalendarChangeResult> {
  return ctx.db.transaction(async (tx) => {
    const row = await unitInScope(tx, author.scopePath, unitId);
    if (!input.dryRun) {
      // One writer per unit at a time; the version check below then sees the latest.
      await tx.execute(sql`select 1 from org_units where id = ${row.id} for update`);
    }
    const chain = await unitChain(tx, unitId);
    const unit = chain[chain.length - 1] as ChainUnit;
    const latest = await latestCalendarVersions(
      tx,
      chain.map((u) => u.id),
    );
    const current = effectiveFrom(chain, latest);
    const ownVersion = latest.get(unit.id)?.version ?? 0;
    if (!input.dryRun && input.expectedVersion !== undefined && ownVersion !== input.expectedVersion) {
      throw new AppError(
        'conflict',
        `The calendar changed meanwhile (now version ${ownVersion}); reload and retry`,
      );
    }
    const proposal = propose(current, unit);
    const inherited = effectiveFrom(chain.slice(0, -1), latest);
    const after = proposal.next ?? inherited.calendar;
    const diff = diffCalendars(current.calendar, after);
    if (input.dryRun) {
      return {
        applied: false,
        diff,
        warnings: proposal.warnings,
        years: proposal.years,
        view: await unitCalendarView(tx, unitId),
      };
    }
    const now = ctx.clock();
    const version = ownVersion + 1;
    const changes = changesOf(diff);
    await tx.insert(caseUnitCalendarVersions).values({
      id: newId(),
      orgUnitId: unit.id,
      version,
      calendar: proposal.next,
      source: proposal.source,
      changes,
      warnings: proposal.warnings,
      note: input.note ?? null,
      createdBy: author.userId,
      createdByName: author.displayName,
      createdAt: now,
    });
    const details = { version, source: proposal.source, ...changes, note: input.note ?? null };
    await appendAudit(tx, ctx.clock, author.audit, {
      action: 'case.calendar_changed',
      orgUnitId: unit.id,
      targetType: 'business_calendar',
      targetId: unitCalendarRef(unit.id, version),
      details,
    });
    await appendEvents(tx, ctx.clock, [
      {
        type: 'case.calendar_changed',
        orgUnitId: unit.id,
        aggregateType: 'org_unit',
        aggregateId: unit.id,
        actorId: author.userId,
        payload: details,
      },
    ]);
    return {
      applied: true,
      diff,
      warnings: proposal.warnings,
      years: proposal.years,
      view: await unitCalendarView(tx, unitId),
    };
  });
}

function unitCalendarId(unit: ChainUnit): string {
  return `unit-${unit.code.toLowerCase()}`.slice(0, 64);
}

/** Sets, copies in, or drops (back to inheriting) a unit's own calendar. */
export async function setUnitCalendar(
  ctx: Pick<ServerContext, 'db' | 'clock'>,
  author: CalendarAuthor,
  unitId: string,
  change: CalendarChange,
  input: {
    readonly expectedVersion: number | undefined;
    readonly note?: string | undefined;
    readonly dryRun: boolean;
  },
): Promise<CalendarChangeResult> {
  let copied: TBusinessCalendar | undefined;
  if (change.action === 'copy') copied = await loadCalendar(ctx.db, change.from);
  return changeUnitCalendar(ctx, author, unitId, input, (current, unit) => {
    // Head office "inherits" the built-in default.
    if (change.action === 'inherit') return { next: null, source: 'inherit', warnings: [], years: [] };
    const base = change.action === 'copy' ? (copied as TBusinessCalendar) : { id: '', ...change.calendar };
    const parsed = ZBusinessCalendar.safeParse({ ...base, id: unitCalendarId(unit) });
    if (!parsed.success) {
      throw new AppError('validation_failed', 'The calendar is invalid', {
        issues: parsed.error.issues.map((i) => ({
          path: `calendar.${i.path.join('.')}`,
          message: i.message,
        })),
      });
    }
    if (change.action === 'set') {
      // Edited opening hours follow the screen's rules (quarter hours); days left as they were pass.
      const edited = CalendarWeekdays.filter(
        (d) => JSON.stringify(parsed.data.weeklyHours[d]) !== JSON.stringify(current.calendar.weeklyHours[d]),
      );
      const issues = weeklyHoursIssues(parsed.data.weeklyHours).filter((i) =>
        edited.some((d) => i.path.startsWith(`${d}.`)),
      );
      if (issues.length > 0) {
        throw new AppError('validation_failed', 'The working hours are invalid', {
          issues: issues.map((i) => ({ ...i, path: `calendar.weeklyHours.${i.path}` })),
        });
      }
      // So are the own hours of a make-up working day (调休) set or changed by this edit.
      const hoursBefore = new Map(current.calendar.makeUpDays.map((m) => [m.date, JSON.stringify(m.hours)]));
      const makeUpIssues = makeUpDayHoursIssues(
        parsed.data.makeUpDays.filter(
          (m) => m.hours !== undefined && hoursBefore.get(m.date) !== JSON.stringify(m.hours),
        ),
      );
      if (makeUpIssues.length > 0) {
        throw new AppError('validation_failed', 'The working hours of a make-up day are invalid', {
          issues: makeUpIssues.map((i) => ({ ...i, path: `calendar.makeUpDays.${i.path}` })),
        });
      }
    }
    return {
      next: parsed.data,
      source: change.action === 'copy' ? `copy:${change.from}` : 'edit',
      warnings: [],
      years: [...(parsed.data.coveredYears ?? [])],
    };
  });
}

/**
 * Imports iCalendar text into a unit's calendar: with `dryRun` the preview (days added and
 * removed, make-up days marked), else a new version. A unit that inherits starts from the
 * calendar it inherits, so the import adds to what it had.
 */
export async function importUnitCalendar(
  ctx: Pick<ServerContext, 'db' | 'clock'>,
  author: CalendarAuthor,
  unitId: string,
  input: {
    readonly ics: string;
    readonly fileName?: string | undefined;
    readonly mode: CalendarImportMode;
    readonly expectedVersion: number | undefined;
    readonly note?: string | undefined;
    readonly dryRun: boolean;
  },
): Promise<CalendarChangeResult> {
  return changeUnitCalendar(ctx, author, unitId, input, (current, unit) => {
    const base = { ...current.calendar, id: unitCalendarId(unit) };
    const result = importICalendarInto(base, input.ics, input.mode);
    return {
      next: result.calendar,
      source: `ics:${(input.fileName ?? 'upload.ics').slice(0, 200)}`,
      warnings: result.warnings,
      years: result.years,
    };
  });
}
