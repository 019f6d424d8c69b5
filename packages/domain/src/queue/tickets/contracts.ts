import { z } from 'zod';
import { ZQueueCode } from '../policy/config.ts';
import { ZBusinessDay } from './business-day.ts';
import { ZTicketNumber, ZTicketSequence } from './ticket-number.ts';

/** How a customer identified at the kiosk; the server looks the customer up and keeps only the id. */
export const ZCustomerIdentification = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('card'), value: z.string().regex(/^\d{12,19}$/, '12–19 digits') }),
  z.strictObject({
    kind: z.literal('phone'),
    value: z.string().regex(/^\+?\d{6,15}$/, 'Digits, optional +'),
  }),
  z.strictObject({
    kind: z.literal('national_id'),
    value: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[0-9A-Z]{6,32}$/, 'Letters and digits'),
  }),
]);
export type TCustomerIdentification = z.infer<typeof ZCustomerIdentification>;

export const AssistanceReasons = ['elderly', 'disabled', 'pregnant', 'other'] as const;
export const ZAssistanceReason = z.enum(AssistanceReasons);

export const KioskLocales = ['zh-CN', 'en'] as const;

/** Body of POST …/tickets (the branch is in the path; the Idempotency-Key in a header). */
export const ZIssueTicketRequest = z.strictObject({
  serviceCode: ZQueueCode,
  /** Absent: anonymous customer, default priority class. */
  identification: ZCustomerIdentification.optional(),
  /** Priority on request for elderly or disabled customers (see resolvePriorityClass). */
  assistance: ZAssistanceReason.optional(),
  locale: z.enum(KioskLocales).default('zh-CN'),
});
export type TIssueTicketRequest = z.infer<typeof ZIssueTicketRequest>;

export const TicketStatuses = ['waiting', 'called', 'serving', 'served', 'no_show', 'abandoned'] as const;
export const ZTicketStatus = z.enum(TicketStatuses);
export type TTicketStatus = z.infer<typeof ZTicketStatus>;

/** A ticket as the API shows it. Times are ISO 8601 UTC; the branch zone renders them. */
export const ZTicket = z.object({
  id: z.uuid(),
  branchId: z.uuid(),
  number: ZTicketNumber,
  serviceCode: ZQueueCode,
  businessDay: ZBusinessDay,
  sequence: ZTicketSequence,
  priorityClass: ZQueueCode,
  status: ZTicketStatus,
  issuedAt: z.iso.datetime({ offset: true }),
  /** Original arrival: a transfer keeps it. */
  arrivedAt: z.iso.datetime({ offset: true }),
  transferred: z.boolean(),
  targetCounterId: z.uuid().nullable(),
  counterId: z.uuid().nullable(),
  calledAt: z.iso.datetime({ offset: true }).nullable(),
  recallCount: z.number().int().min(0),
});
export type TTicket = z.infer<typeof ZTicket>;

/** A predicted wait with its 80% interval, seconds from now until called. */
export const ZWaitEstimate = z.object({
  pointSeconds: z.number().min(0),
  lowerSeconds: z.number().min(0),
  upperSeconds: z.number().min(0),
  /** Which predictor produced it, so screens and backtests can tell estimates apart. */
  method: z.string().min(1).max(32),
});
export type TWaitEstimate = z.infer<typeof ZWaitEstimate>;

/** Public status of one ticket (by its unguessable id), as the status page and the QR link read it. */
export const ZTicketStatusView = z.object({
  ticket: ZTicket,
  branchName: z.string(),
  branchNameEn: z.string().nullable(),
  serviceNameZh: z.string(),
  serviceNameEn: z.string(),
  peopleAhead: z.number().int().nullable(),
  estimate: ZWaitEstimate.nullable(),
  counterNumber: z.number().int().nullable(),
  counterName: z.string().nullable(),
});
export type TTicketStatusView = z.infer<typeof ZTicketStatusView>;

export const ZIssueTicketResponse = z.object({
  ticket: ZTicket,
  peopleAhead: z.number().int().min(0),
  estimate: ZWaitEstimate.nullable(),
  /** Link encoded in the ticket's QR code. */
  statusUrl: z.string().min(1),
});
export type TIssueTicketResponse = z.infer<typeof ZIssueTicketResponse>;

/** Teller transfer: to another service, or to one counter; the original arrival is kept either way. */
export const ZTransferTicketRequest = z
  .strictObject({
    serviceCode: ZQueueCode.optional(),
    counterId: z.uuid().optional(),
  })
  .refine((r) => r.serviceCode !== undefined || r.counterId !== undefined, {
    message: 'Give a service, a counter or both',
  });
export type TTransferTicketRequest = z.infer<typeof ZTransferTicketRequest>;
