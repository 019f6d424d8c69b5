import { z } from 'zod';
import { ZPassword, ZUsername } from './password-policy.ts';
import { Roles, ZRole } from './permissions.ts';

export const ZLocale = z.enum(['zh-CN', 'en']);

export const ZCreateStaffRequest = z.strictObject({
  username: ZUsername,
  displayName: z.string().trim().min(1).max(100),
  orgUnitId: z.uuid(),
  roles: z.array(ZRole).min(1).max(Roles.length),
  password: ZPassword,
  locale: ZLocale.default('zh-CN'),
});
export type TCreateStaffRequest = z.infer<typeof ZCreateStaffRequest>;

export const ZUpdateStaffRequest = z.strictObject({
  displayName: z.string().trim().min(1).max(100).optional(),
  orgUnitId: z.uuid().optional(),
  roles: z.array(ZRole).min(1).max(Roles.length).optional(),
  active: z.boolean().optional(),
  locale: ZLocale.optional(),
});
export type TUpdateStaffRequest = z.infer<typeof ZUpdateStaffRequest>;

export const ZResetPasswordRequest = z.strictObject({ password: ZPassword });

export const ZStaff = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  orgUnitId: z.uuid(),
  orgUnitName: z.string(),
  roles: z.array(ZRole),
  locale: z.string(),
  active: z.boolean(),
  locked: z.boolean(),
  lastSignInAt: z.string().nullable(),
});
export type TStaff = z.infer<typeof ZStaff>;
