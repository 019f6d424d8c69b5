import { z } from 'zod';
import { ZRole } from '../identity/permissions.ts';
import type { TBusinessCalendar } from './calendar.ts';
import {
  DEFAULT_ESCALATION_RECIPIENTS,
  ESCALATION_ROLES,
  type EscalationLevel,
  EscalationLevels,
  EscalationOrgLevels,
  type EscalationRecipient,
} from './escalation-recipients.ts';
import {
  advanceCounted,
  businessSegments,
  computeClockDue,
  countedBetween,
  elapsedSegmentsFrom,
  mergePauses,
} from './sla.ts';
import { type TAppliedExtension, type TClockDefinition, type TPause, ZPause } from './sla-schema.ts';

export {
  DEFAULT_ESCALATION_RECIPIENTS,
  ESCALATION_ROLES,
  type EscalationLevel,
  EscalationLevels,
  type EscalationOrgLevel,
  EscalationOrgLevels,
  type EscalationRecipient,
} from './escalation-recipients.ts';

/**
 * Early warning and escalation. The schedule is a pure function of the clock's stored state,
 * so after a restart the server recomputes it and fires what is due and not yet fired; each
 * notification has an idempotency key the server records (unique) when it fires it.
 *
 * - Warnings fire when a share (e.g. 75%) of the clock's running time has passed. Running time
 *   is the time from start to due minus pauses, measured in wall-clock time, or in working time
 *   of a business calendar when one is given (a 4-business-hour clock warns after 3 business
 *   hours, not on Sunday).
 * - The breach is the due instant itself.
 * - Escalations climb the chain at offsets after the breach, in wall-clock time: a breached
 *   complaint does not wait for Monday.
 * - While a pause is open nothing at or after its start fires; when the clock is stopped (met)
 *   nothing at or after the stop fires. A pause that starts after the breach does not hold back
 *   escalation (it cannot revive a breached clock either, see computeClockDue).
 */

export const ESCALATION_LEVEL_LABELS: Readonly<Record<EscalationLevel, { zh: string; en: string }>> = {
  assignee: { zh: '经办人', en: 'Assignee' },
  team_lead: { zh: '主管', en: 'Team lead' },
  branch_manager: { zh: '网点负责人', en: 'Branch manager' },
  head_office_service_centre: { zh: '总行客服中心', en: 'Head-office customer service centre' },
};

export const ZEscalationStep = z.strictObject({
  level: z.enum(EscalationLevels),
  afterBreachMinutes: z.number().int().nonnegative(),
});
export type TEscalationStep = z.infer<typeof ZEscalationStep>;

/** One kind of person an escalation level reaches: the case's assignee, or a role at org levels. */
export const ZEscalationRecipient = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('assignee') }),
  z.strictObject({
    kind: z.literal('role'),
    role: ZRole,
    at: z.array(z.enum(EscalationOrgLevels)).min(1).max(EscalationOrgLevels.length),
  }),
]);
export type TEscalationRecipient = z.infer<typeof ZEscalationRecipient>;

const ZRecipientList = z.array(ZEscalationRecipient).min(1).max(8);

/** Who each level reaches; a level left out reaches its default (`DEFAULT_ESCALATION_RECIPIENTS`). */
export const ZEscalationRecipients = z.strictObject({
  assignee: ZRecipientList.optional(),
  team_lead: ZRecipientList.optional(),
  branch_manager: ZRecipientList.optional(),
  head_office_service_centre: ZRecipientList.optional(),
});
export type TEscalationRecipients = z.infer<typeof ZEscalationRecipients>;

export const ZEscalationPolicy = z.strictObject({
  /** Shares of the running time at which to warn, each in (0, 1). */
  warningShares: z.array(z.number().gt(0).lt(1)).max(5).default([0.75]),
  warnTo: z.array(z.enum(EscalationLevels)).min(1).default(['assignee', 'team_lead']),
  breachTo: z.array(z.enum(EscalationLevels)).min(1).default(['assignee', 'team_lead']),
  steps: z
    .array(ZEscalationStep)
    .max(10)
    .default([
      { level: 'team_lead', afterBreachMinutes: 0 },
      { level: 'branch_manager', afterBreachMinutes: 4 * 60 },
      { level: 'head_office_service_centre', afterBreachMinutes: 24 * 60 },
    ]),
  /**
   * Who each level reaches (warnings, breaches and escalations alike). Absent, or a level left
   * out: the default. A policy rule's own chain takes the configured chain's recipients for the
   * levels it leaves out.
   */
  recipients: ZEscalationRecipients.optional(),
});
export type TEscalationPolicy = z.infer<typeof ZEscalationPolicy>;

