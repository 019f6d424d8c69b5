import { describe, expect, it } from 'vitest';
import { CN_2026_CALENDAR } from './calendar-data.ts';
import { computeClockDue } from './sla.ts';
import { DEFAULT_CN_SLA_POLICY, policyClocks, selectPolicyRule } from './sla-policy.ts';
import { CN_NFRA_2020 } from './sla-presets.ts';
import { ZSlaPreset } from './sla-schema.ts';

describe('SLA policies', () => {
  it('chooses the most specific matching rule', () => {
    expect(
      selectPolicyRule(DEFAULT_CN_SLA_POLICY, {
        caseType: 'complaint',
        severity: 'low',
        serviceLevel: 'basic',
      }).id,
    ).toBe('complaint');
    expect(
      selectPolicyRule(DEFAULT_CN_SLA_POLICY, {
        caseType: 'complaint',
        severity: 'high',
        serviceLevel: 'basic',
      }).id,
    ).toBe('complaint-urgent');
    expect(
      selectPolicyRule(DEFAULT_CN_SLA_POLICY, {
        caseType: 'complaint',
        severity: 'low',
        serviceLevel: 'gold',
      }).id,
    ).toBe('complaint-premium');
    // A tie between equally specific rules goes to the first listed.
    expect(
      selectPolicyRule(DEFAULT_CN_SLA_POLICY, {
        caseType: 'complaint',
        severity: 'critical',
        serviceLevel: 'diamond',
      }).id,
    ).toBe('complaint-urgent');
    expect(
      selectPolicyRule(DEFAULT_CN_SLA_POLICY, {
        caseType: 'internal_request',
        severity: 'low',
        serviceLevel: 'unrated',
      }).id,
    ).toBe('internal');
  });

  it('an uncovered subject is not_found', () => {
    const policy = { ...DEFAULT_CN_SLA_POLICY, rules: DEFAULT_CN_SLA_POLICY.rules.slice(0, 1) };
    expect(() =>
      selectPolicyRule(policy, { caseType: 'ebanking_support', severity: 'low', serviceLevel: 'basic' }),
    ).toThrow(/no rule/);
  });

  it('resolves preset references and inline clocks; "acknowledge within 4 business hours" runs on the calendar', () => {
    const { clocks } = policyClocks(DEFAULT_CN_SLA_POLICY, {
      caseType: 'complaint',
      severity: 'low',
      serviceLevel: 'basic',
    });
    expect(clocks.resolution?.name).toBe('decision');
    const ack = clocks.acknowledgement;
    if (!ack) throw new Error('no acknowledgement clock');
    // Wed 30 Sep 2026 15:00 Beijing: 2 h that day, 国庆 1–7 Oct, then Thu 8 Oct 09:00 + 2 h.
    const d = computeClockDue({
      definition: ack,
      receivedAt: new Date('2026-09-30T07:00:00Z'),
      calendar: CN_2026_CALENDAR,
    });
    expect(d.due.toISOString()).toBe('2026-10-08T03:00:00.000Z');
  });

  it('an edited preset copy overrides the built-in', () => {
    const edited = ZSlaPreset.parse({
      ...CN_NFRA_2020,
      clocks: CN_NFRA_2020.clocks.map((c) => (c.name === 'decision' ? { ...c, amount: 10 } : c)),
    });
    const { clocks } = policyClocks(
      DEFAULT_CN_SLA_POLICY,
      { caseType: 'complaint', severity: 'low', serviceLevel: 'basic' },
      [edited],
    );
    expect(clocks.resolution?.amount).toBe(10);
  });
});
