import { describe, expect, it } from 'vitest';
import { defaultCallingPolicyConfig } from '../policy/config.ts';
import { simulateDay, simulatedVisitsToLog, ZSimulationModel } from '../simulation/index.ts';
import { runBacktest } from './backtest.ts';
import { holPredictor, lesPredictor, qlAbandonPredictor, qlPredictor } from './classical.ts';
import { serviceLoopPredictor } from './serviceloop.ts';

const H = 3600;

/**
 * A branch day from the team's simulator, called by the live calling policy (weighted waits with
 * VIP head start, not strict priority), two services with mixed-skill counters, lognormal service
 * and impatient customers: a harder world than the predictor's own assumptions.
 */
const model = ZSimulationModel.parse({
  policy: defaultCallingPolicyConfig,
  services: [
    {
      code: 'cash',
      arrivals: [
        { fromS: 0, toS: 2 * H, perHour: 40 },
        { fromS: 2 * H, toS: 5 * H, perHour: 70 },
        { fromS: 5 * H, toS: 8 * H, perHour: 45 },
      ],
      serviceTime: { kind: 'lognormal', meanS: 240, sdS: 200 },
      classMix: { vip: 0.15, assisted: 0.1, ordinary: 0.75 },
    },
    {
      code: 'loan',
      arrivals: [{ fromS: 0, toS: 8 * H, perHour: 12 }],
      serviceTime: { kind: 'lognormal', meanS: 900, sdS: 600 },
      classMix: { vip: 0.3, ordinary: 0.7 },
    },
  ],
  counters: [
    ...Array.from({ length: 4 }, (_, i) => ({ id: `c${i}`, skills: ['cash'] })),
    { id: 'm1', skills: ['cash', 'loan'] },
    { id: 'm2', skills: ['loan', 'cash'] },
    { id: 'l1', skills: ['loan'] },
  ],
  patience: {
    ordinary: { kind: 'exponential', meanS: 1200 },
    assisted: { kind: 'exponential', meanS: 1800 },
    vip: { kind: 'exponential', meanS: 900 },
  },
});

// With only 3 days to learn from the interval over-covers (≈ 89%): leave-one-day-out residuals
// come from fits on 2 days, worse than the final fit on 3. From 4 days on it settles near 80%.
describe('backtest on simulated branch days (queue/simulation, live calling policy)', () => {
  it('ServiceLoop beats LES by ≥ 25% with a calibrated interval, learning frozen after 4 days', () => {
    const visits = Array.from({ length: 8 }, (_, d) => {
      const r = simulateDay(model, { seed: 40 + d, recordVisits: true });
      return simulatedVisitsToLog(r.visits ?? [], model.policy, {
        site: 'sim',
        startAt: Date.UTC(2030, 0, d + 1, 9),
        idPrefix: `d${d}-`,
      });
    }).flat();
    const r = runBacktest({
      visits,
      predictors: [
        lesPredictor(),
        holPredictor(),
        qlPredictor(),
        qlAbandonPredictor(),
        serviceLoopPredictor(),
      ],
      trainDays: 4,
      learnWhileScoring: false,
    });
    const les = r.scores[0];
    const sl = r.scores[4];
    expect(sl?.n).toBeGreaterThan(1000);
    expect(sl?.maeS).toBeLessThan(0.75 * (les?.maeS ?? 0));
    expect(sl?.coverage).toBeGreaterThan(0.72);
    expect(sl?.coverage).toBeLessThan(0.88);
  });
});
