import {
  AppError,
  type CsvRowRejection,
  type ImportRefusal,
  type ImportSummary,
  type TImportJob,
} from '@serviceloop/domain';
import { parse } from 'csv-parse/sync';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { ServerContext } from '../context.ts';
import { importJobs } from '../db/schema.ts';
import type { Actor } from '../identity/actor.ts';
import { newId } from '../ids.ts';

/*
 * One runner for every CSV import (customers, queue visit history): the job row, the upload's
 * parsing and header check, the row limit, live progress for the browser's progress bar, the
 * report of rejected rows and the failure path. Each context brings only what is its own: the
 * columns it needs and what to do with the records.
 */

/** How far a running job is; the context's `run` moves `processed` as it goes. */
export interface ImportProgress {
  readonly jobId: string;
  total: number;
  processed: number;
}

/** How a job ended, as the context's `run` reports it. */
export interface ImportOutcome {
  readonly status: 'validated' | 'imported' | 'rejected';
  readonly total: number;
  readonly accepted: number;
  readonly rejections: readonly CsvRowRejection[];
  /** In English, for API clients. */
  readonly message: string;
  /** The same outcome as figures, for the browser to say in the reader's language. */
  readonly summary?: ImportSummary;
}

export interface ImportJobSpec {
  /** import_jobs.kind, e.g. 'customers', 'queue_visits'. */
  readonly kind: string;
  /** The unit the job belongs to (its report is found through it). */
  readonly orgUnitId: string;
  readonly dryRun: boolean;
  readonly fileName: string | undefined;
  readonly csv: string;
  readonly maxRows: number;
  /** The required columns the header lacks (header names are trimmed and lower-cased). */
  readonly missingColumns: (header: readonly string[]) => readonly string[];
  /** What the job says when `run` throws something unexpected. */
  readonly failureMessage: string;
  /** The context's work on the parsed records; record i is file row i + 2 (the header is row 1). */
  readonly run: (records: Record<string, string>[], progress: ImportProgress) => Promise<ImportOutcome>;
}

/**
 * import_jobs.report. Jobs finished before rejections carried codes have none (and no refusal or
 * summary): they are read as an empty list, and the browser shows their English text.
 */
interface StoredReport {
  readonly rejections: readonly (Omit<CsvRowRejection, 'codes'> & {
    readonly codes?: CsvRowRejection['codes'];
  })[];
  readonly message: string | null;
  readonly summary?: ImportSummary | null;
  readonly refusal?: ImportRefusal | null;
}

/** Live progress of this node's running jobs; finished jobs are read from import_jobs. */
const progress = new Map<string, ImportProgress>();

/** The most rejected rows a report keeps (the count is always exact). */
const MAX_REPORTED_REJECTIONS = 5000;

/**
 * Records the job and runs it after the response: the browser polls getImportJobView and shows a
 * progress bar. Returns the job's id.
 */
export async function startImportJob(
  ctx: ServerContext,
  actor: Actor,
  spec: ImportJobSpec,
): Promise<{ id: string }> {
  const id = newId();
  await ctx.db.insert(importJobs).values({
    id,
    kind: spec.kind,
    orgUnitId: spec.orgUnitId,
    actorId: actor.userId,
    dryRun: spec.dryRun,
    status: 'running',
    fileName: spec.fileName ?? null,
    report: { rejections: [], message: null },
    createdAt: ctx.clock(),
  });
  const state: ImportProgress = { jobId: id, total: 0, processed: 0 };
  progress.set(id, state);
  setImmediate(() => {
    runJob(ctx, id, spec, state).catch(async (error: unknown) => {
      ctx.log.error({ err: error, jobId: id, kind: spec.kind }, 'import failed');
      await finishJob(ctx, id, {
        status: 'failed',
        total: state.total,
        accepted: 0,
        rejections: [],
        message: error instanceof AppError ? error.message : spec.failureMessage,
        summary: null,
        refusal: { code: 'failed' },
      }).catch(() => undefined);
    });
  });
  return { id };
}

/** Parses an upload: header names trimmed and lower-cased, a BOM tolerated, blank lines skipped. */
export function parseCsvRecords(csv: string): Record<string, string>[] {
  return parse(csv, {
    columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
  });
}

