import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config.ts';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '..', 'bin', 'serviceloop.mjs');
const dataDir = mkdtempSync(join(tmpdir(), 'sl-cli-'));
const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' };

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('serviceloop CLI', () => {
  it('has --help for the program and every command', async () => {
    const top = await cli('--help');
    expect(top.code).toBe(0);
    const commands = [...top.stdout.matchAll(/^ {2}([a-z-]+)(?: \[options\]| <)?/gm)].map(
      (m) => m[1] as string,
    );
    expect(commands).toEqual(expect.arrayContaining(['start', 'migrate', 'seed', 'audit']));
    for (const c of commands.filter((x) => x !== 'help')) {
      const r = await cli(c, '--help');
      expect(r.code, c).toBe(0);
      expect(r.stdout).toMatch(/Usage: serviceloop/);
    }
    expect((await cli('audit', 'verify', '--help')).stdout).toMatch(/hash chain/);
  });

  it('migrates, seeds, and verifies the audit chain of an embedded database', async () => {
    const check = await cli('migrate', '--check');
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/Pending: 0000_init/);
    const seed = await cli('seed', '--customers', '20');
    expect(seed.stdout).toMatch(/Seeded 13 org units, \d+ staff, 20 customers/);
    expect((await cli('migrate', '--check')).stdout).toMatch(/Up to date/);
    const verify = await cli('audit', 'verify');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^OK: 1 entries in 1 chains verified/);
    const again = await cli('seed');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already has data/);
  });

  it('refuses a bad environment with a readable message', async () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(
      /PORT: .*\n.*DATABASE_URL: must be a postgres/s,
    );
    const bad = await run(process.execPath, [bin, 'migrate'], { env: { ...env, PORT: 'eighty' } }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect((bad as { code: number }).code).toBe(2);
    expect((bad as { stderr: string }).stderr).toMatch(/Invalid configuration:\n {2}PORT/);
  });
});
