import {
  AppError,
  type CsvRowRejection,
  type ImportSummary,
  localTimeline,
  missingVisitLogColumns,
  normaliseVisitLog,
  type TImportJob,
  toleratedVisitIssues,
  toVisitLogRecords,
  VISIT_LOG_COLUMNS,
  type Visit,
  type VisitLogIssueKind,
} from '@serviceloop/domain';
import { and, asc, between, eq, inArray } from 'drizzle-orm';
import { appendAudit, auditActor } from '../audit/service.ts';
import type { ServerContext } from '../context.ts';
import { importJobs } from '../db/schema.ts';
import { queueTickets, queueVisitHistory } from '../db/schema-queue.ts';
import type { Actor } from '../identity/actor.ts';
import { newId } from '../ids.ts';
import {
  getImportJobView,
  type ImportOutcome,
  type ImportProgress,
  startImportJob,
} from '../imports/jobs.ts';
import { type BranchInfo, branchInScope } from './branch.ts';
import { forgetBranchModel } from './prediction.ts';
import { callingPolicyOf } from './service.ts';
import { countersOf } from './store.ts';

const FINISHED = ['served', 'abandoned', 'no_show'] as const;
const MAX_EXPORT_ROWS = 200_000;
const MAX_IMPORT_ROWS = 200_000;

/** Priority classes as visit-log integers: 0 for the lightest weight, upwards (higher = earlier). */
async function priorityNumbers(ctx: ServerContext, branchId: string): Promise<Map<string, number>> {
  const classes = [...(await callingPolicyOf(ctx, branchId)).classes].sort((a, b) => a.weight - b.weight);
  return new Map(classes.map((c, i) => [c.id, i]));
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Finished visits of a branch between two business days, in the visit-log CSV format. */
export async function exportVisits(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; from: string; to: string },
): Promise<string> {
  const branch = await branchInScope(ctx, actor, input.branchId);
  if (input.to < input.from) throw new AppError('validation_failed', '`to` is before `from`');
  const [rows, counters] = await Promise.all([
    ctx.db
      .select()
      .from(queueTickets)
      .where(
        and(
          eq(queueTickets.branchId, branch.id),
          between(queueTickets.businessDay, input.from, input.to),
          inArray(queueTickets.status, [...FINISHED]),
        ),
      )
      .orderBy(asc(queueTickets.arrivedAt))
      .limit(MAX_EXPORT_ROWS + 1),
    countersOf(ctx.db, branch.id),
  ]);
  if (rows.length > MAX_EXPORT_ROWS) {
    throw new AppError('validation_failed', `More than ${MAX_EXPORT_ROWS} visits: export a shorter period`);
  }
  const counterNo = new Map(counters.map((c) => [c.id, String(c.number)]));
  const priority = await priorityNumbers(ctx, branch.id);
  const local = (d: Date | null) => (d === null ? null : localTimeline(d, branch.timeZone));
  const visits: Visit[] = rows.map((r) => ({
    visitId: `${r.businessDay}-${r.number}`,
    site: branch.code,
    service: r.serviceCode,
    priority: priority.get(r.priorityClass) ?? 0,
    arrivedAt: local(r.arrivedAt) as number,
    calledAt: local(r.firstCalledAt ?? r.calledAt),
    serviceStartedAt: local(r.startedAt),
    serviceEndedAt: local(r.endedAt),
    outcome: r.status as Visit['outcome'],
    counter: r.counterId ? (counterNo.get(r.counterId) ?? null) : null,
  }));
  const lines = [VISIT_LOG_COLUMNS.join(',')];
  for (const record of toVisitLogRecords(visits)) {
    lines.push(VISIT_LOG_COLUMNS.map((c) => csvField(record[c])).join(','));
  }
  await ctx.db.transaction((tx) =>
    appendAudit(tx, ctx.clock, auditActor(actor), {
      action: 'queue.visits_exported',
      orgUnitId: branch.id,
      targetType: 'org_unit',
      targetId: branch.id,
      details: { from: input.from, to: input.to, rows: visits.length },
    }),
  );
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Import of history (visit-log CSV) into queue_visit_history, on the shared job runner.

const KIND = 'queue_visits';
const REJECTING: ReadonlySet<VisitLogIssueKind> = new Set(['invalid_row']);

/**
 * Starts an import of queue history. The domain's normaliser sorts the rows and tolerates the
 * glitches real data has (reported in the message); rows it cannot read are rejected and listed
 * with their file row. Visits already on file (same visit id) are skipped, so a file can be
 * uploaded again. A dry run only validates.
 */
export async function startVisitImport(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; csv: string; dryRun: boolean; fileName: string | undefined },
): Promise<{ id: string }> {
  const branch = await branchInScope(ctx, actor, input.branchId);
  return startImportJob(ctx, actor, {
    kind: KIND,
    orgUnitId: branch.id,
    dryRun: input.dryRun,
    fileName: input.fileName,
    csv: input.csv,
    maxRows: MAX_IMPORT_ROWS,
    missingColumns: missingVisitLogColumns,
    failureMessage: 'The import failed unexpectedly; visits imported before the failure stay on file',
    run: (records, progress) => runVisitImport(ctx, actor, branch, records, progress, input.dryRun),
  });
}

