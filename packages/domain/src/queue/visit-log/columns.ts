// The visit log's columns (no zod): the web app imports them at run time; schema.ts re-exports them.

/** Column order of the visit-log CSV (shared/data/README.md). */
export const VISIT_LOG_COLUMNS = [
  'visit_id',
  'site',
  'service',
  'priority',
  'arrived_at',
  'called_at',
  'service_started_at',
  'service_ended_at',
  'outcome',
  'counter',
] as const;
export type VisitLogColumn = (typeof VISIT_LOG_COLUMNS)[number];

/** Columns without which a file is not a visit log (the others may be absent or empty). */
export const REQUIRED_VISIT_LOG_COLUMNS: readonly VisitLogColumn[] = [
  'visit_id',
  'service',
  'priority',
  'arrived_at',
  'called_at',
  'outcome',
];

/** Required columns a CSV header lacks; empty when the header is usable. */
export function missingVisitLogColumns(header: readonly string[]): VisitLogColumn[] {
  const have = new Set(header.map((h) => h.trim()));
  return REQUIRED_VISIT_LOG_COLUMNS.filter((c) => !have.has(c));
}
