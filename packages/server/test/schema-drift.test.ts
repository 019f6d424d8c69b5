import { is, sql } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { schema } from '../src/db/schema.ts';
import { engines, openTestDatabase } from './harness.ts';

const normalise = (t: string) =>
  t
    .replace(/^bigserial$/, 'bigint')
    .replace(/^serial$/, 'integer')
    .replace(/^timestamp\(\d\) with time zone$/, 'timestamp with time zone');

/**
 * The schema definition (schema.ts) and the migrations must describe the same database: every
 * table, column, type, nullability and index defined in code exists after migrating, and the
 * migrated database has nothing the code does not know about.
 */
describe.each(engines)('schema and migrations agree on %s', (engine) => {
  let database: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase(engine));
  });
  afterAll(async () => {
    await database.close();
    await drop();
  });

  it('tables, columns, types, nullability and indexes match', async () => {
    const tables = (Object.values(schema) as unknown[]).filter((t): t is PgTable => is(t, PgTable));
    const expected = new Map<string, string>();
    const expectedIndexes = new Set<string>();
    for (const table of tables) {
      const config = getTableConfig(table);
      for (const column of config.columns) {
        expected.set(
          `${config.name}.${column.name}`,
          `${normalise(column.getSQLType())} ${column.notNull ? 'not null' : 'null'}`,
        );
      }
      for (const index of config.indexes) expectedIndexes.add(`${config.name}.${index.config.name}`);
    }
    const actualRows = await database.rows<{ t: string; c: string; type: string; notnull: boolean }>(sql`
      select c.relname as t, a.attname as c, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as notnull
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
        and c.relname <> 'schema_migrations'`);
    const actual = new Map(
      actualRows.map((r) => [`${r.t}.${r.c}`, `${normalise(r.type)} ${r.notnull ? 'not null' : 'null'}`]),
    );
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));

    const indexRows = await database.rows<{ t: string; i: string }>(sql`
      select tablename as t, indexname as i from pg_indexes
      where schemaname = 'public' and indexname not like '%_pkey' and tablename <> 'schema_migrations'`);
    expect(new Set(indexRows.map((r) => `${r.t}.${r.i}`))).toEqual(expectedIndexes);
  });
});
