import type { TCallingPolicyConfig } from '../policy/config.ts';
import type { Visit } from '../visit-log/schema.ts';
import type { SimVisit } from './simulate.ts';

export interface SimulatedLogOptions {
  readonly site: string;
  /** Timeline ms (visit-log time, see visit-log/time.ts) of simulation time 0, e.g. 09:00 that day. */
  readonly startAt: number;
  readonly idPrefix?: string;
  /**
   * Class → visit-log priority (higher = served earlier). Default: classes ranked by weight,
   * the lightest 0, so a log of a simulated day reads like the real sample.
   */
  readonly priorityOfClass?: Readonly<Record<string, number>>;
}

/**
 * Simulated visits as visit-log visits, for exporting a simulated day as CSV or backtesting the
 * wait predictor on days with a known model. Balking customers never took a ticket, so they
 * are left out; those still waiting at closing count as abandoned at closing time. Times are
 * rounded to whole seconds, the log's resolution.
 */
export function simulatedVisitsToLog(
  visits: readonly SimVisit[],
  policy: TCallingPolicyConfig,
  options: SimulatedLogOptions,
): Visit[] {
  const priority = options.priorityOfClass ?? defaultPriorities(policy);
  const at = (s: number): number => options.startAt + Math.round(s) * 1000;
  const out: Visit[] = [];
  for (const v of visits) {
    if (v.outcome === 'balked') continue;
    const served = v.outcome === 'served';
    const called = v.calledS === undefined ? null : at(v.calledS);
    out.push({
      visitId: `${options.idPrefix ?? 'sim-'}${v.index + 1}`,
      site: options.site,
      service: v.serviceCode,
      priority: priority[v.priorityClass] ?? 0,
      arrivedAt: at(v.arrivedS),
      calledAt: called,
      serviceStartedAt: served ? called : null,
      serviceEndedAt: served && v.endedS !== undefined ? at(v.endedS) : null,
      outcome: served ? 'served' : 'abandoned',
      counter: served ? (v.counterId ?? null) : null,
      leftAt: served || v.endedS === undefined ? null : at(v.endedS),
    });
  }
  return out;
}

function defaultPriorities(policy: TCallingPolicyConfig): Record<string, number> {
  const weights = [...new Set(policy.classes.map((c) => c.weight))].sort((a, b) => a - b);
  return Object.fromEntries(policy.classes.map((c) => [c.id, weights.indexOf(c.weight)]));
}
