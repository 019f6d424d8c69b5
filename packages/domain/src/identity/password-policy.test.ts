import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLocked, LOCKOUT_THRESHOLD, lockoutAfterFailure, sessionExpiry } from './password-policy.ts';

describe('lockout', () => {
  it('locks exactly at the threshold and not before', () => {
    const now = new Date('2026-01-05T09:00:00Z');
    let state = { failedAttempts: 0, lockedUntil: null as Date | null };
    for (let i = 1; i < LOCKOUT_THRESHOLD; i++) {
      state = lockoutAfterFailure(state.failedAttempts, now);
      expect(isLocked(state.lockedUntil, now)).toBe(false);
    }
    state = lockoutAfterFailure(state.failedAttempts, now);
    expect(isLocked(state.lockedUntil, now)).toBe(true);
    expect(isLocked(state.lockedUntil, new Date(now.getTime() + 16 * 60_000))).toBe(false);
  });

  it('a session never outlives its absolute limit however active', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 48 * 3600_000 }), (activeFor) => {
        const created = new Date('2026-01-05T09:00:00Z');
        const seen = new Date(created.getTime() + activeFor);
        expect(sessionExpiry(created, seen).getTime()).toBeLessThanOrEqual(created.getTime() + 12 * 3600_000);
      }),
    );
  });
});
