import { z } from 'zod';
import { canBeChildOf, type OrgUnitKind, OrgUnitKinds } from './kinds.ts';

export { canBeChildOf, type OrgUnitKind, OrgUnitKinds };

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const ZTimeZone = z.string().min(1).refine(isValidTimeZone, { message: 'Unknown IANA time zone' });

export const ZOrgUnitCode = z
  .string()
  .trim()
  .min(2)
  .max(32)
  .regex(/^[A-Z0-9][A-Z0-9-]*$/, 'Upper-case letters, digits and dashes');

export const ZCreateOrgUnitRequest = z.strictObject({
  parentId: z.uuid(),
  kind: z.enum(OrgUnitKinds),
  code: ZOrgUnitCode,
  name: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().max(100).optional(),
  timeZone: ZTimeZone.optional(),
  address: z.string().trim().max(200).optional(),
});
export type TCreateOrgUnitRequest = z.infer<typeof ZCreateOrgUnitRequest>;

export const ZUpdateOrgUnitRequest = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  nameEn: z.string().trim().max(100).optional(),
  timeZone: ZTimeZone.optional(),
  address: z.string().trim().max(200).optional(),
  active: z.boolean().optional(),
});
export type TUpdateOrgUnitRequest = z.infer<typeof ZUpdateOrgUnitRequest>;

export const ZOrgUnit = z.object({
  id: z.uuid(),
  parentId: z.uuid().nullable(),
  kind: z.enum(OrgUnitKinds),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  timeZone: z.string(),
  address: z.string().nullable(),
  path: z.string(),
  depth: z.number().int(),
  active: z.boolean(),
});
export type TOrgUnit = z.infer<typeof ZOrgUnit>;

/**
 * Materialised path of ids ("/hq/r1/b1/"): a subtree is every unit whose path starts with the
 * root's path, which makes the scope check one indexed prefix comparison.
 */
export function childPath(parentPath: string, id: string): string {
  return `${parentPath}${id}/`;
}

export function isWithin(path: string, scopePath: string): boolean {
  return path.startsWith(scopePath);
}
