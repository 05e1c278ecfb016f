// Failed-auth budget, shared by the WebSocket handshake and HTTP bearer auth. Every local process
// connects from loopback, so there a budget belongs to one client identity (its claimed client id
// and instance, or the HTTP user agent) and a lockout never stands against the right secret: it
// answers wrong guesses with "rate limited", it cannot lock the secret's holder out because some
// other process guessed wrong. A remote address is one machine: its lockout refuses everything from
// it until it ends. A success never wipes the failures that came before it.
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

/** Who is trying: the peer address and the identity the client claims for itself. */
export interface AuthAttempt {
  readonly address: string;
  readonly isLoopback: boolean;
  /** e.g. `ws|<client.id>|<client.instanceId>|<deviceId>` or `http|<user-agent>`. */
  readonly identity: string;
}

/** What a rate limit means for one attempt before its secret is checked. */
export type RateLimitVerdict =
  /** Not limited: check the secret as usual. */
  | { readonly limited: false }
  /** Limited: a wrong secret is refused as rate limited; `refusesSecret` refuses even the right one. */
  | { readonly limited: true; readonly retryAfterMs: number; readonly refusesSecret: boolean };

interface Entry {
  failures: number[];
  lockedUntil: number;
}

const MAX_TRACKED = 10_000;
const MAX_IDENTITY_CHARS = 256;
const NOT_LIMITED: RateLimitVerdict = Object.freeze({ limited: false });

export class AuthRateLimiter {
  /** At most MAX_TRACKED; past that the least recently seen budget is forgotten. */
  private readonly entries = new LRUCache<string, Entry>({ max: MAX_TRACKED });

  constructor(
    private settings: RateLimitSettings,
    private readonly now: () => number = Date.now,
  ) {}

  configure(settings: RateLimitSettings): void {
    this.settings = settings;
  }

  /** The budget an attempt counts against: an identity on loopback, the address elsewhere. */
  private keyOf(attempt: AuthAttempt): string {
    return attempt.isLoopback ? `${attempt.address}\u0000${attempt.identity.slice(0, MAX_IDENTITY_CHARS)}` : attempt.address;
  }

  private exempt(attempt: AuthAttempt): boolean {
    return this.settings.exemptLoopback && attempt.isLoopback;
  }

  /** Whether this attempt's budget is spent, and what that refuses. */
  verdict(attempt: AuthAttempt): RateLimitVerdict {
    const wait = this.retryAfterMs(attempt);
    return wait > 0 ? { limited: true, retryAfterMs: wait, refusesSecret: !attempt.isLoopback } : NOT_LIMITED;
  }

  /** Milliseconds until this attempt's budget is open again, or 0. */
  retryAfterMs(attempt: AuthAttempt): number {
    if (this.exempt(attempt)) return 0;
    const entry = this.entries.get(this.keyOf(attempt));
    if (!entry) return 0;
    const wait = entry.lockedUntil - this.now();
    return wait > 0 ? wait : 0;
  }

  recordFailure(attempt: AuthAttempt): void {
    if (this.exempt(attempt)) return;
    const now = this.now();
    const key = this.keyOf(attempt);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { failures: [], lockedUntil: 0 };
      this.entries.set(key, entry);
    }
    entry.failures = entry.failures.filter((t) => now - t < this.settings.windowMs);
    entry.failures.push(now);
    if (entry.failures.length >= this.settings.maxAttempts) {
      entry.lockedUntil = now + this.settings.lockoutMs;
      entry.failures = [];
    }
  }
}
