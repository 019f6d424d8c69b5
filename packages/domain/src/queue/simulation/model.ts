import { z } from 'zod';
import { ZCallingPolicyConfig, ZQueueCode } from '../policy/config.ts';
import { ZDurationDistribution } from './distributions.ts';

/** Times in a model are seconds from the start of the simulated day (e.g. 0 = 09:00 opening). */
const ZSeconds = z
  .number()
  .min(0)
  .max(10 * 365 * 86_400);

/** Arrival rate held constant over [fromS, toS); outside every segment the rate is zero. */
export const ZArrivalSegment = z
  .strictObject({ fromS: ZSeconds, toS: ZSeconds, perHour: z.number().min(0) })
  .refine((s) => s.toS > s.fromS, { message: 'toS must be after fromS' });
export type TArrivalSegment = z.infer<typeof ZArrivalSegment>;

export const ZSimService = z.strictObject({
  code: ZQueueCode,
  /** Piecewise-constant Poisson rates; segments must not overlap. */
  arrivals: z.array(ZArrivalSegment).min(1),
  serviceTime: ZDurationDistribution,
  /** Share of arrivals per priority class; absent means all in the policy's default class. */
  classMix: z.record(ZQueueCode, z.number().min(0)).optional(),
  /** Service standard, for the "% called within target" figure. */
  targetWaitS: z.number().positive().optional(),
});
export type TSimService = z.infer<typeof ZSimService>;

export const ZShift = z
  .strictObject({ fromS: ZSeconds, toS: ZSeconds })
  .refine((s) => s.toS > s.fromS, { message: 'toS must be after fromS' });

export const ZSimCounter = z.strictObject({
  id: z.string().min(1).max(64),
  /** Service codes, most preferred first (as in the live queue). */
  skills: z.array(ZQueueCode).min(1),
  /** Open periods; gaps between them are breaks. Absent: open all day. */
  shifts: z.array(ZShift).optional(),
});
export type TSimCounter = z.infer<typeof ZSimCounter>;

/** Probability of walking out on sight of the queue rises linearly from 0 at startAt to 1 at certainAt. */
export const ZBalking = z
  .strictObject({
    /** What the customer looks at: their own service's waiting count (as the kiosk shows) or the whole lobby. */
    counts: z.enum(['service', 'all']).default('service'),
    startAt: z.number().int().min(0),
    certainAt: z.number().int().min(1),
  })
  .refine((b) => b.certainAt > b.startAt, { message: 'certainAt must exceed startAt' });
export type TBalking = z.infer<typeof ZBalking>;

export const ZSimulationModel = z
  .strictObject({
    policy: ZCallingPolicyConfig,
    services: z.array(ZSimService).min(1),
    counters: z.array(ZSimCounter).min(1),
    /** Time to abandon while waiting, per priority class; a class without one never abandons. */
    patience: z.record(ZQueueCode, ZDurationDistribution).default({}),
    balking: ZBalking.optional(),
    /** Counters still open when the doors close serve everyone already waiting (usual branch practice). */
    drain: z.boolean().default(true),
    /** Visits arriving before this are simulated but left out of the statistics (steady-state runs). */
    warmupS: ZSeconds.default(0),
  })
  .superRefine((m, ctx) => {
    const classes = new Set(m.policy.classes.map((c) => c.id));
    const services = new Set<string>();
    for (const [i, s] of m.services.entries()) {
      if (services.has(s.code))
        ctx.addIssue({ code: 'custom', path: ['services', i], message: `Duplicate ${s.code}` });
      services.add(s.code);
      const segments = [...s.arrivals].sort((x, y) => x.fromS - y.fromS);
      for (let k = 1; k < segments.length; k++) {
        if (segments[k]!.fromS < segments[k - 1]!.toS) {
          ctx.addIssue({
            code: 'custom',
            path: ['services', i, 'arrivals'],
            message: 'Arrival segments overlap',
          });
        }
      }
      if (s.classMix !== undefined && !Object.values(s.classMix).some((p) => p > 0)) {
        ctx.addIssue({
          code: 'custom',
          path: ['services', i, 'classMix'],
          message: 'Give at least one class a share',
        });
      }
      for (const cls of Object.keys(s.classMix ?? {})) {
        if (!classes.has(cls)) {
          ctx.addIssue({
            code: 'custom',
            path: ['services', i, 'classMix', cls],
            message: `Unknown class ${cls}`,
          });
        }
      }
    }
    for (const [i, c] of m.counters.entries()) {
      for (const skill of c.skills) {
        if (!services.has(skill)) {
          ctx.addIssue({
            code: 'custom',
            path: ['counters', i, 'skills'],
            message: `Unknown service ${skill}`,
          });
        }
      }
    }
    for (const cls of Object.keys(m.patience)) {
      if (!classes.has(cls))
        ctx.addIssue({ code: 'custom', path: ['patience', cls], message: `Unknown class ${cls}` });
    }
  });
export type TSimulationModel = z.infer<typeof ZSimulationModel>;
export type TSimulationModelInput = z.input<typeof ZSimulationModel>;

/** End of the arrival period: the last arrival segment's end. */
export function arrivalsEndS(model: TSimulationModel): number {
  let end = 0;
  for (const s of model.services) for (const seg of s.arrivals) end = Math.max(end, seg.toS);
  return end;
}
