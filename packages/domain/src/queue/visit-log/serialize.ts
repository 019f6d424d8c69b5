import type { Visit, VisitLogColumn } from './schema.ts';
import { formatLocalTimestamp } from './time.ts';

export type VisitLogRecord = Record<VisitLogColumn, string>;

const time = (at: number | null): string => (at === null ? '' : formatLocalTimestamp(at));

/** Visits back to visit-log rows (text per column), ready for a CSV writer. */
export function toVisitLogRecords(visits: readonly Visit[]): VisitLogRecord[] {
  return visits.map((v) => ({
    visit_id: v.visitId,
    site: v.site,
    service: v.service,
    priority: String(v.priority),
    arrived_at: formatLocalTimestamp(v.arrivedAt),
    called_at: time(v.calledAt),
    service_started_at: time(v.serviceStartedAt),
    service_ended_at: time(v.serviceEndedAt),
    outcome: v.outcome,
    counter: v.counter ?? '',
  }));
}