async function runVisitImport(
  ctx: ServerContext,
  actor: Actor,
  branch: BranchInfo,
  records: Record<string, string>[],
  state: ImportProgress,
  dryRun: boolean,
): Promise<ImportOutcome> {
  const log = normaliseVisitLog(records);
  // Rows the domain code rejected or skipped (exact repeats) are reported; glitches it
  // tolerates (clock skew, unsorted rows) are imported and counted in the summary.
  const rejections: CsvRowRejection[] = log.issues
    .filter((i) => REJECTING.has(i.kind) || (i.kind === 'duplicate_id' && i.message.includes('skipped')))
    .map((i) => ({ row: i.row + 1, reasons: [`${i.kind}: ${i.message}`], codes: i.codes ?? [] }));
  let inserted = 0;
  if (dryRun) {
    state.processed = records.length;
  } else {
    const fmt = (at: number | null) => (at === null ? null : new Date(at).toISOString().slice(0, 23));
    for (let i = 0; i < log.visits.length; i += 1000) {
      const chunk = log.visits.slice(i, i + 1000);
      const rows = await ctx.db
        .insert(queueVisitHistory)
        .values(
          chunk.map((v) => ({
            id: newId(),
            branchId: branch.id,
            importJobId: state.jobId,
            visitId: v.visitId,
            site: v.site,
            serviceCode: v.service,
            priority: v.priority,
            arrivedAt: fmt(v.arrivedAt) as string,
            calledAt: fmt(v.calledAt),
            serviceStartedAt: fmt(v.serviceStartedAt),
            serviceEndedAt: fmt(v.serviceEndedAt),
            outcome: v.outcome,
            counter: v.counter,
          })),
        )
        .onConflictDoNothing()
        .returning({ id: queueVisitHistory.id });
      inserted += rows.length;
      state.processed = Math.min(records.length, i + chunk.length);
      await new Promise((r) => setImmediate(r));
    }
    state.processed = records.length;
    await ctx.db.transaction((tx) =>
      appendAudit(tx, ctx.clock, auditActor(actor), {
        action: 'queue.visits_imported',
        orgUnitId: branch.id,
        targetType: 'import_job',
        targetId: state.jobId,
        details: { rows: inserted, rejected: rejections.length },
      }),
    );
    // The branch's wait predictor learns the new history on its next prediction.
    if (inserted > 0) forgetBranchModel(ctx, branch.id);
  }
  const summary: ImportSummary = {
    importable: log.visits.length,
    imported: inserted,
    alreadyOnFile: dryRun ? 0 : log.visits.length - inserted,
    rejected: rejections.length,
    tolerated: toleratedVisitIssues(log),
  };
  return {
    status: dryRun ? 'validated' : 'imported',
    total: records.length,
    accepted: dryRun ? log.visits.length : inserted,
    rejections,
    message: summaryMessage(summary, records.length, dryRun),
    summary,
  };
}

/** The summary in English for API clients; the browser renders `summary` in the reader's language. */
function summaryMessage(summary: ImportSummary, total: number, dryRun: boolean): string {
  const tolerated = summary.tolerated.map((x) => `${x.code} ${x.count}`).join(', ');
  const n = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
  const already = summary.alreadyOnFile;
  return [
    dryRun
      ? `${summary.importable} of ${n(total, 'row')} ${total === 1 ? 'is' : 'are'} importable (dry run: nothing was imported).`
      : `Imported ${n(summary.imported, 'visit')}${already > 0 ? `; ${already} ${already === 1 ? 'was' : 'were'} already on file` : ''}.`,
    summary.rejected > 0 ? `${n(summary.rejected, 'row')} rejected.` : '',
    tolerated ? `Tolerated: ${tolerated}.` : '',
  ]
    .filter((s) => s.length > 0)
    .join(' ');
}

/** A visit import job of the branch (any of its managers may follow it). */
export async function getVisitImport(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; jobId: string },
): Promise<TImportJob> {
  const branch = await branchInScope(ctx, actor, input.branchId);
  return getImportJobView(ctx, { id: input.jobId, kind: KIND, where: eq(importJobs.orgUnitId, branch.id) });
}