export const DEFAULT_ESCALATION_POLICY: TEscalationPolicy = ZEscalationPolicy.parse({});

/** The people a level of this chain reaches: as configured, else the default. */
export function levelRecipients(
  policy: Pick<TEscalationPolicy, 'recipients'>,
  level: EscalationLevel,
): readonly EscalationRecipient[] {
  return policy.recipients?.[level] ?? DEFAULT_ESCALATION_RECIPIENTS[level];
}

/** A rule's own chain with the configured chain's recipients for the levels it leaves out. */
export function withRecipientsFrom(own: TEscalationPolicy, configured: TEscalationPolicy): TEscalationPolicy {
  if (!configured.recipients) return own;
  return { ...own, recipients: { ...configured.recipients, ...own.recipients } };
}

/** Longest sensible wait after a breach before a step fires: 30 days. */
export const MAX_ESCALATION_MINUTES = 30 * 24 * 60;

/**
 * What is wrong with an escalation chain beyond its shape: each step must climb the chain
 * (assignee → team lead → branch manager → head-office customer service centre) and fire no
 * earlier than the step before it; warning shares must be distinct.
 */
export interface EscalationIssue {
  readonly path: string;
  readonly message: string;
  readonly rule: string;
  readonly params: Readonly<Record<string, string | number | null>>;
}

export function escalationPolicyIssues(policy: TEscalationPolicy): EscalationIssue[] {
  const issues: EscalationIssue[] = [];
  const rank = (level: EscalationLevel) => EscalationLevels.indexOf(level);
  policy.steps.forEach((step, i) => {
    if (step.afterBreachMinutes > MAX_ESCALATION_MINUTES) {
      issues.push({
        path: `steps.${i}.afterBreachMinutes`,
        message: 'at most 30 days after the breach',
        rule: 'escalation_max',
        params: { step: i + 1 },
      });
    }
    const prev = policy.steps[i - 1];
    if (!prev) return;
    if (rank(step.level) <= rank(prev.level)) {
      issues.push({
        path: `steps.${i}.level`,
        message: `escalation levels must increase: ${step.level} comes after ${prev.level}`,
        rule: 'escalation_order',
        params: { step: i + 1, escalationLevel: step.level, escalationLevelBefore: prev.level },
      });
    }
    if (step.afterBreachMinutes < prev.afterBreachMinutes) {
      issues.push({
        path: `steps.${i}.afterBreachMinutes`,
        message: `must not fire before the previous step (${prev.afterBreachMinutes} min)`,
        rule: 'escalation_timing',
        params: { step: i + 1, minutes: prev.afterBreachMinutes },
      });
    }
  });
  issues.push(...recipientIssues(policy.recipients));
  if (new Set(policy.warningShares).size !== policy.warningShares.length) {
    issues.push({
      path: 'warningShares',
      message: 'warning shares must be distinct',
      rule: 'shares_distinct',
      params: {},
    });
  }
  return issues;
}

/**
 * What is wrong with who the levels reach: nobody listed twice in a level, no org level twice
 * for a role, and above the assignee's level only roles that can supervise cases (the people a
 * case escalates to must be able to act on it).
 */
