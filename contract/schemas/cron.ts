// cron.* methods and the `cron` event (docs/methods.md, docs/events.md). Job shapes live in cron-job.ts.
import { z } from 'zod';
import { Count, EpochMs, RunId } from './common.js';
import {
  CRON_DELIVERY_STATUSES,
  CRON_RUN_STATUSES,
  CronDeliveryPatch,
  CronJob,
  CronJobInputShape,
  CronJobStatePatch,
  CronPayloadPatch,
  JobId,
  JobRef,
} from './cron-job.js';

const Limit = z.number().int().min(1).max(200);
const Offset = z.number().int().min(0).max(1_000_000);
const SortDir = z.enum(['asc', 'desc']);

/** Upstream names the job `id` or `jobId`; exactly one of them. */
function byJob<S extends z.ZodRawShape>(shape: S) {
  return z.union([z.strictObject({ id: JobRef, ...shape }), z.strictObject({ jobId: JobRef, ...shape })]);
}

const Page = { total: Count, offset: Count, limit: Count, hasMore: z.boolean(), nextOffset: Count.nullable() };

export const CronListParams = z.strictObject({
  includeDisabled: z.boolean().optional(),
  limit: Limit.optional(),
  offset: Offset.optional(),
  query: z.string().max(256).optional(),
  enabled: z.enum(['all', 'enabled', 'disabled']).optional(),
  sortBy: z.enum(['nextRunAtMs', 'updatedAtMs', 'name']).optional(),
  sortDir: SortDir.optional(),
});

export const CronListResult = z.object({ jobs: z.array(CronJob), ...Page });

export const CronStatusParams = z.strictObject({});

export const CronStatusResult = z.object({
  enabled: z.boolean(),
  storePath: z.string(),
  jobs: Count,
  nextWakeAtMs: EpochMs.nullable(),
  /** Runs in progress and runs waiting for a free slot (`cron.maxConcurrentRuns`). */
  running: Count.optional(),
  queued: Count.optional(),
  /** Set when jobs.json could not be read: jobs are not run and changes are refused until it is fixed. */
  storeError: z.string().optional(),
});

export const CronAddParams = z.strictObject(CronJobInputShape);

const CronJobPatch = z.strictObject({
  ...CronJobInputShape,
  name: CronJobInputShape.name.optional(),
  schedule: CronJobInputShape.schedule.optional(),
  payload: CronPayloadPatch.optional(),
  delivery: CronDeliveryPatch.optional(),
  state: CronJobStatePatch.optional(),
});

export const CronUpdateParams = byJob({ patch: CronJobPatch });

export const CronRemoveParams = byJob({});

export const CronRemoveResult = z.object({ ok: z.boolean(), removed: z.boolean() });

export const CronRunParams = byJob({
  /** `force` (default) runs now; `due` only when the job is due. */
  mode: z.enum(['due', 'force']).optional(),
});

export const CronRunResult = z.union([
  z.object({ ok: z.literal(true), enqueued: z.literal(true), runId: RunId }),
  z.object({
    ok: z.literal(true),
    ran: z.literal(false),
    reason: z.enum(['already-running', 'not-due', 'invalid-spec']),
  }),
]);

const RunStatus = z.enum(CRON_RUN_STATUSES);
const DeliveryStatus = z.enum(CRON_DELIVERY_STATUSES);

export const CronRunsParams = z.strictObject({
  scope: z.enum(['job', 'all']).optional(),
  /** A run log's file is named after the id, so it may hold no path separator (as upstream checks). */
  id: JobId.optional(),
  jobId: JobId.optional(),
  limit: Limit.optional(),
  offset: Offset.optional(),
  statuses: z.array(RunStatus).max(CRON_RUN_STATUSES.length).optional(),
  status: z.enum(['all', ...CRON_RUN_STATUSES]).optional(),
  deliveryStatuses: z.array(DeliveryStatus).max(CRON_DELIVERY_STATUSES.length).optional(),
  deliveryStatus: z.enum(['all', ...CRON_DELIVERY_STATUSES]).optional(),
  query: z.string().max(256).optional(),
  sortDir: SortDir.optional(),
});

export const CronRunUsage = z.object({
  input_tokens: Count.optional(),
  output_tokens: Count.optional(),
  total_tokens: Count.optional(),
  cache_read_tokens: Count.optional(),
  cache_write_tokens: Count.optional(),
});

/** Outcome fields shared by a run-log line and the `cron` event. */
const RunOutcomeShape = {
  jobId: JobId,
  status: RunStatus.optional(),
  error: z.string().optional(),
  summary: z.string().optional(),
  delivered: z.boolean().optional(),
  deliveryStatus: DeliveryStatus.optional(),
  deliveryError: z.string().optional(),
  sessionId: z.string().optional(),
  sessionKey: z.string().optional(),
  runAtMs: EpochMs.optional(),
  durationMs: Count.optional(),
  nextRunAtMs: EpochMs.optional(),
  model: z.string().optional(),
  provider: z.string().optional(),
  usage: CronRunUsage.optional(),
  // This gateway's additions.
  runId: RunId.optional(),
  /** The slot this run executed (absent for manual runs); runAtMs − scheduledAtMs is the firing delay. */
  scheduledAtMs: EpochMs.optional(),
  trigger: z.enum(['schedule', 'manual', 'catch-up', 'restart']).optional(),
  /** The gateway stopped while this run was in progress; it was run again after the restart. */
  interrupted: z.boolean().optional(),
};

export const CronRunLogEntry = z.object({
  ts: EpochMs,
  action: z.literal('finished'),
  jobName: z.string().optional(),
  ...RunOutcomeShape,
});
export type CronRunLogEntry = z.infer<typeof CronRunLogEntry>;

export const CronRunsResult = z.object({ entries: z.array(CronRunLogEntry), ...Page });

export const CronEvent = z.object({
  action: z.enum(['added', 'updated', 'removed', 'started', 'finished']),
  ...RunOutcomeShape,
});
export type CronEvent = z.infer<typeof CronEvent>;
