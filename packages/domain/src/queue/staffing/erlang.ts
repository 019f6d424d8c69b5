/**
 * Erlang C (M/M/c) and Erlang A (M/M/c+M, exponential patience) queue metrics.
 *
 * Rates are per second. Everything is computed from the Erlang B recursion
 * B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)), which stays in [0, 1] and never forms a^c or c!,
 * so it is stable for thousands of servers.
 */

export interface ErlangInput {
  /** Arrivals per second (λ). */
  readonly arrivalRate: number;
  /** Mean service time in seconds (1/μ). */
  readonly meanServiceSeconds: number;
  /** Number of servers (counters, agents). */
  readonly servers: number;
}

export interface ErlangAInput extends ErlangInput {
  /** Mean patience in seconds (1/θ); Infinity reduces Erlang A to Erlang C. */
  readonly meanPatienceSeconds: number;
}

export interface QueueMetrics {
  /** Offered load a = λ/μ in erlangs. */
  readonly offeredLoad: number;
  /** Probability that an arrival must wait (all servers busy). */
  readonly probWait: number;
  /** Mean wait in queue over all arrivals, seconds (abandoners count until they leave). */
  readonly meanWaitSeconds: number;
  /** Share of arrivals who abandon (0 under Erlang C). */
  readonly probAbandon: number;
  /** Server utilisation: carried load / servers. */
  readonly occupancy: number;
  /** Share of arrivals called within `seconds` (offered-wait definition, see serviceLevel docs). */
  serviceLevel(seconds: number): number;
}

/** Erlang B blocking probability for c servers and offered load a. */
export function erlangB(servers: number, offeredLoad: number): number {
  assertServers(servers);
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (offeredLoad * b) / (k + offeredLoad * b);
  return b;
}

/** Erlang C probability of waiting; 1 when the load reaches the capacity. */
export function erlangC(servers: number, offeredLoad: number): number {
  if (offeredLoad >= servers) return 1;
  const b = erlangB(servers, offeredLoad);
  return (servers * b) / (servers - offeredLoad * (1 - b));
}

/** M/M/c: P(wait ≤ t) = 1 − C·e^{−(cμ−λ)t}; unstable systems (a ≥ c) report no service level. */
export function erlangCMetrics(input: ErlangInput): QueueMetrics {
  const { arrivalRate: lambda, servers: c } = input;
  assertServers(c);
  const mu = 1 / input.meanServiceSeconds;
  const a = lambda / mu;
  const stable = a < c;
  const pw = erlangC(c, a);
  const drain = c * mu - lambda;
  return {
    offeredLoad: a,
    probWait: pw,
    meanWaitSeconds: stable ? pw / drain : Number.POSITIVE_INFINITY,
    probAbandon: 0,
    occupancy: Math.min(1, a / c),
    serviceLevel: (t) => (stable ? 1 - pw * Math.exp(-drain * t) : 0),
  };
}

/**
 * M/M/c+M. Stationary law relative to π_c: Σ_{n≤c} π_n/π_c = 1/B(c,a) and, for k waiting,
 * π_{c+k}/π_c = Π_{j=1..k} λ/(cμ + jθ), summed until the terms vanish (always finite for θ > 0).
 *
 * Service level is the offered-wait definition: the share of arrivals whose position would reach
 * a counter within t, i.e. P(V ≤ t) where V = Σ_{i=0..k} Exp(cμ + iθ) for k waiting ahead
 * (those ahead may abandon, the arrival's own patience is ignored). It is computed by
 * uniformisation of that pure-death chain, which sums only positive terms.
 */
