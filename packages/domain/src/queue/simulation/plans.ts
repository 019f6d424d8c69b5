import { z } from 'zod';
import { ZCallingPolicyConfig } from '../policy/config.ts';
import type { HistoryFit } from './fit.ts';
import { type TSimCounter, ZBalking } from './model.ts';
import type { CounterPlan } from './replicate.ts';

/** Local wall-clock time `HH:MM` (24:00 allowed as the end of the day). */
const ZClock = z
  .string()
  .trim()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time HH:MM');

const ZWindow = z
  .strictObject({ from: ZClock, to: ZClock })
  .refine((w) => clockMin(w.to) > clockMin(w.from), { message: '`to` must be after `from`' });

const ZSkills = z.array(z.string().trim().min(1).max(64)).min(1).max(64);

/** One counter, or `count` identical ones: skills in order of preference (default: every service). */
export const ZPlanCounter = z.strictObject({
  id: z.string().trim().min(1).max(32).optional(),
  skills: ZSkills.optional(),
  /** Working periods; the gaps are breaks. Absent: the whole opening hours. */
  shifts: z.array(ZWindow).min(1).max(48).optional(),
  count: z.number().int().min(1).max(200).default(1),
});

/**
 * A staffing plan in a plans file. Exactly one of:
 * - `counters: 5` — that many counters with every skill, open all day;
 * - `counters: [{ skills, shifts, count }]` — counters one by one;
 * - `schedule: [{ from, to, counters }]` — how many all-skill counters are open in each window.
 */
export const ZPlanSpec = z
  .strictObject({
    name: z.string().trim().min(1).max(40),
    counters: z.union([z.number().int().min(1).max(500), z.array(ZPlanCounter).min(1).max(200)]).optional(),
    schedule: z
      .array(z.strictObject({ from: ZClock, to: ZClock, counters: z.number().int().min(0).max(500) }))
      .min(1)
      .max(96)
      .optional(),
    /** Skills of the counters of `counters: N` or `schedule` (default every service). */
    skills: ZSkills.optional(),
  })
  .refine((p) => (p.counters === undefined) !== (p.schedule === undefined), {
    message: 'give either `counters` or `schedule`',
  });
export type TPlanSpec = z.infer<typeof ZPlanSpec>;

/** `--plans plans.json`: the plans to compare, and optionally the policy and balking to simulate. */
export const ZPlansFile = z
  .strictObject({
    plans: z.array(ZPlanSpec).min(1).max(12),
    /** Calling policy with class ids `p0`, `p1` … for the history's priorities 0, 1 …. */
    policy: ZCallingPolicyConfig.optional(),
    /** Customers who walk out on seeing the queue (a visit log cannot show them). */
    balking: ZBalking.optional(),
  })
  .refine((f) => new Set(f.plans.map((p) => p.name)).size === f.plans.length, {
    message: 'plan names must be unique',
    path: ['plans'],
  });
export type TPlansFile = z.infer<typeof ZPlansFile>;

export class PlanError extends Error {
  override readonly name = 'PlanError';
}

