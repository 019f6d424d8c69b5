import {
  alreadyOnFile,
  type CsvRowRejection,
  customerFromCsvRecord,
  duplicateInFile,
  RequiredCustomerCsvColumns,
  type TCreateCustomerRequest,
  type TImportJob,
} from '@serviceloop/domain';
import { and, eq, inArray, like } from 'drizzle-orm';
import { appendAudit, auditActor } from '../audit/service.ts';
import type { ServerContext } from '../context.ts';
import { customers, importJobs, orgUnits, users } from '../db/schema.ts';
import type { Actor } from '../identity/actor.ts';
import {
  getImportJobView,
  type ImportOutcome,
  type ImportProgress,
  startImportJob,
} from '../imports/jobs.ts';
import { insertCustomers } from './service.ts';

export type ImportJobView = TImportJob;

const MAX_ROWS = 100_000;
const KIND = 'customers';

/**
 * Customer CSV import on the shared job runner (imports/jobs.ts): validate every row, then import
 * all or nothing in one transaction. A dry run only validates.
 */
export function startCustomerImport(
  ctx: ServerContext,
  actor: Actor,
  input: { csv: string; dryRun: boolean; fileName: string | undefined },
): Promise<{ id: string }> {
  return startImportJob(ctx, actor, {
    kind: KIND,
    orgUnitId: actor.orgUnitId,
    dryRun: input.dryRun,
    fileName: input.fileName,
    csv: input.csv,
    maxRows: MAX_ROWS,
    missingColumns: (header) => RequiredCustomerCsvColumns.filter((c) => !header.includes(c)),
    failureMessage: 'The import failed unexpectedly; nothing was imported',
    run: (records, progress) => runImport(ctx, actor, records, progress, input.dryRun),
  });
}

async function runImport(
  ctx: ServerContext,
  actor: Actor,
  records: Record<string, string>[],
  state: ImportProgress,
  dryRun: boolean,
): Promise<ImportOutcome> {
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
      rejections.push({ row: rowNo, reasons: result.reasons, codes: result.codes });
    } else {
      const key = `${result.value.idType}:${result.value.idNumber}`;
      const first = seen.get(key);
      if (first !== undefined) {
        const dup = duplicateInFile(first);
        rejections.push({ row: rowNo, reasons: [dup.reason], codes: [dup.code] });
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
      if (no) {
        const onFile = alreadyOnFile(no);
        rejections.push({
          row: acceptedRow[i + j] as number,
          reasons: [onFile.reason],
          codes: [onFile.code],
        });
      }
    });
  }
  rejections.sort((a, b) => a.row - b.row);
  if (dryRun || rejections.length > 0) {
    return {
      status: rejections.length > 0 ? 'rejected' : 'validated',
      total: records.length,
      accepted: 0,
      rejections,
      message:
        rejections.length > 0
          ? `${rejections.length} of ${records.length} rows cannot be imported; nothing was imported. Fix them and upload again.`
          : `All ${records.length} rows are valid (dry run: nothing was imported).`,
    };
  }
  // All or nothing: one transaction, so a failure half-way leaves no customer behind.
  await ctx.db.transaction(async (tx) => {
    await insertCustomers(tx, ctx, actor, accepted, 'import');
    await appendAudit(tx, ctx.clock, auditActor(actor), {
      action: 'customer.imported',
      orgUnitId: actor.orgUnitId,
      targetType: 'import_job',
      targetId: state.jobId,
      details: { rows: accepted.length },
    });
  });
  return {
    status: 'imported',
    total: records.length,
    accepted: accepted.length,
    rejections: [],
    message: `Imported ${accepted.length} customers.`,
  };
}

/** A customer import job of the caller's own, with progress and report. */
export function getImportJob(ctx: ServerContext, actor: Actor, id: string): Promise<ImportJobView> {
  return getImportJobView(ctx, { id, kind: KIND, where: eq(importJobs.actorId, actor.userId) });
}
