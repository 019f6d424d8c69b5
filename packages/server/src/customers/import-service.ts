import {
  AppError,
  type CsvRowRejection,
  customerFromCsvRecord,
  RequiredCustomerCsvColumns,
  type TCreateCustomerRequest,
  type TImportJob,
} from '@serviceloop/domain';
import { parse } from 'csv-parse/sync';
import { and, eq, inArray, like, sql } from 'drizzle-orm';
import { appendAudit, auditActor } from '../audit/service.ts';
import type { ServerContext } from '../context.ts';
import { customers, importJobs, orgUnits, users } from '../db/schema.ts';
import type { Actor } from '../identity/actor.ts';
import { newId } from '../ids.ts';
import { insertCustomers } from './service.ts';

export type ImportJobView = TImportJob;

/** Progress of jobs still running lives in memory; the finished report lives in import_jobs. */
const progress = new Map<string, { total: number; processed: number }>();

const MAX_ROWS = 100_000;

export async function startCustomerImport(
  ctx: ServerContext,
  actor: Actor,
  input: { csv: string; dryRun: boolean; fileName: string | undefined },
): Promise<{ id: string }> {
  const id = newId();
  await ctx.db.insert(importJobs).values({
    id,
    kind: 'customers',
    orgUnitId: actor.orgUnitId,
    actorId: actor.userId,
    dryRun: input.dryRun,
    status: 'running',
    fileName: input.fileName ?? null,
    report: { rejections: [], message: null },
    createdAt: ctx.clock(),
  });
  progress.set(id, { total: 0, processed: 0 });
  // Runs after the response: the browser polls the job and shows a progress bar.
  setImmediate(() => {
    runImport(ctx, actor, id, input).catch(async (error: unknown) => {
      ctx.log.error({ err: error, jobId: id }, 'customer import failed');
      await finish(ctx, id, {
        status: 'failed',
        total: 0,
        accepted: 0,
        rejections: [],
        message:
          error instanceof AppError ? error.message : 'The import failed unexpectedly; nothing was imported',
      }).catch(() => undefined);
    });
  });
  return { id };
}

async function finish(
  ctx: ServerContext,
  id: string,
  r: {
    status: ImportJobView['status'];
    total: number;
    accepted: number;
    rejections: CsvRowRejection[];
    message: string | null;
  },
) {
  await ctx.db
    .update(importJobs)
    .set({
      status: r.status,
      total: r.total,
      accepted: r.accepted,
      rejected: r.rejections.length,
      report: { rejections: r.rejections.slice(0, 5000), message: r.message },
      finishedAt: ctx.clock(),
    })
    .where(eq(importJobs.id, id));
  progress.delete(id);
}

