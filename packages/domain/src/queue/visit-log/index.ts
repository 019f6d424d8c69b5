export * from './normalise.ts';
export * from './schema.ts';
export * from './serialize.ts';
export * from './time.ts';
