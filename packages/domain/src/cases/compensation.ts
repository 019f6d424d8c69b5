import { z } from 'zod';
import type { Role } from '../identity/permissions.ts';
import { ZRole } from '../identity/permissions.ts';
import { AppError } from '../shared/errors.ts';
import { type TMoney, ZMoney } from '../shared/money.ts';

/**
 * Front-line empowerment (DOMAIN §3): each role may grant compensation up to a limit on the
 * spot; above it the grant waits for an approver whose own limit covers the amount. Limits are
 * per currency in minor units and configurable per bank.
 */
export const ZCompensationAuthority = z.strictObject({
  currency: z.string().regex(/^[A-Z]{3}$/),
  limits: z.partialRecord(ZRole, z.number().int().nonnegative()),
});
export type TCompensationAuthority = z.infer<typeof ZCompensationAuthority>;

/** Defaults in fen: a teller ¥200, a lobby manager ¥500, a complaint handler ¥2,000, a branch manager ¥10,000. */
export const DEFAULT_COMPENSATION_AUTHORITY: TCompensationAuthority = {
  currency: 'CNY',
  limits: {
    teller: 20_000,
    lobby_manager: 50_000,
    customer_manager: 50_000,
    complaint_handler: 200_000,
    branch_manager: 1_000_000,
  },
};

/** The highest limit among the actor's roles; zero in another currency (no implicit FX). */
export function authorityLimit(
  roles: readonly Role[],
  currency: string,
  authority: TCompensationAuthority,
): number {
  if (currency !== authority.currency) return 0;
  return roles.reduce((max, role) => Math.max(max, authority.limits[role] ?? 0), 0);
}

export type CompensationRoute =
  | { readonly route: 'on_the_spot'; readonly limitMinor: number }
  | { readonly route: 'approval_required'; readonly limitMinor: number; readonly excessMinor: number };

export function decideCompensation(input: {
  readonly amount: TMoney;
  readonly roles: readonly Role[];
  readonly authority?: TCompensationAuthority;
}): CompensationRoute {
  if (input.amount.amountMinor <= 0) throw new AppError('validation_failed', 'Compensation must be positive');
  const limit = authorityLimit(
    input.roles,
    input.amount.currency,
    input.authority ?? DEFAULT_COMPENSATION_AUTHORITY,
  );
  return input.amount.amountMinor <= limit
    ? { route: 'on_the_spot', limitMinor: limit }
    : { route: 'approval_required', limitMinor: limit, excessMinor: input.amount.amountMinor - limit };
}

/** Customer pyramid tiers (DOMAIN §2), by profit contribution; same values as the customers context. */
export const CustomerValueTiers = ['vip', 'major', 'ordinary', 'small'] as const;
export type CustomerValueTier = (typeof CustomerValueTiers)[number];

export const ZCustomerValue = z.strictObject({
  tier: z.enum(CustomerValueTiers),
  /** Yearly profit contribution of the customer. */
  annualProfit: ZMoney,
  /** Assets held with the bank (deposits, wealth, …), informative. */
  holdings: ZMoney.optional(),
  /** How many more years the relationship is expected to last if kept. */
  expectedYears: z.number().positive().max(50).default(3),
});
export type TCustomerValue = z.infer<typeof ZCustomerValue>;

export const ZRecoveryThresholds = z.strictObject({
  /** Cost up to this share of the relationship's remaining value is plainly worth it. */
  economicShare: z.number().positive().default(0.25),
  /** Up to this share it is still worth it when the bank was at fault; above, escalate the decision. */
  marginalShare: z.number().positive().default(1),
  /** Winning a new customer costs about 5× keeping one (seed 001). */
  acquisitionCostMultiple: z.number().positive().default(5),
});
export type TRecoveryThresholds = z.infer<typeof ZRecoveryThresholds>;

export interface RecoveryEconomics {
  readonly cost: TMoney;
  readonly relationshipValue: TMoney;
  /** Rough cost of replacing the customer with a new one of the same annual profit. */
  readonly replacementCost: TMoney;
  /** cost / relationshipValue; null when the relationship has no positive value. */
  readonly costToValue: number | null;
  readonly verdict: 'economic' | 'marginal' | 'uneconomic';
}

/**
 * Recovery economics per case (seed 004: "stay economic"). Advisory only: redress owed because
 * the bank was wrong is owed whatever the customer's value.
 */
export function recoveryEconomics(input: {
  readonly compensation: readonly TMoney[];
  readonly handlingCost?: TMoney;
  readonly customer: TCustomerValue;
  readonly thresholds?: Partial<TRecoveryThresholds>;
}): RecoveryEconomics {
  const t = ZRecoveryThresholds.parse(input.thresholds ?? {});
  const currency = input.customer.annualProfit.currency;
  const costs = [...input.compensation, ...(input.handlingCost ? [input.handlingCost] : [])];
  if (costs.some((c) => c.currency !== currency)) {
    throw new AppError('validation_failed', `All amounts must be in ${currency}`);
  }
  const cost = costs.reduce((s, c) => s + c.amountMinor, 0);
  const annual = input.customer.annualProfit.amountMinor;
  const value = Math.round(Math.max(0, annual) * input.customer.expectedYears);
  const ratio = value > 0 ? cost / value : null;
  const verdict =
    cost === 0 || (ratio !== null && ratio <= t.economicShare)
      ? 'economic'
      : ratio !== null && ratio <= t.marginalShare
        ? 'marginal'
        : 'uneconomic';
  return {
    cost: { amountMinor: cost, currency },
    relationshipValue: { amountMinor: value, currency },
    replacementCost: { amountMinor: Math.round(Math.max(0, annual) * t.acquisitionCostMultiple), currency },
    costToValue: ratio,
    verdict,
  };
}
