import type { AuthRateLimiter } from '../auth/auth-rate-limiter.js';
import { secretsEqual } from '../auth/secret-compare.js';
import type { AuthSettings } from '../config/gateway-settings.js';

export type BearerDecision = { readonly ok: true } | { readonly ok: false; readonly status: 401 } | { readonly ok: false; readonly status: 429; readonly retryAfterMs: number };

/** True when `Authorization: Bearer <secret>` carries the gateway token (or password), compared in constant time. */
export function presentsGatewaySecret(header: string | undefined, auth: AuthSettings): boolean {
  if (auth.mode === 'none') return true;
  const expected = auth.mode === 'password' ? auth.password : auth.token;
  const given = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim();
  if (!expected || !given) return false;
  return secretsEqual(given, expected);
}

/** Bearer auth for protected routes: failures count against the address's rate-limit budget. */
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
  if (!presentsGatewaySecret(header, auth)) {
    limiter.recordFailure(address, isLoopback);
    const after = limiter.retryAfterMs(address, isLoopback);
    return after > 0 ? { ok: false, status: 429, retryAfterMs: after } : { ok: false, status: 401 };
  }
  limiter.recordSuccess(address);
  return { ok: true };
}
