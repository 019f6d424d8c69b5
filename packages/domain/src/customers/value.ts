import { z } from 'zod';
import type { TMoney } from '../shared/money.ts';
import type { CustomerTier } from './customer.ts';

/**
 * What a customer is worth to the bank (DOMAIN §2): a holdings summary (the combined view of
 * deposits, investments and loans), the assets-under-management band it puts the customer in,
 * and the yearly profit contribution that the pyramid tiers are based on.
 */

import { AumBands } from './kinds.ts';

export { AumBands };
export type AumBand = (typeof AumBands)[number];

const YUAN = 100;
const BAND_FLOORS: readonly [AumBand, number][] = [
  ['over_6m', 6_000_000 * YUAN],
  ['2m_6m', 2_000_000 * YUAN],
  ['500k_2m', 500_000 * YUAN],
  ['50k_500k', 50_000 * YUAN],
];

/** The band of an amount under management (minor units of CNY). */
export function aumBandOf(aumMinor: number): AumBand {
  for (const [band, floor] of BAND_FLOORS) if (aumMinor >= floor) return band;
  return 'under_50k';
}

const ZMinor = z
  .number()
  .int()
  .min(0)
  .max(10 ** 15);

/** Setting a customer's value (customer.manage); the band is derived, never sent. */
export const ZCustomerValueInput = z.strictObject({
  depositsMinor: ZMinor,
  investmentsMinor: ZMinor,
  loansMinor: ZMinor,
  annualProfitMinor: z
    .number()
    .int()
    .min(-(10 ** 13))
    .max(10 ** 13),
  currency: z.literal('CNY').default('CNY'),
  expectedYears: z.number().int().min(1).max(50),
  asOf: z.iso.date(),
});
export type TCustomerValueInput = z.infer<typeof ZCustomerValueInput>;

export const ZCustomerValueView = z.object({
  customerId: z.uuid(),
  depositsMinor: z.number().int(),
  investmentsMinor: z.number().int(),
  loansMinor: z.number().int(),
  aumMinor: z.number().int(),
  aumBand: z.enum(AumBands),
  annualProfitMinor: z.number().int(),
  currency: z.string(),
  expectedYears: z.number().int(),
  asOf: z.string(),
  updatedAt: z.string(),
});
export type TCustomerValueView = z.infer<typeof ZCustomerValueView>;

export function aumOf(v: { depositsMinor: number; investmentsMinor: number }): number {
  return v.depositsMinor + v.investmentsMinor;
}

/** The money shape that `recoveryEconomics` takes, from a stored value. */
export function relationshipOf(
  tier: CustomerTier,
  v: { annualProfitMinor: number; currency: string; expectedYears: number } & {
    depositsMinor: number;
    investmentsMinor: number;
  },
): { tier: CustomerTier; annualProfit: TMoney; holdings: TMoney; expectedYears: number } {
  return {
    tier,
    annualProfit: { amountMinor: v.annualProfitMinor, currency: v.currency },
    holdings: { amountMinor: aumOf(v), currency: v.currency },
    expectedYears: v.expectedYears,
  };
}

/** Plausible demo figures per tier (deposits, investments, loans, profit, years), deterministic from `r` in [0,1). */
export function demoCustomerValue(
  tier: CustomerTier,
  r: () => number,
): Omit<TCustomerValueInput, 'asOf' | 'currency'> {
  const between = (lo: number, hi: number) => Math.round((lo + (hi - lo) * r()) * YUAN);
  switch (tier) {
    case 'vip':
      return {
        depositsMinor: between(1_500_000, 5_000_000),
        investmentsMinor: between(2_000_000, 9_000_000),
        loansMinor: r() < 0.4 ? between(500_000, 3_000_000) : 0,
        annualProfitMinor: between(40_000, 120_000),
        expectedYears: 8,
      };
    case 'major':
      return {
        depositsMinor: between(300_000, 1_200_000),
        investmentsMinor: between(200_000, 1_500_000),
        loansMinor: r() < 0.4 ? between(200_000, 1_000_000) : 0,
        annualProfitMinor: between(8_000, 30_000),
        expectedYears: 6,
      };
    case 'ordinary':
      return {
        depositsMinor: between(20_000, 300_000),
        investmentsMinor: r() < 0.5 ? between(10_000, 200_000) : 0,
        loansMinor: r() < 0.3 ? between(50_000, 600_000) : 0,
        annualProfitMinor: between(600, 5_000),
        expectedYears: 4,
      };
    case 'small':
      return {
        depositsMinor: between(100, 30_000),
        investmentsMinor: 0,
        loansMinor: r() < 0.1 ? between(5_000, 50_000) : 0,
        annualProfitMinor: between(-200, 400),
        expectedYears: 3,
      };
  }
}
