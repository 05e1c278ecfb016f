// Flood control for one IRC connection: a token bucket (a burst of lines, then one line per
// interval), so a long reply never trips the server's excess-flood limit. PONG bypasses it.

export interface SendQueueOptions {
  /** Lines that may go out at once (default 5). */
  readonly burst: number;
  /** One more line every this many ms once the burst is used (default 1000). */
  readonly intervalMs: number;
  /** Lines queued at most; beyond that a send is refused (default 500). */
  readonly maxQueued: number;
}

export const DEFAULT_SEND_QUEUE: SendQueueOptions = { burst: 5, intervalMs: 1000, maxQueued: 500 };

interface Pending {
  readonly line: string;
  readonly done: (error?: Error) => void;
}

export class IrcSendQueue {
  private tokens: number;
  private refilledAt = Date.now();
  private readonly queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed: Error | undefined;

  constructor(
    private readonly write: (line: string, done: (error?: Error) => void) => void,
    private readonly options: SendQueueOptions = DEFAULT_SEND_QUEUE,
  ) {
    this.tokens = options.burst;
  }

  get size(): number {
    return this.queue.length;
  }

  /** Resolves once the line was handed to the socket. */
  enqueue(line: string): Promise<void> {
    if (this.closed) return Promise.reject(this.closed);
    if (this.queue.length >= this.options.maxQueued) return Promise.reject(new Error(`send queue full (${this.options.maxQueued} lines)`));
    return new Promise((resolve, reject) => {
      this.queue.push({ line, done: (error) => (error ? reject(error) : resolve()) });
      this.drain();
    });
  }

  /** Fails everything still queued; later sends are refused. */
  close(reason: Error): void {
    this.closed = reason;
    clearTimeout(this.timer);
    for (const p of this.queue.splice(0)) p.done(reason);
  }

  private refill(): void {
    const now = Date.now();
    const earned = Math.floor((now - this.refilledAt) / this.options.intervalMs);
    if (earned > 0) {
      this.tokens = Math.min(this.options.burst, this.tokens + earned);
      this.refilledAt += earned * this.options.intervalMs;
    }
    if (this.tokens >= this.options.burst) this.refilledAt = now;
  }

  private drain(): void {
    if (this.timer || this.closed) return;
    this.refill();
    while (this.queue.length > 0 && this.tokens > 0) {
      this.tokens--;
      const next = this.queue.shift()!;
      this.write(next.line, next.done);
    }
    if (this.queue.length > 0) {
      const wait = Math.max(1, this.refilledAt + this.options.intervalMs - Date.now());
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.drain();
      }, wait);
      this.timer.unref?.();
    }
  }
}
