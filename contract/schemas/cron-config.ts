// The `cron` section of openclaw.json (reference §8.4, upstream `types.cron.ts`), closed so a typo
// names the bad key. `webhookToken` (a SecretInput) is added where config.ts references this schema.
import { z } from 'zod';

const DeliveryMode = z.enum(['announce', 'webhook']);

export const CronConfig = z.strictObject({
  /** false: jobs are kept and can be edited, but nothing fires (default true). */
  enabled: z.boolean().optional(),
  /** Path of jobs.json (default `<stateDir>/cron/jobs.json`); run logs live in `runs/` beside it. */
  store: z.string().min(1).max(4096).optional(),
  /** Runs in progress at once across all jobs (default 1); due jobs wait in order for a free slot. */
  maxConcurrentRuns: z.number().int().min(1).max(1000).optional(),
  /** Retries of one-shot (`at`) jobs after a transient error. */
  retry: z
    .strictObject({
      maxAttempts: z.number().int().min(0).max(10).optional(),
      backoffMs: z.array(z.number().int().min(0).max(86_400_000)).min(1).max(10).optional(),
      retryOn: z.array(z.enum(['rate_limit', 'overloaded', 'network', 'timeout', 'server_error'])).min(1).optional(),
    })
    .optional(),
  /** Legacy upstream fallback URL for jobs with `notify: true`; carried, not used. */
  webhook: z.url().optional(),
  /** Isolated-run sessions older than this are deleted (transcripts archived): `"24h"` (default), `"7d"`, `"1h30m"`, or false to keep them. */
  sessionRetention: z.union([z.string().regex(/^\s*(\d+(\.\d+)?|(\d+(\.\d+)?(ms|s|m|h|d))+)\s*$/i, 'a duration such as 24h, 7d or 1h30m'), z.literal(false)]).optional(),
  runLog: z
    .strictObject({
      /** Bytes (or `"2mb"`) a job's run log may grow to before its oldest entries are dropped (default 2 MB). */
      maxBytes: z.union([z.number().int().min(1024).max(1_073_741_824), z.string().regex(/^\s*\d+(\.\d+)?\s*(b|kb|mb|gb)?\s*$/i)]).optional(),
      /** cron.runs reads at most this many newest entries of a job (default 2000). */
      keepLines: z.number().int().min(1).max(1_000_000).optional(),
    })
    .optional(),
  failureAlert: z
    .strictObject({
      /** Alert for every job that does not set `failureAlert` itself. */
      enabled: z.boolean().optional(),
      /** Consecutive errors before the alert (default 2). */
      after: z.number().int().min(1).max(1000).optional(),
      /** Quiet time between two alerts of one job (default 1 h). */
      cooldownMs: z.number().int().min(0).optional(),
      mode: DeliveryMode.optional(),
      accountId: z.string().max(256).optional(),
    })
    .optional(),
  /** Where failure alerts go when a job names no destination. */
  failureDestination: z
    .strictObject({
      channel: z.string().max(256).optional(),
      to: z.string().max(2048).optional(),
      accountId: z.string().max(256).optional(),
      mode: DeliveryMode.optional(),
    })
    .optional(),
  // This gateway's additions.
  /** Most jobs kept at once (default 20 000); cron.add beyond it is refused. */
  maxJobs: z.number().int().min(1).max(1_000_000).optional(),
  /** Missed runs after a restart: at most `maxPerRestart` start at once (default 5), the rest `staggerMs` apart (default 5 s). */
  catchUp: z
    .strictObject({
      maxPerRestart: z.number().int().min(0).max(10_000).optional(),
      staggerMs: z.number().int().min(0).max(3_600_000).optional(),
    })
    .optional(),
  /** Webhook deliveries: time per attempt (default 10 s) and attempts (default 3, backoff 1 s, 2 s, …). */
  webhookDelivery: z
    .strictObject({
      timeoutMs: z.number().int().min(100).max(120_000).optional(),
      maxAttempts: z.number().int().min(1).max(10).optional(),
      backoffMs: z.number().int().min(0).max(60_000).optional(),
    })
    .optional(),
});
export type CronConfig = z.infer<typeof CronConfig>;
