import {
  type AumBand,
  aumBandOf,
  aumOf,
  type TCustomerValueInput,
  type TCustomerValueView,
} from '@serviceloop/domain';
import { eq } from 'drizzle-orm';
import { appendAudit, auditActor } from '../audit/service.ts';
import type { ServerContext } from '../context.ts';
import type { Executor } from '../db/database.ts';
import { customerValues } from '../db/schema.ts';
import { appendEvents } from '../events/outbox.ts';
import type { Actor } from '../identity/actor.ts';
import { customerInScope } from './service.ts';

type ValueRow = typeof customerValues.$inferSelect;

function toView(row: ValueRow): TCustomerValueView {
  return {
    customerId: row.customerId,
    depositsMinor: row.depositsMinor,
    investmentsMinor: row.investmentsMinor,
    loansMinor: row.loansMinor,
    aumMinor: aumOf(row),
    aumBand: row.aumBand as AumBand,
    annualProfitMinor: row.annualProfitMinor,
    currency: row.currency,
    expectedYears: row.expectedYears,
    asOf: row.asOf,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The stored value of a customer, or null when none is on file (no scope check: callers check). */
export async function customerValueOf(db: Executor, customerId: string): Promise<TCustomerValueView | null> {
  const [row] = await db.select().from(customerValues).where(eq(customerValues.customerId, customerId));
  return row ? toView(row) : null;
}

export async function getCustomerValue(
  ctx: ServerContext,
  actor: Actor,
  customerId: string,
): Promise<TCustomerValueView | null> {
  await customerInScope(ctx.db, actor, customerId);
  return customerValueOf(ctx.db, customerId);
}

/** Records the customer's holdings summary and profit contribution; the AUM band follows. Audited. */
export async function setCustomerValue(
  ctx: ServerContext,
  actor: Actor,
  customerId: string,
  input: TCustomerValueInput,
): Promise<TCustomerValueView> {
  return ctx.db.transaction(async (tx) => {
    const current = await customerInScope(tx, actor, customerId);
    const before = await customerValueOf(tx, customerId);
    const now = ctx.clock();
    const values = {
      depositsMinor: input.depositsMinor,
      investmentsMinor: input.investmentsMinor,
      loansMinor: input.loansMinor,
      aumBand: aumBandOf(input.depositsMinor + input.investmentsMinor),
      annualProfitMinor: input.annualProfitMinor,
      currency: input.currency,
      expectedYears: input.expectedYears,
      asOf: input.asOf,
      updatedAt: now,
      updatedBy: actor.userId,
    };
    await tx
      .insert(customerValues)
      .values({ customerId, ...values })
      .onConflictDoUpdate({ target: customerValues.customerId, set: values });
    const changed = before
      ? (Object.keys(values) as (keyof typeof values)[]).filter(
          (k) =>
            k !== 'updatedAt' &&
            k !== 'updatedBy' &&
            String(values[k]) !== String((before as unknown as Record<string, unknown>)[k]),
        )
      : Object.keys(values).filter((k) => k !== 'updatedAt' && k !== 'updatedBy');
    await appendEvents(tx, ctx.clock, [
      {
        type: 'customer.value_updated',
        orgUnitId: current.customer.homeBranchId,
        aggregateType: 'customer',
        aggregateId: customerId,
        actorId: actor.userId,
        payload: { aumBand: values.aumBand, changed },
      },
    ]);
    await appendAudit(tx, ctx.clock, auditActor(actor), {
      action: 'customer.value_updated',
      orgUnitId: current.customer.homeBranchId,
      targetType: 'customer',
      targetId: customerId,
      details: {
        changed,
        aumBand: { from: before?.aumBand ?? null, to: values.aumBand },
        annualProfitMinor: { from: before?.annualProfitMinor ?? null, to: values.annualProfitMinor },
        asOf: values.asOf,
      },
    });
    return toView({ customerId, ...values });
  });
}
