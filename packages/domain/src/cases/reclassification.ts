import { z } from 'zod';
import { hasPermission } from '../identity/permissions.ts';
import { AppError } from '../shared/errors.ts';
import { type TCase, type TComplaintRecord, ZSeverity } from './case-model.ts';
import { ZJrtClassification } from './classification.ts';
import { selectPolicyRule, type TSlaPolicy } from './sla-policy.ts';
import type { TCaseActor, TCaseEvent } from './workflow.ts';

/**
 * Correcting a complaint's classification after intake: the business and product, the three
 * JR/T 0169-2018 axes, the severity. Always with a reason (the regulatory statistics change),
 * never on a merged or withdrawn case. Only a change that selects another SLA policy rule
 * (today: severity, since rules match on type × severity × service level) touches the clocks.
 */
export const ZReclassifyRequest = z
  .strictObject({
    business: z.string().trim().min(1).max(100).optional(),
    product: z.string().trim().max(100).nullable().optional(),
    classification: ZJrtClassification.optional(),
    severity: ZSeverity.optional(),
    reason: z.string().trim().min(2).max(2000),
  })
  .refine(
    (r) =>
      r.business !== undefined ||
      r.product !== undefined ||
      r.classification !== undefined ||
      r.severity !== undefined,
    { message: 'change at least one of business, product, classification, severity' },
  );
export type TReclassifyRequest = z.infer<typeof ZReclassifyRequest>;

export interface FieldChange {
  readonly from: unknown;
  readonly to: unknown;
}

export type ReclassifyResult =
  | {
      readonly ok: true;
      readonly case: TCase;
      readonly event: TCaseEvent;
      readonly changes: Readonly<Record<string, FieldChange>>;
      /** The SLA policy rule before and after; they differ when the clocks must be re-evaluated. */
      readonly slaRule: { readonly before: string; readonly after: string };
    }
  | { readonly ok: false; readonly error: AppError };

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function ruleId(policy: TSlaPolicy, c: TCase, record: TComplaintRecord): string {
  return selectPolicyRule(policy, {
    caseType: c.type,
    severity: record.severity,
    serviceLevel: record.serviceLevel,
  }).id;
}

export function reclassify(
  c: TCase,
  input: TReclassifyRequest,
  actor: TCaseActor,
  now: Date,
  policy: TSlaPolicy,
): ReclassifyResult {
  const fail = (code: 'invalid_state' | 'forbidden' | 'validation_failed', message: string) =>
    ({ ok: false, error: new AppError(code, message) }) as const;
  const parsed = ZReclassifyRequest.safeParse(input);
  if (!parsed.success) return fail('validation_failed', parsed.error.issues.map((i) => i.message).join('; '));
  if (!hasPermission(actor.roles, 'case.handle')) return fail('forbidden', 'Reclassifying needs case.handle');
  if (c.state === 'merged' || c.state === 'withdrawn') {
    return fail('invalid_state', `Cannot reclassify a case that is ${c.state}`);
  }
  const before = c.complaint;
  if (!before) return fail('invalid_state', 'Only a case with a complaint record has a classification');
  const r = parsed.data;
  const after: TComplaintRecord = { ...before };
  if (r.business !== undefined) after.business = r.business;
  if (r.product !== undefined) {
    if (r.product === null || r.product === '') delete after.product;
    else after.product = r.product;
  }
  if (r.classification !== undefined) after.classification = r.classification;
  if (r.severity !== undefined) after.severity = r.severity;
  const changes: Record<string, FieldChange> = {};
  for (const key of ['business', 'product', 'classification', 'severity'] as const) {
    if (!same(before[key], after[key])) changes[key] = { from: before[key] ?? null, to: after[key] ?? null };
  }
  if (Object.keys(changes).length === 0) return fail('validation_failed', 'Nothing changes');
  const slaRule = { before: ruleId(policy, c, before), after: ruleId(policy, c, after) };
  const next: TCase = { ...c, complaint: after, version: c.version + 1 };
  return {
    ok: true,
    case: next,
    changes,
    slaRule,
    event: {
      type: 'case.reclassified',
      caseId: c.id,
      at: now,
      actorId: actor.userId,
      from: c.state,
      to: c.state,
      data: { reason: r.reason, changes, slaRule },
    },
  };
}