export function erlangAMetrics(input: ErlangAInput): QueueMetrics {
  const { arrivalRate: lambda, servers: c } = input;
  assertServers(c);
  const mu = 1 / input.meanServiceSeconds;
  const theta = Number.isFinite(input.meanPatienceSeconds) ? 1 / input.meanPatienceSeconds : 0;
  if (theta <= 0) return erlangCMetrics(input);
  const a = lambda / mu;
  const below = 1 / erlangB(c, a); // Σ_{n=0..c} π_n / π_c
  const tail: number[] = [1]; // tail[k] = π_{c+k}/π_c
  let term = 1;
  let tailSum = 0; // Σ_{k≥1}
  let queueSum = 0; // Σ k·π_{c+k}/π_c
  for (let k = 1; k < 1_000_000; k++) {
    const ratio = lambda / (c * mu + k * theta);
    term *= ratio;
    tail.push(term);
    tailSum += term;
    queueSum += k * term;
    // Once terms shrink geometrically the rest is bounded by term·r/(1−r).
    if (ratio < 1 && (term * ratio) / (1 - ratio) < 1e-15 * (below + tailSum)) break;
  }
  const total = below + tailSum;
  const probWait = (1 + tailSum) / total; // P(N ≥ c) by PASTA
  const meanQueue = queueSum / total;
  const probAbandon = (theta * meanQueue) / lambda;
  const waitingAhead = tail.map((t) => t / total); // P(arrival finds k waiting), k ≥ 0, all busy
  return {
    offeredLoad: a,
    probWait,
    meanWaitSeconds: meanQueue / lambda,
    probAbandon,
    occupancy: Math.min(1, (lambda * (1 - probAbandon)) / (c * mu)),
    serviceLevel: (t) => 1 - probWait + offeredWaitWithin(waitingAhead, c * mu, theta, t),
  };
}

/**
 * Σ_k p_k · P(Σ_{i=0..k} Exp(cμ+iθ) ≤ t) by uniformisation: the death chain moves k → k−1 at
 * rate cμ + kθ and state 0 leaves (is called) at rate cμ.
 */
function offeredWaitWithin(
  aheadProb: readonly number[],
  serveRate: number,
  theta: number,
  t: number,
): number {
  if (t <= 0) return 0;
  const kMax = aheadProb.length - 1;
  const lambdaU = serveRate + kMax * theta;
  let state = aheadProb.slice(); // mass still waiting, by number ahead
  const start = state.reduce((s, p) => s + p, 0);
  let absorbed = 0; // Σ over steps of Poisson weight × absorbed mass so far
  let absorbedSoFar = 0;
  const mean = lambdaU * t;
  // Poisson weights computed in log space to survive large λt.
  let logW = -mean;
  let cumulative = 0;
  for (let m = 0; m < 100_000; m++) {
    const w = Math.exp(logW);
    absorbed += w * absorbedSoFar;
    cumulative += w;
    if (m > mean && 1 - cumulative < 1e-13) break;
    const next = new Array<number>(state.length).fill(0);
    for (let k = 0; k <= kMax; k++) {
      const p = state[k] ?? 0;
      if (p === 0) continue;
      const rate = serveRate + k * theta;
      const move = (p * rate) / lambdaU;
      next[k] = (next[k] ?? 0) + p - move;
      if (k === 0) absorbedSoFar += move;
      else next[k - 1] = (next[k - 1] ?? 0) + move;
    }
    state = next;
    logW += Math.log(mean) - Math.log(m + 1);
  }
  return Math.min(start, absorbed);
}

/** Smallest server count whose service level P(wait ≤ targetSeconds) reaches targetLevel. */
export function fewestServers(options: {
  readonly arrivalRate: number;
  readonly meanServiceSeconds: number;
  readonly targetSeconds: number;
  /** e.g. 0.8 for "80% within T". */
  readonly targetLevel: number;
  readonly meanPatienceSeconds?: number;
  readonly maxServers?: number;
}): number {
  const a = options.arrivalRate * options.meanServiceSeconds;
  const limit = options.maxServers ?? Math.max(10_000, Math.ceil(a * 2 + 100));
  const patience = options.meanPatienceSeconds ?? Number.POSITIVE_INFINITY;
  if (options.arrivalRate <= 0) return 0;
  for (let c = Math.max(1, Math.floor(a)); c <= limit; c++) {
    const m = erlangAMetrics({
      arrivalRate: options.arrivalRate,
      meanServiceSeconds: options.meanServiceSeconds,
      servers: c,
      meanPatienceSeconds: patience,
    });
    if (m.serviceLevel(options.targetSeconds) >= options.targetLevel) {
      // With abandonment a < c is not required; step down while the target still holds.
      let best = c;
      while (best > 1) {
        const lower = erlangAMetrics({
          arrivalRate: options.arrivalRate,
          meanServiceSeconds: options.meanServiceSeconds,
          servers: best - 1,
          meanPatienceSeconds: patience,
        });
        if (lower.serviceLevel(options.targetSeconds) < options.targetLevel) break;
        best--;
      }
      return best;
    }
  }
  return limit;
}

function assertServers(c: number): void {
  if (!Number.isInteger(c) || c < 1) throw new RangeError(`servers must be a positive integer, got ${c}`);
}
