import { z } from 'zod';
import { Permissions, Roles } from './roles.ts';

export { Permissions, Roles };

export type Permission = (typeof Permissions)[number];

export type Role = (typeof Roles)[number];
export const ZRole = z.enum(Roles);

const all: readonly Permission[] = Permissions;

export const RolePermissions: Readonly<Record<Role, readonly Permission[]>> = {
  administrator: all,
  branch_manager: [
    'org.read',
    'staff.read',
    'staff.manage',
    'customer.read',
    'customer.manage',
    'customer.reveal',
    'customer.import',
    'audit.read',
    'queue.read',
    'queue.serve',
    'queue.manage',
    'queue.configure',
    'case.read',
    'case.handle',
    'case.supervise',
    'case.approve',
    'case.configure',
    'quality.read',
  ],
  lobby_manager: [
    'org.read',
    'staff.read',
    'customer.read',
    'queue.read',
    'queue.manage',
    'case.read',
    'case.handle',
  ],
  teller: ['org.read', 'customer.read', 'queue.read', 'queue.serve', 'case.read', 'case.handle'],
  customer_manager: [
    'org.read',
    'customer.read',
    'customer.manage',
    'customer.reveal',
    'case.read',
    'case.handle',
  ],
  complaint_handler: [
    'org.read',
    'customer.read',
    'customer.reveal',
    'case.read',
    'case.handle',
    'case.supervise',
  ],
  quality_supervisor: [
    'org.read',
    'staff.read',
    'customer.read',
    'queue.read',
    'case.read',
    'quality.read',
    'quality.manage',
  ],
  back_office: ['org.read', 'case.read', 'case.handle'],
};

export function permissionsOf(roles: readonly Role[]): ReadonlySet<Permission> {
  const set = new Set<Permission>();
  for (const role of roles) for (const p of RolePermissions[role]) set.add(p);
  return set;
}

export function hasPermission(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((role) => RolePermissions[role].includes(permission));
}
