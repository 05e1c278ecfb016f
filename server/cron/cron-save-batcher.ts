// Coalesced writes of jobs.json: every change in one turn of the event loop (a hundred runs that
// start in the same second, a burst of cron.add calls) becomes one atomic write, and each caller
// learns whether its change is on disk.
export class SaveBatcher {
  private waiters: { resolve(): void; reject(error: Error): void }[] | undefined;

  constructor(private readonly write: () => void) {}

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
