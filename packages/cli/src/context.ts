import { systemClock } from '@serviceloop/domain';
import { loadConfig, openConfiguredDatabase } from '@serviceloop/server';
import type { ServerContext } from '@serviceloop/server/context';
import { Dispatcher } from '@serviceloop/server/events/outbox';
import pino from 'pino';

/** A server context for one CLI command: same database, clock and logging as the server. */
export async function withContext<T>(fn: (ctx: ServerContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openConfiguredDatabase(config);
  const log = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
  const ctx: ServerContext = {
    database,
    db: database.db,
    clock: systemClock,
    dispatcher: new Dispatcher(database, systemClock),
    config,
    log,
  };
  try {
    return await fn(ctx);
  } finally {
    await database.close();
  }
}
