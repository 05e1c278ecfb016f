// What a config change does to a running gateway: settings recomputed (a bad value keeps the old
// ones), the auth rate limiter reconfigured, and connections that authenticated with a shared
// secret closed 4001 when that secret or the auth mode changed.
import type { AuthRateLimiter } from '../auth/auth-rate-limiter.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import type { GatewaySettings } from './gateway-settings.js';

export interface ReloadTargets {
  readonly logger: GatewayLogger;
  readonly limiter: AuthRateLimiter;
  readonly configPath: string;
  current(): GatewaySettings;
  compute(): GatewaySettings;
  apply(settings: GatewaySettings): void;
  /** Connections that authenticated with the shared secret. */
  sharedSecretConnections(): Iterable<{ close(code: number, reason: string): void }>;
}

export function reloadSettings(t: ReloadTargets): void {
  const before = t.current();
  let after: GatewaySettings;
  try {
    after = t.compute();
  } catch (error) {
    t.logger.error('config change could not be applied', { error: (error as Error).message });
    return;
  }
  t.apply(after);
  t.limiter.configure(after.auth.rateLimit);
  t.logger.notice('config reloaded', { path: t.configPath });
  const rotated = before.auth.token !== after.auth.token || before.auth.password !== after.auth.password || before.auth.mode !== after.auth.mode;
  if (!rotated) return;
  // Let the response to the write that rotated the secret go out first.
  setImmediate(() => {
    for (const c of [...t.sharedSecretConnections()]) c.close(4001, 'gateway auth changed');
  });
}
