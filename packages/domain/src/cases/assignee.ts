import { z } from 'zod';

/** GET /cases/:id/assignees: a member of staff who may take the case, with their open-case load. */
export const ZAssignee = z.object({
  userId: z.uuid(),
  displayName: z.string(),
  username: z.string(),
  orgUnitId: z.uuid(),
  orgUnitName: z.string(),
  roles: z.array(z.string()).readonly(),
  /** Open cases assigned to them now, and how many of those have a breached clock. */
  openCases: z.number().int(),
  breachedCases: z.number().int(),
  /** The case's assignee now. */
  current: z.boolean(),
});
export type TAssignee = z.infer<typeof ZAssignee>;
