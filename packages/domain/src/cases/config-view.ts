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
