import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Placeholder, type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { type PgDatabase, PgDialect, type PgQueryResultHKT, type PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm/relations';
import pg from 'pg';
import { type Schema, schema } from './schema.ts';

export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything that can run a query: the database or an open transaction. */
export type Executor = Db | Tx;

/** A statement's named values. */
export type Slots<K extends string> = { readonly [N in K]: unknown };

/**
 * A hot-path statement: a fixed SQL shape whose values come from named slots. Its builder only
 * places slots into the SQL (never branches on them): it is called once with placeholders to
 * compile the text, which PostgreSQL then parses and plans once per pooled connection, and is
 * called with the values themselves where a statement runs inside a transaction or on PGlite.
 * Building and rendering drizzle's SQL tree on every call cost a hot statement 30–40 µs of CPU.
 */
export interface Statement<K extends string> {
  readonly build: (slots: Slots<K>) => SQL;
}

export function statement<K extends string>(build: (slots: Slots<K>) => SQL): Statement<K> {
  return { build };
}

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Db;
  /** Rows of a raw query, the same shape on both engines. */
  rows<T extends Record<string, unknown>>(query: SQL, executor?: Executor): Promise<T[]>;
  /**
   * Rows of a hot-path statement, the same shape as rows(); a slot without a value is an error.
   * On its own (autocommit) it runs the text compiled once per process: on PostgreSQL as a named
   * prepared statement. Inside a transaction (`executor`) it is built with the values and run
   * as rows() runs a query.
   */
  run<T extends Record<string, unknown>, K extends string>(
    statement: Statement<K>,
    values: Slots<K>,
    executor?: Executor,
  ): Promise<T[]>;
  /**
   * Subscribes to NOTIFY on a channel; resolves to an unsubscribe function. On PostgreSQL the
   * listening connection carries `applicationName` (other nodes can count listeners by it).
   */
  listen(
    channel: string,
    onNotify: (payload: string) => void,
    options?: { readonly applicationName?: string },
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://… for PostgreSQL; undefined for the embedded PGlite. */
  readonly url?: string | undefined;
  /** Folder for PGlite's files; undefined keeps PGlite in memory. */
  readonly dataDir?: string | undefined;
  /** A PGlite data-dir dump to start from (tests clone one migrated template). */
  readonly loadDataDir?: Blob | undefined;
  readonly poolMax?: number | undefined;
}

async function rowsOf<T>(executor: Executor, query: SQL): Promise<T[]> {
  const result: unknown = await executor.execute(query);
  // node-postgres and PGlite both return { rows }.
  return (result as { rows: T[] }).rows;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.poolMax ?? 20);
  return openPglite(options);
}

/**
 * The types drizzle's raw execute leaves as text on both engines (timestamps, dates, intervals,
 * numeric[] and their arrays), so hot statements return the same shapes as rows().
 */
const RAW_TEXT_TYPES = new Set<number>([
  pg.types.builtins.TIMESTAMPTZ,
  pg.types.builtins.TIMESTAMP,
  pg.types.builtins.DATE,
  pg.types.builtins.INTERVAL,
  1231,
  1115,
  1185,
  1187,
  1182,
]);
const asText = (value: string) => value;
const PGLITE_RAW = {
  rowMode: 'object' as const,
  parsers: Object.fromEntries([...RAW_TEXT_TYPES].map((type) => [type, asText])),
};

/**
 * Runs a statement: inside a transaction built with the values; on its own through `direct`
 * with the compiled text and the call's parameters (checked for missing slots either way).
 */
async function runStatement<T, K extends string>(
  statement: Statement<K>,
  values: Slots<K>,
  executor: Executor | undefined,
  direct: (c: Compiled, params: unknown[]) => Promise<T[]>,
): Promise<T[]> {
  const c = compile(statement);
  const params = parametersOf(c, values);
  return executor ? rowsOf<T>(executor, statement.build(values)) : direct(c, params);
}

async function openPglite(options: DatabaseOptions): Promise<Database> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const client = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    rows: (query, executor) => rowsOf(executor ?? db, query),
    // The compiled text, as on PostgreSQL, with drizzle's raw parsing (dates and times as text).
    run: (statement, values, executor) =>
      runStatement(statement, values, executor, async (c, params) => {
        const result = await client.query<never>(c.text, params, PGLITE_RAW);
        return result.rows;
      }),
    listen: async (channel, onNotify) => {
      const unlisten = await client.listen(channel, onNotify);
      return () => unlisten();
    },
    close: () => client.close(),
  };
}

const dialect = new PgDialect();

