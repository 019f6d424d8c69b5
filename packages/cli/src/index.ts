import {
  ConfigError,
  DEMO_PASSWORD,
  isDatabaseEmpty,
  loadConfig,
  migrate,
  openConfiguredDatabase,
  pendingMigrations,
  seedDemo,
  startServer,
  verifyAudit,
} from '@serviceloop/server';
import { seedQueueDemo } from '@serviceloop/server/queue/seed';
import { Command, CommanderError } from 'commander';
import { registerBacktest } from './commands/backtest.ts';
import { registerSimulate } from './commands/simulate.ts';
import { registerCalendar, registerSla } from './commands/sla.ts';
import { withContext } from './context.ts';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('serviceloop')
    .description('ServiceLoop — bank customer service as one closed loop')
    .version('0.1.0')
    .showHelpAfterError()
    .addHelpText(
      'after',
      '\nEnvironment: PORT (8080), DATABASE_URL (embedded PGlite in DATA_DIR when unset), DATA_DIR (./data), LOG_LEVEL.',
    );

  program
    .command('start')
    .description('Start the server and web app (migrates, seeds the demo bank on first start)')
    .action(async () => {
      const config = loadConfig();
      await startServer(config);
      process.stdout.write(`ServiceLoop is running at http://localhost:${config.port}\n`);
    });

  program
    .command('migrate')
    .description('Apply pending database migrations')
    .option('--check', 'only list pending migrations; exit 1 if any')
    .action(async (opts: { check?: boolean }) => {
      const config = loadConfig();
      const database = await openConfiguredDatabase(config);
      try {
        if (opts.check) {
          const pending = await pendingMigrations(database);
          process.stdout.write(pending.length ? `Pending: ${pending.join(', ')}\n` : 'Up to date\n');
          process.exitCode = pending.length ? 1 : 0;
          return;
        }
        const applied = await migrate(database);
        process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Already up to date\n');
      } finally {
        await database.close();
      }
    });

  program
    .command('seed')
    .description('Seed the demo bank into an empty database')
    .option('--customers <n>', 'number of demo customers', '200')
    .action(async (opts: { customers: string }) => {
      await withContext(async (ctx) => {
        await migrate(ctx.database);
        if (!(await isDatabaseEmpty(ctx))) {
          process.stderr.write(
            'The database already has data; the demo bank is only seeded into an empty one.\n',
          );
          process.exitCode = 1;
          return;
        }
        const summary = await seedDemo(ctx, Number(opts.customers));
        await seedQueueDemo(ctx);
        process.stdout.write(
          `Seeded ${summary.orgUnits} org units, ${summary.staff} staff, ${summary.customers} customers. Password for every demo user: ${DEMO_PASSWORD}\n`,
        );
      });
    });

  const audit = program.command('audit').description('Audit log tools');
  audit
    .command('verify')
    .description('Recompute every hash chain; exit 1 if any entry was altered or removed')
    .action(async () => {
      await withContext(async (ctx) => {
        const report = await verifyAudit(ctx.database);
        if (report.problems.length === 0) {
          process.stdout.write(`OK: ${report.entries} entries in ${report.chains} chains verified\n`);
          return;
        }
        for (const p of report.problems)
          process.stdout.write(`${p.problem}\tchain ${p.chain}\tseq ${p.seq}\t${p.message}\n`);
        process.stdout.write(`FAILED: ${report.problems.length} problem(s) in ${report.entries} entries\n`);
        process.exitCode = 1;
      });
    });

  registerBacktest(program);
  registerSimulate(program);
  registerSla(program);
  registerCalendar(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
