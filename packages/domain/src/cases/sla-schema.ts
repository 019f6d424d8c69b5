import { z } from 'zod';

/**
 * SLA clocks. How a period is counted is part of each clock definition, because regulators
 * differ: Chinese periods follow the Civil Code (art. 201–203), the FCA counts business days,
 * the CFPB calendar days.
 *
 * Day-based modes (calendar_days, business_days, weeks) never count the day of receipt
 * (Civil Code art. 201; FCA "after the day on which it is received"): day 1 is the next local
 * date. The last day then optionally rolls over rest days (art. 203) and the clock ends at the
 * end of that day (24:00 local) or at its close of business.
 * Hour-based modes (hours, business_hours) start at the receipt instant itself.
 *
 * The returned due instant is the breach instant: anything strictly before it is on time.
 * A period ending "at 24:00 on 8 October" is therefore returned as 00:00 on 9 October.
 */

export const CountingModes = ['calendar_days', 'business_days', 'weeks', 'hours', 'business_hours'] as const;
export type CountingMode = (typeof CountingModes)[number];

/** What happens when the last day of a day-based period is not a working day. */
export const RollOverRules = ['none', 'holidays', 'rest_days'] as const;
export type RollOverRule = (typeof RollOverRules)[number];

export const DayEnds = ['end_of_day', 'close_of_business'] as const;
export type DayEnd = (typeof DayEnds)[number];

export const ZClockExtension = z.strictObject({
  id: z.string().min(1).max(64),
  /** In the clock's own unit (days, business days, weeks or hours), counted from receipt like the base amount. */
  amount: z.number().int().positive(),
  requiresApproval: z.boolean(),
  requiresCustomerNotice: z.boolean(),
  label: z.string().max(200).optional(),
});
export type TClockExtension = z.infer<typeof ZClockExtension>;

export const ZClockDefinition = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  label: z.string().min(1).max(200),
  labelZh: z.string().max(200).optional(),
  mode: z.enum(CountingModes),
  /** Whole units; hour modes accept fractions down to one minute (e.g. 0.5 = 30 minutes). */
  amount: z.number().positive().max(100_000),
  rollOver: z.enum(RollOverRules).default('none'),
  end: z.enum(DayEnds).default('end_of_day'),
  extensions: z.array(ZClockExtension).default([]),
  /** The event that starts this clock, for the engine and for people reading the preset. */
  startsOn: z.string().max(100).default('receipt'),
  reference: z.string().max(300).optional(),
});
export type TClockDefinition = z.infer<typeof ZClockDefinition>;
export type TClockDefinitionInput = z.input<typeof ZClockDefinition>;

export const ZSlaPreset = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/),
    label: z.string().min(1).max(200),
    jurisdiction: z.string().max(50),
    clocks: z.array(ZClockDefinition).min(1),
  })
  .refine((p) => new Set(p.clocks.map((c) => c.name)).size === p.clocks.length, {
    message: 'clock names must be unique within a preset',
  });
export type TSlaPreset = z.infer<typeof ZSlaPreset>;

export const PauseReasons = ['waiting_for_customer', 'external_appraisal', 'other'] as const;
export type PauseReason = (typeof PauseReasons)[number];

/** A stretch during which the clock does not run; `to: null` while the pause is still open. */
export const ZPause = z
  .strictObject({ from: z.date(), to: z.date().nullable(), reason: z.enum(PauseReasons) })
  .refine((p) => p.to === null || p.to.getTime() >= p.from.getTime(), {
    message: 'pause ends before it starts',
  });
export type TPause = z.infer<typeof ZPause>;

export const ZAppliedExtension = z.strictObject({
  id: z.string().min(1),
  approvedBy: z.string().min(1).optional(),
  approvedAt: z.date().optional(),
  customerNotifiedAt: z.date().optional(),
});
export type TAppliedExtension = z.infer<typeof ZAppliedExtension>;
