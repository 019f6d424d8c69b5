import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidResidentId, maskIdNumber, maskPhone, ZCreateCustomerRequest } from './customer.ts';
import { customerFromCsvRecord } from './import.ts';

describe('masking', () => {
  it('shows a mobile number as its first seven digits and four stars', () => {
    expect(maskPhone('13812345678')).toBe('1381234****');
  });
  it('never shows the birth date part of a resident ID', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });
  it('hides at least half of any identifier, of any length, and keeps its length', () => {
    expect(maskIdNumber('E12345678')).toBe('E1*****78');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }).chain((n) => fc.stringMatching(new RegExp(`^[0-9A-Z]{${n}}$`))),
        (s) => {
          const masked = maskIdNumber(s);
          expect(masked.length).toBe(s.length);
          const hidden = [...masked].filter((c) => c === '*').length;
          if (s.length < 18) expect(hidden).toBeGreaterThanOrEqual(Math.ceil(s.length / 2));
          else expect(masked.slice(6, 14)).toBe('********');
        },
      ),
    );
  });
  it('never reveals more than the unmasked ends, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 0, maxLength: 30 }), (s) => {
        expect(maskPhone(s).length).toBe(s.length);
        expect(maskPhone(s).slice(-Math.min(4, s.length))).toMatch(/^\**$/);
      }),
    );
  });
});

describe('resident id', () => {
  it('accepts the GB 11643 example and rejects a wrong check digit', () => {
    expect(isValidResidentId('11010519491231002X')).toBe(true);
    expect(isValidResidentId('110105194912310021')).toBe(false);
  });
});

describe('customer contract', () => {
  const base = {
    kind: 'person',
    name: '张三',
    idType: 'resident_id',
    idNumber: '11010519491231002X',
    tier: 'vip',
    serviceLevel: 'gold',
    homeBranchId: '0190a0b0-0000-7000-8000-000000000001',
  };
  it('accepts a valid person', () => {
    expect(ZCreateCustomerRequest.safeParse(base).success).toBe(true);
  });
  it('refuses a company service level on a person and unknown fields', () => {
    expect(ZCreateCustomerRequest.safeParse({ ...base, serviceLevel: '3A' }).success).toBe(false);
    expect(ZCreateCustomerRequest.safeParse({ ...base, isAdmin: true }).success).toBe(false);
  });
});

describe('csv record', () => {
  const lookups = {
    branchIdByCode: new Map([['BR-001', '0190a0b0-0000-7000-8000-000000000001']]),
    managerIdByUsername: new Map<string, string>(),
  };
  it('names the column of every problem', () => {
    const r = customerFromCsvRecord(
      {
        kind: 'person',
        name: '',
        id_type: 'resident_id',
        id_number: '123',
        tier: 'gold',
        home_branch_code: 'NOPE',
      },
      lookups,
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const text = r.reasons.join('\n');
      expect(text).toMatch(/home_branch_code: unknown/);
      expect(text).toMatch(/name/);
      expect(text).toMatch(/tier/);
      expect(text).toMatch(/service_level/);
    }
  });
  it('gives every reason as a code with its column, in the order of the English text', () => {
    const r = customerFromCsvRecord(
      {
        kind: 'person',
        name: '',
        id_type: 'resident_id',
        id_number: '110105199003070018',
        phone: 'call me',
        birth_date: '1990-02-30',
        tier: 'platinum',
        service_level: '2A',
        home_branch_code: 'nope',
      },
      lookups,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.codes).toHaveLength(r.reasons.length);
    expect(r.codes).toEqual(
      expect.arrayContaining([
        { code: 'unknown_branch', column: 'home_branch_code', value: 'NOPE' },
        { code: 'required', column: 'name' },
        { code: 'bad_phone', column: 'phone' },
        { code: 'bad_date', column: 'birth_date', format: 'YYYY-MM-DD' },
        {
          code: 'invalid_choice',
          column: 'tier',
          value: 'platinum',
          allowed: ['vip', 'major', 'ordinary', 'small'],
        },
      ]),
    );
    // Personal data is named by its column, never repeated into the report.
    expect(JSON.stringify(r.codes)).not.toMatch(/call me|1990-02-30/);
  });
  it('codes the checks across fields (check digit, service level of the kind)', () => {
    const r = customerFromCsvRecord(
      {
        kind: 'person',
        name: '王五',
        id_type: 'resident_id',
        id_number: '110105199003070018',
        tier: 'ordinary',
        service_level: '2A',
        home_branch_code: 'BR-001',
      },
      lookups,
    );
    expect(r).toMatchObject({
      ok: false,
      codes: [
        { code: 'bad_check_digit', column: 'id_number' },
        { code: 'level_not_for_kind', column: 'service_level', value: '2A', kind: 'person' },
      ],
    });
    expect(JSON.stringify(r)).not.toMatch(/110105199003070018/);
  });
  it('maps a good row', () => {
    const r = customerFromCsvRecord(
      {
        kind: 'person',
        name: '李四',
        id_type: 'resident_id',
        id_number: '11010519491231002x',
        phone: '138 1234 5678',
        tier: 'ordinary',
        service_level: 'silver',
        home_branch_code: 'br-001',
      },
      lookups,
    );
    expect(r).toMatchObject({ ok: true, value: { phone: '13812345678', idNumber: '11010519491231002X' } });
  });
});
