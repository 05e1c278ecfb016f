import { secretsEqual } from '../auth/secret-compare.js';
import type { AuthRateLimiter } from '../auth/auth-rate-limiter.js';
import type { AuthSettings } from '../config/gateway-settings.js';

export type BearerDecision = { readonly ok: true } | { readonly ok: false; readonly status: 401 } | { readonly ok: false; readonly status: 429; readonly retryAfterMs: number };

/** Checks `Authorization: Bearer <secret>` against the gateway token (or password) in constant time. */
export function checkBearer(
  header: string | undefined,
  auth: AuthSettings,
  limiter: AuthRateLimiter,
  address: string,
  isLoopback: boolean,
): BearerDecision {
  if (auth.mode === 'none') return { ok: true };
  const wait = limiter.retryAfterMs(address, isLoopback);
  if (wait > 0) return { ok: false, status: 429, retryAfterMs: wait };
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  const expected = auth.mode === 'password' ? auth.password : auth.token;
  const given = match?.[1]?.trim();
  if (!expected || !given || !secretsEqual(given, expected)) {
    limiter.recordFailure(address, isLoopback);
    const after = limiter.retryAfterMs(address, isLoopback);
    return after > 0 ? { ok: false, status: 429, retryAfterMs: after } : { ok: false, status: 401 };
  }
  limiter.recordSuccess(address);
  return { ok: true };
}
