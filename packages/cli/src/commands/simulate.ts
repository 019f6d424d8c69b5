import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import {
  type CounterPlan,
  calibrateToHistory,
  comparePlans,
  counterHours,
  countersFromSchedule,
  type Estimate,
  fitHistory,
  formatClock,
  type HistoryCalibration,
  type HistoryFit,
  type PlanComparison,
  PlanError,
  resolvePlan,
  scheduleOfCounters,
  type TPlansFile,
  type TSimulationModel,
  ZPlansFile,
} from '@serviceloop/domain/queue/simulation/index';
import {
  DEFAULT_STANDARDS,
  forecastArrivals,
  recommendStaffing,
  type ServiceStandard,
} from '@serviceloop/domain/queue/staffing/index';
import type { Visit } from '@serviceloop/domain/queue/visit-log/index';
import { localWeekdayOf } from '@serviceloop/domain/queue/visit-log/index';
import { SingleBar } from 'cli-progress';
import { type Command, CommanderError } from 'commander';
import { readVisitLog } from './backtest.ts';
import { renderSimulationSvg, simulationChartOption } from './simulate-chart.ts';

/** Bad input (file, flag or plans file): the message says what to fix; exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface SimulateCommandOptions {
  readonly history: string;
  readonly plans?: string | undefined;
  readonly counters?: string | undefined;
  readonly day?: string | undefined;
  readonly replications?: number | undefined;
  readonly seed?: number | undefined;
  readonly intervalMinutes?: number | undefined;
  readonly out?: string | undefined;
  readonly json?: boolean | undefined;
  /** Draw a progress bar on stderr (when it is a terminal). */
  readonly progress?: boolean | undefined;
}

export interface PlanResult {
  readonly name: string;
  /** Counters open per interval of the fitted day. */
  readonly schedule: readonly number[];
  readonly counterHours: number;
  readonly peakCounters: number;
  readonly summary: PlanComparison['summary'];
}

export interface SimulateReport {
  readonly weekday: string;
  readonly dates: readonly string[];
  readonly opening: string;
  readonly closing: string;
  readonly intervalMinutes: number;
  readonly slots: readonly string[];
  /** Forecast arrivals per interval (all services), from the fitted model. */
  readonly arrivals: readonly number[];
  readonly arrivalsPerDay: number;
  readonly classes: readonly string[];
  readonly observed: HistoryFit['observed'];
  readonly calibration: Pick<HistoryCalibration, 'classes' | 'capacityFactor' | 'iterations' | 'converged'>;
  readonly standards: readonly ServiceStandard[] | undefined;
  readonly replications: number;
  readonly seed: number;
  readonly plans: readonly PlanResult[];
  readonly notes: readonly string[];
  readonly elapsedMs: number;
}

const DAY_NAMES: Record<string, number> = Object.fromEntries(
  ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'].flatMap((n, i) => [
    [n, i],
    [n.slice(0, 3), i],
    [String(i), i],
  ]),
);
const DAY_TITLES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The weekday asked for, or the busiest one of the history (most arrivals per date). */
export function pickWeekday(visits: readonly Visit[], day: string | undefined): number {
  if (day !== undefined) {
    const w = DAY_NAMES[day.trim().toLowerCase()];
    if (w === undefined) throw new UsageError(`--day: expected a weekday (mon … sun or 0–6), got "${day}"`);
    if (!visits.some((v) => localWeekdayOf(v.arrivedAt) === w)) {
      throw new UsageError(`--day ${day}: the history has no ${DAY_TITLES[w]}`);
    }
    return w;
  }
  const arrivals = new Array<number>(7).fill(0);
  const dates = Array.from({ length: 7 }, () => new Set<string>());
  for (const v of visits) {
    const w = localWeekdayOf(v.arrivedAt);
    arrivals[w]! += 1;
    dates[w]?.add(new Date(v.arrivedAt).toISOString().slice(0, 10));
  }
  let best = 0;
  for (let w = 1; w < 7; w++) {
    const per = (x: number) => (arrivals[x] ?? 0) / Math.max(1, dates[x]?.size ?? 0);
    if (per(w) > per(best)) best = w;
  }
  return best;
}

