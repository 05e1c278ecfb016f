// A clock the test moves: timers fire in time order as it advances, each at its own instant, and
// the promises they start (saves, runs) settle before the next one fires.
import type { CronClock, CronTimer } from '../../server/cron/cron-clock.js';

interface Pending {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
  cancelled: boolean;
}

export const settle = async (rounds = 5): Promise<void> => {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
};

export class ManualClock implements CronClock {
  private timers: Pending[] = [];
  private seq = 0;
  /** Every delay a timer was armed with, in order. */
  readonly armed: number[] = [];
  fired = 0;

  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  schedule(delayMs: number, fire: () => void): CronTimer {
    const timer: Pending = { at: this.current + Math.max(0, delayMs), seq: ++this.seq, fire, cancelled: false };
    this.armed.push(delayMs);
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  /** Timers still waiting. */
  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  async advanceTo(target: number): Promise<void> {
    await settle();
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.timers.shift();
      this.current = Math.max(this.current, next.at);
      this.fired++;
      next.fire();
      await settle();
    }
    this.current = Math.max(this.current, target);
    await settle();
  }

  advance(ms: number): Promise<void> {
    return this.advanceTo(this.current + ms);
  }
}
