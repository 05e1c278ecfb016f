// Failed-auth budget per client address, shared by the WebSocket handshake and HTTP bearer auth.
import { LRUCache } from 'lru-cache';

export interface RateLimitSettings {
  readonly maxAttempts: number;
  readonly windowMs: number;
  readonly lockoutMs: number;
  readonly exemptLoopback: boolean;
}

export const DEFAULT_RATE_LIMIT: RateLimitSettings = {
  maxAttempts: 10,
  windowMs: 60_000,
  lockoutMs: 300_000,
  exemptLoopback: false,
};

interface Entry {
  failures: number[];
  lockedUntil: number;
}

const MAX_TRACKED_ADDRESSES = 10_000;

export class AuthRateLimiter {
  /** At most MAX_TRACKED_ADDRESSES; past that the least recently seen address is forgotten. */
  private readonly entries = new LRUCache<string, Entry>({ max: MAX_TRACKED_ADDRESSES });

  constructor(
    private settings: RateLimitSettings,
    private readonly now: () => number = Date.now,
  ) {}

  configure(settings: RateLimitSettings): void {
    this.settings = settings;
  }

  private exempt(isLoopback: boolean): boolean {
    return this.settings.exemptLoopback && isLoopback;
  }

  /** Milliseconds until this address may try again, or 0 when it may try now. */
  retryAfterMs(address: string, isLoopback: boolean): number {
    if (this.exempt(isLoopback)) return 0;
    const entry = this.entries.get(address);
    if (!entry) return 0;
    const wait = entry.lockedUntil - this.now();
    return wait > 0 ? wait : 0;
  }

  recordFailure(address: string, isLoopback: boolean): void {
    if (this.exempt(isLoopback)) return;
    const now = this.now();
    let entry = this.entries.get(address);
    if (!entry) {
      entry = { failures: [], lockedUntil: 0 };
      this.entries.set(address, entry);
    }
    entry.failures = entry.failures.filter((t) => now - t < this.settings.windowMs);
    entry.failures.push(now);
    if (entry.failures.length >= this.settings.maxAttempts) {
      entry.lockedUntil = now + this.settings.lockoutMs;
      entry.failures = [];
    }
  }

  recordSuccess(address: string): void {
    this.entries.delete(address);
  }
}
