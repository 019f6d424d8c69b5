/** Small numeric helpers for interval predictions. */

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for x > 0.
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const xm = x - 1;
  let a = c[0] as number;
  const t = xm + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += (c[i] as number) / (xm + i);
  return 0.5 * Math.log(2 * Math.PI) + (xm + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised lower incomplete gamma P(a, x) (series below a+1, continued fraction above). */
export function gammaCdf(shape: number, x: number): number {
  if (x <= 0) return 0;
  const lg = logGamma(shape);
  if (x < shape + 1) {
    let sum = 1 / shape;
    let term = sum;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (shape + n);
      sum += term;
      if (term < sum * 1e-15) break;
    }
    return Math.min(1, sum * Math.exp(-x + shape * Math.log(x) - lg));
  }
  let b = x + 1 - shape;
  let c = 1e300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - shape);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.max(0, 1 - Math.exp(-x + shape * Math.log(x) - lg) * h);
}

/** Quantile of a gamma distribution with the given shape and scale, by bisection on the CDF. */
export function gammaQuantile(shape: number, scale: number, p: number): number {
  if (p <= 0) return 0;
  let lo = 0;
  let hi = Math.max(1, shape) * 4;
  while (gammaCdf(shape, hi) < p) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (gammaCdf(shape, mid) < p) lo = mid;
    else hi = mid;
    if (hi - lo < 1e-9 * hi) break;
  }
  return ((lo + hi) / 2) * scale;
}

/** Interval of a sum of independent exponentials, by a gamma with the same mean and variance. */
export function hypoexponentialInterval(
  rates: readonly number[],
  lowerP: number,
  upperP: number,
): [number, number] {
  let mean = 0;
  let variance = 0;
  for (const r of rates) {
    mean += 1 / r;
    variance += 1 / (r * r);
  }
  if (mean <= 0 || variance <= 0) return [0, 0];
  const shape = (mean * mean) / variance;
  const scale = variance / mean;
  return [gammaQuantile(shape, scale, lowerP), gammaQuantile(shape, scale, upperP)];
}

/** Empirical quantile (linear interpolation) of an already sorted list. */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, p));
  const i = Math.floor(pos);
  const lo = sorted[i] as number;
  const hi = sorted[Math.min(sorted.length - 1, i + 1)] as number;
  return lo + (hi - lo) * (pos - i);
}
