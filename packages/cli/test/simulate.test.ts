import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// `serviceloop simulate` as a user runs it: a child process on the real sample history.
const run = promisify(execFile);
const bin = join(import.meta.dirname, '..', 'bin', 'serviceloop.mjs');
const SAMPLE =
  process.env.SERVICELOOP_SAMPLE_CSV ??
  new URL('../../../../shared/data/queue-history-sample.csv', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'sl-simulate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, 'simulate', ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent' },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Well-formed XML, checked by hand: every opened element is closed in order. */
function assertWellFormed(xml: string): void {
  const stack: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([A-Za-z][\w:-]*)((?:"[^"]*"|'[^']*'|[^'">])*?)(\/?)>/g)) {
    const [, closing, name, , selfClosing] = m;
    if (selfClosing) continue;
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else stack.push(name as string);
  }
  if (stack.length > 0) throw new Error(`unclosed ${stack.join(', ')}`);
}

/** The cells of a table row: label, then one per column. */
function row(table: string, label: string): string[] {
  const line = table.split('\n').find((l) => l.startsWith(label));
  if (!line) throw new Error(`no row ${label}`);
  return line
    .slice(label.length)
    .trim()
    .split(/\s{2,}/);
}

describe('serviceloop simulate', () => {
  it('fits the sample, prints plans side by side and writes a valid SVG chart', async () => {
    const svg = join(dir, 'chart.svg');
    const r = await cli('--history', SAMPLE, '--day', 'mon', '--replications', '8', '--out', svg);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/fitting Monday from 2 date\(s\) \(2010-08-02, 2010-08-09\), open 07:00–24:00/);
    expect(r.stdout).toMatch(/patience calibrated to the history/);
    const header = r.stdout.split('\n').find((l) => l.includes('as it was'));
    expect(header).toMatch(/history\s+as it was\s+recommended −1\s+recommended\s+recommended \+1/);
    for (const label of ['mean wait p0 s', 'p90 wait p2 s', 'abandoned all %', 'utilisation %']) {
      expect(row(r.stdout, label)).toHaveLength(5);
    }
    // Figures with their 95% intervals; more counters never wait longer on average.
    const waits = row(r.stdout, 'mean wait all s');
    expect(waits[1]).toMatch(/^\d+ ±\d+$/);
    const means = waits.slice(2).map((c) => Number(c.split(' ')[0]));
    expect(means[0]).toBeGreaterThanOrEqual(means[1] as number);
    expect(means[1]).toBeGreaterThanOrEqual(means[2] as number);
    // The staffing as it was is calibrated to the history's abandonment: within a few points.
    const abandoned = row(r.stdout, 'abandoned all %');
    expect(Math.abs(Number(abandoned[0]) - Number(abandoned[1]?.split(' ')[0]))).toBeLessThan(3);
    expect(Number(row(r.stdout, 'counter-hours')[3])).toBeGreaterThan(
      Number(row(r.stdout, 'counter-hours')[2]),
    );

    const text = readFileSync(svg, 'utf8');
    expect(text.startsWith('<svg')).toBe(true);
    expect(text).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(text.trimEnd().endsWith('</svg>')).toBe(true);
    assertWellFormed(text);
    expect(text).toContain('Staffing plans compared — Monday');
    expect(text).toContain('recommended +1');
    expect((text.match(/<path/g) ?? []).length).toBeGreaterThan(50);
  }, 120_000);

  it('compares the plans of a plans file, reproducibly, as JSON and as an HTML report', async () => {
    const plans = join(dir, 'plans.json');
    writeFileSync(
      plans,
      JSON.stringify({
        plans: [
          { name: 'flat 7', counters: 7 },
          {
            name: 'shifts',
            schedule: [
              { from: '07:00', to: '09:00', counters: 4 },
              { from: '09:00', to: '17:00', counters: 9 },
              { from: '17:00', to: '24:00', counters: 5 },
            ],
          },
          {
            name: 'split',
            counters: [
              { skills: ['PS'], count: 6 },
              { skills: ['NW', 'IN', 'NE', 'TT', 'PE', 'PS'], count: 2 },
            ],
          },
        ],
      }),
    );
    const html = join(dir, 'report.html');
    const args = [
      '--history',
      SAMPLE,
      '--plans',
      plans,
      '--day',
      'wed',
      '--replications',
      '4',
      '--seed',
      '7',
      '--json',
    ];
    const [a, b] = await Promise.all([cli(...args, '--out', html), cli(...args)]);
    expect(a.code, a.stderr).toBe(0);
    const ra = JSON.parse(a.stdout);
    const rb = JSON.parse(b.stdout);
    expect(ra.plans.map((p: { name: string }) => p.name)).toEqual(['as it was', 'flat 7', 'shifts', 'split']);
    expect(ra.plans[1].counterHours).toBeCloseTo(7 * 16.5, 6);
    expect(ra.plans[2].schedule.slice(0, 4)).toEqual([4, 4, 4, 9]);
    const figures = (r: { plans: { summary: unknown }[] }) => JSON.stringify(r.plans.map((p) => p.summary));
    expect(figures(ra)).toBe(figures(rb));
    expect(ra.plans[1].summary.byClass.p2.meanWaitS.n).toBe(4);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<svg');
    expect(page).toContain('shifts');
  }, 120_000);

  it('refuses bad input with a clear message and exit code 2', async () => {
    const notLog = join(dir, 'not-a-log.csv');
    writeFileSync(notLog, 'a,b\n1,2\n');
    const badPlans = join(dir, 'bad-plans.json');
    writeFileSync(badPlans, JSON.stringify({ plans: [{ name: 'x', counters: [{ skills: ['mortgage'] }] }] }));
    const cases: [string[], RegExp][] = [
      [[], /required option '--history <file>' not specified/],
      [['--history', SAMPLE, '--weekday', 'mon'], /unknown option '--weekday'/],
      [['--history', join(dir, 'missing.csv')], /--history: no such file/],
      [['--history', notLog], /not a visit log: missing column\(s\) visit_id/],
      [['--history', SAMPLE, '--day', 'someday'], /--day: expected a weekday/],
      [['--history', SAMPLE, '--counters', '4,x'], /--counters: expected/],
      [['--history', SAMPLE, '--replications', '0'], /--replications must be a whole number from 2/],
      [
        ['--history', SAMPLE, '--out', join(dir, 'chart.png')],
        /--out: write a \.svg chart or an \.html report/,
      ],
      [
        ['--history', SAMPLE, '--plans', badPlans, '--day', 'sat'],
        /unknown service "mortgage" \(the history has/,
      ],
      [['--history', SAMPLE, '--plans', notLog], /--plans: .* is not JSON/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    }
  }, 180_000);
});
