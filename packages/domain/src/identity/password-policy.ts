import { z } from 'zod';

export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MINUTES = 15;
export const SESSION_IDLE_MINUTES = 30;
export const SESSION_ABSOLUTE_HOURS = 12;

export const ZPassword = z
  .string()
  .min(10, 'At least 10 characters')
  .max(200)
  .refine((p) => /[A-Za-z]/.test(p) && /\d/.test(p), 'Letters and digits');

export const ZUsername = z
  .string()
  .trim()
  .min(3)
  .max(64)
  .regex(/^[a-z0-9._-]+$/, 'Lower-case letters, digits, dot, dash, underscore');

export const ZSignInRequest = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(200),
});
export type TSignInRequest = z.infer<typeof ZSignInRequest>;

/** After too many failures the account locks for a while; the counter resets on success. */
export function lockoutAfterFailure(
  failedAttempts: number,
  now: Date,
): { failedAttempts: number; lockedUntil: Date | null } {
  const next = failedAttempts + 1;
  if (next >= LOCKOUT_THRESHOLD) {
    return { failedAttempts: next, lockedUntil: new Date(now.getTime() + LOCKOUT_MINUTES * 60_000) };
  }
  return { failedAttempts: next, lockedUntil: null };
}

export function isLocked(lockedUntil: Date | null, now: Date): boolean {
  return lockedUntil !== null && lockedUntil.getTime() > now.getTime();
}

export function sessionExpiry(createdAt: Date, lastSeenAt: Date): Date {
  const idle = lastSeenAt.getTime() + SESSION_IDLE_MINUTES * 60_000;
  const absolute = createdAt.getTime() + SESSION_ABSOLUTE_HOURS * 3_600_000;
  return new Date(Math.min(idle, absolute));
}
