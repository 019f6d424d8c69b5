import type { TCustomerIdentification } from '@serviceloop/domain';
import { and, eq, isNull } from 'drizzle-orm';
import type { ServerContext } from '../context.ts';
import { customers } from '../db/schema.ts';

/** What another context may learn about a customer it identified: the id and the service level. */
export interface IdentifiedCustomer {
  readonly id: string;
  readonly serviceLevel: string;
}

/**
 * The customer a kiosk identification names, for the queue's priority class. Anonymous (undefined)
 * when nobody matches, when the customer is archived, when the identification is ambiguous (a
 * phone number shared by several customers: no one gets another person's service level), and for
 * bank cards, which are not on file yet. Any branch's customer may draw a ticket anywhere, so
 * this lookup is not scoped to the kiosk's branch; it returns nothing personal.
 */
export async function findCustomerByIdentification(
  ctx: ServerContext,
  identification: TCustomerIdentification | undefined,
): Promise<IdentifiedCustomer | undefined> {
  if (!identification || identification.kind === 'card') return undefined;
  const match =
    identification.kind === 'phone'
      ? eq(customers.phone, identification.value)
      : eq(customers.idNumber, identification.value);
  const rows = await ctx.db
    .select({ id: customers.id, serviceLevel: customers.serviceLevel })
    .from(customers)
    .where(and(match, isNull(customers.deletedAt)))
    .limit(2);
  return rows.length === 1 ? rows[0] : undefined;
}