export function clockMin(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

export function formatClock(min: number): string {
  if (Math.round(min) === 1440) return '24:00';
  const m = ((Math.round(min) % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** A plan from a file as simulator counters on the fit's time base (0 = opening). */
export function resolvePlan(spec: TPlanSpec, fit: HistoryFit): CounterPlan {
  const all = fit.model.services.map((s) => s.code);
  const skillsOf = (names: readonly string[] | undefined, where: string): string[] =>
    names === undefined ? all : names.map((n) => modelServiceCode(fit, n, where));
  const dayS = (fit.closeMin - fit.openMin) * 60;
  const toS = (clock: string): number => Math.min(dayS, Math.max(0, (clockMin(clock) - fit.openMin) * 60));
  const windowS = (w: { from: string; to: string }) => ({ fromS: toS(w.from), toS: toS(w.to) });
  const counters: TSimCounter[] = [];
  if (typeof spec.counters === 'number') {
    const skills = skillsOf(spec.skills, spec.name);
    for (let k = 1; k <= spec.counters; k++) counters.push({ id: `c${k}`, skills });
  } else if (spec.counters !== undefined) {
    for (const [i, c] of spec.counters.entries()) {
      const skills = skillsOf(c.skills, `${spec.name}, counter ${c.id ?? i + 1}`);
      const shifts = c.shifts?.map(windowS).filter((s) => s.toS > s.fromS);
      if (shifts !== undefined && shifts.length === 0) {
        throw new PlanError(
          `${spec.name}: counter ${c.id ?? i + 1} works only outside the opening hours ${formatClock(fit.openMin)}–${formatClock(fit.closeMin)}`,
        );
      }
      for (let k = 1; k <= c.count; k++) {
        const base = c.id ?? `c${i + 1}`;
        counters.push({ id: c.count > 1 ? `${base}-${k}` : base, skills, ...(shifts ? { shifts } : {}) });
      }
    }
  } else {
    const skills = skillsOf(spec.skills, spec.name);
    const windows = (spec.schedule ?? [])
      .map((w) => ({ ...windowS(w), counters: w.counters }))
      .filter((w) => w.toS > w.fromS);
    counters.push(...countersFromWindows(windows, () => skills));
  }
  if (counters.length === 0) {
    throw new PlanError(
      `${spec.name}: no counter is open during the opening hours ${formatClock(fit.openMin)}–${formatClock(fit.closeMin)}`,
    );
  }
  const uncovered = all.filter((code) => !counters.some((c) => c.skills.includes(code)));
  if (uncovered.length > 0) {
    throw new PlanError(
      `${spec.name}: no counter serves ${uncovered.map((c) => fit.serviceCodes[c] ?? c).join(', ')}`,
    );
  }
  const ids = new Set<string>();
  for (const c of counters) {
    if (ids.has(c.id)) throw new PlanError(`${spec.name}: counter id ${c.id} is used twice`);
    ids.add(c.id);
  }
  return { name: spec.name, counters };
}

/** The model's code of a history service code (case-insensitive), or a PlanError naming the known ones. */
export function modelServiceCode(fit: HistoryFit, name: string, where: string): string {
  const wanted = name.trim().toLowerCase();
  for (const [model, history] of Object.entries(fit.serviceCodes)) {
    if (history.toLowerCase() === wanted || model === wanted) {
      if (fit.model.services.some((s) => s.code === model)) return model;
    }
  }
  const known = fit.model.services.map((s) => fit.serviceCodes[s.code] ?? s.code).join(', ');
  throw new PlanError(`${where}: unknown service "${name}" (the history has ${known})`);
}

/**
 * Counters for windows each with a number open: counter k works in every window with at least k
 * open; touching windows are merged into one shift.
 */
export function countersFromWindows(
  windows: readonly { readonly fromS: number; readonly toS: number; readonly counters: number }[],
  skills: (k: number) => readonly string[],
  idPrefix = 'c',
): TSimCounter[] {
  const sorted = [...windows].sort((a, b) => a.fromS - b.fromS);
  const peak = Math.max(0, ...sorted.map((w) => w.counters));
  const out: TSimCounter[] = [];
  for (let k = 1; k <= peak; k++) {
    const shifts: { fromS: number; toS: number }[] = [];
    for (const w of sorted) {
      if (w.counters < k) continue;
      const last = shifts.at(-1);
      if (last !== undefined && last.toS >= w.fromS) last.toS = Math.max(last.toS, w.toS);
      else shifts.push({ fromS: w.fromS, toS: w.toS });
    }
    out.push({ id: `${idPrefix}${k}`, skills: [...skills(k)], shifts });
  }
  return out;
}

/** Counter-hours of a layout within [0, dayS] (a counter without shifts works the whole day). */
export function counterHours(counters: readonly TSimCounter[], dayS: number): number {
  let s = 0;
  for (const c of counters) {
    if (c.shifts === undefined) s += dayS;
    else for (const w of c.shifts) s += Math.max(0, Math.min(dayS, w.toS) - Math.max(0, w.fromS));
  }
  return s / 3600;
}
