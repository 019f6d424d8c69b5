import { z } from 'zod';
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

export interface CsvRowRejection {
  readonly row: number;
  readonly reasons: readonly string[];
}

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
): { ok: true; value: z.infer<typeof ZCreateCustomerRequest> } | { ok: false; reasons: string[] } {
  const reasons: string[] = [];
  const branchCode = empty(record.home_branch_code)?.trim().toUpperCase();
  const branchId = branchCode ? lookups.branchIdByCode.get(branchCode) : undefined;
  if (branchCode && !branchId)
    reasons.push(`home_branch_code: unknown or outside your scope (${branchCode})`);
  const managerName = empty(record.account_manager_username)?.trim().toLowerCase();
  const managerId = managerName ? lookups.managerIdByUsername.get(managerName) : undefined;
  if (managerName && !managerId) reasons.push(`account_manager_username: unknown (${managerName})`);
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
      reasons.push(`${column[key] ?? key}: ${issue.message}`);
    }
  }
  if (reasons.length > 0 || !parsed.success) return { ok: false, reasons };
  return { ok: true, value: parsed.data };
}

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
  rejections: z.array(z.object({ row: z.number().int(), reasons: z.array(z.string()) })),
  message: z.string().nullable(),
});
export type TImportJob = z.infer<typeof ZImportJob>;
