import type { TBusinessCalendar } from './calendar.ts';
import type { CalendarDiff } from './calendar-diff.ts';
import type { CaseConfigSection, TCaseConfig, TCaseConfigOverride } from './sla-config.ts';

// What the case-engine settings API answers (types only: the web app imports them type-only).

export interface UnitRef {
  readonly id: string;
  readonly name: string;
  readonly nameEn: string | null;
}

/** GET /sla/config/units/:id: a unit's override, what it inherits and where each section comes from. */
export interface UnitConfigView {
  readonly orgUnit: UnitRef & { readonly kind: string; readonly parentId: string | null };
  /** The unit's own latest version; 0 when it never saved one. */
  readonly version: number;
  readonly override: TCaseConfigOverride;
  readonly effective: TCaseConfig;
  /** What the unit would have without its own override (the units above, or the code defaults). */
  readonly inherited: TCaseConfig;
  readonly sources: Record<CaseConfigSection, { readonly unit: UnitRef | null; readonly version: number }>;
  readonly lockedBy: Partial<Record<CaseConfigSection, UnitRef>>;
  readonly root: boolean;
}

/** One saved version of a unit's override. */
export interface ConfigVersionView {
  readonly version: number;
  readonly override: TCaseConfigOverride;
  readonly sections: CaseConfigSection[];
  readonly note: string | null;
  readonly createdByName: string | null;
  readonly createdAt: string;
}

/** One version of a unit's business calendar, for its history. */
export interface UnitCalendarVersion {
  readonly version: number;
  /** The unit's own version (not one inherited from above). */
  readonly own: boolean;
  /** Where it came from: the .ics file's name, a copied built-in, the command line… */
  readonly source: string;
  /** What the version changed, as recorded (`changedDays` among it). */
  readonly changes: { readonly changedDays?: number } & Record<string, unknown>;
  readonly warnings: string[];
  readonly note: string | null;
  readonly createdByName: string | null;
  readonly createdAt: string;
}

/** GET /sla/calendars/units/:id: the calendar a unit's cases run on and where it comes from. */
export interface UnitCalendarView {
  readonly orgUnit: UnitRef & { readonly kind: string; readonly timeZone: string };
  /** The unit's own latest version number (0 when it never had one). */
  readonly version: number;
  readonly own: boolean;
  readonly effective: {
    readonly ref: string;
    readonly source: 'own' | 'inherited' | 'built_in';
    readonly sourceUnit: UnitRef | null;
    readonly version: number;
    readonly calendar: TBusinessCalendar;
  };
  readonly history: UnitCalendarVersion[];
  readonly builtIns: string[];
}

/** A calendar change (import, edit, copy, inherit): what it changes, and the view after it. */
export interface CalendarChangeResult {
  readonly applied: boolean;
  readonly diff: CalendarDiff;
  readonly warnings: string[];
  readonly years: number[];
  readonly view: UnitCalendarView;
}
