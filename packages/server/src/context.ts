import type { Clock } from '@serviceloop/domain';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.ts';
import type { Database, Db } from './db/database.ts';
import type { Dispatcher } from './events/outbox.ts';

/** What every use case may depend on: the database, the clock, the event dispatcher. */
export interface ServerContext {
  readonly database: Database;
  readonly db: Db;
  readonly clock: Clock;
  readonly dispatcher: Dispatcher;
  readonly config: Config;
  readonly log: FastifyBaseLogger;
}
