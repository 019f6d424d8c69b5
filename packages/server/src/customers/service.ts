import {
  AppError,
  type CustomerTier,
  type IdType,
  maskEmail,
  maskIdNumber,
  maskPhone,
  type ServiceLevel,
  type TCreateCustomerRequest,
  type TCustomer,
  type TUpdateCustomerRequest,
} from '@serviceloop/domain';
import { and, asc, count, eq, ilike, isNull, like, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { appendAudit, auditActor } from '../audit/service.ts';
import type { ServerContext } from '../context.ts';
import type { Executor } from '../db/database.ts';
import { customers, orgUnits, users } from '../db/schema.ts';
import { appendEvents } from '../events/outbox.ts';
import { type Actor, assertInScope } from '../identity/actor.ts';
import { newId } from '../ids.ts';
import { getOrgUnitInScope } from '../org/service.ts';

type CustomerRow = typeof customers.$inferSelect;
const manager = alias(users, 'manager');

function toCustomer(
  row: CustomerRow,
  branchName: string,
  managerName: string | null,
  reveal: boolean,
): TCustomer {
  return {
    id: row.id,
    customerNo: row.customerNo,
    kind: row.kind as TCustomer['kind'],
    name: row.name,
    idType: row.idType as IdType,
    idNumber: reveal ? row.idNumber : maskIdNumber(row.idNumber),
    phone: row.phone === null ? null : reveal ? row.phone : maskPhone(row.phone),
    email: row.email === null ? null : reveal ? row.email : maskEmail(row.email),
    birthDate: reveal ? row.birthDate : row.birthDate ? `${row.birthDate.slice(0, 4)}-**-**` : null,
    tier: row.tier as CustomerTier,
    serviceLevel: row.serviceLevel as ServiceLevel,
    homeBranchId: row.homeBranchId,
    homeBranchName: branchName,
    accountManagerId: row.accountManagerId,
    accountManagerName: managerName,
    notes: row.notes,
    masked: !reveal,
  };
}

const selection = {
  customer: customers,
  branchName: orgUnits.name,
  branchPath: orgUnits.path,
  managerName: manager.displayName,
};

function baseQuery(db: Executor) {
  return db
    .select(selection)
    .from(customers)
    .innerJoin(orgUnits, eq(orgUnits.id, customers.homeBranchId))
    .leftJoin(manager, eq(manager.id, customers.accountManagerId));
}

export interface CustomerListQuery {
  readonly scopePath: string;
  readonly q?: string | undefined;
  readonly tier?: CustomerTier | undefined;
  readonly page: number;
  readonly pageSize: number;
}

export async function listCustomers(
  ctx: ServerContext,
  query: CustomerListQuery,
): Promise<{ items: TCustomer[]; total: number }> {
  const filters: SQL[] = [like(orgUnits.path, `${query.scopePath}%`), isNull(customers.deletedAt)];
  if (query.tier) filters.push(eq(customers.tier, query.tier));
  if (query.q) {
    const q = query.q.trim();
    const term = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const byText = or(ilike(customers.name, term), ilike(customers.customerNo, term));
    // Exact identifiers find a customer without exposing partial-number search.
    filters.push(or(byText, eq(customers.phone, q), eq(customers.idNumber, q.toUpperCase())) as SQL);
  }
  const where = and(...filters);
  const [items, [total]] = await Promise.all([
    baseQuery(ctx.db)
      .where(where)
      .orderBy(asc(customers.customerNo))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    ctx.db
      .select({ n: count() })
      .from(customers)
      .innerJoin(orgUnits, eq(orgUnits.id, customers.homeBranchId))
      .where(where),
  ]);
  return {
    items: items.map((r) => toCustomer(r.customer, r.branchName, r.managerName, false)),
    total: total?.n ?? 0,
  };
}

export async function customerInScope(db: Executor, actor: Actor, id: string) {
  const [row] = await baseQuery(db).where(and(eq(customers.id, id), isNull(customers.deletedAt)));
  assertInScope(actor, row?.branchPath, 'Customer');
  return row as NonNullable<typeof row>;
}

export async function getCustomer(ctx: ServerContext, actor: Actor, id: string): Promise<TCustomer> {
  const row = await customerInScope(ctx.db, actor, id);
  return toCustomer(row.customer, row.branchName, row.managerName, false);
}

/** Shows the unmasked identifiers to a role that may see them, and records that it did. */
export async function revealCustomer(
  ctx: ServerContext,
  actor: Actor,
  id: string,
  reason: string,
): Promise<TCustomer> {
  return ctx.db.transaction(async (tx) => {
    const row = await customerInScope(tx, actor, id);
    await appendAudit(tx, ctx.clock, auditActor(actor), {
      action: 'customer.revealed',
      orgUnitId: row.customer.homeBranchId,
      targetType: 'customer',
      targetId: id,
      details: { reason, fields: ['idNumber', 'phone', 'email', 'birthDate'] },
    });
    return toCustomer(row.customer, row.branchName, row.managerName, true);
  });
}

async function assertManagerInScope(db: Executor, actor: Actor, managerId: string | null | undefined) {
  if (!managerId) return;
  const [m] = await db
    .select({ path: orgUnits.path })
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
    .where(eq(users.id, managerId));
  assertInScope(actor, m?.path, 'Account manager');
}

export async function nextCustomerNumbers(db: Executor, n: number): Promise<string[]> {
  const result: unknown = await db.execute(
    sql`select nextval('customer_no_seq')::bigint as n from generate_series(1, ${n}) order by 1`,
  );
  return (result as { rows: { n: string | number }[] }).rows.map((r) => `C${String(r.n).padStart(8, '0')}`);
}

export async function insertCustomers(
  tx: Executor,
  ctx: ServerContext,
  actor: Actor,
  inputs: readonly TCreateCustomerRequest[],
  source: 'form' | 'import',
): Promise<CustomerRow[]> {
  const now = ctx.clock();
  const numbers = await nextCustomerNumbers(tx, inputs.length);
  const rows: CustomerRow[] = inputs.map((input, i) => ({
    id: newId(),
    customerNo: numbers[i] as string,
    kind: input.kind,
    name: input.name,
    idType: input.idType,
    idNumber: input.idNumber,
    phone: input.phone ?? null,
    email: input.email ?? null,
    birthDate: input.birthDate ?? null,
    tier: input.tier,
    serviceLevel: input.serviceLevel,
    homeBranchId: input.homeBranchId,
    accountManagerId: input.accountManagerId ?? null,
    notes: input.notes ?? null,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  }));
  for (let i = 0; i < rows.length; i += 500) await tx.insert(customers).values(rows.slice(i, i + 500));
  await appendEvents(
    tx,
    ctx.clock,
    rows.map((r) => ({
      type: 'customer.created',
      orgUnitId: r.homeBranchId,
      aggregateType: 'customer',
      aggregateId: r.id,
      actorId: actor.userId,
      payload: { customerNo: r.customerNo, tier: r.tier, serviceLevel: r.serviceLevel, source },
    })),
  );
  return rows;
}

async function assertIdentifierFree(db: Executor, idType: string, idNumber: string, exceptId?: string) {
  const [dupe] = await db
    .select({ id: customers.id, no: customers.customerNo })
    .from(customers)
    .where(and(eq(customers.idType, idType), eq(customers.idNumber, idNumber)));
  if (dupe && dupe.id !== exceptId) {
    throw new AppError('conflict', 'A customer with this identification already exists', {
      details: { existingCustomerNo: dupe.no },
    });
  }
}

export async function createCustomer(
  ctx: ServerContext,
  actor: Actor,
  input: TCreateCustomerRequest,
): Promise<TCustomer> {
  return ctx.db.transaction(async (tx) => {
    const branch = await getOrgUnitInScope(tx, actor, input.homeBranchId);
    if (branch.kind !== 'branch') throw new AppError('validation_failed', 'The home branch must be a branch');
    await assertManagerInScope(tx, actor, input.accountManagerId);
    await assertIdentifierFree(tx, input.idType, input.idNumber);
    const [row] = await insertCustomers(tx, ctx, actor, [input], 'form');
    const created = row as CustomerRow;
    await appendAudit(tx, ctx.clock, auditActor(actor), {
      action: 'customer.created',
      orgUnitId: created.homeBranchId,
      targetType: 'customer',
      targetId: created.id,
      details: { customerNo: created.customerNo },
    });
    const full = await customerInScope(tx, actor, created.id);
    return toCustomer(full.customer, full.branchName, full.managerName, false);
  });
}

export async function updateCustomer(
  ctx: ServerContext,
  actor: Actor,
  id: string,
  input: TUpdateCustomerRequest,
): Promise<TCustomer> {
  return ctx.db.transaction(async (tx) => {
    const current = await customerInScope(tx, actor, id);
    if (input.homeBranchId) {
      const branch = await getOrgUnitInScope(tx, actor, input.homeBranchId);
      if (branch.kind !== 'branch')
        throw new AppError('validation_failed', 'The home branch must be a branch');
    }
    await assertManagerInScope(tx, actor, input.accountManagerId);
    const now = ctx.clock();
    const patch = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    await tx
      .update(customers)
      .set({ ...patch, updatedAt: now })
      .where(eq(customers.id, id));
    const changed = Object.keys(patch);
    await appendEvents(tx, ctx.clock, [
      {
        type: 'customer.updated',
        orgUnitId: input.homeBranchId ?? current.customer.homeBranchId,
        aggregateType: 'customer',
        aggregateId: id,
        actorId: actor.userId,
        payload: { changed },
      },
    ]);
    await appendAudit(tx, ctx.clock, auditActor(actor), {
      action: 'customer.updated',
      orgUnitId: current.customer.homeBranchId,
      targetType: 'customer',
      targetId: id,
      details: { changed },
    });
    const full = await customerInScope(tx, actor, id);
    return toCustomer(full.customer, full.branchName, full.managerName, false);
  });
}

/** Customers are never deleted: archiving hides them and keeps every record that points at them. */
export async function archiveCustomer(
  ctx: ServerContext,
  actor: Actor,
  id: string,
  reason: string,
): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const current = await customerInScope(tx, actor, id);
    const now = ctx.clock();
    await tx.update(customers).set({ deletedAt: now, updatedAt: now }).where(eq(customers.id, id));
    await appendEvents(tx, ctx.clock, [
      {
        type: 'customer.archived',
        orgUnitId: current.customer.homeBranchId,
        aggregateType: 'customer',
        aggregateId: id,
        actorId: actor.userId,
        payload: { reason },
      },
    ]);
    await appendAudit(tx, ctx.clock, auditActor(actor), {
      action: 'customer.archived',
      orgUnitId: current.customer.homeBranchId,
      targetType: 'customer',
      targetId: id,
      details: { reason },
    });
  });
}

export { assertIdentifierFree };
