// The escalation chain's levels and who they reach, without zod or any other dependency: the
// web app's settings screen shows and edits them at run time (escalation.ts builds the schemas
// on them and re-exports them).
import type { Roles } from '../identity/roles.ts';

type Role = (typeof Roles)[number];

export const EscalationLevels = [
  'assignee',
  'team_lead',
  'branch_manager',
  'head_office_service_centre',
] as const;
export type EscalationLevel = (typeof EscalationLevels)[number];

/**
 * Where on the case's line a role is looked for: the case's own unit, or the nearest branch,
 * region or head office at or above it. A unit's departments count as the unit (as for
 * compensation authority): "head office" also reaches head office's departments.
 */
export const EscalationOrgLevels = ['case_unit', 'branch', 'region', 'head_office'] as const;
export type EscalationOrgLevel = (typeof EscalationOrgLevels)[number];

/** One kind of person a level reaches: the case's assignee, or a role at org levels of the case's line. */
export type EscalationRecipient =
  | { readonly kind: 'assignee' }
  | { readonly kind: 'role'; readonly role: Role; readonly at: readonly EscalationOrgLevel[] };

const everyLevel: readonly EscalationOrgLevel[] = ['case_unit', 'branch', 'region', 'head_office'];

/**
 * The chain as the engine always ran it: the assignee; the complaint handlers and the branch
 * managers of the case's unit and of every unit above it; the complaint handlers of head office.
 */
export const DEFAULT_ESCALATION_RECIPIENTS: Readonly<
  Record<EscalationLevel, readonly EscalationRecipient[]>
> = {
  assignee: [{ kind: 'assignee' }],
  team_lead: [{ kind: 'role', role: 'complaint_handler', at: everyLevel }],
  branch_manager: [{ kind: 'role', role: 'branch_manager', at: everyLevel }],
  head_office_service_centre: [{ kind: 'role', role: 'complaint_handler', at: ['head_office'] }],
};

/**
 * Roles a level above the assignee may reach: those holding `case.supervise` (people who can act
 * on someone else's case). A unit test keeps this in step with the permission table.
 */
export const ESCALATION_ROLES: readonly Role[] = ['administrator', 'branch_manager', 'complaint_handler'];
