import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { AppError } from '../shared/errors.ts';
import { ZMoney } from '../shared/money.ts';
import { ZJrtClassification } from './classification.ts';
import {
  CaseChannels,
  CaseServiceLevels,
  CaseStates,
  CaseTypes,
  NonPropertyClaimKinds,
  OpenCaseStates,
  Remedies,
  RootCauseCategories,
  Severities,
} from './keys.ts';
import { PauseReasons, ZPause } from './sla-schema.ts';

export {
  CaseChannels,
  CaseServiceLevels,
  CaseStates,
  CaseTypes,
  NonPropertyClaimKinds,
  OpenCaseStates,
  Remedies,
  RootCauseCategories,
  Severities,
};

export type CaseType = (typeof CaseTypes)[number];
export const ZCaseType = z.enum(CaseTypes);

export const CASE_NUMBER_PREFIX: Readonly<Record<CaseType, string>> = {
  complaint: 'CMP',
  ebanking_support: 'EBS',
  internal_request: 'INT',
};

const NUMBER_RE = /^(CMP|EBS|INT)-(\d{4})-(\d{6,})$/;

/** `CMP-2026-000123`: type prefix, year of receipt (in the org unit's zone), sequence per type and year. */
export function formatCaseNumber(type: CaseType, year: number, sequence: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new AppError('validation_failed', `Invalid year ${year}`);
  }
  if (!Number.isInteger(sequence) || sequence < 1) {
    throw new AppError('validation_failed', `Invalid sequence ${sequence}`);
  }
  // Six digits is the usual width; a busy year simply grows the number rather than wrapping.
  return `${CASE_NUMBER_PREFIX[type]}-${year}-${String(sequence).padStart(6, '0')}`;
}

/** The year that goes into a case number: the receipt's local year in the org unit's zone. */
export function caseNumberYear(receivedAt: Date, timeZone: string): number {
  return Temporal.Instant.fromEpochMilliseconds(receivedAt.getTime()).toZonedDateTimeISO(timeZone).year;
}

export function parseCaseNumber(value: string): { type: CaseType; year: number; sequence: number } | null {
  const m = NUMBER_RE.exec(value.trim().toUpperCase());
  if (!m) return null;
  const type = CaseTypes.find((t) => CASE_NUMBER_PREFIX[t] === m[1]);
  if (!type) return null;
  return { type, year: Number(m[2]), sequence: Number(m[3]) };
}

export const ZCaseNumber = z.string().regex(NUMBER_RE, 'e.g. CMP-2026-000123');

export type CaseChannel = (typeof CaseChannels)[number];
export const ZCaseChannel = z.enum(CaseChannels);

export type Severity = (typeof Severities)[number];
export const ZSeverity = z.enum(Severities);

export type CaseServiceLevel = (typeof CaseServiceLevels)[number];
export const ZCaseServiceLevel = z.enum(CaseServiceLevels);

export type Remedy = (typeof Remedies)[number];

export type NonPropertyClaimKind = (typeof NonPropertyClaimKinds)[number];

/** What the customer claims (DOMAIN §3, seed 001 §42–44). */
export const ZClaims = z.strictObject({
  compensation: ZMoney.refine((m) => m.amountMinor >= 0, { message: 'must not be negative' }).nullable(),
  remedies: z.array(z.enum(Remedies)).max(3),
  nonProperty: z.array(z.enum(NonPropertyClaimKinds)).max(5),
  nonPropertyText: z.string().trim().max(1000).optional(),
});
export type TClaims = z.infer<typeof ZClaims>;

export const ZComplaintRecord = z.strictObject({
  business: z.string().trim().min(1).max(100),
  product: z.string().trim().max(100).optional(),
  claims: ZClaims,
  severity: ZSeverity,
  serviceLevel: ZCaseServiceLevel,
  /** May be completed after intake; required before closure of a complaint. */
  classification: ZJrtClassification.nullable(),
});
export type TComplaintRecord = z.infer<typeof ZComplaintRecord>;

export const ZCaseCustomer = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('linked'), customerId: z.uuid() }),
  z.strictObject({
    kind: z.literal('walk_in'),
    name: z.string().trim().min(1).max(100),
    phone: z.string().trim().max(30).optional(),
    email: z.email().optional(),
  }),
  // Internal requests come from a colleague, not a customer.
  z.strictObject({ kind: z.literal('staff'), userId: z.string().min(1), orgUnitId: z.string().min(1) }),
]);
export type TCaseCustomer = z.infer<typeof ZCaseCustomer>;

export type CaseState = (typeof CaseStates)[number];

export const TERMINAL_STATES: readonly CaseState[] = ['merged', 'withdrawn'];

export type RootCauseCategory = (typeof RootCauseCategories)[number];

