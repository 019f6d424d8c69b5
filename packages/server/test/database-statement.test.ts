import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, type Slots, statement } from '../src/db/database.ts';
import { type Engine, engines } from './harness.ts';

/**
 * Hot-path statements are compiled once with placeholders and run with each call's values; the
 * same statement built with the values runs inside a transaction. Both must give the same rows.
 */
const SUM = statement(
  (p: Slots<'a' | 'label' | 'at'>) => sql`
    select ${p.a}::int + ${p.a}::int + ${5}::int as n, ${p.label}::text as label,
      ${p.at}::timestamptz as at, ${'fixed'}::text as fixed`,
);

describe.each(engines)('hot statements on %s', (engine: Engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase(engine === 'postgres' ? { url: process.env.DATABASE_URL, poolMax: 2 } : {});
  });
  afterAll(async () => {
    await database.close();
  });

  it('fills each slot wherever it appears and keeps the constants of the shape', async () => {
    const first = await database.run(SUM, { a: 1, label: null, at: '2026-11-22T08:00:00Z' });
    const second = await database.run(SUM, { a: 20, label: '窗口 3', at: '2026-11-22T08:00:00Z' });
    expect(first).toEqual([{ n: 7, label: null, at: expect.any(String), fixed: 'fixed' }]);
    expect(second[0]).toMatchObject({ n: 45, label: '窗口 3', fixed: 'fixed' });
    // Times stay text, as drizzle's raw queries return them.
    expect(new Date(String(first[0]?.at)).toISOString()).toBe('2026-11-22T08:00:00.000Z');
  });

  it('gives the same rows inside a transaction', async () => {
    const values = { a: 3, label: 'x', at: '2026-01-01T00:00:00Z' };
    const outside = await database.run(SUM, values);
    const inside = await database.db.transaction((tx) => database.run(SUM, values, tx));
    expect(inside).toEqual(outside);
  });

  it('refuses a call that leaves a slot without a value', async () => {
    await expect(
      database.run(SUM, { a: 1, label: 'x' } as unknown as Slots<'a' | 'label' | 'at'>),
    ).rejects.toThrow(/no value for "at"/);
  });
});
