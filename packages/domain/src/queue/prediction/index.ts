export * from './backtest.ts';
export * from './classical.ts';
export * from './distributions.ts';
export * from './features.ts';
export * from './linear.ts';
export * from './live-state.ts';
export * from './serviceloop.ts';
export * from './types.ts';