function recipientIssues(recipients: TEscalationRecipients | undefined): EscalationIssue[] {
  const issues: EscalationIssue[] = [];
  if (!recipients) return issues;
  for (const level of EscalationLevels) {
    const list = recipients[level];
    if (!list) continue;
    const seen = new Set<string>();
    list.forEach((r, i) => {
      const path = `recipients.${level}.${i}`;
      const who = r.kind === 'assignee' ? 'assignee' : r.role;
      if (seen.has(who)) {
        issues.push({
          path,
          message: `${who} is listed twice for ${level}`,
          rule: 'recipient_duplicate',
          params: { escalationLevel: level, recipient: who },
        });
      }
      seen.add(who);
      if (r.kind !== 'role') return;
      if (new Set(r.at).size !== r.at.length) {
        issues.push({
          path: `${path}.at`,
          message: `${r.role} names an org level twice`,
          rule: 'org_level_duplicate',
          params: { escalationLevel: level, recipient: r.role },
        });
      }
      if (level !== 'assignee' && !ESCALATION_ROLES.includes(r.role)) {
        issues.push({
          path: `${path}.role`,
          message: `${level} must reach people who can supervise cases; ${r.role} cannot`,
          rule: 'recipient_role',
          params: { escalationLevel: level, recipient: r.role },
        });
      }
    });
  }
  return issues;
}

export const ZClockState = z.strictObject({
  /** Unique per case and clock, e.g. `<caseId>:resolution`. */
  clockId: z.string().min(1),
  startedAt: z.date(),
  dueAt: z.date(),
  pauses: z.array(ZPause),
  /** When the clock was met (e.g. the decision was sent); null while running. */
  stoppedAt: z.date().nullable(),
  /** Bumped by the server to re-arm notifications deliberately (e.g. a new clock after reopening). */
  generation: z.number().int().nonnegative().default(0),
  /** Idempotency keys already fired. */
  fired: z.array(z.string()),
  policy: ZEscalationPolicy,
  /** Measure warning shares in working time of the case's calendar instead of wall-clock time. */
  measure: z.enum(['elapsed', 'business']).default('elapsed'),
});
export type TClockState = z.infer<typeof ZClockState>;

export type NotificationKind = 'warning' | 'breach' | 'escalation';

export interface ScheduledNotification {
  readonly key: string;
  readonly kind: NotificationKind;
  /** null while suspended by an open pause. */
  readonly at: Date | null;
  readonly recipients: readonly EscalationLevel[];
  /** The warning share, for warnings. */
  readonly share?: number;
}

export interface ClockSchedule {
  readonly warnings: readonly ScheduledNotification[];
  readonly breach: ScheduledNotification;
  readonly escalations: readonly ScheduledNotification[];
}

function keyPrefix(s: TClockState): string {
  return `${s.clockId}#${s.generation}`;
}

/** Percent with up to two decimals, so 0.75 and 0.7500001 do not collide silently. */
function shareKey(share: number): string {
  return String(Math.round(share * 10_000) / 100);
}

export function clockSchedule(state: TClockState, calendar?: TBusinessCalendar): ClockSchedule {
  const start = state.startedAt.getTime();
  const due = state.dueAt.getTime();
  const open = state.pauses.filter((p) => p.to === null).map((p) => p.from.getTime());
  const suspendedFrom = open.length > 0 ? Math.min(...open) : Number.POSITIVE_INFINITY;
  const closed: TPause[] = state.pauses.filter((p) => p.to !== null);
  const pauses = mergePauses(closed);
  const useBusiness = state.measure === 'business' && calendar !== undefined;
  const segments = () =>
    useBusiness && calendar ? businessSegments(calendar, start) : elapsedSegmentsFrom(start);
  const suspended = (t: number) => (t >= suspendedFrom ? null : new Date(t));
  const prefix = keyPrefix(state);

  const total = due > start ? countedBetween(segments(), pauses, due) : 0;
  const warnings = [...new Set(state.policy.warningShares)]
    .sort((a, b) => a - b)
    .map((share): ScheduledNotification => {
      const at =
        total > 0
          ? Math.min(due, advanceCounted(segments(), pauses, Math.max(1, Math.floor(total * share))))
          : due;
      return {
        key: `${prefix}:warning:${shareKey(share)}`,
        kind: 'warning',
        at: suspended(at),
        recipients: state.policy.warnTo,
        share,
      };
    });
  const breachAt = suspended(due);
  const breach: ScheduledNotification = {
    key: `${prefix}:breach`,
    kind: 'breach',
    at: breachAt,
    recipients: state.policy.breachTo,
  };
  const escalations = state.policy.steps.map(
    (step): ScheduledNotification => ({
      key: `${prefix}:escalation:${step.level}:${step.afterBreachMinutes}`,
      kind: 'escalation',
      at: breachAt ? new Date(due + step.afterBreachMinutes * 60_000) : null,
      recipients: [step.level],
    }),
  );
  return { warnings, breach, escalations };
}

