import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, type Slots, statement } from '../src/db/database.ts';

/**
 * The PostgreSQL pool keeps a connection after a plain SQL error (pg-pool alone destroys it, and
 * the next statement pays a new connection) and still drops one that the server closed.
 * One connection in the pool, so the backend's pid tells whether it is the same connection.
 */
describe.runIf(Boolean(process.env.DATABASE_URL))('PostgreSQL pool (one connection)', () => {
  let database: Database;
  const pid = async (): Promise<number> => {
    const [row] = await database.rows<{ pid: number }>(sql`select pg_backend_pid() as pid`);
    return Number(row?.pid);
  };

  beforeAll(async () => {
    database = await openDatabase({ url: process.env.DATABASE_URL as string, poolMax: 1 });
  });
  afterAll(async () => {
    await database.close();
  });

  it('keeps the connection after a SQL error, through drizzle and through prepared statements', async () => {
    const before = await pid();
    await expect(database.rows(sql`select 1 / ${0}::int as x`)).rejects.toMatchObject({
      cause: { code: '22012' },
    });
    expect(await pid()).toBe(before);
    const divide = statement((p: Slots<'d'>) => sql`select 1 / ${p.d}::int as y`);
    await expect(database.run(divide, { d: 0 })).rejects.toMatchObject({ code: '22012' });
    expect(await pid()).toBe(before);
    await expect(database.db.execute(sql`select * from no_such_table_here`)).rejects.toThrow();
    expect(await pid()).toBe(before);
    // The connection still works for prepared statements after the failed ones.
    const [row] = await database.run<{ n: number }, 'n'>(
      statement((p: Slots<'n'>) => sql`select ${p.n}::int + 1 as n`),
      { n: 41 },
    );
    expect(row?.n).toBe(42);
  });

  it('drops a connection the server terminated and opens a new one', async () => {
    const before = await pid();
    await expect(database.rows(sql`select pg_terminate_backend(pg_backend_pid())`)).rejects.toThrow();
    const after = await pid();
    expect(after).not.toBe(before);
  });
});
