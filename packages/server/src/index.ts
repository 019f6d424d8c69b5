export { type App, buildApp, VERSION } from './app.ts';
export { verifyAudit } from './audit/service.ts';
export { ConfigError, loadConfig } from './config.ts';
export { openDatabase } from './db/database.ts';
export { migrate, pendingMigrations } from './db/migrate.ts';
export { openConfiguredDatabase, startServer } from './main.ts';
export { DEMO_PASSWORD, demoUsers, isDatabaseEmpty, seedDemo } from './seed/demo.ts';