export const ROOT_CAUSE_LABELS: Readonly<Record<RootCauseCategory, { zh: string; en: string }>> = {
  people: { zh: '人员', en: 'People' },
  process: { zh: '流程', en: 'Process' },
  system_equipment: { zh: '系统/设备', en: 'System / equipment' },
  product: { zh: '产品', en: 'Product' },
  rules: { zh: '制度规则', en: 'Rules' },
  third_party: { zh: '第三方', en: 'Third party' },
  customer_misunderstanding: { zh: '客户误解', en: 'Customer misunderstanding' },
};

export const ZRootCause = z.strictObject({
  category: z.enum(RootCauseCategories),
  text: z.string().trim().min(1).max(2000),
});
export type TRootCause = z.infer<typeof ZRootCause>;

export const CompensationStatuses = ['granted', 'pending_approval', 'approved', 'declined'] as const;
export type CompensationStatus = (typeof CompensationStatuses)[number];

export const ZCompensation = z.strictObject({
  id: z.string().min(1),
  amount: ZMoney,
  reason: z.string().trim().min(1).max(500),
  status: z.enum(CompensationStatuses),
  requestedBy: z.string().min(1),
  requestedAt: z.date(),
  decidedBy: z.string().nullable(),
  decidedAt: z.date().nullable(),
  note: z.string().max(500).nullable(),
});
export type TCompensation = z.infer<typeof ZCompensation>;

export const ReviewOutcomes = ['upheld', 'overturned'] as const;
export type ReviewOutcome = (typeof ReviewOutcomes)[number];

export const ZCase = z.strictObject({
  id: z.string().min(1),
  number: ZCaseNumber,
  type: ZCaseType,
  state: z.enum(CaseStates),
  orgUnitId: z.string().min(1),
  assigneeId: z.string().nullable(),
  channel: ZCaseChannel,
  customer: ZCaseCustomer,
  subject: z.string().trim().min(1).max(200),
  content: z.string().trim().min(1).max(10_000),
  /** Present for complaints; e-banking and internal requests may leave it null. */
  complaint: ZComplaintRecord.nullable(),
  receivedAt: z.date(),
  pauses: z.array(ZPause),
  resolution: z.strictObject({ summary: z.string().min(1).max(5000), proposedAt: z.date() }).nullable(),
  /** When the bank's decision was communicated; starts the review-request window. */
  decisionAt: z.date().nullable(),
  rootCause: ZRootCause.nullable(),
  compensations: z.array(ZCompensation),
  review: z
    .strictObject({
      requestedAt: z.date(),
      reason: z.string().max(2000),
      decidedAt: z.date().nullable(),
      outcome: z.enum(ReviewOutcomes).nullable(),
      summary: z.string().max(5000).nullable(),
    })
    .nullable(),
  mergedIntoCaseId: z.string().nullable(),
  reopenCount: z.number().int().nonnegative(),
  closedAt: z.date().nullable(),
  withdrawnAt: z.date().nullable(),
  /** Optimistic concurrency: every transition increments it. */
  version: z.number().int().nonnegative(),
});
export type TCase = z.infer<typeof ZCase>;

export const ZPauseReason = z.enum(PauseReasons);

/** The intake form, counter staff's "under a minute" path: the rest is filled in later. */
export const ZCreateCaseRequest = z.strictObject({
  type: ZCaseType,
  orgUnitId: z.string().min(1),
  channel: ZCaseChannel,
  customer: ZCaseCustomer,
  subject: z.string().trim().min(1).max(200),
  content: z.string().trim().min(1).max(10_000),
  complaint: ZComplaintRecord.nullable().default(null),
  assigneeId: z.string().nullable().default(null),
});
export type TCreateCaseRequest = z.infer<typeof ZCreateCaseRequest>;

/** A fresh case in state `received`; the id and number come from the server (UUIDv7, sequence). */
export function newCase(
  input: TCreateCaseRequest,
  ids: { id: string; number: string },
  receivedAt: Date,
): TCase {
  const parsed = parseCaseNumber(ids.number);
  if (!parsed || parsed.type !== input.type) {
    throw new AppError('validation_failed', `Case number ${ids.number} does not match type ${input.type}`);
  }
  if (input.type === 'complaint' && input.complaint === null) {
    throw new AppError('validation_failed', 'A complaint needs its complaint record');
  }
  return {
    id: ids.id,
    number: ids.number,
    type: input.type,
    state: 'received',
    orgUnitId: input.orgUnitId,
    assigneeId: input.assigneeId,
    channel: input.channel,
    customer: input.customer,
    subject: input.subject,
    content: input.content,
    complaint: input.complaint,
    receivedAt,
    pauses: [],
    resolution: null,
    decisionAt: null,
    rootCause: null,
    compensations: [],
    review: null,
    mergedIntoCaseId: null,
    reopenCount: 0,
    closedAt: null,
    withdrawnAt: null,
    version: 0,
  };
}
