/**
 * `npm run bench:sim`: the same M/M/c model (λ = 100 per 30 min, 180 s mean service, 14
 * counters, FIFO, no abandonment) in ServiceLoop's simulator and in SimPy, with the same number
 * of customers and events counted the same way (arrivals + service starts + departures).
 * Each side is timed on the wall clock, simulation only, best of N interleaved runs (ours after
 * a warm-up run), so both sample the same moments of a shared machine. `ratio_cpu` repeats the
 * comparison in process CPU time, which counts Node's parallel GC threads against us.
 * Details go to stderr; stdout gets ONE JSON line.
 *
 * wq_error_vs_erlang is our mean wait against Erlang C as a signed fraction, pooled over the
 * timed runs plus extra replications (a million-customer run still has ~2% noise in this
 * model, because 83% of customers do not wait at all).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  deriveSeed,
  erlangCMeanWaitS,
  estimate,
  mmcModel,
  simulateDay,
} from '../packages/domain/src/queue/simulation/index.ts';

/** The Debian interpreter with python3-simpy3, not a pyenv one; overridable for other systems. */
const PYTHON = process.env.BENCH_SIM_PYTHON ?? '/usr/bin/python3';
const CUSTOMERS = Number(process.env.BENCH_SIM_CUSTOMERS ?? 300_000);
const ROUNDS = 3;
const OUR_RUNS_PER_ROUND = 3;
/** Customers simulated in total by our side for the Erlang C comparison. */
const ACCURACY_CUSTOMERS = Number(process.env.BENCH_SIM_ACCURACY_CUSTOMERS ?? 10_000_000);
const ARRIVALS_PER_HOUR = 200;
const MEAN_SERVICE_S = 180;
const SERVERS = 14;
const WARMUP_S = 7200;

interface SimpyRun {
  readonly customers: number;
  readonly events: number;
  readonly seconds: number;
  readonly cpu_seconds: number;
  readonly mean_wait_s: number;
  readonly simpy_version: string;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function fail(message: string): never {
  log(`bench:sim: ${message}`);
  process.exit(1);
}

function runSimpy(seed: number): SimpyRun {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'simpy_mmc.py');
  const args = [
    script,
    '--customers',
    String(CUSTOMERS),
    '--arrivals-per-hour',
    String(ARRIVALS_PER_HOUR),
    '--mean-service-s',
    String(MEAN_SERVICE_S),
    '--servers',
    String(SERVERS),
    '--warmup-s',
    String(WARMUP_S),
    '--seed',
    String(seed),
  ];
  const res = spawnSync(PYTHON, args, { encoding: 'utf8' });
  if (res.error !== undefined) fail(`cannot run ${PYTHON}: ${res.error.message}`);
  if (res.status !== 0) fail(`SimPy run failed (exit ${res.status}): ${res.stderr.trim()}`);
  return JSON.parse(res.stdout.trim().split('\n').at(-1) ?? '') as SimpyRun;
}

