export * from './business-day.ts';
export * from './contracts.ts';
export * from './notice.ts';
export * from './service.ts';
export * from './ticket-number.ts';
