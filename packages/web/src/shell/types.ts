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

import type { OrgUnitKind, Permission, Role } from '@serviceloop/domain';
import { canBeChildOf, OrgUnitKinds } from '@serviceloop/domain/org/kinds';

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

export {
  CompanyIdTypes,
  CompanyServiceLevels as CompanyLevels,
  CustomerTiers as TierList,
  PersonIdTypes,
  PersonServiceLevels as PersonLevels,
} from '@serviceloop/domain/customers/kinds';
// Runtime lists for selects come from the domain's zod-free modules (no schemas in the bundle).
export { Roles as RoleList } from '@serviceloop/domain/identity/roles';
export { OrgUnitKinds as OrgKindList } from '@serviceloop/domain/org/kinds';

/** Which kinds may sit under which: the domain's own rule. */
export const ChildKinds: Readonly<Record<OrgUnitKind, readonly OrgUnitKind[]>> = Object.fromEntries(
  OrgUnitKinds.map((parent) => [parent, OrgUnitKinds.filter((child) => canBeChildOf(child, parent))]),
) as unknown as Record<OrgUnitKind, readonly OrgUnitKind[]>;
