export * from './erlang.ts';
export * from './plan.ts';