async function runImport(
  ctx: ServerContext,
  actor: Actor,
  id: string,
  input: { csv: string; dryRun: boolean },
): Promise<void> {
  let records: Record<string, string>[];
  try {
    records = parse(input.csv, {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await finish(ctx, id, {
      status: 'rejected',
      total: 0,
      accepted: 0,
      rejections: [],
      message: `Not a readable CSV file: ${message}`,
    });
    return;
  }
  const header = records.length > 0 ? Object.keys(records[0] ?? {}) : [];
  const missing = RequiredCustomerCsvColumns.filter((c) => !header.includes(c));
  if (records.length === 0 || missing.length > 0) {
    const message =
      records.length === 0 ? 'The file has no data rows' : `Missing columns: ${missing.join(', ')}`;
    await finish(ctx, id, {
      status: 'rejected',
      total: records.length,
      accepted: 0,
      rejections: [],
      message,
    });
    return;
  }
  if (records.length > MAX_ROWS) {
    await finish(ctx, id, {
      status: 'rejected',
      total: records.length,
      accepted: 0,
      rejections: [],
      message: `At most ${MAX_ROWS} rows per file`,
    });
    return;
  }
  const state = progress.get(id) ?? { total: 0, processed: 0 };
  state.total = records.length;

  const branches = await ctx.db
    .select({ id: orgUnits.id, code: orgUnits.code })
    .from(orgUnits)
    .where(and(like(orgUnits.path, `${actor.scopePath}%`), eq(orgUnits.kind, 'branch')));
  const managers = await ctx.db
    .select({ id: users.id, username: users.username })
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
    .where(like(orgUnits.path, `${actor.scopePath}%`));
  const lookups = {
    branchIdByCode: new Map(branches.map((b) => [b.code, b.id])),
    managerIdByUsername: new Map(managers.map((m) => [m.username, m.id])),
  };

  const accepted: TCreateCustomerRequest[] = [];
  const acceptedRow: number[] = [];
  const rejections: CsvRowRejection[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < records.length; i++) {
    const rowNo = i + 2; // header is row 1
    const result = customerFromCsvRecord(records[i] ?? {}, lookups);
    if (!result.ok) {
      rejections.push({ row: rowNo, reasons: result.reasons });
    } else {
      const key = `${result.value.idType}:${result.value.idNumber}`;
      const first = seen.get(key);
      if (first !== undefined) {
        rejections.push({ row: rowNo, reasons: [`id_number: same identification as row ${first}`] });
      } else {
        seen.set(key, rowNo);
        accepted.push(result.value);
        acceptedRow.push(rowNo);
      }
    }
    state.processed = i + 1;
    if (i % 500 === 499) await new Promise((r) => setImmediate(r));
  }
  // Identifiers already on file, checked in chunks.
  for (let i = 0; i < accepted.length; i += 1000) {
    const chunk = accepted.slice(i, i + 1000);
    const existing = await ctx.db
      .select({ idType: customers.idType, idNumber: customers.idNumber, no: customers.customerNo })
      .from(customers)
      .where(
        inArray(
          customers.idNumber,
          chunk.map((c) => c.idNumber),
        ),
      );
    const known = new Map(existing.map((e) => [`${e.idType}:${e.idNumber}`, e.no]));
    chunk.forEach((c, j) => {
      const no = known.get(`${c.idType}:${c.idNumber}`);
      if (no)
        rejections.push({
          row: acceptedRow[i + j] as number,
          reasons: [`id_number: already on file as ${no}`],
        });
    });
  }
  rejections.sort((a, b) => a.row - b.row);
  if (input.dryRun || rejections.length > 0) {
    const status = rejections.length > 0 ? 'rejected' : 'validated';
    const message =
      rejections.length > 0
        ? `${rejections.length} of ${records.length} rows cannot be imported; nothing was imported. Fix them and upload again.`
        : `All ${records.length} rows are valid (dry run: nothing was imported).`;
    await finish(ctx, id, {
      status,
      total: records.length,
      accepted: input.dryRun ? 0 : 0,
      rejections,
      message,
    });
    return;
  }
  // All or nothing: one transaction, so a failure half-way leaves no customer behind.
  await ctx.db.transaction(async (tx) => {
    await insertCustomers(tx, ctx, actor, accepted, 'import');
    await appendAudit(tx, ctx.clock, auditActor(actor), {
      action: 'customer.imported',
      orgUnitId: actor.orgUnitId,
      targetType: 'import_job',
      targetId: id,
      details: { rows: accepted.length },
    });
  });
  await finish(ctx, id, {
    status: 'imported',
    total: records.length,
    accepted: accepted.length,
    rejections: [],
    message: `Imported ${accepted.length} customers.`,
  });
}

export async function getImportJob(ctx: ServerContext, actor: Actor, id: string): Promise<ImportJobView> {
  const [job] = await ctx.db
    .select()
    .from(importJobs)
    .where(and(eq(importJobs.id, id), eq(importJobs.actorId, actor.userId)));
  if (!job) throw new AppError('not_found', 'Import job not found');
  const live = progress.get(id);
  const report = job.report as { rejections: CsvRowRejection[]; message: string | null };
  return {
    id: job.id,
    status: job.status as ImportJobView['status'],
    dryRun: job.dryRun,
    fileName: job.fileName,
    total: live?.total ?? job.total,
    processed: live?.processed ?? job.total,
    accepted: job.accepted,
    rejected: job.rejected,
    rejections: report.rejections.map((r) => ({ row: r.row, reasons: [...r.reasons] })),
    message: report.message,
  };
}

/** Jobs that were running when the process died cannot finish: say so instead of spinning forever. */
export async function failInterruptedImports(ctx: ServerContext): Promise<void> {
  await ctx.db.execute(
    sql`update import_jobs set status = 'failed', finished_at = ${ctx.clock()},
        report = jsonb_build_object('rejections', '[]'::jsonb, 'message', 'Interrupted by a server restart; nothing was imported')
        where status = 'running'`,
  );
}
