// The scheduler's sense of time: the wall clock and one-shot timers, behind an interface so unit
// tests drive it with a manual clock instead of waiting.
export interface CronTimer {
  cancel(): void;
}

export interface CronClock {
  now(): number;
  /** Calls `fire` once after `delayMs`; the timer does not keep the process alive. */
  schedule(delayMs: number, fire: () => void): CronTimer;
}

export const systemClock: CronClock = {
  now: () => Date.now(),
  schedule(delayMs, fire) {
    const timer = setTimeout(fire, Math.max(0, delayMs));
    timer.unref?.();
    return { cancel: () => clearTimeout(timer) };
  },
};
