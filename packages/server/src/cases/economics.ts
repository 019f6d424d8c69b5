import {
  type CustomerTier,
  CustomerTiers,
  recoveryEconomics,
  relationshipOf,
  type TMoney,
  ZCustomerValueView,
  ZMoney,
} from '@serviceloop/domain';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { customerValueOf } from '../customers/value.ts';
import { customers } from '../db/schema.ts';
import type { Actor } from '../identity/actor.ts';
import { caseFromRecord } from './records.ts';
import { caseInScope } from './service.ts';

const ZEconomics = z.object({
  cost: ZMoney,
  relationshipValue: ZMoney,
  replacementCost: ZMoney,
  costToValue: z.number().nullable(),
  verdict: z.enum(['economic', 'marginal', 'uneconomic']),
});

export const ZCaseEconomics = z.object({
  /** Why there is no comparison: a walk-in or a colleague, or a customer without a value on file. */
  missing: z.enum(['walk_in', 'staff', 'no_value']).nullable(),
  customer: z
    .object({
      customerId: z.uuid(),
      customerNo: z.string(),
      tier: z.enum(CustomerTiers),
      value: ZCustomerValueView.nullable(),
    })
    .nullable(),
  /** Granted on the spot or approved. */
  paid: ZMoney,
  /** Waiting for approval. */
  pending: ZMoney,
  /** What the customer claims. */
  claimed: ZMoney.nullable(),
  /** Paid + pending against the customer's value. */
  offered: ZEconomics.nullable(),
  /** The claim, if it were granted in full. */
  atClaim: ZEconomics.nullable(),
});
export type TCaseEconomics = z.infer<typeof ZCaseEconomics>;

/**
 * Recovery economics of one case (seed 004, "stay economic"): the compensation offered and
 * claimed against the customer's value — the relationship's remaining profit, the cost of
 * winning a replacement customer (5× yearly profit), and an advisory band. Advisory only:
 * redress owed because the bank was wrong is owed whatever the customer is worth.
 */
export async function caseEconomics(ctx: ServerContext, actor: Actor, id: string): Promise<TCaseEconomics> {
  const { c: row } = await caseInScope(ctx.db, actor, id);
  const c = caseFromRecord(row.record);
  const sum = (statuses: readonly string[]): TMoney => ({
    amountMinor: c.compensations
      .filter((x) => statuses.includes(x.status))
      .reduce((s, x) => s + x.amount.amountMinor, 0),
    currency: 'CNY',
  });
  const paid = sum(['granted', 'approved']);
  const pending = sum(['pending_approval']);
  const claimed = c.complaint?.claims.compensation ?? null;
  const base = { paid, pending, claimed, offered: null, atClaim: null };
  if (c.customer.kind !== 'linked' || !row.customerId) {
    return { ...base, missing: c.customer.kind === 'staff' ? 'staff' : 'walk_in', customer: null };
  }
  const [cust] = await ctx.db
    .select({ id: customers.id, customerNo: customers.customerNo, tier: customers.tier })
    .from(customers)
    .where(eq(customers.id, row.customerId));
  if (!cust) return { ...base, missing: 'walk_in', customer: null };
  const value = await customerValueOf(ctx.db, cust.id);
  const customer = {
    customerId: cust.id,
    customerNo: cust.customerNo,
    tier: cust.tier as CustomerTier,
    value,
  };
  if (!value) return { ...base, missing: 'no_value', customer };
  const relationship = relationshipOf(customer.tier, value);
  const offeredCost: TMoney = { amountMinor: paid.amountMinor + pending.amountMinor, currency: 'CNY' };
  return {
    ...base,
    missing: null,
    customer,
    offered: recoveryEconomics({ compensation: [offeredCost], customer: relationship }),
    atClaim:
      claimed && claimed.currency === value.currency
        ? recoveryEconomics({ compensation: [claimed], customer: relationship })
        : null,
  };
}
