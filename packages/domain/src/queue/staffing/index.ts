export * from './contracts.ts';
export * from './erlang.ts';
export * from './plan.ts';
