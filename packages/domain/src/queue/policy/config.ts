import { z } from 'zod';

/** Class and service codes are short machine identifiers, stable across configuration edits. */
export const ZQueueCode = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'Lower-case letters, digits, "_" and "-"');

/**
 * A priority class. `weight` multiplies the time waited, `headStartMs` is credited at arrival,
 * `maxWaitMs` is the guarantee: once a ticket has waited that long it is called before anything
 * that is not yet overdue (see pickNext).
 */
export const ZPriorityClass = z.strictObject({
  id: ZQueueCode,
  nameZh: z.string().trim().max(50).optional(),
  nameEn: z.string().trim().max(50).optional(),
  weight: z.number().positive().max(1000),
  headStartMs: z.number().int().min(0).max(86_400_000).default(0),
  maxWaitMs: z.number().int().positive().max(86_400_000),
});
export type TPriorityClass = z.infer<typeof ZPriorityClass>;

export const ZCallingPolicyConfig = z
  .strictObject({
    classes: z.array(ZPriorityClass).min(1).max(32),
    /** Class of anonymous customers and of service levels not listed below. */
    defaultClass: ZQueueCode,
    /** Customer service level (e.g. diamond, gold) → class. */
    serviceLevelClasses: z.record(z.string().min(1).max(32), ZQueueCode).default({}),
    /** Class granted to elderly or disabled customers on request; the higher-weight class wins. */
    assistanceClass: ZQueueCode.optional(),
    /**
     * Effective wait (ms) a ticket loses per step down a counter's skill list: 0 ignores the
     * preference order, a very large value makes it strict.
     */
    skillRankPenaltyMs: z.number().min(0).max(86_400_000).default(300_000),
  })
  .superRefine((config, ctx) => {
    const ids = new Set<string>();
    for (const c of config.classes) {
      if (ids.has(c.id))
        ctx.addIssue({ code: 'custom', path: ['classes'], message: `Duplicate class ${c.id}` });
      ids.add(c.id);
    }
    const refs: [string, (string | number)[]][] = [[config.defaultClass, ['defaultClass']]];
    if (config.assistanceClass !== undefined) refs.push([config.assistanceClass, ['assistanceClass']]);
    for (const [level, cls] of Object.entries(config.serviceLevelClasses)) {
      refs.push([cls, ['serviceLevelClasses', level]]);
    }
    for (const [cls, path] of refs) {
      if (!ids.has(cls)) ctx.addIssue({ code: 'custom', path, message: `Unknown class ${cls}` });
    }
  });
export type TCallingPolicyConfig = z.infer<typeof ZCallingPolicyConfig>;
/** What callers may pass before defaults are applied (e.g. a JSON file). */
export type TCallingPolicyConfigInput = z.input<typeof ZCallingPolicyConfig>;

/** A sensible starting point for a Chinese retail branch: VIP, assisted (elderly/disabled), ordinary. */
export const defaultCallingPolicyConfig: TCallingPolicyConfig = ZCallingPolicyConfig.parse({
  classes: [
    { id: 'vip', nameZh: '贵宾', nameEn: 'VIP', weight: 3, headStartMs: 300_000, maxWaitMs: 600_000 },
    {
      id: 'assisted',
      nameZh: '优先',
      nameEn: 'Priority',
      weight: 2,
      headStartMs: 180_000,
      maxWaitMs: 900_000,
    },
    { id: 'ordinary', nameZh: '普通', nameEn: 'Ordinary', weight: 1, headStartMs: 0, maxWaitMs: 2_400_000 },
  ],
  defaultClass: 'ordinary',
  serviceLevelClasses: { diamond: 'vip', gold: 'vip' },
  assistanceClass: 'assisted',
});

/** The class a new ticket gets from the customer's service level and an assistance request. */
export function resolvePriorityClass(
  config: TCallingPolicyConfig,
  customer: { readonly serviceLevel?: string | undefined; readonly needsAssistance?: boolean | undefined },
): string {
  let best = config.defaultClass;
  const consider = (id: string | undefined): void => {
    if (id === undefined) return;
    if (weightOf(config, id) > weightOf(config, best)) best = id;
  };
  if (customer.serviceLevel !== undefined) consider(config.serviceLevelClasses[customer.serviceLevel]);
  if (customer.needsAssistance === true) consider(config.assistanceClass);
  return best;
}

function weightOf(config: TCallingPolicyConfig, id: string): number {
  return config.classes.find((c) => c.id === id)?.weight ?? 0;
}

/** Per-config lookup tables, built once: pickNext runs on the hot path and must not rebuild them. */
export interface CompiledClass {
  readonly id: string;
  readonly weight: number;
  readonly headStartMs: number;
  readonly maxWaitMs: number;
}
export interface CompiledPolicy {
  readonly classes: ReadonlyMap<string, CompiledClass>;
  readonly fallback: CompiledClass;
  readonly skillRankPenaltyMs: number;
}

const compiledCache = new WeakMap<TCallingPolicyConfig, CompiledPolicy>();

/** Cached by config identity; treat a config object as immutable once it has been used. */
export function compilePolicy(config: TCallingPolicyConfig): CompiledPolicy {
  const cached = compiledCache.get(config);
  if (cached !== undefined) return cached;
  const classes = new Map<string, CompiledClass>();
  for (const c of config.classes) {
    classes.set(c.id, { id: c.id, weight: c.weight, headStartMs: c.headStartMs, maxWaitMs: c.maxWaitMs });
  }
  // An unknown class (e.g. deleted while tickets wait) is treated as the default class, never dropped.
  const fallback = classes.get(config.defaultClass) ?? classes.values().next().value;
  if (fallback === undefined) throw new Error('Calling policy needs at least one class');
  const compiled: CompiledPolicy = { classes, fallback, skillRankPenaltyMs: config.skillRankPenaltyMs };
  compiledCache.set(config, compiled);
  return compiled;
}
