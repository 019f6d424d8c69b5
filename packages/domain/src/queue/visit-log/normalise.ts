import { reasonFromZodIssue } from '../../shared/import-issues.ts';
import {
  type ImportRowReason,
  type ImportTolerated,
  type ImportToleratedCode,
  ImportToleratedCodes,
} from '../../shared/import-reasons.ts';
import type { Visit } from './schema.ts';
import { ZVisitLogRow } from './schema.ts';
import { parseLocalTimestamp } from './time.ts';

export const VisitLogIssueKinds = [
  /** Row rejected: schema or timestamp invalid. */
  'invalid_row',
  /** An exact repeat of an earlier row is skipped; another visit reusing an id is kept as `id#2`. */
  'duplicate_id',
  /** Tolerated: service began slightly before the recorded call (clock skew between systems). */
  'service_before_call',
  /** Tolerated: a time earlier than arrival or an end before the start; kept as recorded. */
  'time_inconsistent',
  /** Tolerated: the outcome contradicts the times (e.g. served without a call time). */
  'outcome_mismatch',
  /** Tolerated: the file was not sorted by arrival; visits are returned sorted. */
  'out_of_order',
] as const;
export type VisitLogIssueKind = (typeof VisitLogIssueKinds)[number];

export interface VisitLogIssue {
  /** 1-based data row number (header excluded). */
  readonly row: number;
  readonly visitId: string | null;
  readonly kind: VisitLogIssueKind;
  readonly message: string;
  /** Why the row was not imported, as codes for the reader's language; only on rows left out. */
  readonly codes?: readonly ImportRowReason[];
}

/** How a visit log writes its times, as a reader is told when one is malformed. */
const TIMESTAMP_FORMAT = 'YYYY-MM-DDTHH:mm:ss';

export interface NormalisedVisitLog {
  /** Accepted visits sorted by arrival, then visit id. */
  readonly visits: readonly Visit[];
  readonly issues: readonly VisitLogIssue[];
  readonly rejected: number;
  /** Issue counts per kind, for a one-line import report. */
  readonly summary: Readonly<Record<VisitLogIssueKind, number>>;
}

/** Skew up to which "service started before the call" counts as a glitch rather than an error. */
const TOLERATED_SKEW_MS = 5_000;

/**
 * Turns parsed CSV records (column → text) into visits. Never throws on bad data: bad rows are
 * rejected and reported, small glitches are kept and reported, and the result is time-sorted.
 */
