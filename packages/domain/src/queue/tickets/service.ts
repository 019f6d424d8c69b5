import { z } from 'zod';
import { ZQueueCode } from '../policy/config.ts';

/** One letter shown before the number (A cash, B personal non-cash, C corporate, V wealth/VIP …). */
export const ZServicePrefix = z.string().regex(/^[A-Z]$/, 'One upper-case letter');

/** A business type a branch offers at its counters. */
export const ZServiceDefinition = z.strictObject({
  code: ZQueueCode,
  prefix: ZServicePrefix,
  nameZh: z.string().trim().min(1).max(50),
  nameEn: z.string().trim().min(1).max(50),
  /** The service standard: a customer should be called within this many seconds (KPI "% within target"). */
  targetWaitSeconds: z.number().int().min(1).max(86_400),
  active: z.boolean().default(true),
});
export type TServiceDefinition = z.infer<typeof ZServiceDefinition>;

export const ZCreateServiceRequest = ZServiceDefinition;
export type TCreateServiceRequest = z.input<typeof ZCreateServiceRequest>;

/** The code is the identity and cannot change; everything else may. */
export const ZUpdateServiceRequest = ZServiceDefinition.omit({ code: true }).partial();
export type TUpdateServiceRequest = z.infer<typeof ZUpdateServiceRequest>;

/** A branch's service catalogue: codes and prefixes must be unique, or two services would share numbers. */
export const ZBranchServices = z.array(ZServiceDefinition).superRefine((services, ctx) => {
  const codes = new Set<string>();
  const prefixes = new Set<string>();
  for (const [i, s] of services.entries()) {
    if (codes.has(s.code))
      ctx.addIssue({ code: 'custom', path: [i, 'code'], message: `Duplicate code ${s.code}` });
    if (prefixes.has(s.prefix)) {
      ctx.addIssue({ code: 'custom', path: [i, 'prefix'], message: `Duplicate prefix ${s.prefix}` });
    }
    codes.add(s.code);
    prefixes.add(s.prefix);
  }
});
export type TBranchServices = z.infer<typeof ZBranchServices>;

/** The usual catalogue of a Chinese retail branch; seeds and tests start from it. */
export const defaultServices: readonly TServiceDefinition[] = [
  { code: 'cash', prefix: 'A', nameZh: '现金业务', nameEn: 'Cash', targetWaitSeconds: 900, active: true },
  {
    code: 'personal',
    prefix: 'B',
    nameZh: '个人非现金业务',
    nameEn: 'Personal (non-cash)',
    targetWaitSeconds: 900,
    active: true,
  },
  {
    code: 'corporate',
    prefix: 'C',
    nameZh: '对公业务',
    nameEn: 'Corporate',
    targetWaitSeconds: 1200,
    active: true,
  },
  {
    code: 'wealth',
    prefix: 'V',
    nameZh: '贵宾理财',
    nameEn: 'Wealth / VIP',
    targetWaitSeconds: 300,
    active: true,
  },
];
