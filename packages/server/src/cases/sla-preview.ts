import { AppError, computePresetDues, DEFAULT_CALENDAR_FOR_PRESET } from '@serviceloop/domain';
import { z } from 'zod';
import type { Executor } from '../db/database.ts';
import { loadCalendar } from './calendars.ts';

export const ZSlaPreviewQuery = z.strictObject({
  preset: z.string().min(1).max(64),
  /** The instant the clock starts, ISO 8601 with an offset (e.g. 2026-12-23T10:00:00Z). */
  received: z.iso.datetime({ offset: true }),
  clock: z.string().min(1).max(64).optional(),
  calendar: z.string().min(1).max(64).optional(),
});
export type TSlaPreviewQuery = z.infer<typeof ZSlaPreviewQuery>;

export const ZSlaPreview = z.object({
  preset: z.string(),
  calendar: z.string(),
  receivedAt: z.string(),
  dues: z.array(
    z.object({ clock: z.string(), label: z.string(), due: z.string(), lastDay: z.string().nullable() }),
  ),
});
export type TSlaPreview = z.infer<typeof ZSlaPreview>;

/**
 * Due times of a preset's clocks for a receipt instant: the computation the engine uses, for
 * the admin preview (`GET /api/v1/sla/preview`) and `serviceloop sla due`. The calendar is a
 * built-in one, an imported one (by name), or the preset's default.
 */
export async function previewDues(db: Executor, query: TSlaPreviewQuery): Promise<TSlaPreview> {
  const calendarName = query.calendar ?? DEFAULT_CALENDAR_FOR_PRESET[query.preset];
  if (!calendarName) {
    throw new AppError('validation_failed', `Preset ${query.preset} has no default calendar; pass one`);
  }
  const receivedAt = new Date(query.received);
  const calendar = await loadCalendar(db, calendarName);
  const all = computePresetDues({ preset: query.preset, receivedAt, calendar });
  const dues = query.clock ? all.filter((d) => d.clock === query.clock) : all;
  if (dues.length === 0) {
    throw new AppError('not_found', `Preset ${query.preset} has no clock ${query.clock}`, {
      details: { clocks: all.map((d) => d.clock) },
    });
  }
  return {
    preset: query.preset,
    calendar: calendarName,
    receivedAt: receivedAt.toISOString(),
    dues: dues.map((d) => ({
      clock: d.clock,
      label: d.label,
      due: d.detail.due.toISOString(),
      lastDay: d.detail.lastDay,
    })),
  };
}
