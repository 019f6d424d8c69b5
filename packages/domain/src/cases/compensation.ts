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

/**
 * The authority table a bank configures (stored per org unit, inherited down the tree): a limit
 * per role, optionally per level of the unit the person works in, so one role can carry more
 * authority higher up — a branch manager of a branch, a region's manager, and the head-office
 * service director (the branch-manager role at head office) with no limit. `limitMinor: null`
 * means no limit; a role without a tier has no authority to grant anything on the spot.
 */
export const AuthorityLevels = ['any', 'branch', 'region', 'head_office'] as const;
export type AuthorityLevel = (typeof AuthorityLevels)[number];
/** The levels a person can work at; a department counts as the level of the unit above it. */
export type StaffLevel = Exclude<AuthorityLevel, 'any'>;
export const StaffLevels: readonly StaffLevel[] = ['branch', 'region', 'head_office'];

export const ZAuthorityTier = z.strictObject({
  role: ZRole,
  level: z.enum(AuthorityLevels).default('any'),
  /** Minor units (fen); null = no limit. */
  limitMinor: z.number().int().nonnegative().max(1_000_000_000_000).nullable(),
});
export type TAuthorityTier = z.infer<typeof ZAuthorityTier>;

export const ZAuthorityTable = z.strictObject({
  currency: z.string().regex(/^[A-Z]{3}$/),
  tiers: z.array(ZAuthorityTier).max(64),
});
export type TAuthorityTable = z.infer<typeof ZAuthorityTable>;

/**
 * The default table (the seed): teller ¥200, lobby and customer managers ¥500, complaint
 * handlers ¥2,000 (¥10,000 in the head-office customer service centre), a branch manager
 * ¥10,000, a region's manager ¥50,000, the head-office service director without limit.
 */
export const DEFAULT_AUTHORITY_TABLE: TAuthorityTable = ZAuthorityTable.parse({
  currency: 'CNY',
  tiers: [
    { role: 'teller', limitMinor: 20_000 },
    { role: 'lobby_manager', limitMinor: 50_000 },
    { role: 'customer_manager', limitMinor: 50_000 },
    { role: 'complaint_handler', limitMinor: 200_000 },
    { role: 'complaint_handler', level: 'head_office', limitMinor: 1_000_000 },
    { role: 'branch_manager', limitMinor: 1_000_000 },
    { role: 'branch_manager', level: 'region', limitMinor: 5_000_000 },
    { role: 'branch_manager', level: 'head_office', limitMinor: null },
  ],
});

/** Roles from the front line up: a role on a higher rung may never have less authority than one below. */
export const AUTHORITY_LADDER: readonly (readonly Role[])[] = [
  ['teller'],
  ['lobby_manager', 'customer_manager'],
  ['complaint_handler'],
  ['branch_manager'],
];

/** The effective limit of a role at a level: the level's own tier, else the role's `any` tier; undefined = none. */
export function tierLimit(table: TAuthorityTable, role: Role, level: StaffLevel): number | undefined {
  const own = table.tiers.find((t) => t.role === role && t.level === level);
  const any = table.tiers.find((t) => t.role === role && t.level === 'any');
  const tier = own ?? any;
  if (!tier) return undefined;
  return tier.limitMinor ?? Number.POSITIVE_INFINITY;
}

/** No limit, as an integer for the per-role table the workflow reads. */
export const UNLIMITED_MINOR = Number.MAX_SAFE_INTEGER;

/** The authority of one person (their roles at their level), in the shape the workflow checks. */
export function authorityForStaff(
  table: TAuthorityTable,
  roles: readonly Role[],
  level: StaffLevel,
): TCompensationAuthority {
  const limits: Partial<Record<Role, number>> = {};
  for (const role of roles) {
    const limit = tierLimit(table, role, level);
    if (limit !== undefined) limits[role] = Number.isFinite(limit) ? limit : UNLIMITED_MINOR;
  }
  return { currency: table.currency, limits };
}