async function runJob(
  ctx: ServerContext,
  id: string,
  spec: ImportJobSpec,
  state: ImportProgress,
): Promise<void> {
  const refuse = (total: number, message: string, refusal: ImportRefusal) =>
    finishJob(ctx, id, {
      status: 'rejected',
      total,
      accepted: 0,
      rejections: [],
      message,
      summary: null,
      refusal,
    });
  let records: Record<string, string>[];
  try {
    records = parseCsvRecords(spec.csv);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return refuse(0, `Not a readable CSV file: ${why}`, { code: 'unreadable_csv' });
  }
  if (records.length === 0) return refuse(0, 'The file has no data rows', { code: 'no_rows' });
  const missing = spec.missingColumns(Object.keys(records[0] ?? {}));
  if (missing.length > 0)
    return refuse(records.length, `Missing columns: ${missing.join(', ')}`, {
      code: 'missing_columns',
      columns: [...missing],
    });
  if (records.length > spec.maxRows)
    return refuse(records.length, `At most ${spec.maxRows} rows per file`, {
      code: 'too_many_rows',
      limit: spec.maxRows,
    });
  state.total = records.length;
  const outcome = await spec.run(records, state);
  await finishJob(ctx, id, { ...outcome, summary: outcome.summary ?? null, refusal: null });
}

async function finishJob(
  ctx: ServerContext,
  id: string,
  r: {
    readonly status: TImportJob['status'];
    readonly total: number;
    readonly accepted: number;
    readonly rejections: readonly CsvRowRejection[];
    readonly message: string | null;
    readonly summary: ImportSummary | null;
    readonly refusal: ImportRefusal | null;
  },
): Promise<void> {
  await ctx.db
    .update(importJobs)
    .set({
      status: r.status,
      total: r.total,
      accepted: r.accepted,
      rejected: r.rejections.length,
      report: {
        rejections: r.rejections.slice(0, MAX_REPORTED_REJECTIONS),
        message: r.message,
        summary: r.summary,
        refusal: r.refusal,
      } satisfies StoredReport,
      finishedAt: ctx.clock(),
    })
    .where(eq(importJobs.id, id));
  progress.delete(id);
}

/**
 * A job of one kind with its live progress and report, or 404. `where` narrows it to what the
 * caller may see (its own jobs, or its branch's).
 */
export async function getImportJobView(
  ctx: ServerContext,
  input: { readonly id: string; readonly kind: string; readonly where: SQL | undefined },
): Promise<TImportJob> {
  const [job] = await ctx.db
    .select()
    .from(importJobs)
    .where(and(eq(importJobs.id, input.id), eq(importJobs.kind, input.kind), input.where));
  if (!job) throw new AppError('not_found', 'Import job not found');
  const live = progress.get(job.id);
  const report = job.report as StoredReport;
  return {
    id: job.id,
    status: job.status as TImportJob['status'],
    dryRun: job.dryRun,
    fileName: job.fileName,
    total: live?.total ?? job.total,
    processed: live?.processed ?? job.total,
    accepted: job.accepted,
    rejected: job.rejected,
    rejections: report.rejections.map((r) => ({
      row: r.row,
      reasons: [...r.reasons],
      codes: (r.codes ?? []).map((c) => ({ ...c, allowed: c.allowed && [...c.allowed] })),
    })),
    message: report.message,
    summary: report.summary
      ? { ...report.summary, tolerated: report.summary.tolerated.map((x) => ({ ...x })) }
      : null,
    refusal: report.refusal
      ? { ...report.refusal, columns: report.refusal.columns && [...report.refusal.columns] }
      : null,
  };
}

/** Jobs that were running when the process died cannot finish: say so instead of spinning forever. */
export async function failInterruptedImports(ctx: ServerContext): Promise<void> {
  await ctx.db.execute(
    sql`update import_jobs set status = 'failed', finished_at = ${ctx.clock()},
        report = jsonb_build_object('rejections', '[]'::jsonb, 'message', 'Interrupted by a server restart before it finished; upload the file again',
          'refusal', jsonb_build_object('code', 'interrupted'))
        where status = 'running'`,
  );
}
