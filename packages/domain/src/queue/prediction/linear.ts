/** Ridge least squares by normal equations; the feature counts here are tiny. */
export function fitRidge(
  rows: readonly (readonly number[])[],
  y: readonly number[],
  ridge = 1e-6,
  weights?: readonly number[],
): number[] {
  const k = rows[0]?.length ?? 0;
  const a = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
  rows.forEach((x, n) => {
    const w = weights?.[n] ?? 1;
    const yn = y[n] as number;
    for (let i = 0; i < k; i++) {
      const xi = (x[i] as number) * w;
      const row = a[i] as number[];
      for (let j = 0; j < k; j++) row[j] = (row[j] as number) + xi * (x[j] as number);
      row[k] = (row[k] as number) + xi * yn;
    }
  });
  const scale = rows.length * ridge;
  for (let i = 1; i < k; i++) (a[i] as number[])[i] = ((a[i] as number[])[i] as number) + scale; // intercept unpenalised
  return solve(a, k);
}

/** Least absolute deviations by iteratively reweighted least squares: errors are scored by MAE. */
export function fitLeastAbsolute(
  rows: readonly (readonly number[])[],
  y: readonly number[],
  iterations = 20,
): number[] {
  let beta = fitRidge(rows, y);
  for (let it = 0; it < iterations; it++) {
    const weights = rows.map((x, n) => 1 / Math.max(1e-3, Math.abs((y[n] as number) - dot(beta, x))));
    beta = fitRidge(rows, y, 1e-6, weights);
  }
  return beta;
}

export function dot(beta: readonly number[], x: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < beta.length; i++) s += (beta[i] as number) * (x[i] as number);
  return s;
}

function solve(a: number[][], k: number): number[] {
  for (let col = 0; col < k; col++) {
    let pivot = col;
    for (let r = col + 1; r < k; r++)
      if (Math.abs((a[r] as number[])[col] as number) > Math.abs((a[pivot] as number[])[col] as number))
        pivot = r;
    [a[col], a[pivot]] = [a[pivot] as number[], a[col] as number[]];
    const p = (a[col] as number[])[col] as number;
    if (Math.abs(p) < 1e-12) continue;
    for (let r = 0; r < k; r++) {
      if (r === col) continue;
      const f = ((a[r] as number[])[col] as number) / p;
      if (f === 0) continue;
      for (let c = col; c <= k; c++)
        (a[r] as number[])[c] = ((a[r] as number[])[c] as number) - f * ((a[col] as number[])[c] as number);
    }
  }
  return Array.from({ length: k }, (_, i) => {
    const p = (a[i] as number[])[i] as number;
    return Math.abs(p) < 1e-12 ? 0 : ((a[i] as number[])[k] as number) / p;
  });
}