/** A broken rule: `message` in English for API callers, `rule` and `params` for localised screens. */
export interface AuthorityIssue {
  readonly path: string;
  readonly message: string;
  readonly rule: string;
  readonly params: Readonly<Record<string, string | number | null>>;
}

/** Minor units for issue parameters; null = no limit. */
const asParam = (minor: number) => (Number.isFinite(minor) ? minor : null);

const fmt = (minor: number | undefined) =>
  minor === undefined ? 'none' : Number.isFinite(minor) ? `${(minor / 100).toFixed(2)}` : 'no limit';

/**
 * What is wrong with an authority table: duplicate tiers; a role with less authority higher up
 * the org tree; a higher rung of the ladder with less than a lower one; and, with `parent`, a
 * limit above what the unit above allows (a branch may lower its limits, never raise them).
 */
export function authorityTableIssues(table: TAuthorityTable, parent?: TAuthorityTable): AuthorityIssue[] {
  const issues: AuthorityIssue[] = [];
  const seen = new Set<string>();
  table.tiers.forEach((t, i) => {
    const key = `${t.role}@${t.level}`;
    if (seen.has(key))
      issues.push({
        path: `tiers.${i}`,
        message: `${t.role} at ${t.level} is listed twice`,
        rule: 'authority_duplicate',
        params: { role: t.role, authorityLevel: t.level },
      });
    seen.add(key);
  });
  const roles = [...new Set(table.tiers.map((t) => t.role))];
  for (const role of roles) {
    for (let i = 1; i < StaffLevels.length; i++) {
      const lower = StaffLevels[i - 1] as StaffLevel;
      const higher = StaffLevels[i] as StaffLevel;
      const a = tierLimit(table, role, lower) ?? 0;
      const b = tierLimit(table, role, higher) ?? 0;
      if (b < a) {
        issues.push({
          path: 'tiers',
          message: `${role}: ${higher} (${fmt(b)}) must not be below ${lower} (${fmt(a)})`,
          rule: 'authority_level_order',
          params: {
            role,
            authorityLevel: higher,
            limit: asParam(b),
            authorityLevelBelow: lower,
            limitBelow: asParam(a),
          },
        });
      }
    }
  }
  for (const level of StaffLevels) {
    let below: { role: Role; limit: number } | undefined;
    for (const rung of AUTHORITY_LADDER) {
      const limits = rung
        .map((role) => ({ role, limit: tierLimit(table, role, level) }))
        .filter((x): x is { role: Role; limit: number } => x.limit !== undefined);
      if (limits.length === 0) continue;
      const lowest = limits.reduce((m, x) => (x.limit < m.limit ? x : m));
      if (below && lowest.limit < below.limit) {
        issues.push({
          path: 'tiers',
          message: `${level}: ${lowest.role} (${fmt(lowest.limit)}) must not be below ${below.role} (${fmt(below.limit)})`,
          rule: 'authority_ladder_order',
          params: {
            authorityLevel: level,
            role: lowest.role,
            limit: asParam(lowest.limit),
            roleBelow: below.role,
            limitBelow: asParam(below.limit),
          },
        });
      }
      const highest = limits.reduce((m, x) => (x.limit > m.limit ? x : m));
      below = highest;
    }
  }
  if (parent) {
    if (parent.currency !== table.currency) {
      issues.push({
        path: 'currency',
        message: `currency must stay ${parent.currency}`,
        rule: 'authority_currency',
        params: { currency: parent.currency },
      });
    } else {
      for (const role of new Set([...roles, ...parent.tiers.map((t) => t.role)])) {
        for (const level of StaffLevels) {
          const mine = tierLimit(table, role, level) ?? 0;
          const theirs = tierLimit(parent, role, level) ?? 0;
          if (mine > theirs) {
            issues.push({
              path: 'tiers',
              message: `${role} at ${level}: ${fmt(mine)} is above the ${fmt(theirs)} allowed by the unit above`,
              rule: 'authority_above_parent',
              params: { role, authorityLevel: level, limit: asParam(mine), ceiling: asParam(theirs) },
            });
          }
        }
      }
    }
  }
  return issues;
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
