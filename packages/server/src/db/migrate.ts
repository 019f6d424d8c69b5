import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { Database } from './database.ts';

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

interface Journal {
  entries: { idx: number; tag: string }[];
}

export interface MigrationFile {
  readonly tag: string;
  readonly statements: readonly string[];
}

export function listMigrations(): MigrationFile[] {
  const journal = JSON.parse(readFileSync(join(migrationsDir, 'meta', '_journal.json'), 'utf8')) as Journal;
  return [...journal.entries]
    .sort((a, b) => a.idx - b.idx)
    .map(({ tag }) => ({
      tag,
      statements: readFileSync(join(migrationsDir, `${tag}.sql`), 'utf8')
        .split('--> statement-breakpoint')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    }));
}

/**
 * Applies pending migrations, each in its own transaction, recording them in
 * schema_migrations. An advisory lock lets several server nodes start at once.
 */
export async function migrate(database: Database): Promise<string[]> {
  const { db } = database;
  await db.execute(
    sql`create table if not exists schema_migrations (tag text primary key, applied_at timestamptz not null default now())`,
  );
  const applied: string[] = [];
  for (const migration of listMigrations()) {
    await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(727274)`);
      const done = await database.rows<{ tag: string }>(
        sql`select tag from schema_migrations where tag = ${migration.tag}`,
        tx,
      );
      if (done.length > 0) return;
      for (const statement of migration.statements) await tx.execute(sql.raw(statement));
      await tx.execute(sql`insert into schema_migrations (tag) values (${migration.tag})`);
      applied.push(migration.tag);
    });
  }
  return applied;
}

export async function pendingMigrations(database: Database): Promise<string[]> {
  const exists = await database.rows<{ t: string | null }>(
    sql`select to_regclass('schema_migrations')::text as t`,
  );
  const known = new Set<string>();
  if (exists[0]?.t) {
    for (const row of await database.rows<{ tag: string }>(sql`select tag from schema_migrations`))
      known.add(row.tag);
  }
  return listMigrations()
    .map((m) => m.tag)
    .filter((tag) => !known.has(tag));
}
