// A run as the service tracks it, and the run-log line (upstream's CronRunLogEntry plus run id,
// slot and trigger) it leaves when it ends.
import type { CronRunLogEntry } from '../../contract/schemas/cron.js';
import type { CronJob } from '../../contract/schemas/cron-job.js';
import type { CronRunOutcome, CronTrigger } from './cron-run-types.js';

export interface PendingRun {
  readonly jobId: string;
  readonly runId: string;
  readonly trigger: CronTrigger;
  readonly scheduledAtMs?: number;
}

export interface ActiveRun extends PendingRun {
  readonly startedAtMs: number;
}

const OUTCOME_FIELDS = ['error', 'summary', 'delivered', 'deliveryError', 'sessionId', 'sessionKey', 'model', 'provider', 'usage'] as const;

/** `job` is the job after the outcome was applied (undefined when it was removed meanwhile). */
export function finishedEntry(run: ActiveRun, outcome: CronRunOutcome, endedAt: number, job: CronJob | undefined, deleted: boolean): CronRunLogEntry {
  const entry: CronRunLogEntry = {
    ts: endedAt,
    jobId: run.jobId,
    action: 'finished',
    status: outcome.status,
    runAtMs: run.startedAtMs,
    durationMs: Math.max(0, endedAt - run.startedAtMs),
    runId: run.runId,
    trigger: run.trigger,
    deliveryStatus: outcome.deliveryStatus,
  };
  if (job) entry.jobName = job.name;
  for (const key of OUTCOME_FIELDS) if (outcome[key] !== undefined) (entry as Record<string, unknown>)[key] = outcome[key];
  if (run.scheduledAtMs !== undefined) entry.scheduledAtMs = run.scheduledAtMs;
  if (job?.state.nextRunAtMs !== undefined && !deleted) entry.nextRunAtMs = job.state.nextRunAtMs;
  return entry;
}
