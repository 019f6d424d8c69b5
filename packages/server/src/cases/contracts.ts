import {
  CaseChannels,
  CaseStates,
  CaseTypes,
  type ClockPeriod,
  CountingModes,
  DayEnds,
  RollOverRules,
  ZCase,
  ZCaseAction,
  ZCreateCaseRequest,
  ZMoney,
} from '@serviceloop/domain';
import { z } from 'zod';

/** Intake: the domain's create request plus an optional compensation offered on the spot. */
export const ZCaseIntakeRequest = ZCreateCaseRequest.extend({
  // The server's ids are UUIDs: checked here so a malformed one is a 400, not a database error.
  orgUnitId: z.uuid(),
  assigneeId: z.uuid().nullable().default(null),
  compensation: z
    .strictObject({
      amount: ZMoney,
      reason: z.string().trim().min(1).max(500),
    })
    .optional(),
});
export type TCaseIntakeRequest = z.infer<typeof ZCaseIntakeRequest>;

export const SlaRisks = ['ok', 'warning', 'breached'] as const;

const iso = z.string();

export const ZCaseListItem = z.object({
  id: z.uuid(),
  number: z.string(),
  type: z.enum(CaseTypes),
  state: z.enum(CaseStates),
  channel: z.enum(CaseChannels),
  subject: z.string(),
  orgUnitId: z.uuid(),
  orgUnitName: z.string(),
  /** The owning unit's IANA zone: its deadlines are promises in that local time. */
  orgUnitTimeZone: z.string(),
  assigneeId: z.uuid().nullable(),
  assigneeName: z.string().nullable(),
  severity: z.string(),
  serviceLevel: z.string(),
  receivedAt: iso,
  nextDueAt: iso.nullable(),
  risk: z.enum(SlaRisks),
  compensationMinor: z.number().int(),
  currency: z.string(),
});
export type TCaseListItem = z.infer<typeof ZCaseListItem>;

export const ZCaseListQuery = z.strictObject({
  orgUnitId: z.uuid().optional(),
  state: z.enum(CaseStates).optional(),
  type: z.enum(CaseTypes).optional(),
  assigneeId: z.union([z.uuid(), z.literal('me')]).optional(),
  risk: z.enum(SlaRisks).optional(),
  open: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  q: z.string().trim().max(100).optional(),
  sort: z.enum(['received', 'due']).default('received'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type TCaseListQuery = z.infer<typeof ZCaseListQuery>;

export const ZCaseClockView = z.object({
  id: z.uuid(),
  role: z.string(),
  clockKey: z.string(),
  /** The definition's configured text (English); `period` says the same in figures. */
  label: z.string(),
  period: z.object({
    mode: z.enum(CountingModes),
    amount: z.number(),
    end: z.enum(DayEnds),
    rollOver: z.enum(RollOverRules),
    extendedBy: z.number(),
  }) satisfies z.ZodType<ClockPeriod>,
  startedAt: iso,
  dueAt: iso,
  warnAt: iso.nullable(),
  state: z.enum(['running', 'paused', 'stopped']),
  stoppedAt: iso.nullable(),
  breached: z.boolean(),
  fired: z.array(z.string()),
});

export const ZTimelineEntry = z.object({
  id: z.number().int(),
  at: iso,
  actorId: z.uuid().nullable(),
  type: z.string(),
  fromState: z.string().nullable(),
  toState: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});

export const ZFollowUp = z.object({
  id: z.uuid(),
  dueAt: iso,
  status: z.enum(['scheduled', 'done', 'cancelled']),
  assigneeId: z.uuid().nullable(),
  completedAt: iso.nullable(),
  note: z.string().nullable(),
});

export const ZCaseDetail = z.object({
  case: ZCase,
  orgUnitName: z.string(),
  /** The owning unit's IANA zone: its deadlines are promises in that local time. */
  orgUnitTimeZone: z.string(),
  risk: z.enum(SlaRisks),
  allowedActions: z.array(z.string()),
  clocks: z.array(ZCaseClockView),
  timeline: z.array(ZTimelineEntry),
  followUps: z.array(ZFollowUp),
  rating: z.object({ score: z.number().int(), comment: z.string().nullable(), at: iso }).nullable(),
});
export type TCaseDetail = z.infer<typeof ZCaseDetail>;

/** The answer to an action: the case after it, and on closure the one-time rating link token. */
export const ZCaseActionResult = ZCaseDetail.extend({ ratingToken: z.string().nullable() });
export type TCaseActionResult = z.infer<typeof ZCaseActionResult>;

export { ZCaseAction };

export const ZApproval = z.object({
  id: z.string(),
  caseId: z.uuid(),
  caseNumber: z.string(),
  orgUnitId: z.uuid(),
  amount: ZMoney,
  reason: z.string(),
  status: z.string(),
  requestedBy: z.uuid(),
  requestedAt: iso,
  decidedBy: z.uuid().nullable(),
  decidedAt: iso.nullable(),
  note: z.string().nullable(),
  approvalDueAt: iso.nullable(),
});
export type TApproval = z.infer<typeof ZApproval>;