function parseCounters(text: string): number[] {
  const list = text.split(',').map((s) => s.trim());
  const out = list.map(Number);
  if (list.length === 0 || list.length > 12 || out.some((n) => !Number.isInteger(n) || n < 1 || n > 500)) {
    throw new UsageError(
      `--counters: expected up to 12 whole numbers 1–500 separated by commas, got "${text}"`,
    );
  }
  return out;
}

function readPlansFile(path: string): TPlansFile {
  if (!existsSync(path)) throw new UsageError(`--plans: no such file ${path}`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--plans: ${path} is not JSON (${error instanceof Error ? error.message : error})`);
  }
  const parsed = ZPlansFile.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new UsageError(`--plans: ${path} is not a valid plans file:\n${issues.join('\n')}`);
  }
  return parsed.data;
}

/** The staffing plan (plan.ts) for the fitted day as counters per interval on the fit's grid. */
function recommendedSchedule(
  visits: readonly Visit[],
  fit: HistoryFit,
  weekday: number,
): { schedule: number[]; standards: readonly ServiceStandard[] } {
  const priorities = [...new Set(visits.map((v) => v.priority))].sort((a, b) => a - b);
  const top = priorities.at(-1) ?? 0;
  const [everyone, vip] = DEFAULT_STANDARDS as [ServiceStandard, ServiceStandard];
  const standards: ServiceStandard[] = [everyone];
  if (priorities.length > 1) {
    standards.push({ ...vip, name: `priority ≥ ${top}: 80% within 5 min`, minPriority: top });
  }
  const plan = recommendStaffing({
    forecast: forecastArrivals(visits, { intervalMinutes: fit.intervalMinutes }),
    weekday,
    standards,
  });
  const n = (fit.closeMin - fit.openMin) / fit.intervalMinutes;
  const schedule = new Array<number>(n).fill(0);
  for (const i of plan.intervals) {
    const k = (i.slotStartMin - fit.openMin) / fit.intervalMinutes;
    if (k >= 0 && k < n) schedule[k] = i.counters;
  }
  return { schedule, standards };
}

/** The work behind `serviceloop simulate`; throws UsageError on bad input. */
export async function simulateCommand(
  options: SimulateCommandOptions,
  write: (line: string) => void,
): Promise<SimulateReport> {
  const started = performance.now();
  const replications = options.replications ?? 100;
  const seed = options.seed ?? 1;
  const intervalMinutes = options.intervalMinutes ?? 30;
  if (options.plans !== undefined && options.counters !== undefined) {
    throw new UsageError('give either --plans or --counters, not both');
  }
  if (options.out !== undefined && !['.svg', '.html'].includes(extname(options.out).toLowerCase())) {
    throw new UsageError(`--out: write a .svg chart or an .html report, not "${options.out}"`);
  }
  if (!existsSync(options.history)) throw new UsageError(`--history: no such file ${options.history}`);
  let log: ReturnType<typeof readVisitLog>;
  try {
    log = readVisitLog(options.history);
  } catch (error) {
    throw new UsageError(`--history: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (log.visits.length === 0) {
    throw new UsageError(`--history: ${options.history} has no valid visits (${log.rejected} rows rejected)`);
  }
  const file = options.plans === undefined ? undefined : readPlansFile(options.plans);
  const counterList = options.counters === undefined ? undefined : parseCounters(options.counters);
  const weekday = pickWeekday(log.visits, options.day);

  let fit: HistoryFit;
  try {
    fit = fitHistory(log.visits, {
      weekday,
      intervalMinutes,
      ...(file?.policy ? { policy: file.policy } : {}),
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (file?.balking) fit = { ...fit, model: { ...fit.model, balking: file.balking } };
  const log1 = (line: string) => {
    if (!options.json) write(line);
  };
  log1(
    `read ${log.visits.length} visits (${log.rejected} rejected); fitting ${DAY_TITLES[weekday]} from ${fit.dates.length} date(s) ` +
      `(${fit.dates.join(', ')}), open ${formatClock(fit.openMin)}–${formatClock(fit.closeMin)}, ` +
      `${fit.observed.overall.arrivalsPerDay.toFixed(0)} arrivals a day`,
  );

  const nSlots = (fit.closeMin - fit.openMin) / fit.intervalMinutes;
  const intervalS = fit.intervalMinutes * 60;
  const allSkills = fit.model.services.map((s) => s.code);
  const plans: CounterPlan[] = [];
  let standards: readonly ServiceStandard[] | undefined;
  try {
    if (file) {
      for (const spec of file.plans) plans.push(resolvePlan(spec, fit));
    } else if (counterList) {
      for (const n of counterList) plans.push(resolvePlan({ name: `${n} counters`, counters: n }, fit));
    } else {
      const rec = recommendedSchedule(log.visits, fit, weekday);
      standards = rec.standards;
      const shifted = (d: number) => rec.schedule.map((n) => (n > 0 ? Math.max(1, n + d) : 0));
      for (const [name, d] of [
        ['recommended −1', -1],
        ['recommended', 0],
        ['recommended +1', 1],
      ] as const) {
        plans.push({ name, counters: countersFromSchedule(shifted(d), intervalS, () => allSkills) });
      }
    }
  } catch (error) {
    if (error instanceof PlanError) throw new UsageError(`--plans: ${error.message}`);
    throw error;
  }

  // Patience from the history: the censored MLE, then calibrated by simulation so the staffing as
  // it was abandons and waits as the history did.
  const calibrationReplications = 10;
  const maxRounds = 20;
  const bar =
    options.progress === true
      ? new SingleBar({
          format: '{phase} [{bar}] {percentage}% | {value}/{total} simulated days | {plan}',
          clearOnComplete: true,
          stream: process.stderr,
        })
      : null;
  const simulationDays = (plans.length + 1) * replications;
  bar?.start(maxRounds * calibrationReplications + simulationDays, 0, {
    phase: 'calibrating',
    plan: 'staffing as it was',
  });
  let calibration: HistoryCalibration;
  try {
    calibration = calibrateToHistory(fit, {
      replications: calibrationReplications,
      seed: seed + 7919,
      iterations: maxRounds,
      onRound: (round) => bar?.update(round * calibrationReplications),
    });
  } catch (error) {
    bar?.stop();
    throw error;
  }
  const calibrationDays = calibration.iterations * calibrationReplications;
  bar?.setTotal(calibrationDays + simulationDays);
  const base: TSimulationModel = calibration.model;
  plans.unshift({ name: 'as it was', counters: base.counters });

  let comparisons: PlanComparison[];
  try {
    comparisons = comparePlans(base, plans, {
      replications,
      seed,
      onProgress: (done) =>
        bar?.update(calibrationDays + done, {
          phase: 'simulating',
          plan: plans[Math.min(plans.length - 1, Math.floor((done - 1) / replications))]?.name,
        }),
    });
  } finally {
    bar?.stop();
  }
  log1(
    `patience calibrated to the history in ${calibration.iterations} rounds${calibration.converged ? '' : ' (not converged)'}: ${Object.entries(
      calibration.classes,
    )
      .map(
        ([c, x]) =>
          `${c} ${pct(x.quickShare)} leave at once, others wait ${num(x.meanPatienceS / 60, 1)} min on average`,
      )
      .join('; ')}`,
  );
  const dayS = (fit.closeMin - fit.openMin) * 60;
  const results: PlanResult[] = comparisons.map((c, i) => {
    const counters = plans[i]?.counters ?? [];
    const schedule =
      i === 0
        ? calibration.schedule.map((n) => Math.round(n * 10) / 10)
        : scheduleOfCounters(counters, intervalS, nSlots);
    return {
      name: c.name,
      schedule,
      counterHours: counterHours(counters, dayS),
      peakCounters: Math.max(0, ...schedule.map((n) => Math.ceil(n))),
      summary: c.summary,
    };
  });

  const arrivals = new Array<number>(nSlots).fill(0);
  for (const s of base.services)
    for (const seg of s.arrivals) {
      const k = Math.floor(seg.fromS / intervalS);
      if (k < nSlots) arrivals[k]! += (seg.perHour * (seg.toS - seg.fromS)) / 3600;
    }
  const report: SimulateReport = {
    weekday: DAY_TITLES[weekday] ?? String(weekday),
    dates: fit.dates,
    opening: formatClock(fit.openMin),
    closing: formatClock(fit.closeMin),
    intervalMinutes: fit.intervalMinutes,
    slots: Array.from({ length: nSlots }, (_, i) => formatClock(fit.openMin + i * fit.intervalMinutes)),
    arrivals: arrivals.map((n) => Math.round(n * 10) / 10),
    arrivalsPerDay: fit.observed.overall.arrivalsPerDay,
    classes: base.policy.classes.map((c) => c.id).filter((id) => fit.observed.byClass[id] !== undefined),
    observed: fit.observed,
    calibration: {
      classes: calibration.classes,
      capacityFactor: calibration.capacityFactor,
      iterations: calibration.iterations,
      converged: calibration.converged,
    },
    standards,
    replications,
    seed,
    plans: results,
    notes: fit.notes,
    elapsedMs: Math.round(performance.now() - started),
  };

  if (options.json) write(JSON.stringify(report, jsonNumbers, 2));
  else write(formatSimulationTable(report));
  if (options.out) {
    const svg = await renderSimulationSvg(simulationChartOption(report), 1000, 720);
    const content = extname(options.out).toLowerCase() === '.html' ? htmlReport(report, svg) : svg;
    writeFileSync(options.out, content);
    log1(`wrote ${options.out}`);
  }
  return report;
}

/** NaN and ±Infinity are not JSON: write null. */
function jsonNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

const pct = (x: number | undefined): string =>
  x === undefined || Number.isNaN(x) ? '—' : `${(100 * x).toFixed(1)}%`;
const num = (x: number | undefined, digits = 0): string =>
  x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
const withCi = (e: Estimate | undefined, scale = 1, digits = 0): string => {
  if (e === undefined || Number.isNaN(e.mean)) return '—';
  const half = Number.isFinite(e.halfWidth) ? ` ±${(e.halfWidth * scale).toFixed(digits)}` : '';
  return `${(e.mean * scale).toFixed(digits)}${half}`;
};

/** Plans side by side: one column per plan (the history's own figures first), one row per figure. */
export function formatSimulationTable(report: SimulateReport): string {
  const columns = ['history', ...report.plans.map((p) => p.name)];
  const rows: string[][] = [];
  const add = (label: string, observed: string, perPlan: (p: PlanResult) => string) =>
    rows.push([label, observed, ...report.plans.map(perPlan)]);
  add('counter-hours', '—', (p) => num(p.counterHours, 1));
  add('peak counters', '—', (p) => num(p.peakCounters));
  const groups = [...report.classes.map((c) => [c, c] as const), ['all', 'all'] as const];
  for (const [id, label] of groups) {
    const o = id === 'all' ? report.observed.overall : report.observed.byClass[id];
    const est = (p: PlanResult) => (id === 'all' ? p.summary.overall : p.summary.byClass[id]);
    add(`mean wait ${label} s`, num(o?.meanWaitS), (p) => withCi(est(p)?.meanWaitS));
    add(`p90 wait ${label} s`, num(o?.p90WaitS), (p) => withCi(est(p)?.p90WaitS));
  }
  for (const [id, label] of groups) {
    const o = id === 'all' ? report.observed.overall : report.observed.byClass[id];
    const est = (p: PlanResult) => (id === 'all' ? p.summary.overall : p.summary.byClass[id]);
    add(`abandoned ${label} %`, num((o?.abandonmentRate ?? Number.NaN) * 100, 1), (p) =>
      withCi(est(p)?.abandonmentRate, 100, 1),
    );
  }
  if (report.plans.some((p) => p.summary.overall.balkingRate.mean > 0)) {
    add('balked %', '—', (p) => withCi(p.summary.overall.balkingRate, 100, 1));
  }
  add('utilisation %', '—', (p) => withCi(p.summary.utilisation, 100, 1));
  const header = ['', ...columns];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const title =
    `${report.weekday}, ${report.opening}–${report.closing}, ${report.arrivalsPerDay.toFixed(0)} arrivals a day ` +
    `(mean of ${report.dates.length} date(s)); ${report.replications} replications per plan, seed ${report.seed}; ` +
    'figures are means with 95% confidence intervals; waits are arrival → call of served visits';
  const footer = [
    ...(report.standards
      ? [
          `recommended = staffing plan meeting ${report.standards.map((s) => s.name).join(' and ')} (Erlang C per interval)`,
        ]
      : []),
    `simulated in ${(report.elapsedMs / 1000).toFixed(1)} s`,
  ];
  return [title, line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ...footer].join(
    '\n',
  );
}

function htmlReport(report: SimulateReport, svg: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ServiceLoop simulation — ${esc(report.weekday)}</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;color:#222}pre{font-size:13px;background:#f6f6f6;padding:12px;overflow:auto}</style>
</head><body>
<h1>Staffing plans compared — ${esc(report.weekday)}</h1>
${svg}
<pre>${esc(formatSimulationTable(report))}</pre>
<h2>How the model was fitted</h2>
<ul>${report.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
</body></html>
`;
}

export function registerSimulate(program: Command): void {
  const int = (name: string, min: number, max: number) => (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new UsageError(`${name} must be a whole number from ${min} to ${max}, got "${v}"`);
    }
    return n;
  };
  program
    .command('simulate')
    .description(
      'Fit a branch day from a visit log and compare staffing plans by simulation (waits per class, abandonment, utilisation)',
    )
    .requiredOption('--history <file>', 'visit-log CSV (format: shared/data/README.md)')
    .option(
      '--plans <file>',
      'plans.json: the staffing plans to compare (format: packages/domain/src/queue/simulation/README.md)',
    )
    .option('--counters <list>', 'compare that many all-skill counters open all day, e.g. 4,5,6')
    .option('--day <weekday>', 'weekday to fit: mon … sun (default: the busiest in the history)')
    .option('--replications <n>', 'simulated days per plan', '100')
    .option('--seed <n>', 'random seed (same seed, same figures)', '1')
    .option('--interval <minutes>', 'length of the arrival and staffing intervals', '30')
    .option('--out <file>', 'write a chart (.svg) or a report with table and chart (.html)')
    .option('--json', 'print the full result as JSON instead of the table')
    // A missing or unknown option is bad input too: exit 2 like the command's own checks.
    .exitOverride((error) => {
      throw error.exitCode === 1 ? new CommanderError(2, error.code, error.message) : error;
    })
    .addHelpText(
      'after',
      '\nWith neither --plans nor --counters it compares the staffing plan recommended for the day (Erlang C,\n' +
        '80% called within 10 min, top priority within 5) with one counter less and one more. The first\n' +
        'column is always the staffing as it was in the history, to check the model against it.\nExit codes: 0 done, 2 bad input.',
    )
    .action(
      async (opts: {
        history: string;
        plans?: string;
        counters?: string;
        day?: string;
        replications: string;
        seed: string;
        interval: string;
        out?: string;
        json?: boolean;
      }) => {
        try {
          const interval = int('--interval', 5, 120)(opts.interval);
          if (1440 % interval !== 0) throw new UsageError('--interval must divide a day (e.g. 15, 30, 60)');
          await simulateCommand(
            {
              history: opts.history,
              plans: opts.plans,
              counters: opts.counters,
              day: opts.day,
              replications: int('--replications', 2, 100_000)(opts.replications),
              seed: int('--seed', 0, 2 ** 31 - 1)(opts.seed),
              intervalMinutes: interval,
              out: opts.out,
              json: opts.json === true,
              progress: process.stderr.isTTY === true,
            },
            (line) => process.stdout.write(`${line}\n`),
          );
        } catch (error) {
          if (!(error instanceof UsageError)) throw error;
          process.stderr.write(`serviceloop simulate: ${error.message}\n`);
          process.exitCode = 2;
        }
      },
    );
}
