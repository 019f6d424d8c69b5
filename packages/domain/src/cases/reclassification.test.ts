import { describe, expect, it } from 'vitest';
import { aumBandOf } from '../customers/value.ts';
import { newCase, type TCase } from './case-model.ts';
import { reclassify } from './reclassification.ts';
import { DEFAULT_CN_SLA_POLICY } from './sla-policy.ts';
import { caseActor } from './workflow.ts';

const RECEIVED = new Date('2026-10-09T02:00:00Z');
const NOW = new Date('2026-10-10T02:00:00Z');
const handler = caseActor('u-handler', 'complaint_handler');

const base: TCase = newCase(
  {
    type: 'complaint',
    orgUnitId: 'branch-a',
    channel: 'counter',
    customer: { kind: 'walk_in', name: '张三' },
    subject: 'ATM swallowed card',
    content: 'The ATM kept my card.',
    complaint: {
      business: 'debit card',
      claims: { compensation: null, remedies: [], nonProperty: [] },
      severity: 'medium',
      serviceLevel: 'basic',
      classification: null,
    },
    assigneeId: null,
  },
  { id: 'case-1', number: 'CMP-2026-000123' },
  RECEIVED,
);

describe('reclassify', () => {
  it('sets the JR/T classification without touching the SLA rule', () => {
    const r = reclassify(
      base,
      {
        classification: {
          channel: 'self_service',
          businessType: 'debit_card',
          cause: 'facilities_equipment_systems',
        },
        reason: 'ATM, not counter',
      },
      handler,
      NOW,
      DEFAULT_CN_SLA_POLICY,
    );
    if (!r.ok) throw r.error;
    expect(r.case.complaint?.classification?.channel).toBe('self_service');
    expect(r.case.version).toBe(base.version + 1);
    expect(Object.keys(r.changes)).toEqual(['classification']);
    expect(r.slaRule).toEqual({ before: 'complaint', after: 'complaint' });
    expect(r.event.type).toBe('case.reclassified');
    expect(r.event.data.reason).toBe('ATM, not counter');
  });

  it('a higher severity selects the urgent rule: the clocks must be re-evaluated', () => {
    const r = reclassify(
      base,
      { severity: 'high', reason: 'funds at risk' },
      handler,
      NOW,
      DEFAULT_CN_SLA_POLICY,
    );
    if (!r.ok) throw r.error;
    expect(r.slaRule).toEqual({ before: 'complaint', after: 'complaint-urgent' });
    expect(r.changes.severity).toEqual({ from: 'medium', to: 'high' });
  });

  it('refuses no-op changes, merged cases, cases without a record and actors without case.handle', () => {
    const same = reclassify(
      base,
      { severity: 'medium', reason: 'same' },
      handler,
      NOW,
      DEFAULT_CN_SLA_POLICY,
    );
    expect(same.ok ? null : same.error.code).toBe('validation_failed');
    const merged = reclassify(
      { ...base, state: 'merged' },
      { severity: 'low', reason: 'x1' },
      handler,
      NOW,
      DEFAULT_CN_SLA_POLICY,
    );
    expect(merged.ok ? null : merged.error.code).toBe('invalid_state');
    const noRecord = reclassify(
      { ...base, type: 'internal_request', complaint: null },
      { severity: 'low', reason: 'x1' },
      handler,
      NOW,
      DEFAULT_CN_SLA_POLICY,
    );
    expect(noRecord.ok ? null : noRecord.error.code).toBe('invalid_state');
    const quality = reclassify(
      base,
      { severity: 'low', reason: 'x1' },
      caseActor('u-q', 'quality_supervisor'),
      NOW,
      DEFAULT_CN_SLA_POLICY,
    );
    expect(quality.ok ? null : quality.error.code).toBe('forbidden');
    const noReason = reclassify(base, { severity: 'low', reason: '' }, handler, NOW, DEFAULT_CN_SLA_POLICY);
    expect(noReason.ok ? null : noReason.error.code).toBe('validation_failed');
  });

  it('"other" on an axis still needs its description', () => {
    const r = reclassify(
      base,
      {
        classification: { channel: 'other', businessType: 'debit_card', cause: 'pricing_fees' },
        reason: 'x1',
      },
      handler,
      NOW,
      DEFAULT_CN_SLA_POLICY,
    );
    expect(r.ok ? null : r.error.code).toBe('validation_failed');
  });
});

describe('aumBandOf', () => {
  it('draws the bands at ¥50k, ¥500k, ¥2m and ¥6m', () => {
    expect(aumBandOf(0)).toBe('under_50k');
    expect(aumBandOf(4_999_999)).toBe('under_50k');
    expect(aumBandOf(5_000_000)).toBe('50k_500k');
    expect(aumBandOf(50_000_000)).toBe('500k_2m');
    expect(aumBandOf(200_000_000)).toBe('2m_6m');
    expect(aumBandOf(599_999_999)).toBe('2m_6m');
    expect(aumBandOf(600_000_000)).toBe('over_6m');
  });
});
