// The scheduler's only timer: armed for the earliest due job and re-armed when that changes, never
// sleeping longer than a minute (so a wall-clock jump is noticed), and with no timer at all when no
// job is due. No polling: ten thousand idle jobs cost one timer.
import type { CronClock, CronTimer } from './cron-clock.js';
import { DueQueue } from './due-queue.js';

export const MAX_SLEEP_MS = 60_000;

export class CronScheduler {
  private readonly queue = new DueQueue();
  private timer: CronTimer | undefined;
  private armedFor: number | undefined;
  private running = false;

  constructor(
    private readonly clock: CronClock,
    /** Jobs whose time has come, earliest first; they are no longer in the queue. */
    private readonly onDue: (jobIds: string[]) => void,
  ) {}

  /** When the job is due next (undefined: never, or it is running). */
  set(jobId: string, at: number | undefined): void {
    this.queue.set(jobId, at);
    if (!this.running) return;
    if (at !== undefined && (this.armedFor === undefined || at < this.armedFor)) this.arm();
  }

  dueAt(jobId: string): number | undefined {
    return this.queue.get(jobId);
  }

  /** The earliest due time of any job. */
  nextDueAt(): number | undefined {
    return this.queue.peek()?.at;
  }

  get size(): number {
    return this.queue.size;
  }

  start(): void {
    this.running = true;
    this.arm();
  }

  stop(): void {
    this.running = false;
    this.timer?.cancel();
    this.timer = undefined;
    this.armedFor = undefined;
  }

  private arm(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.armedFor = undefined;
    const next = this.queue.peek();
    if (!next || !this.running) return;
    const now = this.clock.now();
    const delay = Math.min(Math.max(0, next.at - now), MAX_SLEEP_MS);
    this.armedFor = next.at;
    this.timer = this.clock.schedule(delay, () => this.fire());
  }

  private fire(): void {
    this.timer = undefined;
    this.armedFor = undefined;
    if (!this.running) return;
    const due = this.queue.takeDue(this.clock.now());
    if (due.length > 0) this.onDue(due);
    if (!this.timer) this.arm();
  }
}