interface Compiled {
  /** A stable name per text: node-postgres prepares a name once per connection. */
  readonly name: string;
  readonly text: string;
  /** Per parameter: the slot it takes its value from, or undefined for a constant of the shape. */
  readonly slots: readonly (string | undefined)[];
  readonly constants: readonly unknown[];
}

const compiled = new WeakMap<Statement<string>, Compiled>();
/** Every property is a placeholder named after it. */
const PLACEHOLDERS = new Proxy({} as Slots<string>, {
  get: (_target, name) => (typeof name === 'string' ? sql.placeholder(name) : undefined),
});

function compile(statement: Statement<string>): Compiled {
  let c = compiled.get(statement);
  if (!c) {
    const query = dialect.sqlToQuery(statement.build(PLACEHOLDERS));
    c = {
      name: `sl_${createHash('sha1').update(query.sql).digest('base64url').slice(0, 20)}`,
      text: query.sql,
      slots: query.params.map((p) => (p instanceof Placeholder ? p.name : undefined)),
      constants: query.params,
    };
    compiled.set(statement, c);
  }
  return c;
}

/** The parameters of one call: each slot's value, the shape's constants as they are. */
function parametersOf(c: Compiled, values: Slots<string>): unknown[] {
  const params = new Array<unknown>(c.slots.length);
  for (let i = 0; i < params.length; i++) {
    const slot = c.slots[i];
    if (slot === undefined) {
      params[i] = c.constants[i];
    } else {
      const value = values[slot];
      if (value === undefined) throw new Error(`statement ${c.name}: no value for "${slot}"`);
      params[i] = value;
    }
  }
  return params;
}

const DRIZZLE_TYPES = {
  getTypeParser: ((typeId: number, format?: 'text' | 'binary') =>
    RAW_TEXT_TYPES.has(typeId)
      ? (value: string) => value
      : pg.types.getTypeParser(typeId, format)) as typeof pg.types.getTypeParser,
};

/**
 * SQLSTATE classes after which a connection is not to be trusted again: connection exceptions,
 * operator intervention (server shutting down), system and internal errors.
 */
const BROKEN_CONNECTION = /^(08|57P|58|XX)/;

/** Whether a failed statement leaves its connection unusable (anything that is not a plain SQL error). */
export function breaksConnection(error: unknown): boolean {
  return !(error instanceof pg.DatabaseError) || BROKEN_CONNECTION.test(error.code ?? '');
}

/**
 * pg-pool's query() destroys its connection on any error, a unique violation included: the next
 * statement then pays a new connection (and re-prepares every hot statement). Here a plain SQL
 * error returns the connection to the pool; anything else (a lost socket, a server shutting
 * down) still destroys it. Only autocommit statements come through here: a transaction checks
 * out its own client with connect().
 */
function keepConnectionsOnSqlErrors(pool: pg.Pool): void {
  const original = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  const keeping = async (config: unknown, values?: unknown): Promise<unknown> => {
    const client = await pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
    };
    client.once('error', onError);
    try {
      return await client.query(config as pg.QueryConfig, values as unknown[] | undefined);
    } catch (error) {
      if (breaksConnection(error)) broken = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      client.removeListener('error', onError);
      client.release(broken ?? false);
    }
  };
  (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) =>
    // The callback forms (unused here) keep pg-pool's own behaviour.
    args.some((a) => typeof a === 'function') ? original(...args) : keeping(args[0], args[1]);
}

async function openPostgres(url: string, poolMax: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolMax });
  keepConnectionsOnSqlErrors(pool);
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => undefined);
  await pool.query('select 1');
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  const listeners = new Set<pg.Client>();
  return {
    kind: 'postgres',
    db,
    rows: (query, executor) => rowsOf(executor ?? db, query),
    run: (statement, values, executor) =>
      runStatement(statement, values, executor, async (c, params) => {
        const result = await pool.query<pg.QueryResultRow>({
          name: c.name,
          text: c.text,
          values: params,
          types: DRIZZLE_TYPES,
        });
        return result.rows as never[];
      }),
    listen: async (channel, onNotify, options) => {
      const client = new pg.Client({
        connectionString: url,
        ...(options?.applicationName ? { application_name: options.applicationName } : {}),
      });
      client.on('error', () => undefined);
      await client.connect();
      client.on('notification', (msg) => {
        if (msg.channel === channel) onNotify(msg.payload ?? '');
      });
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      listeners.add(client);
      return async () => {
        listeners.delete(client);
        await client.end().catch(() => undefined);
      };
    },
    close: async () => {
      await Promise.all([...listeners].map((c) => c.end().catch(() => undefined)));
      await pool.end();
    },
  };
}

export { sql };
