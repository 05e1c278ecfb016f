import type { AuthAttempt, AuthRateLimiter } from '../auth/auth-rate-limiter.js';
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

/**
 * Bearer auth for protected routes: failures count against the caller's budget (its user agent on
 * loopback, its address elsewhere); the right secret from loopback is never refused by a lockout.
 */
export function checkBearer(header: string | undefined, auth: AuthSettings, limiter: AuthRateLimiter, attempt: AuthAttempt): BearerDecision {
  if (auth.mode === 'none') return { ok: true };
  const verdict = limiter.verdict(attempt);
  if (verdict.limited && verdict.refusesSecret) return { ok: false, status: 429, retryAfterMs: verdict.retryAfterMs };
  if (presentsGatewaySecret(header, auth)) return { ok: true };
  limiter.recordFailure(attempt);
  const after = verdict.limited ? verdict.retryAfterMs : limiter.retryAfterMs(attempt);
  return after > 0 ? { ok: false, status: 429, retryAfterMs: after } : { ok: false, status: 401 };
}
