import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { dropPostgresDatabase, preparePgliteTemplate, preparePostgresTemplate } from './templates.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string | null;
  }
}

/**
 * Creating and migrating a database takes seconds; it is done once here and every test file
 * starts from a copy (a PGlite data-dir dump, or CREATE DATABASE … TEMPLATE on PostgreSQL).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dump = await preparePgliteTemplate();
  const file = join(tmpdir(), `serviceloop-template-${process.pid}.tar`);
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  const url = process.env.DATABASE_URL;
  const template = url ? await preparePostgresTemplate(url) : null;
  project.provide('postgresTemplate', template);
  if (url) process.stdout.write(`integration tests: PGlite and PostgreSQL (${new URL(url).host})\n`);
  else process.stdout.write('integration tests: PGlite only (set DATABASE_URL to also run on PostgreSQL)\n');
  return async () => {
    if (url && template) await dropPostgresDatabase(url, template);
  };
}
