import { readFileSync, writeFileSync } from 'node:fs';
import type { BacktestResult, WaitPredictor } from '@serviceloop/domain/queue/prediction/index';
import {
  holPredictor,
  lesPredictor,
  qlAbandonPredictor,
  qlPredictor,
  runBacktest,
  serviceLoopPredictor,
} from '@serviceloop/domain/queue/prediction/index';
import type { NormalisedVisitLog } from '@serviceloop/domain/queue/visit-log/index';
import { missingVisitLogColumns, normaliseVisitLog } from '@serviceloop/domain/queue/visit-log/index';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';

export interface BacktestCommandOptions {
  readonly history: string;
  readonly out?: string;
  readonly trainDays?: number;
  /** Stop learning after the training days (strict hold-out) instead of walking forward. */
  readonly frozen?: boolean;
  /** Which predictor's numbers go to --out. */
  readonly predictor?: string;
  readonly progress?: boolean;
}

export interface BacktestCommandResult {
  readonly log: NormalisedVisitLog;
  readonly result: BacktestResult;
  readonly table: string;
}

/** Predictors in the order the table shows them; LES first because the others are compared to it. */
export function standardPredictors(): WaitPredictor[] {
  return [lesPredictor(), holPredictor(), qlPredictor(), qlAbandonPredictor(), serviceLoopPredictor()];
}

export function readVisitLog(path: string): NormalisedVisitLog {
  const records = parse(readFileSync(path), {
    columns: (header: string[]) => {
      const missing = missingVisitLogColumns(header);
      if (missing.length > 0)
        throw new Error(`${path} is not a visit log: missing column(s) ${missing.join(', ')}`);
      return header;
    },
    skip_empty_lines: true,
    trim: true,
    bom: true,
  }) as Record<string, string>[];
  return normaliseVisitLog(records);
}

/** The work behind `serviceloop backtest`, callable from tests and other commands. */
export function backtestCommand(
  options: BacktestCommandOptions,
  write: (line: string) => void,
): BacktestCommandResult {
  const log = readVisitLog(options.history);
  const s = log.summary;
  write(
    `read ${log.visits.length} visits (${log.rejected} rejected; tolerated: ${s.service_before_call} service-before-call, ` +
      `${s.duplicate_id} recycled ids, ${s.out_of_order} out of order, ${s.time_inconsistent} inconsistent times, ${s.outcome_mismatch} outcome mismatches)`,
  );
  const predictors = standardPredictors();
  const bar = options.progress
    ? new SingleBar({ format: 'backtest [{bar}] {value}/{total} days', clearOnComplete: true })
    : null;
  const result = runBacktest({
    visits: log.visits,
    predictors,
    trainDays: options.trainDays ?? 0,
    learnWhileScoring: !options.frozen,
    onDay: ({ index, total }) => {
      if (!bar) return;
      if (index === 0) bar.start(total, 0);
      bar.update(index + 1);
      if (index + 1 === total) bar.stop();
    },
  });
  const table = formatBacktestTable(result);
  write(table);
  if (options.out) {
    const name = options.predictor ?? 'ServiceLoop';
    const k = predictors.findIndex((p) => p.name.toLowerCase() === name.toLowerCase());
    if (k < 0)
      throw new Error(`unknown predictor ${name}; one of ${predictors.map((p) => p.name).join(', ')}`);
    writeFileSync(options.out, predictionsCsv(result, k));
    write(`wrote ${result.visits.length} ${predictors[k]?.name} predictions to ${options.out}`);
  }
  return { log, result, table };
}

const fmt = (x: number | null | undefined, digits = 1): string =>
  x === null || x === undefined || Number.isNaN(x) ? '—' : x.toFixed(digits);

export function formatBacktestTable(result: BacktestResult): string {
  const classes = [...new Set(result.scores.flatMap((s) => s.byPriority.map((c) => c.priority)))].sort(
    (a, b) => a - b,
  );
  const les = result.scores.find((s) => s.name === 'LES');
  const header = [
    'predictor',
    'n',
    'MAE s',
    'vs LES',
    'bias s',
    ...classes.map((c) => `MAE p${c}`),
    'cover 80%',
    'width s',
  ];
  const rows = result.scores.map((s) => [
    s.name,
    String(s.n),
    fmt(s.maeS),
    les && les.maeS > 0 ? `${fmt((100 * (s.maeS - les.maeS)) / les.maeS)}%` : '—',
    fmt(s.biasS),
    ...classes.map((c) => fmt(s.byPriority.find((b) => b.priority === c)?.maeS)),
    s.coverage === null ? '—' : `${fmt(100 * s.coverage)}%`,
    fmt(s.meanWidthS, 0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const scored = result.scoredDays;
  const title =
    `scored ${scored.length} of ${result.days.length} days (${scored[0] ?? '—'} … ${scored.at(-1) ?? '—'}), ` +
    `${result.learnedWhileScoring ? 'learning walk-forward from every earlier day' : 'learning frozen after the training days'}, ` +
    `served visits; mean actual wait ${fmt(result.meanActualWaitS)} s`;
  return [title, line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** `visit_id,predicted_wait_s,lower_s,upper_s` for every scored arrival (served or not). */
export function predictionsCsv(result: BacktestResult, predictorIndex: number): string {
  const lines = ['visit_id,predicted_wait_s,lower_s,upper_s'];
  for (const v of result.visits) {
    const p = v.predictions[predictorIndex];
    if (!p) continue;
    const id = /[",\n]/.test(v.visitId) ? `"${v.visitId.replaceAll('"', '""')}"` : v.visitId;
    lines.push([id, fmt(p.pointS), fmt(p.lowerS).replace('—', ''), fmt(p.upperS).replace('—', '')].join(','));
  }
  return `${lines.join('\n')}\n`;
}

export function registerBacktest(program: Command): void {
  program
    .command('backtest')
    .description(
      'Replay a visit log walking forward in time and score wait predictors (LES, HOL, QL, QL-abandon, ServiceLoop)',
    )
    .requiredOption('--history <file>', 'visit-log CSV (format: shared/data/README.md)')
    .option('--out <file>', 'write per-visit predictions: visit_id,predicted_wait_s,lower_s,upper_s')
    .option('--train-days <n>', 'first N days only teach the predictors; score the rest', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new Error('--train-days must be a non-negative integer');
      return n;
    })
    .option('--frozen', 'learn only from the training days, not from scored days once they are over')
    .option('--predictor <name>', 'predictor written by --out', 'ServiceLoop')
    .action(
      (opts: { history: string; out?: string; trainDays?: number; frozen?: boolean; predictor: string }) => {
        backtestCommand(
          {
            history: opts.history,
            out: opts.out,
            trainDays: opts.trainDays,
            frozen: opts.frozen === true,
            predictor: opts.predictor,
            progress: process.stderr.isTTY === true,
          },
          (line) => process.stdout.write(`${line}\n`),
        );
      },
    );
}
