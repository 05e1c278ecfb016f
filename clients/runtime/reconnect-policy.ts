// When the next socket may open: at once for the first, then exponential backoff with jitter from
// reconnectMinMs (500 ms) up to reconnectMaxMs (30 s), reset only by a hello-ok, and never sooner
// than a rate-limited gateway asked (`floorMs`). A caller's reconnectNow() skips the wait.
import type { SessionOptions } from './session-types.js';

/**
 * The wait before attempt number `attempt` since the last hello-ok (0: open the socket now).
 * `everReady`: an earlier socket reached hello-ok, so even the first attempt backs off.
 */
export function reconnectDelay(attempt: number, everReady: boolean, floorMs: number, options: Pick<SessionOptions, 'reconnectMinMs' | 'reconnectMaxMs'>): number {
  if (attempt === 1 && !everReady) return 0;
  const retry = everReady ? attempt : attempt - 1;
  const base = Math.min(options.reconnectMaxMs ?? 30_000, (options.reconnectMinMs ?? 500) * 2 ** (retry - 1));
  return Math.round(Math.max(floorMs, base / 2 + (Math.random() * base) / 2));
}
