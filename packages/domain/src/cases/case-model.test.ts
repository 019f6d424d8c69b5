import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CaseStates,
  CaseTypes,
  caseNumberYear,
  formatCaseNumber,
  newCase,
  OpenCaseStates,
  parseCaseNumber,
  ZComplaintRecord,
} from './case-model.ts';
import {
  categoryLabel,
  JRT_BUSINESS_TYPES,
  JRT_CAUSES,
  JRT_CHANNELS,
  ZJrtClassification,
} from './classification.ts';
import { decideCompensation, recoveryEconomics } from './compensation.ts';

describe('case numbers', () => {
  it('formats CMP-2026-000123 and prefixes per type', () => {
    expect(formatCaseNumber('complaint', 2026, 123)).toBe('CMP-2026-000123');
    expect(formatCaseNumber('ebanking_support', 2026, 1)).toBe('EBS-2026-000001');
    expect(formatCaseNumber('internal_request', 2027, 1_234_567)).toBe('INT-2027-1234567');
    expect(() => formatCaseNumber('complaint', 2026, 0)).toThrow();
  });

  it('the number year is the local year of receipt', () => {
    // 31 Dec 2026 17:00 UTC is already 1 Jan 2027 in Beijing.
    expect(caseNumberYear(new Date('2026-12-31T17:00:00Z'), 'Asia/Shanghai')).toBe(2027);
    expect(caseNumberYear(new Date('2026-12-31T17:00:00Z'), 'Europe/London')).toBe(2026);
  });

  it('parse inverts format', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CaseTypes),
        fc.integer({ min: 2000, max: 2999 }),
        fc.integer({ min: 1, max: 99_999_999 }),
        (type, year, sequence) => {
          expect(parseCaseNumber(formatCaseNumber(type, year, sequence))).toEqual({ type, year, sequence });
        },
      ),
    );
    expect(parseCaseNumber('XYZ-2026-000001')).toBeNull();
  });

  it('newCase checks the number against the type and requires the complaint record', () => {
    const input = {
      type: 'complaint' as const,
      orgUnitId: 'b',
      channel: 'hotline' as const,
      customer: { kind: 'walk_in' as const, name: 'Li' },
      subject: 's',
      content: 'c',
      complaint: null,
      assigneeId: null,
    };
    expect(() => newCase(input, { id: '1', number: 'CMP-2026-000001' }, new Date(0))).toThrow(
      /complaint record/,
    );
    expect(() =>
      newCase({ ...input, type: 'internal_request' }, { id: '1', number: 'CMP-2026-000001' }, new Date(0)),
    ).toThrow(/does not match/);
    expect(
      newCase({ ...input, type: 'internal_request' }, { id: '1', number: 'INT-2026-000001' }, new Date(0))
        .state,
    ).toBe('received');
  });

  it('a complaint record holds claims with compensation in minor units', () => {
    const ok = ZComplaintRecord.safeParse({
      business: '信用卡',
      claims: {
        compensation: { amountMinor: 500_000, currency: 'CNY' },
        remedies: ['redo'],
        nonProperty: ['apology'],
      },
      severity: 'high',
      serviceLevel: 'gold',
      classification: null,
    });
    expect(ok.success).toBe(true);
    const negative = ZComplaintRecord.safeParse({
      business: 'x',
      claims: { compensation: { amountMinor: -1, currency: 'CNY' }, remedies: [], nonProperty: [] },
      severity: 'low',
      serviceLevel: 'basic',
      classification: null,
    });
    expect(negative.success).toBe(false);
  });
});

describe('JR/T 0169-2018 classification', () => {
  it('each axis has unique keys, zh and en labels and an "other"', () => {
    for (const list of [JRT_CHANNELS, JRT_BUSINESS_TYPES, JRT_CAUSES]) {
      expect(new Set(list.map((c) => c.key)).size).toBe(list.length);
      expect(list.every((c) => c.zh.length > 0 && c.en.length > 0)).toBe(true);
      expect(list.some((c) => c.key === 'other')).toBe(true);
    }
    expect(categoryLabel(JRT_CAUSES, 'pricing_fees')).toBe('定价收费');
    expect(categoryLabel(JRT_CAUSES, 'pricing_fees', 'en')).toBe('Pricing and fees');
  });

  it('"other" needs a description', () => {
    const base = { channel: 'branch_counter', businessType: 'other', cause: 'pricing_fees' };
    expect(ZJrtClassification.safeParse(base).success).toBe(false);
    expect(ZJrtClassification.safeParse({ ...base, otherText: '保管箱' }).success).toBe(true);
  });
});

describe('compensation authority and recovery economics', () => {
  it('routes by the highest limit among the roles; another currency always needs approval', () => {
    expect(
      decideCompensation({ amount: { amountMinor: 15_000, currency: 'CNY' }, roles: ['teller'] }).route,
    ).toBe('on_the_spot');
    expect(
      decideCompensation({ amount: { amountMinor: 500_000, currency: 'CNY' }, roles: ['teller'] }),
    ).toEqual({
      route: 'approval_required',
      limitMinor: 20_000,
      excessMinor: 480_000,
    });
    expect(
      decideCompensation({
        amount: { amountMinor: 500_000, currency: 'CNY' },
        roles: ['teller', 'branch_manager'],
      }).route,
    ).toBe('on_the_spot');
    expect(
      decideCompensation({ amount: { amountMinor: 100, currency: 'USD' }, roles: ['branch_manager'] }).route,
    ).toBe('approval_required');
    expect(() =>
      decideCompensation({ amount: { amountMinor: 0, currency: 'CNY' }, roles: ['teller'] }),
    ).toThrow();
  });

  it('weighs recovery cost against the relationship value', () => {
    const customer = {
      tier: 'major' as const,
      annualProfit: { amountMinor: 200_000, currency: 'CNY' },
      expectedYears: 3,
    };
    const cheap = recoveryEconomics({ compensation: [{ amountMinor: 15_000, currency: 'CNY' }], customer });
    expect(cheap).toMatchObject({
      verdict: 'economic',
      cost: { amountMinor: 15_000 },
      relationshipValue: { amountMinor: 600_000 },
    });
    expect(cheap.costToValue).toBeCloseTo(0.025);
    const mid = recoveryEconomics({
      compensation: [{ amountMinor: 300_000, currency: 'CNY' }],
      handlingCost: { amountMinor: 10_000, currency: 'CNY' },
      customer,
    });
    expect(mid.verdict).toBe('marginal');
    const dear = recoveryEconomics({ compensation: [{ amountMinor: 700_000, currency: 'CNY' }], customer });
    expect(dear.verdict).toBe('uneconomic');
    expect(dear.replacementCost.amountMinor).toBe(1_000_000);
    const zero = recoveryEconomics({
      compensation: [{ amountMinor: 100, currency: 'CNY' }],
      customer: { ...customer, annualProfit: { amountMinor: 0, currency: 'CNY' } },
    });
    expect(zero).toMatchObject({ costToValue: null, verdict: 'uneconomic' });
    expect(() =>
      recoveryEconomics({ compensation: [{ amountMinor: 1, currency: 'USD' }], customer }),
    ).toThrow();
  });
});

describe('open case states', () => {
  it('are every state but closed, merged and withdrawn, in workflow order', () => {
    expect(CaseStates.filter((s) => !OpenCaseStates.includes(s))).toEqual(['closed', 'merged', 'withdrawn']);
    expect(OpenCaseStates).toEqual(CaseStates.filter((s) => OpenCaseStates.includes(s)));
    expect(OpenCaseStates).toHaveLength(CaseStates.length - 3);
  });
});
