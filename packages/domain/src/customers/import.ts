import { z } from 'zod';
import { reasonFromZodIssue } from '../shared/import-issues.ts';
import {
  ImportRefusalCodes,
  type ImportRowReason,
  ImportRowReasonCodes,
  type ImportSummary,
  ImportToleratedCodes,
} from '../shared/import-reasons.ts';
import { ZCreateCustomerRequest } from './customer.ts';

/** Columns of the customer CSV import (header row required, UTF-8). */
export const CustomerCsvColumns = [
  'kind',
  'name',
  'id_type',
  'id_number',
  'phone',
  'email',
  'birth_date',
  'tier',
  'service_level',
  'home_branch_code',
  'account_manager_username',
  'notes',
] as const;
export const RequiredCustomerCsvColumns = [
  'kind',
  'name',
  'id_type',
  'id_number',
  'tier',
  'service_level',
  'home_branch_code',
] as const;

/**
 * A rejected row of any CSV import: `reasons` in English (API clients, logs), and `codes`, the same
 * reasons in the same order as codes with parameters, for the reader's language.
 */
export interface CsvRowRejection {
  readonly row: number;
  readonly reasons: readonly string[];
  readonly codes: readonly ImportRowReason[];
}

/** Columns holding personal data: a report names the column but does not repeat the value. */
const PERSONAL_COLUMNS: ReadonlySet<string> = new Set([
  'name',
  'id_number',
  'phone',
  'email',
  'birth_date',
  'notes',
]);

export interface ImportLookups {
  readonly branchIdByCode: ReadonlyMap<string, string>;
  readonly managerIdByUsername: ReadonlyMap<string, string>;
}

const empty = (v: string | undefined): string | undefined =>
  v === undefined || v.trim() === '' ? undefined : v;

/** Turns one CSV record into a create request, or the reasons it cannot be imported. */
export function customerFromCsvRecord(
  record: Readonly<Record<string, string | undefined>>,
  lookups: ImportLookups,
):
  | { ok: true; value: z.infer<typeof ZCreateCustomerRequest> }
  | { ok: false; reasons: string[]; codes: ImportRowReason[] } {
  const reasons: string[] = [];
  const codes: ImportRowReason[] = [];
  const branchCode = empty(record.home_branch_code)?.trim().toUpperCase();
  const branchId = branchCode ? lookups.branchIdByCode.get(branchCode) : undefined;
  if (branchCode && !branchId) {
    reasons.push(`home_branch_code: unknown or outside your scope (${branchCode})`);
    codes.push({ code: 'unknown_branch', column: 'home_branch_code', value: branchCode });
  }
  const managerName = empty(record.account_manager_username)?.trim().toLowerCase();
  const managerId = managerName ? lookups.managerIdByUsername.get(managerName) : undefined;
  if (managerName && !managerId) {
    reasons.push(`account_manager_username: unknown (${managerName})`);
    codes.push({ code: 'unknown_user', column: 'account_manager_username', value: managerName });
  }
  const candidate = {
    kind: empty(record.kind)?.trim(),
    name: empty(record.name),
    idType: empty(record.id_type)?.trim(),
    idNumber: empty(record.id_number),
    phone: empty(record.phone),
    email: empty(record.email)?.trim(),
    birthDate: empty(record.birth_date)?.trim(),
    tier: empty(record.tier)?.trim(),
    serviceLevel: empty(record.service_level)?.trim(),
    homeBranchId: branchId ?? (branchCode ? '00000000-0000-0000-0000-000000000000' : undefined),
    accountManagerId: managerId,
    notes: empty(record.notes),
  };
  const parsed = ZCreateCustomerRequest.safeParse(
    Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined)),
  );
  if (!parsed.success) {
    const column: Record<string, string> = {
      idType: 'id_type',
      idNumber: 'id_number',
      birthDate: 'birth_date',
      serviceLevel: 'service_level',
      homeBranchId: 'home_branch_code',
      accountManagerId: 'account_manager_username',
    };
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      if (key === 'homeBranchId' && branchCode) continue;
      const name = column[key] ?? key;
      reasons.push(`${name}: ${issue.message}`);
      codes.push(
        reasonFromZodIssue(issue, name, {
          value: PERSONAL_COLUMNS.has(name) ? undefined : record[name],
          formatCode: name === 'phone' ? 'bad_phone' : undefined,
        }),
      );
    }
  }
  if (reasons.length > 0 || !parsed.success) return { ok: false, reasons, codes };
  return { ok: true, value: parsed.data };
}

/** The first row of the file with these identifiers came earlier: this one is a duplicate. */
export function duplicateInFile(firstRow: number): { reason: string; code: ImportRowReason } {
  return {
    reason: `id_number: same identification as row ${firstRow}`,
    code: { code: 'duplicate_in_file', column: 'id_number', firstRow },
  };
}

/** The identifiers belong to a customer already on file. */
export function alreadyOnFile(customerNo: string): { reason: string; code: ImportRowReason } {
  return {
    reason: `id_number: already on file as ${customerNo}`,
    code: { code: 'already_on_file', column: 'id_number', customerNo },
  };
}

export const ZImportRowReason = z.object({
  code: z.enum(ImportRowReasonCodes),
  column: z.string(),
  value: z.string().optional(),
  format: z.string().optional(),
  limit: z.number().int().optional(),
  allowed: z.array(z.string()).optional(),
  firstRow: z.number().int().optional(),
  customerNo: z.string().optional(),
  kind: z.string().optional(),
  detail: z.string().optional(),
});

export const ZImportRefusal = z.object({
  code: z.enum(ImportRefusalCodes),
  columns: z.array(z.string()).optional(),
  limit: z.number().int().optional(),
});

export const ZImportSummary = z.object({
  importable: z.number().int(),
  imported: z.number().int(),
  alreadyOnFile: z.number().int(),
  rejected: z.number().int(),
  tolerated: z.array(z.object({ code: z.enum(ImportToleratedCodes), count: z.number().int() })),
}) satisfies z.ZodType<ImportSummary>;

export const ImportJobStatuses = ['running', 'validated', 'imported', 'rejected', 'failed'] as const;
export const ZImportJob = z.object({
  id: z.uuid(),
  status: z.enum(ImportJobStatuses),
  dryRun: z.boolean(),
  fileName: z.string().nullable(),
  total: z.number().int(),
  processed: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  rejections: z.array(
    z.object({ row: z.number().int(), reasons: z.array(z.string()), codes: z.array(ZImportRowReason) }),
  ),
  /**
   * In English; `summary` says the same as figures when the job finished (visit imports), `refusal`
   * as a code when a whole file was refused or a job failed.
   */
  message: z.string().nullable(),
  summary: ZImportSummary.nullable(),
  refusal: ZImportRefusal.nullable(),
});
export type TImportJob = z.infer<typeof ZImportJob>;
