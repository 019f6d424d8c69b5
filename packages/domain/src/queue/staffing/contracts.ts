import { z } from 'zod';

/** `GET /branches/:id/staffing-plan` query: weekday (0 = Sunday), the share to meet, interval. */
export const ZStaffingPlanQuery = z.strictObject({
  weekday: z.coerce.number().int().min(0).max(6).optional(),
  /** Share of customers to call within their service's target wait, in percent. */
  target: z.coerce.number().int().min(50).max(99).default(80),
  interval: z.coerce
    .number()
    .int()
    .refine((n) => [15, 30, 60].includes(n), 'one of 15, 30, 60')
    .default(30),
});
export type TStaffingPlanQuery = z.infer<typeof ZStaffingPlanQuery>;

export const ZStaffingPlanResponse = z.object({
  branchId: z.string(),
  weekday: z.number().int(),
  intervalMinutes: z.number().int(),
  /** The share asked for, 0–1. */
  targetLevel: z.number(),
  history: z.object({
    /** Visits the forecast learnt from (imported history and the branch's own finished tickets). */
    visits: z.number().int(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    /** Dates of history per weekday, Sunday first: a forecast from one date is weak. */
    datesPerWeekday: z.array(z.number().int()).length(7),
  }),
  standards: z.array(
    z.object({
      name: z.string(),
      /** The service the standard is for; null = every customer of the class. */
      service: z.string().nullable(),
      /** Lowest class (visit-log priority) it covers; null = every class. */
      minPriority: z.number().int().nullable(),
      targetSeconds: z.number(),
      level: z.number(),
    }),
  ),
  services: z.array(
    z.object({
      code: z.string(),
      nameZh: z.string().nullable(),
      nameEn: z.string().nullable(),
      targetWaitSeconds: z.number(),
      /** Forecast arrivals over the day. */
      arrivals: z.number(),
      meanServiceSeconds: z.number().nullable(),
      /** Counters leading with this service at the busiest interval of the day. */
      peakCounters: z.number().int(),
    }),
  ),
  intervals: z.array(
    z.object({
      slot: z.string(),
      slotStartMin: z.number().int(),
      arrivals: z.number(),
      arrivalsByService: z.record(z.string(), z.number()),
      offeredLoad: z.number(),
      counters: z.number().int(),
      occupancy: z.number(),
      achieved: z.array(z.object({ standard: z.string(), level: z.number() })),
      skillMix: z.array(z.object({ service: z.string(), counters: z.number().int() })),
    }),
  ),
  peakCounters: z.number().int(),
  counterHours: z.number(),
});
export type TStaffingPlanResponse = z.infer<typeof ZStaffingPlanResponse>;
