// The API's shapes come from the domain's zod schemas (type-only imports: nothing of the domain is bundled).
export type {
  CustomerTier,
  IdType,
  OrgUnitKind,
  Permission,
  Role,
  ServiceLevel,
  TCustomer as Customer,
  TImportJob as ImportJob,
  TOrgUnit as OrgUnit,
  TStaff as Staff,
} from '@serviceloop/domain';

import type { CustomerTier, IdType, OrgUnitKind, Permission, Role, ServiceLevel } from '@serviceloop/domain';

export interface SessionUser {
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly orgUnitId: string;
  readonly roles: readonly Role[];
  readonly permissions: readonly Permission[];
  readonly locale: string;
  readonly csrfToken: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
}

export interface AuditEntry {
  readonly id: number;
  readonly at: string;
  readonly actorName: string | null;
  readonly action: string;
  readonly orgUnitId: string | null;
  readonly orgUnitName: string | null;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly details: unknown;
}

// Runtime lists for selects; `satisfies` keeps them in step with the domain's unions.
export const RoleList = [
  'administrator',
  'branch_manager',
  'lobby_manager',
  'teller',
  'customer_manager',
  'complaint_handler',
  'quality_supervisor',
  'back_office',
] as const satisfies readonly Role[];
export const TierList = ['vip', 'major', 'ordinary', 'small'] as const satisfies readonly CustomerTier[];
export const PersonLevels = ['diamond', 'gold', 'silver', 'basic'] as const satisfies readonly ServiceLevel[];
export const CompanyLevels = [
  '1A',
  '2A',
  '3A',
  '4A',
  '5A',
  '1B',
  '2B',
  '3B',
  '4B',
  '5B',
] as const satisfies readonly ServiceLevel[];
export const PersonIdTypes = [
  'resident_id',
  'passport',
  'hk_macau_permit',
  'taiwan_permit',
] as const satisfies readonly IdType[];
export const CompanyIdTypes = ['business_license', 'uscc'] as const satisfies readonly IdType[];
export const OrgKindList = [
  'head_office',
  'region',
  'branch',
  'department',
] as const satisfies readonly OrgUnitKind[];

/** Which kinds may sit under which (mirrors the domain's canBeChildOf). */
export const ChildKinds: Readonly<Record<OrgUnitKind, readonly OrgUnitKind[]>> = {
  head_office: ['region', 'department'],
  region: ['branch', 'department'],
  branch: ['department'],
  department: ['department'],
};
