// How many agent runs execute at once across the gateway, and the bounded line of runs waiting for
// a slot (each with a deadline). A burst beyond the limit waits and is served instead of refused;
// only when the line is full is a new run turned away, as "overloaded", with a time to come back.

export interface RunAdmissionLimits {
  /** Runs executing at once (gateway.limits.maxActiveRuns). */
  readonly maxActive: number;
  /** Runs waiting for a slot (gateway.limits.maxQueuedRuns). */
  readonly maxQueued: number;
  /** How long a run may wait for a slot before it fails (gateway.limits.runQueueTimeoutMs). */
  readonly queueTimeoutMs: number;
}

export const DEFAULT_RUN_ADMISSION: RunAdmissionLimits = { maxActive: 256, maxQueued: 2048, queueTimeoutMs: 60_000 };

/** Why a waiting run left the line without a slot. */
export type AdmissionEnd = 'timeout' | 'aborted';

interface Waiter {
  readonly start: () => void;
  readonly expire: (end: AdmissionEnd) => void;
  readonly signal: AbortSignal;
  readonly onAbort: () => void;
  timer: NodeJS.Timeout | undefined;
}

export class RunAdmission {
  private running = 0;
  /** Oldest first (a Set keeps insertion order and removes in O(1)). */
  private readonly waiting = new Set<Waiter>();

  constructor(private readonly limits: () => RunAdmissionLimits) {}

  get runningCount(): number {
    return this.running;
  }

  get waitingCount(): number {
    return this.waiting.size;
  }

  /** Whether a new run can be accepted now: a free slot, or room in the line. */
  canAccept(): boolean {
    const limits = this.limits();
    return this.running < limits.maxActive || this.waiting.size < limits.maxQueued;
  }

  /** Starts `start` in a free slot now, or when one frees up; `expire` if the deadline or an abort comes first. */
  enter(signal: AbortSignal, start: () => void, expire: (end: AdmissionEnd) => void): void {
    const limits = this.limits();
    if (this.running < limits.maxActive && this.waiting.size === 0) {
      this.running++;
      start();
      return;
    }
    const waiter: Waiter = {
      start,
      expire,
      signal,
      onAbort: () => this.drop(waiter, 'aborted'),
      timer: undefined,
    };
    waiter.timer = setTimeout(() => this.drop(waiter, 'timeout'), limits.queueTimeoutMs);
    waiter.timer.unref?.();
    this.waiting.add(waiter);
    if (signal.aborted) this.drop(waiter, 'aborted');
    else signal.addEventListener('abort', waiter.onAbort, { once: true });
  }

  /** A run that held a slot ended: the oldest waiting run takes it. */
  leave(): void {
    this.running = Math.max(0, this.running - 1);
    this.drain();
  }

  private drain(): void {
    const limits = this.limits();
    while (this.running < limits.maxActive) {
      const next = this.waiting.values().next().value as Waiter | undefined;
      if (!next) return;
      this.release(next);
      this.running++;
      next.start();
    }
  }

  private drop(waiter: Waiter, end: AdmissionEnd): void {
    if (!this.waiting.has(waiter)) return;
    this.release(waiter);
    waiter.expire(end);
  }

  private release(waiter: Waiter): void {
    this.waiting.delete(waiter);
    clearTimeout(waiter.timer);
    waiter.signal.removeEventListener('abort', waiter.onAbort);
  }
}

/** The limits from `gateway.limits` in the live config. */
export function runAdmissionLimits(limits: { maxActiveRuns?: number; maxQueuedRuns?: number; runQueueTimeoutMs?: number } | undefined): RunAdmissionLimits {
  return {
    maxActive: limits?.maxActiveRuns ?? DEFAULT_RUN_ADMISSION.maxActive,
    maxQueued: limits?.maxQueuedRuns ?? DEFAULT_RUN_ADMISSION.maxQueued,
    queueTimeoutMs: limits?.runQueueTimeoutMs ?? DEFAULT_RUN_ADMISSION.queueTimeoutMs,
  };
}
