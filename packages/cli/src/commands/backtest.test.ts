import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readVisitLog, registerBacktest } from './backtest.ts';

// The sample lives beside the repository (shared/data); SERVICELOOP_SAMPLE_CSV points elsewhere.
const SAMPLE =
  process.env.SERVICELOOP_SAMPLE_CSV ??
  new URL('../../../../../shared/data/queue-history-sample.csv', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'serviceloop-backtest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Parses one table row: name, n, MAE, vs LES, bias, MAE per class…, coverage, width. */
function row(table: string, name: string): string[] {
  const line = table.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`no row for ${name}`);
  return line.trim().split(/\s+/);
}

/**
 * LES by hand: for each served visit, the wait of the visit (arrived the same day) with the latest
 * call strictly before its arrival, ties to the larger visit_id; 0 if none. MAE over the days.
 */
function independentLesMae(days: readonly string[]): number {
  const visits = readVisitLog(SAMPLE).visits;
  const dayOf = (at: number): string => new Date(at).toISOString().slice(0, 10);
  let sum = 0;
  let n = 0;
  for (const day of days) {
    const today = visits.filter((v) => dayOf(v.arrivedAt) === day);
    const calls = today
      .filter((u) => u.calledAt !== null)
      .sort((x, y) => (x.calledAt ?? 0) - (y.calledAt ?? 0) || (x.visitId < y.visitId ? -1 : 1));
    for (const v of today) {
      if (v.outcome !== 'served' || v.calledAt === null) continue;
      let last: (typeof calls)[number] | undefined;
      for (const u of calls) {
        if ((u.calledAt ?? 0) >= v.arrivedAt) break;
        last = u;
      }
      const predicted = last ? ((last.calledAt ?? 0) - last.arrivedAt) / 1000 : 0;
      sum += Math.abs(predicted - (v.calledAt - v.arrivedAt) / 1000);
      n++;
    }
  }
  return sum / n;
}

describe.skipIf(!existsSync(SAMPLE))(
  'serviceloop backtest on the sample (held out: learn from days 1–5, score days 6–10)',
  () => {
    it('prints the comparison table and writes per-visit predictions', async () => {
      const out = join(dir, 'predictions.csv');
      const chunks: string[] = [];
      const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        chunks.push(String(chunk));
        return true;
      });
      try {
        const program = new Command().exitOverride();
        registerBacktest(program);
        await program.parseAsync([
          'node',
          'serviceloop',
          'backtest',
          '--history',
          SAMPLE,
          '--train-days',
          '5',
          '--frozen',
          '--out',
          out,
        ]);
      } finally {
        spy.mockRestore();
      }
      const text = chunks.join('');
      expect(text).toContain('read 13018 visits (0 rejected');
      expect(text).toContain(
        'scored 5 of 10 days (2010-08-06 … 2010-08-10), learning frozen after the training days',
      );
      for (const name of ['LES', 'HOL', 'QL', 'QL-abandon', 'ServiceLoop'])
        expect(text).toMatch(new RegExp(`^${name} `, 'm'));

      const les = Number(row(text, 'LES')[2]);
      const sl = row(text, 'ServiceLoop');
      const slMae = Number(sl[2]);
      const coverage = Number(sl.at(-2)?.replace('%', ''));
      expect(les).toBeGreaterThan(100);
      expect(les).toBeLessThan(120);
      expect(slMae).toBeLessThanOrEqual(0.75 * les);
      expect(coverage).toBeGreaterThanOrEqual(75);
      expect(coverage).toBeLessThanOrEqual(85);

      // LES recomputed by a plain loop over the file, independent of the event engine.
      expect(
        Math.abs(
          les - independentLesMae(['2010-08-06', '2010-08-07', '2010-08-08', '2010-08-09', '2010-08-10']),
        ),
      ).toBeLessThan(0.051);

      const lines = readFileSync(out, 'utf8').trim().split('\n');
      expect(lines[0]).toBe('visit_id,predicted_wait_s,lower_s,upper_s');
      expect(lines.length - 1).toBeGreaterThan(3000);
      const [, point, lower, upper] = (lines[1] ?? '').split(',').map(Number);
      expect(lower).toBeLessThanOrEqual(point ?? Number.NaN);
      expect(upper).toBeGreaterThanOrEqual(point ?? Number.NaN);
    }, 30_000);

    it('refuses a file that is not a visit log', () => {
      const wrong = join(dir, 'wrong.csv');
      writeFileSync(wrong, 'foo,bar\n1,2\n');
      expect(() => readVisitLog(wrong)).toThrow(
        /missing column\(s\) visit_id, service, priority, arrived_at, called_at, outcome/,
      );
    });

    it('rejects a bad --train-days', async () => {
      const program = new Command().exitOverride();
      registerBacktest(program);
      await expect(
        program.parseAsync(['node', 'serviceloop', 'backtest', '--history', SAMPLE, '--train-days', 'x']),
      ).rejects.toThrow();
    });
  },
);
