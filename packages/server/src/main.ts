import { systemClock } from '@serviceloop/domain';
import { type App, buildApp } from './app.ts';
import { startCaseWorker } from './cases/worker.ts';
import type { Config } from './config.ts';
import type { ServerContext } from './context.ts';
import { type Database, openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { failInterruptedImports } from './imports/jobs.ts';
import { seedQueueDemo } from './queue/seed.ts';
import { DEMO_PASSWORD, isDatabaseEmpty, seedDemo } from './seed/demo.ts';

export async function openConfiguredDatabase(config: Config): Promise<Database> {
  return openDatabase({
    url: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : config.dataDir,
    poolMax: config.dbPoolMax,
  });
}

/** Timers that act on the database (SLA clocks, …); each returns its own stop function. */
function startBackgroundWorkers(ctx: ServerContext): () => Promise<void> {
  const stops = [startCaseWorker(ctx)];
  return async () => {
    await Promise.all(stops.map((stop) => stop()));
  };
}

/** Opens the database, migrates, seeds the demo bank on first start, serves, and shuts down cleanly. */
export async function startServer(config: Config): Promise<App> {
  const database = await openConfiguredDatabase(config);
  await migrate(database);
  const app = await buildApp({ database, config, clock: systemClock });
  const { fastify, ctx } = app;
  if (config.seedDemo && (await isDatabaseEmpty(ctx))) {
    const summary = await seedDemo(ctx);
    await seedQueueDemo(ctx);
    fastify.log.info({ ...summary, password: DEMO_PASSWORD }, 'demo bank seeded');
  }
  await failInterruptedImports(ctx);
  await ctx.dispatcher.start();
  const stopWorkers = startBackgroundWorkers(ctx);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    fastify.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await fastify.close();
    await stopWorkers();
    await ctx.dispatcher.stop();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await fastify.listen({ port: config.port, host: config.host });
  return app;
}
