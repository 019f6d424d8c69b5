export * from './distributions.ts';
export * from './event-heap.ts';
export * from './model.ts';
export * from './reference.ts';
export * from './replicate.ts';
export * from './rng.ts';
export * from './simulate.ts';
export * from './visit-log.ts';
