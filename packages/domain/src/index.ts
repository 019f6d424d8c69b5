export * from './identity/password-policy.ts';
export * from './identity/permissions.ts';
export * from './org/org-unit.ts';
export * from './shared/clock.ts';
export * from './shared/errors.ts';
export * from './shared/money.ts';
