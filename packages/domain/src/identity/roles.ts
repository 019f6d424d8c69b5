// Permissions and roles as plain lists (no zod): the web app imports them at run time.
// permissions.ts re-exports them with the role → permission table and the schemas.

/** Every permission a route can demand. Routes name exactly one (or 'public' / 'authenticated'). */
export const Permissions = [
  'org.read',
  'org.manage',
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
  /** Branch queue settings: service catalogue, target waits, calling policy (branch manager). */
  'queue.configure',
  'case.read',
  'case.handle',
  'case.supervise',
  'case.approve',
  /** Case engine settings: SLA policy, escalation, compensation authority, business calendar of a unit. */
  'case.configure',
  'quality.read',
  'quality.manage',
] as const;

export const Roles = [
  'administrator',
  'branch_manager',
  'lobby_manager',
  'teller',
  'customer_manager',
  'complaint_handler',
  'quality_supervisor',
  'back_office',
] as const;
