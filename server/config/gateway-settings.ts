// Effective gateway settings: CLI flags > environment > config file > defaults.
import { z } from 'zod';
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import { DEFAULT_RATE_LIMIT, type RateLimitSettings } from '../auth/auth-rate-limiter.js';
import { DEFAULT_PORT } from './gateway-defaults.js';
import { resolveSecret, SettingsError } from './secret-resolution.js';

export { resolveSecret, SettingsError } from './secret-resolution.js';

export { DEFAULT_PORT } from './gateway-defaults.js';

export interface GatewayLimits {
  readonly preauthMaxPayload: number;
  readonly maxPayload: number;
  readonly maxBufferedBytes: number;
  readonly handshakeTimeoutMs: number;
  readonly maxPreauthPerIp: number;
  readonly tickIntervalMs: number;
  readonly pingIntervalMs: number;
  readonly maxInFlightPerConnection: number;
  /** TCP connections one address may hold, and how many of them may be idle (no request yet) and for how long. */
  readonly maxConnectionsPerIp: number;
  readonly maxIdleSocketsPerIp: number;
  readonly idleSocketTimeoutMs: number;
}

export const DEFAULT_LIMITS: GatewayLimits = {
  preauthMaxPayload: 64 * 1024,
  maxPayload: 25 * 1024 * 1024,
  maxBufferedBytes: 50 * 1024 * 1024,
  handshakeTimeoutMs: 15_000,
  maxPreauthPerIp: 32,
  tickIntervalMs: 30_000,
  pingIntervalMs: 25_000,
  maxInFlightPerConnection: 256,
  maxConnectionsPerIp: 16_384,
  maxIdleSocketsPerIp: 256,
  idleSocketTimeoutMs: 15_000,
};

export type AuthMode = 'none' | 'token' | 'password';

/** Where the shared token came from, so the banner can say so truthfully. */
export type TokenSource = 'flag' | 'env' | 'config' | 'none';

export interface AuthSettings {
  readonly mode: AuthMode;
  readonly token: string | undefined;
  readonly tokenSource: TokenSource;
  readonly password: string | undefined;
  readonly failureDelayMs: number;
  readonly rateLimit: RateLimitSettings;
}

export interface GatewaySettings {
  readonly port: number;
  readonly host: string;
  readonly auth: AuthSettings;
  readonly limits: GatewayLimits;
}

export interface SettingsOverrides {
  readonly port?: number;
  readonly bind?: string;
  readonly token?: string;
}

const BIND_HOSTS: Record<string, string> = { loopback: '127.0.0.1', lan: '0.0.0.0', auto: '127.0.0.1', tailnet: '127.0.0.1' };

function resolveHost(bind: string | undefined, customHost: string | undefined): string {
  if (bind === undefined) return '127.0.0.1';
  if (bind === 'custom') {
    if (!customHost) throw new SettingsError('gateway.customBindHost is required when gateway.bind is "custom"');
    return customHost;
  }
  // --bind also accepts a literal address.
  return BIND_HOSTS[bind] ?? bind;
}

const PortFromEnv = z.coerce.number().int().min(0).max(65535);

export function resolveSettings(config: OpenClawConfig, env: NodeJS.ProcessEnv, overrides: SettingsOverrides = {}): GatewaySettings {
  const gw = config.gateway ?? {};
  let port = overrides.port ?? gw.port ?? DEFAULT_PORT;
  if (overrides.port === undefined && env.OPENCLAW_GATEWAY_PORT) {
    const parsed = PortFromEnv.safeParse(env.OPENCLAW_GATEWAY_PORT);
    if (!parsed.success) throw new SettingsError(`OPENCLAW_GATEWAY_PORT: not a port number: ${env.OPENCLAW_GATEWAY_PORT}`);
    port = parsed.data;
  }
  if (overrides.token !== undefined && overrides.token.trim() === '') {
    throw new SettingsError('--token is empty (an unset variable?); pass a non-empty token or leave the flag out to use the configured one');
  }
  const fromEnv = env.OPENCLAW_GATEWAY_TOKEN || undefined;
  const fromConfig = overrides.token === undefined && fromEnv === undefined ? resolveSecret(gw.auth?.token, env, 'gateway.auth.token') : undefined;
  const token = overrides.token ?? fromEnv ?? fromConfig;
  const tokenSource: TokenSource = overrides.token !== undefined ? 'flag' : fromEnv !== undefined ? 'env' : fromConfig !== undefined ? 'config' : 'none';
  const password = (env.OPENCLAW_GATEWAY_PASSWORD || undefined) ?? resolveSecret(gw.auth?.password, env, 'gateway.auth.password');
  const configuredMode = gw.auth?.mode;
  if (configuredMode === 'trusted-proxy') throw new SettingsError('gateway.auth.mode "trusted-proxy" is not supported by this gateway');
  const mode: AuthMode = configuredMode ?? (password && !token ? 'password' : 'token');
  const rl = gw.auth?.rateLimit ?? {};
  return {
    port,
    host: resolveHost(overrides.bind ?? gw.bind, gw.customBindHost),
    auth: {
      mode,
      token,
      tokenSource,
      password,
      failureDelayMs: gw.auth?.failureDelayMs ?? 200,
      rateLimit: {
        maxAttempts: rl.maxAttempts ?? DEFAULT_RATE_LIMIT.maxAttempts,
        windowMs: rl.windowMs ?? DEFAULT_RATE_LIMIT.windowMs,
        lockoutMs: rl.lockoutMs ?? DEFAULT_RATE_LIMIT.lockoutMs,
        exemptLoopback: rl.exemptLoopback ?? DEFAULT_RATE_LIMIT.exemptLoopback,
      },
    },
    limits: { ...DEFAULT_LIMITS, ...stripUndefined(gw.limits ?? {}) },
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
