// What the service hands a job runner and gets back: one run of one job, and its outcome.
import type { CronRunLogEntry } from '../../contract/schemas/cron.js';
import type { CronJob } from '../../contract/schemas/cron-job.js';

export type CronTrigger = NonNullable<CronRunLogEntry['trigger']>;
export type CronRunStatus = NonNullable<CronRunLogEntry['status']>;
export type CronDeliveryStatus = NonNullable<CronRunLogEntry['deliveryStatus']>;
export type CronErrorReason = NonNullable<CronJob['state']['lastErrorReason']>;

export interface CronRunRequest {
  /** The job as it was when the run started (read it, never change it: cron.update replaces the object). */
  readonly job: CronJob;
  readonly runId: string;
  readonly trigger: CronTrigger;
  /** The slot this run executes (absent for manual runs). */
  readonly scheduledAtMs?: number;
  readonly startedAtMs: number;
  /** Aborted when the gateway stops. */
  readonly signal: AbortSignal;
}

export interface CronRunOutcome {
  readonly status: CronRunStatus;
  readonly error?: string;
  readonly errorReason?: CronErrorReason;
  readonly summary?: string;
  readonly sessionId?: string;
  readonly sessionKey?: string;
  readonly model?: string;
  readonly provider?: string;
  readonly usage?: CronRunLogEntry['usage'];
  readonly delivered?: boolean;
  readonly deliveryStatus: CronDeliveryStatus;
  readonly deliveryError?: string;
}

/** Runs a job's payload and its delivery. Never rejects: failures are outcomes. */
export interface CronJobRunner {
  run(request: CronRunRequest): Promise<CronRunOutcome>;
}

/** Where a failure alert goes: a webhook, a channel target, or (no target) the job's main session. */
export interface CronAlertTarget {
  readonly mode: 'announce' | 'webhook';
  readonly channel?: string;
  readonly to?: string;
  readonly accountId?: string;
}

export interface CronAlertSender {
  /** Sends the alert; rejects with the reason when it could not be delivered. */
  sendFailureAlert(job: CronJob, text: string, target: CronAlertTarget): Promise<void>;
}