function main(): void {
  const probe = spawnSync(PYTHON, ['-c', 'import simpy'], { encoding: 'utf8' });
  if (probe.error !== undefined)
    fail(`cannot run ${PYTHON} (${probe.error.message}); SimPy needs python3-simpy3.`);
  if (probe.status !== 0) {
    fail(
      `${PYTHON} cannot import simpy. Install the Debian package python3-simpy3 ` +
        `(apt-get install python3-simpy3); the pyenv python is not used. ${probe.stderr ?? ''}`.trim(),
    );
  }

  const expected = erlangCMeanWaitS(ARRIVALS_PER_HOUR, MEAN_SERVICE_S, SERVERS);
  // Horizon long enough that the arrival cap, not the horizon, ends every run.
  const horizonS = ((CUSTOMERS * 3600) / ARRIVALS_PER_HOUR) * 1.5;
  const model = mmcModel({
    arrivalsPerHour: ARRIVALS_PER_HOUR,
    meanServiceS: MEAN_SERVICE_S,
    servers: SERVERS,
    horizonS,
    warmupS: WARMUP_S,
  });

  simulateDay(model, { seed: 1, maxArrivals: CUSTOMERS }); // JIT warm-up, not timed
  let bestOurs = Number.POSITIVE_INFINITY;
  let bestSimpy = Number.POSITIVE_INFINITY;
  let bestOursCpu = Number.POSITIVE_INFINITY;
  let bestSimpyCpu = Number.POSITIVE_INFINITY;
  const waits: number[] = [];
  const simpyWaits: number[] = [];
  let run = 0;
  const timeOurs = (): void => {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const r = simulateDay(model, { seed: deriveSeed(7, run), maxArrivals: CUSTOMERS });
    const cpu = process.cpuUsage(cpuStarted);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const seconds = (performance.now() - started) / 1000;
    run++;
    if (r.events !== 3 * CUSTOMERS) fail(`expected ${3 * CUSTOMERS} events, counted ${r.events}`);
    bestOurs = Math.min(bestOurs, seconds);
    bestOursCpu = Math.min(bestOursCpu, cpuSeconds);
    waits.push(r.overall.meanWaitS);
    log(
      `serviceloop run ${run}: cpu ${cpuSeconds.toFixed(3)} s, wall ${seconds.toFixed(3)} s, ` +
        `Wq ${r.overall.meanWaitS.toFixed(3)} s`,
    );
  };
  // Interleaved rounds, so that both sides sample the same moments of a shared machine.
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < OUR_RUNS_PER_ROUND; i++) timeOurs();
    const r = runSimpy(round + 1);
    if (r.events !== 3 * CUSTOMERS) fail(`SimPy counted ${r.events} events, expected ${3 * CUSTOMERS}`);
    bestSimpy = Math.min(bestSimpy, r.seconds);
    bestSimpyCpu = Math.min(bestSimpyCpu, r.cpu_seconds);
    simpyWaits.push(r.mean_wait_s);
    log(
      `simpy ${r.simpy_version} run ${round + 1}: cpu ${r.cpu_seconds.toFixed(3)} s, wall ${r.seconds.toFixed(3)} s, ` +
        `Wq ${r.mean_wait_s.toFixed(3)} s`,
    );
  }
  // More of our runs, untimed, so the Erlang C comparison is not lost in sampling noise.
  while (waits.length * CUSTOMERS < ACCURACY_CUSTOMERS) {
    waits.push(simulateDay(model, { seed: deriveSeed(7, run++), maxArrivals: CUSTOMERS }).overall.meanWaitS);
  }
  const ourEvents = 3 * CUSTOMERS;
  const simpyEvents = 3 * CUSTOMERS;

  const wq = estimate(waits);
  const eventsPerS = ourEvents / bestOurs;
  const simpyEventsPerS = simpyEvents / bestSimpy;
  log(
    `Erlang C Wq ${expected.toFixed(3)} s; ServiceLoop ${wq.mean.toFixed(3)} ± ${wq.halfWidth.toFixed(3)} s ` +
      `(95% CI over ${wq.n} runs of ${CUSTOMERS} customers); SimPy ${estimate(simpyWaits).mean.toFixed(3)} s`,
  );
  const round = (x: number, digits: number) => Number(x.toFixed(digits));
  process.stdout.write(
    `${JSON.stringify({
      events_per_s: Math.round(eventsPerS),
      simpy_events_per_s: Math.round(simpyEventsPerS),
      ratio: round(eventsPerS / simpyEventsPerS, 2),
      wq_error_vs_erlang: round((wq.mean - expected) / expected, 4),
      ratio_cpu: round(bestSimpyCpu / bestOursCpu, 2),
      wq_ci95_fraction: round(wq.halfWidth / expected, 4),
      customers: CUSTOMERS,
      erlang_wq_s: round(expected, 3),
    })}\n`,
  );
}

main();
