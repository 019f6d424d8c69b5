import { systemClock } from '@serviceloop/domain';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { type Config, loadConfig } from '../src/config.ts';
import { type Database, openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { seedDemo } from '../src/seed/demo.ts';

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', VALIDATE_RESPONSES: 'true' }),
    ...overrides,
  };
}

export async function migrateAndSeed(database: Database): Promise<void> {
  await migrate(database);
  const app = await buildApp({ database, config: testConfig(), clock: systemClock, serveWeb: false });
  await seedDemo(app.ctx);
  await app.fastify.close();
}

export async function preparePgliteTemplate(): Promise<Blob> {
  const database = await openDatabase({});
  await migrateAndSeed(database);
  const client = (database.db as unknown as { $client: { dumpDataDir(c: 'none'): Promise<Blob> } }).$client;
  const dump = await client.dumpDataDir('none');
  await database.close();
  return dump;
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function dropPostgresDatabase(url: string, name: string): Promise<void> {
  await admin(url, (c) => c.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`));
}

export async function preparePostgresTemplate(url: string): Promise<string> {
  const name = `sl_template_${process.pid}`;
  await dropPostgresDatabase(url, name);
  await admin(url, (c) => c.query(`create database ${pg.escapeIdentifier(name)}`));
  const database = await openDatabase({ url: withDatabase(url, name) });
  await migrateAndSeed(database);
  await database.close();
  return name;
}

export async function cloneFromTemplate(url: string, template: string): Promise<string> {
  const name = `sl_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await admin(url, (c) =>
    c.query(`create database ${pg.escapeIdentifier(name)} template ${pg.escapeIdentifier(template)}`),
  );
  return name;
}
