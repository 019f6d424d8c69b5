import { z } from 'zod';
import { AppError } from '../shared/errors.ts';
import {
  type CaseServiceLevel,
  type CaseType,
  type Severity,
  ZCaseServiceLevel,
  ZCaseType,
  ZSeverity,
} from './case-model.ts';
import { ZEscalationPolicy } from './escalation.ts';
import { resolveClock } from './sla.ts';
import { type TClockDefinition, type TSlaPreset, ZClockDefinition } from './sla-schema.ts';

/**
 * SLA policies: for a case type × severity × customer service level, which clocks run for
 * acknowledgement, first response and resolution (and for an approval step). A clock is either
 * a reference to a preset's clock (so the regulatory rule stays in one place) or an inline
 * definition such as "acknowledge within 4 business hours". Policies are data.
 */

export const PolicyClockRoles = ['acknowledgement', 'first_response', 'resolution', 'approval'] as const;
export type PolicyClockRole = (typeof PolicyClockRoles)[number];

export const ZClockRef = z.union([
  z.strictObject({ preset: z.string().min(1), clock: z.string().min(1) }),
  ZClockDefinition,
]);
export type TClockRef = z.infer<typeof ZClockRef>;

export const ZSlaPolicyRule = z.strictObject({
  id: z.string().min(1).max(64),
  /** Absent axes match anything; the most specific matching rule wins, then the first listed. */
  match: z.strictObject({
    caseTypes: z.array(ZCaseType).min(1).optional(),
    severities: z.array(ZSeverity).min(1).optional(),
    serviceLevels: z.array(ZCaseServiceLevel).min(1).optional(),
  }),
  clocks: z.strictObject({
    acknowledgement: ZClockRef,
    first_response: ZClockRef,
    resolution: ZClockRef,
    approval: ZClockRef.optional(),
  }),
  escalation: ZEscalationPolicy.optional(),
});
export type TSlaPolicyRule = z.infer<typeof ZSlaPolicyRule>;

export const ZSlaPolicy = z.strictObject({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(200),
  rules: z.array(ZSlaPolicyRule).min(1),
});
export type TSlaPolicy = z.infer<typeof ZSlaPolicy>;

export interface PolicySubject {
  readonly caseType: CaseType;
  readonly severity: Severity;
  readonly serviceLevel: CaseServiceLevel;
}

function specificity(rule: TSlaPolicyRule): number {
  const m = rule.match;
  return (m.caseTypes ? 1 : 0) + (m.severities ? 1 : 0) + (m.serviceLevels ? 1 : 0);
}

function matches(rule: TSlaPolicyRule, s: PolicySubject): boolean {
  const m = rule.match;
  return (
    (!m.caseTypes || m.caseTypes.includes(s.caseType)) &&
    (!m.severities || m.severities.includes(s.severity)) &&
    (!m.serviceLevels || m.serviceLevels.includes(s.serviceLevel))
  );
}

export function selectPolicyRule(policy: TSlaPolicy, subject: PolicySubject): TSlaPolicyRule {
  let best: TSlaPolicyRule | undefined;
  for (const rule of policy.rules) {
    if (matches(rule, subject) && (!best || specificity(rule) > specificity(best))) best = rule;
  }
  if (!best) {
    throw new AppError('not_found', `Policy ${policy.id} has no rule for ${JSON.stringify(subject)}`);
  }
  return best;
}

/** A reference is looked up in `presets` first (edited copies), then in the built-ins. */
export function resolveClockRef(ref: TClockRef, presets: readonly TSlaPreset[] = []): TClockDefinition {
  if ('preset' in ref) {
    const edited = presets.find((p) => p.name === ref.preset);
    return resolveClock(edited ?? ref.preset, ref.clock);
  }
  return ref;
}

export function policyClocks(
  policy: TSlaPolicy,
  subject: PolicySubject,
  presets: readonly TSlaPreset[] = [],
): { rule: TSlaPolicyRule; clocks: Partial<Record<PolicyClockRole, TClockDefinition>> } {
  const rule = selectPolicyRule(policy, subject);
  const clocks: Partial<Record<PolicyClockRole, TClockDefinition>> = {};
  for (const role of PolicyClockRoles) {
    const ref = rule.clocks[role];
    if (ref) clocks[role] = resolveClockRef(ref, presets);
  }
  return { rule, clocks };
}

const inline = (
  name: string,
  label: string,
  mode: TClockDefinition['mode'],
  amount: number,
  end?: 'close_of_business',
) => ZClockDefinition.parse({ name, label, mode, amount, ...(end ? { end } : {}) });

/** A sensible default for a mainland bank; banks edit it. */
export const DEFAULT_CN_SLA_POLICY: TSlaPolicy = ZSlaPolicy.parse({
  id: 'cn-default',
  name: 'Default (China, NFRA 2020)',
  rules: [
    {
      id: 'complaint',
      match: { caseTypes: ['complaint'] },
      clocks: {
        acknowledgement: inline(
          'acknowledgement',
          'Acknowledge within 4 business hours',
          'business_hours',
          4,
        ),
        first_response: inline(
          'first_response',
          'First response within 1 business day',
          'business_days',
          1,
          'close_of_business',
        ),
        resolution: { preset: 'cn-nfra-2020', clock: 'decision' },
        approval: inline(
          'approval',
          'Compensation approval within 1 business day',
          'business_days',
          1,
          'close_of_business',
        ),
      },
    },
    {
      id: 'complaint-urgent',
      match: { caseTypes: ['complaint'], severities: ['high', 'critical'] },
      clocks: {
        acknowledgement: inline('acknowledgement', 'Acknowledge within 1 business hour', 'business_hours', 1),
        first_response: inline(
          'first_response',
          'First response within 4 business hours',
          'business_hours',
          4,
        ),
        resolution: { preset: 'cn-nfra-2020', clock: 'decision' },
        approval: inline('approval', 'Compensation approval within 4 business hours', 'business_hours', 4),
      },
    },
    {
      id: 'complaint-premium',
      match: { caseTypes: ['complaint'], serviceLevels: ['diamond', 'gold'] },
      clocks: {
        acknowledgement: inline(
          'acknowledgement',
          'Acknowledge within 2 business hours',
          'business_hours',
          2,
        ),
        first_response: inline(
          'first_response',
          'First response within 4 business hours',
          'business_hours',
          4,
        ),
        resolution: { preset: 'cn-nfra-2020', clock: 'decision' },
        approval: inline('approval', 'Compensation approval within 4 business hours', 'business_hours', 4),
      },
    },
    {
      id: 'ebanking',
      match: { caseTypes: ['ebanking_support'] },
      clocks: {
        acknowledgement: inline(
          'acknowledgement',
          'Acknowledge within 2 business hours',
          'business_hours',
          2,
        ),
        first_response: inline('first_response', 'Guidance within 4 business hours', 'business_hours', 4),
        resolution: inline(
          'resolution',
          'Resolved within 3 business days',
          'business_days',
          3,
          'close_of_business',
        ),
      },
    },
    {
      id: 'internal',
      match: { caseTypes: ['internal_request'] },
      clocks: {
        acknowledgement: inline(
          'acknowledgement',
          'Acknowledge within 1 business day',
          'business_days',
          1,
          'close_of_business',
        ),
        first_response: inline(
          'first_response',
          'First answer within 2 business days',
          'business_days',
          2,
          'close_of_business',
        ),
        resolution: inline(
          'resolution',
          'Resolved within 5 business days',
          'business_days',
          5,
          'close_of_business',
        ),
      },
    },
  ],
});
