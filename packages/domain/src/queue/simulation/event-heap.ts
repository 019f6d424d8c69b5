/**
 * Binary min-heap of (time, payload) on typed arrays: no object per event, which is what makes
 * the simulator an order of magnitude faster than a process-based one. Equal times pop in
 * insertion order (a sequence number breaks ties), so runs are reproducible and fair.
 */
export class EventHeap {
  private times: Float64Array;
  private seqs: Float64Array;
  private payloads: Int32Array;
  private n = 0;
  private seq = 0;

  constructor(capacity = 1024) {
    this.times = new Float64Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.payloads = new Int32Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  /** Time of the next event; only valid when size > 0. */
  peekTime(): number {
    return this.times[0]!;
  }

  push(time: number, payload: number): void {
    if (this.n === this.times.length) this.grow();
    const times = this.times;
    const seqs = this.seqs;
    const payloads = this.payloads;
    const seq = this.seq++;
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < time || (pt === time && seqs[parent]! < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[parent]!;
      payloads[i] = payloads[parent]!;
      i = parent;
    }
    times[i] = time;
    seqs[i] = seq;
    payloads[i] = payload;
  }

  /** Removes the next event and returns its payload; read peekTime() first for its time. */
  pop(): number {
    const times = this.times;
    const seqs = this.seqs;
    const payloads = this.payloads;
    const top = payloads[0]!;
    const n = --this.n;
    if (n === 0) return top;
    const time = times[n]!;
    const seq = seqs[n]!;
    const payload = payloads[n]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n) {
        const rt = times[right]!;
        const ct = times[child]!;
        if (rt < ct || (rt === ct && seqs[right]! < seqs[child]!)) child = right;
      }
      const ct = times[child]!;
      if (time < ct || (time === ct && seq < seqs[child]!)) break;
      times[i] = ct;
      seqs[i] = seqs[child]!;
      payloads[i] = payloads[child]!;
      i = child;
    }
    times[i] = time;
    seqs[i] = seq;
    payloads[i] = payload;
    return top;
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const times = new Float64Array(cap);
    times.set(this.times);
    const seqs = new Float64Array(cap);
    seqs.set(this.seqs);
    const payloads = new Int32Array(cap);
    payloads.set(this.payloads);
    this.times = times;
    this.seqs = seqs;
    this.payloads = payloads;
  }
}
