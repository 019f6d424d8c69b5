import { z } from 'zod';
import {
  CompanyServiceLevels,
  CustomerKinds,
  CustomerTiers,
  IdTypes,
  PersonServiceLevels,
  ServiceLevels,
} from './kinds.ts';

export { CompanyServiceLevels, CustomerKinds, CustomerTiers, IdTypes, PersonServiceLevels, ServiceLevels };

export type CustomerTier = (typeof CustomerTiers)[number];

export type ServiceLevel = (typeof ServiceLevels)[number];

export type IdType = (typeof IdTypes)[number];

const ZPhone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 -]{5,19}$/, 'A phone number of digits, optionally with +, spaces or dashes')
  .transform((p) => p.replace(/[ -]/g, ''));

/** Mainland resident ID: 17 digits and a check character (ISO 7064 MOD 11-2). */
export function isValidResidentId(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const checks = '10X98765432';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * (weights[i] ?? 0);
  return checks[sum % 11] === id[17];
}

const customerFields = {
  kind: z.enum(CustomerKinds),
  name: z.string().trim().min(1).max(120),
  idType: z.enum(IdTypes),
  idNumber: z
    .string()
    .trim()
    .min(4)
    .max(40)
    .transform((s) => s.toUpperCase()),
  phone: ZPhone.optional(),
  email: z.email().max(200).optional(),
  birthDate: z.iso.date().optional(),
  tier: z.enum(CustomerTiers),
  serviceLevel: z.enum(ServiceLevels),
  homeBranchId: z.uuid(),
  accountManagerId: z.uuid().optional(),
  notes: z.string().max(2000).optional(),
};

function checkCustomer(
  c: { kind: string; idType: string; idNumber: string; serviceLevel: string },
  ctx: z.RefinementCtx,
): void {
  if (c.idType === 'resident_id' && !isValidResidentId(c.idNumber)) {
    ctx.addIssue({
      code: 'custom',
      path: ['idNumber'],
      message: 'Not a valid resident ID number (check digit)',
      params: { code: 'bad_check_digit' },
    });
  }
  const personLevel = (PersonServiceLevels as readonly string[]).includes(c.serviceLevel);
  if (c.kind === 'person' && !personLevel) {
    ctx.addIssue({
      code: 'custom',
      path: ['serviceLevel'],
      message: 'A person has diamond/gold/silver/basic',
      params: { code: 'level_not_for_kind', kind: 'person' },
    });
  }
  if (c.kind === 'company' && personLevel) {
    ctx.addIssue({
      code: 'custom',
      path: ['serviceLevel'],
      message: 'A company has 1A–5A or 1B–5B',
      params: { code: 'level_not_for_kind', kind: 'company' },
    });
  }
}

export const ZCreateCustomerRequest = z.strictObject(customerFields).superRefine(checkCustomer);
export type TCreateCustomerRequest = z.infer<typeof ZCreateCustomerRequest>;

export const ZUpdateCustomerRequest = z.strictObject({
  name: customerFields.name.optional(),
  phone: ZPhone.nullable().optional(),
  email: z.email().max(200).nullable().optional(),
  tier: customerFields.tier.optional(),
  serviceLevel: customerFields.serviceLevel.optional(),
  homeBranchId: customerFields.homeBranchId.optional(),
  accountManagerId: z.uuid().nullable().optional(),
  notes: z.string().max(2000).nullable().optional(),
});
export type TUpdateCustomerRequest = z.infer<typeof ZUpdateCustomerRequest>;

export const ZCustomer = z.object({
  id: z.uuid(),
  customerNo: z.string(),
  kind: z.enum(CustomerKinds),
  name: z.string(),
  idType: z.enum(IdTypes),
  idNumber: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  birthDate: z.string().nullable(),
  tier: z.enum(CustomerTiers),
  serviceLevel: z.enum(ServiceLevels),
  homeBranchId: z.uuid(),
  homeBranchName: z.string(),
  accountManagerId: z.uuid().nullable(),
  accountManagerName: z.string().nullable(),
  notes: z.string().nullable(),
  masked: z.boolean(),
});
export type TCustomer = z.infer<typeof ZCustomer>;

/** 13812345678 → 1381234****: keeps the carrier prefix and area digits staff need to recognise a caller. */
export function maskPhone(phone: string): string {
  if (phone.length <= 4) return '*'.repeat(phone.length);
  return `${phone.slice(0, phone.length - 4)}****`;
}

/**
 * 110101199003071234 → 110101********1234: region and last four, never the birth date (the
 * usual display of an 18-character resident ID). Other documents (passports like E12345678, old
 * 15-digit IDs) keep at most a quarter of their characters at each end, so at least half is hidden.
 */
export function maskIdNumber(id: string): string {
  if (id.length >= 18) return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
  const keep = Math.floor(id.length / 4);
  return `${id.slice(0, keep)}${'*'.repeat(id.length - 2 * keep)}${keep > 0 ? id.slice(-keep) : ''}`;
}

export function maskEmail(email: string): string {
  const [user = '', domain = ''] = email.split('@');
  return `${user.slice(0, 1)}***@${domain}`;
}
