import { z } from 'zod';
import { defaultCallingPolicyConfig, ZCallingPolicyConfig } from './config.ts';

/**
 * A branch's queue policy as its branch manager edits it: the calling policy (priority classes
 * with weights, head starts and maximum-wait bounds) and how many recalls a called customer gets
 * before the next recall marks the ticket a no-show.
 */
export const ZBranchQueuePolicy = z.strictObject({
  calling: ZCallingPolicyConfig,
  /** Recalls allowed after the first call; pressing "recall" once more marks a no-show. */
  noShowAfterRecalls: z.number().int().min(0).max(9),
});
export type TBranchQueuePolicy = z.infer<typeof ZBranchQueuePolicy>;
export type TBranchQueuePolicyInput = z.input<typeof ZBranchQueuePolicy>;

/** Body of PUT …/queue-settings/policy: the whole policy, and the version it was edited from. */
export const ZUpdateBranchQueuePolicyRequest = ZBranchQueuePolicy.extend({
  /** The version the editor loaded; a stale one is refused (409) instead of overwriting a colleague. */
  expectedVersion: z.number().int().min(0).optional(),
});
export type TUpdateBranchQueuePolicyRequest = z.infer<typeof ZUpdateBranchQueuePolicyRequest>;

/** Every branch starts with the domain default and two recalls. */
export const defaultBranchQueuePolicy: TBranchQueuePolicy = {
  calling: defaultCallingPolicyConfig,
  noShowAfterRecalls: 2,
};
