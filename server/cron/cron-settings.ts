// The `cron` config section resolved to the values the service uses, with upstream's defaults.
import { isAbsolute, join, resolve } from 'node:path';
import type { OpenClawConfig } from '../../contract/schemas/config.js';
import { expandPath } from '../agents/agent-directory.js';

type CronSection = NonNullable<OpenClawConfig['cron']>;

export interface CronSettings {
  readonly enabled: boolean;
  readonly maxConcurrentRuns: number;
  readonly maxJobs: number;
  readonly runLogMaxBytes: number;
  readonly runLogKeepLines: number;
  readonly failureAlert: { readonly enabled: boolean; readonly after: number; readonly cooldownMs: number; readonly mode?: 'announce' | 'webhook'; readonly accountId?: string };
  readonly failureDestination: CronSection['failureDestination'];
  readonly retry: { readonly maxAttempts: number; readonly backoffMs: readonly number[]; readonly retryOn: readonly string[] };
  readonly catchUp: { readonly maxPerRestart: number; readonly staggerMs: number };
  readonly webhook: { readonly timeoutMs: number; readonly maxAttempts: number; readonly backoffMs: number };
}

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** `2000000`, `"2mb"`, `"512 kb"` → bytes. */
export function parseByteSize(value: number | string): number {
  if (typeof value === 'number') return value;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(value);
  return match ? Math.floor(Number(match[1]) * SIZE_UNITS[(match[2] ?? 'b').toLowerCase()]!) : 2_000_000;
}

export function cronSettings(config: OpenClawConfig): CronSettings {
  const cron: CronSection = config.cron ?? {};
  const alert = cron.failureAlert ?? {};
  const settings: CronSettings = {
    enabled: cron.enabled ?? true,
    maxConcurrentRuns: cron.maxConcurrentRuns ?? 1,
    maxJobs: cron.maxJobs ?? 20_000,
    runLogMaxBytes: cron.runLog?.maxBytes === undefined ? 2_000_000 : Math.max(1024, parseByteSize(cron.runLog.maxBytes)),
    runLogKeepLines: cron.runLog?.keepLines ?? 2000,
    failureAlert: {
      enabled: alert.enabled ?? false,
      after: alert.after ?? 2,
      cooldownMs: alert.cooldownMs ?? 3_600_000,
      ...(alert.mode ? { mode: alert.mode } : {}),
      ...(alert.accountId ? { accountId: alert.accountId } : {}),
    },
    failureDestination: cron.failureDestination,
    retry: {
      maxAttempts: cron.retry?.maxAttempts ?? 3,
      backoffMs: cron.retry?.backoffMs ?? [30_000, 60_000, 300_000],
      retryOn: cron.retry?.retryOn ?? ['rate_limit', 'overloaded', 'network', 'timeout', 'server_error'],
    },
    catchUp: { maxPerRestart: cron.catchUp?.maxPerRestart ?? 5, staggerMs: cron.catchUp?.staggerMs ?? 5000 },
    webhook: {
      timeoutMs: cron.webhookDelivery?.timeoutMs ?? 10_000,
      maxAttempts: cron.webhookDelivery?.maxAttempts ?? 3,
      backoffMs: cron.webhookDelivery?.backoffMs ?? 1000,
    },
  };
  return settings;
}

/** `cron.store` (relative to the state dir, `~` expanded) or `<stateDir>/cron/jobs.json`. */
export function cronStorePath(config: OpenClawConfig, stateDir: string): string {
  const configured = config.cron?.store?.trim();
  if (!configured) return join(stateDir, 'cron', 'jobs.json');
  return isAbsolute(configured) ? resolve(configured) : expandPath(configured, stateDir);
}
