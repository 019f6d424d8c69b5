import { z } from 'zod';

export {
  missingVisitLogColumns,
  REQUIRED_VISIT_LOG_COLUMNS,
  VISIT_LOG_COLUMNS,
  type VisitLogColumn,
} from './columns.ts';

export const VisitOutcomes = ['served', 'abandoned', 'no_show'] as const;
export const ZVisitOutcome = z.enum(VisitOutcomes);
export type TVisitOutcome = z.infer<typeof ZVisitOutcome>;

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? null : v.trim()));

/** One raw row as text, the way a CSV parser hands it over. Times are parsed in normalise. */
export const ZVisitLogRow = z.object({
  visit_id: z.string().trim().min(1),
  site: z.string().trim().default(''),
  service: z.string().trim().min(1),
  priority: z
    .string()
    .trim()
    .regex(/^-?\d+$/, 'integer expected')
    .transform(Number),
  arrived_at: z.string().trim().min(1),
  called_at: optionalText,
  service_started_at: optionalText,
  service_ended_at: optionalText,
  outcome: z.string().trim().pipe(ZVisitOutcome),
  counter: optionalText,
});
export type TVisitLogRow = z.input<typeof ZVisitLogRow>;

/**
 * A normalised visit. Times are timeline milliseconds (see time.ts). `leftAt` is when an
 * abandoning visit left, if the source knows it (the sample log does not; a live queue or a
 * simulator does).
 */
export interface Visit {
  readonly visitId: string;
  readonly site: string;
  readonly service: string;
  readonly priority: number;
  readonly arrivedAt: number;
  readonly calledAt: number | null;
  readonly serviceStartedAt: number | null;
  readonly serviceEndedAt: number | null;
  readonly outcome: TVisitOutcome;
  readonly counter: string | null;
  readonly leftAt?: number | null;
}
