#!/usr/bin/env node
// `npm test`: typecheck, lint, build the web app, then unit, integration (PGlite, and PostgreSQL
// when DATABASE_URL is set) and browser tests. It never passes with a layer silently skipped.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  const bar = '!'.repeat(78);
  process.stderr.write(
    `\n${bar}\n  Chromium is missing (${chromium}): browser tests cannot run.\n` +
      '  Install it with:  sudo apt-get update && sudo apt-get install -y chromium fonts-noto-cjk\n' +
      `  (or set CHROMIUM_PATH). Refusing to report success without them.\n${bar}\n\n`,
  );
  process.exit(1);
}

const steps = [
  ['typecheck', 'npx', ['tsc', '-p', 'tsconfig.json']],
  ['lint', 'npx', ['biome', 'check', '.']],
  ['build web', 'npm', ['run', 'build:web', '--silent']],
  ['tests', 'npx', ['vitest', 'run', ...process.argv.slice(2)]],
];

process.stdout.write(
  `ServiceLoop tests — databases: PGlite${process.env.DATABASE_URL ? ' + PostgreSQL' : ' only (set DATABASE_URL for PostgreSQL)'}; browser: ${chromium}\n`,
);
for (const [name, cmd, args] of steps) {
  process.stdout.write(`\n▶ ${name}\n`);
  const started = Date.now();
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
    process.stderr.write(`\n✗ ${name} failed (exit ${result.status ?? result.signal})\n`);
    process.exit(result.status ?? 1);
  }
  process.stdout.write(`✓ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}
