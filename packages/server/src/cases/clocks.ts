import {
  AppError,
  type CaseServiceLevel,
  type ClockSchedule,
  clockSchedule,
  DEFAULT_CASE_CONFIG,
  type PolicyClockRole,
  policyClocks,
  refreshClock,
  resolveClock,
  type Severity,
  startClock,
  stopClock,
  type TAppliedExtension,
  type TBusinessCalendar,
  type TCase,
  type TCaseConfig,
  type TCaseEvent,
  type TClockDefinition,
  type TClockState,
  type TEscalationPolicy,
  type TPause,
  type TSlaPreset,
  withRecipientsFrom,
  ZClockDefinition,
  ZEscalationPolicy,
} from '@serviceloop/domain';
import { asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/database.ts';
import { caseSlaClocks, caseSlaNotifications } from '../db/schema-cases.ts';
import { newId } from '../ids.ts';
import { caseConfigOf } from './config.ts';
import { extensionsFromJson, pausesFromJson } from './records.ts';

export type ClockRow = typeof caseSlaClocks.$inferSelect;
export type ClockRole = PolicyClockRole | 'review_decision';

/** Clocks that a case pause (waiting for the customer, external appraisal) holds. */
const PAUSABLE: readonly string[] = ['acknowledgement', 'first_response', 'resolution', 'review_decision'];

/** The code default policy (the seed); the engine reads the stored configuration (./config.ts). */
export const SLA_POLICY = DEFAULT_CASE_CONFIG.policy;

/**
 * The policy rule for a case (type × severity × service level) under the configuration the
 * case was opened under; a rule without its own escalation chain uses the configured default.
 */
export function policyFor(
  c: TCase,
  config: TCaseConfig = DEFAULT_CASE_CONFIG,
): {
  clocks: Partial<Record<PolicyClockRole, TClockDefinition>>;
  escalation: TEscalationPolicy;
} {
  const { rule, clocks } = policyClocks(
    config.policy,
    {
      caseType: c.type,
      severity: (c.complaint?.severity ?? 'medium') as Severity,
      serviceLevel: (c.complaint?.serviceLevel ?? 'unrated') as CaseServiceLevel,
    },
    config.presets,
  );
  return {
    clocks,
    escalation: rule.escalation ? withRecipientsFrom(rule.escalation, config.escalation) : config.escalation,
  };
}

/** A preset as configured (an edited copy), else the built-in of that name. */
export function presetOf(config: TCaseConfig, name: string): TSlaPreset | string {
  return config.presets.find((p) => p.name === name) ?? name;
}

export function clockStateOf(row: ClockRow, fired: readonly string[]): TClockState {
  return {
    clockId: row.clockKey,
    startedAt: row.startedAt,
    dueAt: row.dueAt,
    pauses: pausesFromJson(row.pauses),
    stoppedAt: row.stoppedAt,
    generation: row.generation,
    fired: [...fired],
    policy: ZEscalationPolicy.parse(row.policy),
    measure: row.measure === 'business' ? 'business' : 'elapsed',
  };
}

function allOf(s: ClockSchedule) {
  return [...s.warnings, s.breach, ...s.escalations];
}

/** Earliest scheduled notification not yet fired (past ones included); null when none can fire. */
export function nextPendingAt(state: TClockState, calendar: TBusinessCalendar): Date | null {
  const fired = new Set(state.fired);
  const stop = state.stoppedAt?.getTime() ?? Number.POSITIVE_INFINITY;
  let next = Number.POSITIVE_INFINITY;
  for (const n of allOf(clockSchedule(state, calendar))) {
    if (fired.has(n.key) || n.at === null || n.at.getTime() >= stop) continue;
    next = Math.min(next, n.at.getTime());
  }
  return Number.isFinite(next) ? new Date(next) : null;
}

/** The columns that follow from a clock's state. */
export function derivedColumns(state: TClockState, calendar: TBusinessCalendar) {
  const schedule = clockSchedule(state, calendar);
  return {
    dueAt: state.dueAt,
    startedAt: state.startedAt,
    generation: state.generation,
    pauses: state.pauses,
    stoppedAt: state.stoppedAt,
    warnAt: schedule.warnings[0]?.at ?? null,
    nextFireAt: nextPendingAt(state, calendar),
    state: state.stoppedAt ? 'stopped' : state.pauses.some((p) => p.to === null) ? 'paused' : 'running',
  };
}

async function firedKeys(tx: Executor, clockIds: readonly string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (clockIds.length === 0) return map;
  const rows = await tx
    .select({ clockId: caseSlaNotifications.clockId, key: caseSlaNotifications.key })
    .from(caseSlaNotifications)
    .where(inArray(caseSlaNotifications.clockId, [...clockIds]));
  for (const r of rows) map.set(r.clockId, [...(map.get(r.clockId) ?? []), r.key]);
  return map;
}

export interface LoadedClock {
  readonly row: ClockRow;
  readonly state: TClockState;
  readonly definition: TClockDefinition;
  readonly extensions: TAppliedExtension[];
}

export async function loadCaseClocks(tx: Executor, caseId: string): Promise<LoadedClock[]> {
  const rows = await tx
    .select()
    .from(caseSlaClocks)
    .where(eq(caseSlaClocks.caseId, caseId))
    .orderBy(asc(caseSlaClocks.startedAt), asc(caseSlaClocks.clockKey));
  const fired = await firedKeys(
    tx,
    rows.map((r) => r.id),
  );
  return rows.map((row) => ({
    row,
    state: clockStateOf(row, fired.get(row.id) ?? []),
    definition: ZClockDefinition.parse(row.definition),
    extensions: extensionsFromJson(row.extensions),
  }));
}

/** Pauses of the case that matter to a clock started at `start` (earlier ones are clipped away). */
function pausesSince(pauses: readonly TPause[], start: Date): TPause[] {
  return pauses
    .filter((p) => p.to === null || p.to.getTime() > start.getTime())
    .map((p) => (p.from.getTime() < start.getTime() ? { ...p, from: start } : p));
}

interface StartInput {
  readonly caseId: string;
  readonly role: ClockRole;
  readonly clockKey: string;
  readonly definition: TClockDefinition;
  readonly calendarId: string;
  readonly calendar: TBusinessCalendar;
  readonly policy: TEscalationPolicy;
  readonly startedAt: Date;
  readonly now: Date;
  readonly generation?: number;
}

export async function insertClock(tx: Executor, input: StartInput): Promise<void> {
  const base = startClock({
    clockId: input.clockKey,
    definition: input.definition,
    startedAt: input.startedAt,
    calendar: input.calendar,
    policy: input.policy,
  });
  const state = { ...base, generation: input.generation ?? 0 };
  await tx.insert(caseSlaClocks).values({
    id: newId(),
    caseId: input.caseId,
    clockKey: input.clockKey,
    role: input.role,
    definition: input.definition,
    calendarId: input.calendarId,
    policy: input.policy,
    measure: state.measure,
    createdAt: input.now,
    updatedAt: input.now,
    ...derivedColumns(state, input.calendar),
  });
}

async function save(tx: Executor, clock: LoadedClock, next: TClockState, cal: TBusinessCalendar, now: Date) {
  await tx
    .update(caseSlaClocks)
    .set({ ...derivedColumns(next, cal), updatedAt: now })
    .where(eq(caseSlaClocks.id, clock.row.id));
}

/** Starts the acknowledgement, first-response and resolution clocks of a new case. */
export async function startCaseClocks(
  tx: Executor,
  c: TCase,
  calendarId: string,
  calendar: TBusinessCalendar,
  now: Date,
  config: TCaseConfig = DEFAULT_CASE_CONFIG,
): Promise<void> {
  const { clocks, escalation } = policyFor(c, config);
  for (const role of ['acknowledgement', 'first_response', 'resolution'] as const) {
    const definition = clocks[role];
    if (!definition) continue;
    await insertClock(tx, {
      caseId: c.id,
      role,
      clockKey: `${c.id}:${role}`,
      definition,
      calendarId,
      calendar,
      policy: escalation,
      startedAt: c.receivedAt,
      now,
    });
  }
}

const APPROVAL_FALLBACK = ZClockDefinition.parse({
  name: 'approval',
  label: 'Compensation approval within 1 business day',
  mode: 'business_days',
  amount: 1,
  end: 'close_of_business',
});

/**
 * Moves the clocks along with what just happened to the case: stops met clocks, pauses and
 * resumes, starts approval and review clocks, re-arms the resolution clock on reopening.
 */
export async function applyEventsToClocks(
  tx: Executor,
  after: TCase,
  events: readonly TCaseEvent[],
  calendarId: string,
  calendar: TBusinessCalendar,
  now: Date,
): Promise<void> {
  const loaded = await loadCaseClocks(tx, after.id);
  const byRole = (role: string) => loaded.filter((l) => l.row.role === role && !l.state.stoppedAt);
  const stop = async (ls: readonly LoadedClock[]) => {
    for (const l of ls) await save(tx, l, stopClock(l.state, now), calendar, now);
  };
  // The configuration the case was opened under: a policy changed since does not reach it.
  const config = await caseConfigOf(tx, after.id);
  const { clocks, escalation } = policyFor(after, config);
  for (const e of events) {
    switch (e.type) {
      case 'case.acknowledged':
        await stop(byRole('acknowledgement'));
        break;
      case 'case.investigation_started':
        await stop(byRole('first_response'));
        break;
      case 'case.resolution_proposed':
        await stop([...byRole('first_response'), ...byRole('resolution')]);
        break;
      case 'case.paused':
      case 'case.resumed':
        for (const l of loaded) {
          if (l.state.stoppedAt || !PAUSABLE.includes(l.row.role)) continue;
          const next = refreshClock(l.state, {
            definition: l.definition,
            calendar,
            pauses: pausesSince(after.pauses, l.state.startedAt),
            extensions: l.extensions,
            now,
          });
          await save(tx, l, next, calendar, now);
        }
        break;
      case 'case.closed':
      case 'case.merged':
      case 'case.withdrawn':
        await stop(loaded.filter((l) => !l.state.stoppedAt));
        break;
      case 'case.review_decided':
        await stop(byRole('review_decision'));
        if (e.to === 'investigating') await rearmResolution(tx, after, loaded, calendarId, calendar, now);
        break;
      case 'case.reopened':
        await rearmResolution(tx, after, loaded, calendarId, calendar, now);
        break;
      case 'case.review_requested':
        if (after.type === 'complaint' && !loaded.some((l) => l.row.role === 'review_decision')) {
          await insertClock(tx, {
            caseId: after.id,
            role: 'review_decision',
            clockKey: `${after.id}:review_decision`,
            definition: resolveClock(presetOf(config, 'cn-nfra-2020'), 'review_decision'),
            calendarId,
            calendar,
            policy: escalation,
            startedAt: now,
            now,
          });
        }
        break;
      case 'case.compensation_approval_requested': {
        const compensationId = String(e.data.compensationId);
        await insertClock(tx, {
          caseId: after.id,
          role: 'approval',
          clockKey: `${after.id}:approval:${compensationId}`,
          definition: clocks.approval ?? APPROVAL_FALLBACK,
          calendarId,
          calendar,
          policy: escalation,
          startedAt: now,
          now,
        });
        break;
      }
      case 'case.compensation_approved':
      case 'case.compensation_declined': {
        const key = `${after.id}:approval:${String(e.data.compensationId)}`;
        await stop(loaded.filter((l) => l.row.clockKey === key && !l.state.stoppedAt));
        break;
      }
      default:
        break;
    }
  }
}

/** After reopening, the resolution clock runs again from now as a new generation (fresh warnings). */
async function rearmResolution(
  tx: Executor,
  after: TCase,
  loaded: readonly LoadedClock[],
  _calendarId: string,
  calendar: TBusinessCalendar,
  now: Date,
): Promise<void> {
  const current = loaded.find((l) => l.row.role === 'resolution');
  if (!current) return;
  const fresh = startClock({
    clockId: current.row.clockKey,
    definition: current.definition,
    startedAt: now,
    calendar,
    policy: current.state.policy,
  });
  const next: TClockState = {
    ...fresh,
    generation: current.state.generation + 1,
    fired: current.state.fired,
    pauses: pausesSince(after.pauses, now),
  };
  await save(tx, current, next, calendar, now);
}

/** Whether any running clock of these cases is past its warning or due instant. */
export type SlaRisk = 'ok' | 'warning' | 'breached';

export function riskOf(
  clocks: readonly Pick<ClockRow, 'state' | 'dueAt' | 'warnAt' | 'stoppedAt'>[],
  now: Date,
): SlaRisk {
  let risk: SlaRisk = 'ok';
  for (const c of clocks) {
    const end = c.stoppedAt ?? now;
    if (end.getTime() >= c.dueAt.getTime()) {
      if (c.state !== 'stopped') return 'breached';
      continue;
    }
    if (c.state !== 'stopped' && c.warnAt && now.getTime() >= c.warnAt.getTime()) risk = 'warning';
  }
  return risk;
}

export type ExtensionStep = 'complex_30' | 'further_30_approved';

/**
 * Extends the resolution period of a complaint under cn-nfra-2020: a complex case moves from
 * the 15-day `decision` clock to the 30-day `decision_extended` one; a further 30 days need an
 * approver and notice to the customer. Only before the breach. The clock is re-armed as a new
 * generation, so the warning fires again relative to the new due time.
 */
export async function extendResolutionClock(
  tx: Executor,
  after: TCase,
  step: ExtensionStep,
  approverId: string,
  calendar: TBusinessCalendar,
  now: Date,
): Promise<{ from: string; to: string; previousDueAt: Date; dueAt: Date }> {
  const loaded = await loadCaseClocks(tx, after.id);
  const clock = loaded.find((l) => l.row.role === 'resolution' && !l.state.stoppedAt);
  if (!clock) throw new AppError('invalid_state', 'The resolution clock is not running');
  if (now.getTime() >= clock.state.dueAt.getTime()) {
    throw new AppError('invalid_state', 'The resolution period has already ended; it cannot be extended');
  }
  let definition = clock.definition;
  let extensions = clock.extensions;
  if (step === 'complex_30') {
    if (definition.name !== 'decision') {
      throw new AppError('invalid_state', 'Only the 15-day decision period can be extended to 30 days');
    }
    const config = await caseConfigOf(tx, after.id);
    definition = resolveClock(presetOf(config, 'cn-nfra-2020'), 'decision_extended');
  } else {
    if (definition.name !== 'decision_extended' || extensions.some((e) => e.id === 'further_30_approved')) {
      throw new AppError('invalid_state', 'The further 30 days follow the 30-day extension, once');
    }
    extensions = [
      ...extensions,
      { id: 'further_30_approved', approvedBy: approverId, approvedAt: now, customerNotifiedAt: now },
    ];
  }
  const refreshed = refreshClock(clock.state, {
    definition,
    calendar,
    pauses: pausesSince(after.pauses, clock.state.startedAt),
    extensions,
    now,
  });
  const next: TClockState = { ...refreshed, generation: clock.state.generation + 1 };
  await tx
    .update(caseSlaClocks)
    .set({ ...derivedColumns(next, calendar), definition, extensions, updatedAt: now })
    .where(eq(caseSlaClocks.id, clock.row.id));
  return {
    from: clock.definition.name,
    to: definition.name,
    previousDueAt: clock.state.dueAt,
    dueAt: next.dueAt,
  };
}