/**
 * The notifications that are due at `now` and not yet fired, in time order. A stopped clock
 * fires nothing scheduled at or after its stop; the server records each returned key when it
 * fires it, so calling this again (or after a restart) never fires anything twice.
 */
export function dueNotifications(
  state: TClockState,
  now: Date,
  calendar?: TBusinessCalendar,
): ScheduledNotification[] {
  const schedule = clockSchedule(state, calendar);
  const fired = new Set(state.fired);
  const stop = state.stoppedAt?.getTime() ?? Number.POSITIVE_INFINITY;
  return [...schedule.warnings, schedule.breach, ...schedule.escalations]
    .filter(
      (n) => n.at !== null && n.at.getTime() <= now.getTime() && n.at.getTime() < stop && !fired.has(n.key),
    )
    .sort((a, b) => (a.at?.getTime() ?? 0) - (b.at?.getTime() ?? 0));
}

/** The next instant at which something will become due, for the server's timer; null if none. */
export function nextNotificationAt(state: TClockState, now: Date, calendar?: TBusinessCalendar): Date | null {
  const schedule = clockSchedule(state, calendar);
  const fired = new Set(state.fired);
  const stop = state.stoppedAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const times = [...schedule.warnings, schedule.breach, ...schedule.escalations]
    .filter(
      (n) => !fired.has(n.key) && n.at !== null && n.at.getTime() > now.getTime() && n.at.getTime() < stop,
    )
    .map((n) => n.at?.getTime() ?? 0);
  return times.length > 0 ? new Date(Math.min(...times)) : null;
}

/** Records fired keys (pure; the server persists the result in the same transaction). */
export function markFired(state: TClockState, keys: readonly string[]): TClockState {
  const fired = new Set(state.fired);
  for (const k of keys) fired.add(k);
  return { ...state, fired: [...fired] };
}

/**
 * A new running clock with its due time. Business-hour clocks measure warning shares in
 * working time; the rest in wall-clock time.
 */
export function startClock(input: {
  readonly clockId: string;
  readonly definition: TClockDefinition;
  readonly startedAt: Date;
  readonly calendar: TBusinessCalendar;
  readonly policy?: TEscalationPolicy;
}): TClockState {
  const { due } = computeClockDue({
    definition: input.definition,
    receivedAt: input.startedAt,
    calendar: input.calendar,
  });
  return {
    clockId: input.clockId,
    startedAt: input.startedAt,
    dueAt: due,
    pauses: [],
    stoppedAt: null,
    generation: 0,
    fired: [],
    policy: input.policy ?? DEFAULT_ESCALATION_POLICY,
    measure: input.definition.mode === 'business_hours' ? 'business' : 'elapsed',
  };
}

/**
 * Recomputes the due time after a pause, a resume or an extension. While a pause is open the
 * stored due time assumes it ends `now`; the schedule suspends everything from its start anyway.
 */
export function refreshClock(
  state: TClockState,
  input: {
    readonly definition: TClockDefinition;
    readonly calendar: TBusinessCalendar;
    readonly pauses: readonly TPause[];
    readonly extensions?: readonly TAppliedExtension[];
    readonly now: Date;
  },
): TClockState {
  const { due } = computeClockDue({
    definition: input.definition,
    receivedAt: state.startedAt,
    calendar: input.calendar,
    pauses: input.pauses,
    extensions: input.extensions ?? [],
    now: input.now,
  });
  return { ...state, pauses: [...input.pauses], dueAt: due };
}

/** Stops a clock that was met; later warnings and escalations never fire. */
export function stopClock(state: TClockState, at: Date): TClockState {
  return state.stoppedAt ? state : { ...state, stoppedAt: at };
}
