// Coalesced writes of jobs.json: every change in one turn of the event loop (a hundred runs that
// start in the same second, a burst of cron.add calls) becomes one atomic write, and each caller
// learns whether its change is on disk.
import { GatewayError } from '../core/gateway-error.js';

export const storeUnavailable = (message: string): GatewayError =>
  new GatewayError('UNAVAILABLE', message, { details: { code: 'CRON_STORE_UNAVAILABLE' }, retryable: false });

export class SaveBatcher {
  private waiters: { resolve(): void; reject(error: Error): void }[] | undefined;

  constructor(
    private readonly write: () => void,
    private readonly location: string,
    private readonly onError: (message: string) => void,
  ) {}

  /** Like request(), failing with CRON_STORE_UNAVAILABLE (what a cron.* caller sees). */
  persist(): Promise<void> {
    return this.request().catch((error: Error) => {
      throw storeUnavailable(`cron jobs could not be saved to ${this.location}: ${error.message}; check the disk and try again`);
    });
  }

  /** Saves (in this turn's batch, or now) and logs a failure instead of throwing it. */
  saveQuietly(batched: boolean): void {
    if (batched) {
      this.request().catch((error: Error) => this.onError(error.message));
      return;
    }
    try {
      this.flush();
    } catch (error) {
      this.onError((error as Error).message);
    }
  }

  /** Resolves once a write that includes every change made so far has completed. */
  request(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.waiters) {
        this.waiters = [];
        setImmediate(() => this.flush());
      }
      this.waiters.push({ resolve, reject });
    });
  }

  /** Writes now (shutdown), settling anyone waiting. */
  flush(): void {
    const waiters = this.waiters ?? [];
    this.waiters = undefined;
    try {
      this.write();
    } catch (error) {
      for (const w of waiters) w.reject(error as Error);
      return;
    }
    for (const w of waiters) w.resolve();
  }
}