export function normaliseVisitLog(
  records: readonly Readonly<Record<string, string | undefined>>[],
): NormalisedVisitLog {
  const issues: VisitLogIssue[] = [];
  const visits: Visit[] = [];
  const seen = new Set<string>();
  const fingerprints = new Set<string>();
  let rejected = 0;
  let outOfOrder = 0;
  let lastArrival = Number.NEGATIVE_INFINITY;

  records.forEach((record, index) => {
    const row = index + 1;
    const parsed = ZVisitLogRow.safeParse(record);
    const rawId =
      typeof record.visit_id === 'string' && record.visit_id.trim() !== '' ? record.visit_id.trim() : null;
    if (!parsed.success) {
      rejected++;
      const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      const codes = parsed.error.issues.map((i) => {
        const column = String(i.path[0] ?? '');
        return reasonFromZodIssue(i, column, {
          value: record[column],
          formatCode: column === 'priority' ? 'bad_integer' : undefined,
        });
      });
      issues.push({ row, visitId: rawId, kind: 'invalid_row', message: detail, codes });
      return;
    }
    const r = parsed.data;
    const times: Record<string, number | null> = {};
    const bad: { message: string; code: ImportRowReason }[] = [];
    for (const [key, text] of [
      ['arrived_at', r.arrived_at],
      ['called_at', r.called_at],
      ['service_started_at', r.service_started_at],
      ['service_ended_at', r.service_ended_at],
    ] as const) {
      if (text === null) {
        times[key] = null;
        continue;
      }
      const at = parseLocalTimestamp(text);
      if (at === null)
        bad.push({
          message: `${key}: not a local timestamp: ${text}`,
          code: { code: 'bad_date', column: key, value: text, format: TIMESTAMP_FORMAT },
        });
      times[key] = at;
    }
    const arrivedAt = times.arrived_at ?? null;
    if (bad.length > 0 || arrivedAt === null) {
      rejected++;
      issues.push({
        row,
        visitId: r.visit_id,
        kind: 'invalid_row',
        message: bad.length > 0 ? bad.map((b) => b.message).join('; ') : 'arrived_at missing',
        codes: bad.length > 0 ? bad.map((b) => b.code) : [{ code: 'required', column: 'arrived_at' }],
      });
      return;
    }
    const fingerprint = JSON.stringify(r);
    let visitId = r.visit_id;
    if (seen.has(visitId)) {
      if (fingerprints.has(fingerprint)) {
        rejected++;
        issues.push({
          row,
          visitId,
          kind: 'duplicate_id',
          message: 'exact repeat of an earlier row; skipped',
          codes: [{ code: 'exact_repeat', column: 'visit_id', value: visitId }],
        });
        return;
      }
      // Source systems recycle ids; the visit is real, so keep it under a derived id.
      let n = 2;
      while (seen.has(`${r.visit_id}#${n}`)) n++;
      visitId = `${r.visit_id}#${n}`;
      issues.push({
        row,
        visitId,
        kind: 'duplicate_id',
        message: `id ${r.visit_id} reused by another visit; kept as ${visitId}`,
      });
    }
    seen.add(visitId);
    fingerprints.add(fingerprint);

    const calledAt = times.called_at ?? null;
    const startedAt = times.service_started_at ?? null;
    const endedAt = times.service_ended_at ?? null;
    const note = (kind: VisitLogIssueKind, message: string): void => {
      issues.push({ row, visitId, kind, message });
    };
    if (calledAt !== null && startedAt !== null && startedAt < calledAt) {
      if (calledAt - startedAt <= TOLERATED_SKEW_MS)
        note('service_before_call', `service started ${(calledAt - startedAt) / 1000} s before the call`);
      else note('time_inconsistent', 'service started long before the call');
    }
    if (calledAt !== null && calledAt < arrivedAt) note('time_inconsistent', 'called before arrival');
    if (startedAt !== null && endedAt !== null && endedAt < startedAt)
      note('time_inconsistent', 'service ended before it started');
    if (r.outcome === 'served' && (calledAt === null || startedAt === null))
      note('outcome_mismatch', 'served without call or start time');
    if (r.outcome === 'abandoned' && calledAt !== null)
      note('outcome_mismatch', 'abandoned but has a call time');

    if (arrivedAt < lastArrival) outOfOrder++;
    lastArrival = Math.max(lastArrival, arrivedAt);
    visits.push({
      visitId,
      site: r.site,
      service: r.service,
      priority: r.priority,
      arrivedAt,
      calledAt,
      serviceStartedAt: startedAt,
      serviceEndedAt: endedAt,
      outcome: r.outcome,
      counter: r.counter,
    });
  });

  if (outOfOrder > 0) {
    issues.push({
      row: 0,
      visitId: null,
      kind: 'out_of_order',
      message: `${outOfOrder} rows arrived earlier than a previous row; sorted`,
    });
  }
  visits.sort(compareVisits);
  const summary = Object.fromEntries(
    [
      ...([
        'invalid_row',
        'duplicate_id',
        'service_before_call',
        'time_inconsistent',
        'outcome_mismatch',
      ] as const),
    ].map((k) => [k, issues.filter((i) => i.kind === k).length]),
  ) as Record<VisitLogIssueKind, number>;
  summary.out_of_order = outOfOrder;
  return { visits, issues, rejected, summary };
}

/** Arrival order, ties by visit id, so every consumer sees the same sequence. */
export function compareVisits(a: Visit, b: Visit): number {
  return a.arrivedAt - b.arrivedAt || (a.visitId < b.visitId ? -1 : a.visitId > b.visitId ? 1 : 0);
}

/**
 * The glitches a log was imported with, as rows per kind (a row with two inconsistent times counts
 * once): issues without reason codes are the rows kept as recorded.
 */
export function toleratedVisitIssues(log: NormalisedVisitLog): ImportTolerated[] {
  const rows = new Map<ImportToleratedCode, Set<number>>();
  for (const issue of log.issues) {
    if (issue.codes !== undefined || issue.kind === 'invalid_row' || issue.kind === 'out_of_order') continue;
    const code: ImportToleratedCode = issue.kind === 'duplicate_id' ? 'reused_id' : issue.kind;
    rows.set(code, (rows.get(code) ?? new Set()).add(issue.row));
  }
  const counted: ImportTolerated[] = [...rows].map(([code, r]) => ({ code, count: r.size }));
  if (log.summary.out_of_order > 0) counted.push({ code: 'out_of_order', count: log.summary.out_of_order });
  return counted.sort((a, b) => ImportToleratedCodes.indexOf(a.code) - ImportToleratedCodes.indexOf(b.code));
}
