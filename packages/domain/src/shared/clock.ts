/** Time is always injected: the same code runs live, in tests and in accelerated simulation. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** A clock that a test or simulation moves by hand. */
export interface ManualClock {
  readonly now: Clock;
  set(at: Date): void;
  advance(ms: number): void;
}

export function manualClock(start: Date): ManualClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set: (at) => {
      current = at.getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}
