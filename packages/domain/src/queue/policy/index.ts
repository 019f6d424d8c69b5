export * from './branch-policy.ts';
export * from './config.ts';
export * from './people-ahead.ts';
export * from './pick-next.ts';
