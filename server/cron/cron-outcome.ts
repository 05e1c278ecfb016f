// A finished run → the job's new state: last-run fields, the error streak and its failure alert,
// and the next slot — always the schedule's next slot after the one just run, so runs are neither
// skipped nor repeated; slots that passed meanwhile follow the job's catchUp policy, errors back off
// (upstream's schedule), and one-shot jobs are deleted, disabled or retried after a transient error.
import type { CronJob } from '../../contract/schemas/cron-job.js';
import type { CronAlertTarget, CronRunOutcome, CronTrigger } from './cron-run-types.js';
import { latestSlotBetween, nextSlotAfter, type SlotContext } from './cron-schedule.js';
import type { CronSettings } from './cron-settings.js';

/** Upstream's back-off for recurring jobs after consecutive errors. */
const ERROR_BACKOFF_MS = [30_000, 60_000, 300_000, 900_000, 3_600_000];
const MAX_ERROR_TEXT = 2000;

export interface FinishedRun {
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  readonly trigger: CronTrigger;
  readonly scheduledAtMs?: number;
}

export interface AppliedOutcome {
  /** A one-shot job that ran with deleteAfterRun. */
  readonly deleteJob: boolean;
  readonly alert?: { readonly text: string; readonly target: CronAlertTarget };
}

export const slotContext = (job: CronJob, defaultZone: string): SlotContext => ({ jobId: job.id, defaultZone, createdAtMs: job.createdAtMs });

/** The first slot of a job that is (re)enabled or rescheduled now. */
export function firstSlot(job: CronJob, now: number, zone: string): number | undefined {
  if (!job.enabled) return undefined;
  if (job.schedule.kind === 'at') return nextSlotAfter(job.schedule, Number.MIN_SAFE_INTEGER, slotContext(job, zone));
  return nextSlotAfter(job.schedule, now, slotContext(job, zone));
}

/** The slot after `slot`; when that has passed already, the newest missed one (catchUp once) or the next future one (skip). */
export function slotAfter(job: CronJob, slot: number, now: number, zone: string): number | undefined {
  const ctx = slotContext(job, zone);
  const next = nextSlotAfter(job.schedule, slot, ctx);
  if (next === undefined || next > now) return next;
  return job.catchUp === 'skip' ? nextSlotAfter(job.schedule, now, ctx) : latestSlotBetween(job.schedule, slot, now, ctx);
}

function isTransient(error: string, reason: string | undefined, retryOn: readonly string[]): boolean {
  const kinds: Record<string, RegExp> = {
    rate_limit: /rate.?limit|429|too many requests/i,
    overloaded: /overloaded|503|capacity/i,
    network: /network|ECONN|ENOTFOUND|EAI_AGAIN|socket|fetch failed|connection/i,
    timeout: /time(d)? ?out|ETIMEDOUT/i,
    server_error: /\b5\d\d\b|server error|internal error/i,
  };
  return retryOn.some((kind) => (kind === reason ? true : (kinds[kind]?.test(error) ?? false)));
}

export function failureAlertPlan(job: CronJob, settings: CronSettings): { after: number; cooldownMs: number; target: CronAlertTarget } | undefined {
  if (job.failureAlert === false) return undefined;
  const own = job.failureAlert;
  if (!own && !settings.failureAlert.enabled) return undefined;
  const destination = job.delivery?.failureDestination ?? settings.failureDestination;
  const mode = own?.mode ?? destination?.mode ?? settings.failureAlert.mode ?? 'announce';
  const chatTarget = job.delivery?.mode === 'announce' ? job.delivery.to : undefined;
  const to = own?.to ?? destination?.to ?? (mode === 'announce' ? chatTarget : undefined);
  const channel = own?.channel ?? destination?.channel ?? job.delivery?.channel;
  const accountId = own?.accountId ?? destination?.accountId ?? settings.failureAlert.accountId;
  const target: CronAlertTarget = { mode, ...(to ? { to } : {}), ...(channel ? { channel } : {}), ...(accountId ? { accountId } : {}) };
  return { after: own?.after ?? settings.failureAlert.after, cooldownMs: own?.cooldownMs ?? settings.failureAlert.cooldownMs, target };
}

/** Applies a finished run to `job` (mutated in place). */
export function applyOutcome(job: CronJob, run: FinishedRun, outcome: CronRunOutcome, settings: CronSettings, zone: string): AppliedOutcome {
  const state = job.state;
  const now = run.endedAtMs;
  delete state.runningAtMs;
  delete state.runningRunId;
  delete state.runningScheduledAtMs;
  state.lastRunAtMs = run.startedAtMs;
  state.lastRunStatus = outcome.status;
  state.lastStatus = outcome.status;
  state.lastDurationMs = Math.max(0, run.endedAtMs - run.startedAtMs);
  if (outcome.error) state.lastError = outcome.error.slice(0, MAX_ERROR_TEXT);
  else delete state.lastError;
  if (outcome.status === 'error' && outcome.errorReason) state.lastErrorReason = outcome.errorReason;
  else delete state.lastErrorReason;
  if (outcome.delivered !== undefined) state.lastDelivered = outcome.delivered;
  else delete state.lastDelivered;
  state.lastDeliveryStatus = outcome.deliveryStatus;
  if (outcome.deliveryError) state.lastDeliveryError = outcome.deliveryError.slice(0, MAX_ERROR_TEXT);
  else delete state.lastDeliveryError;
  if (run.scheduledAtMs !== undefined) state.lastScheduledAtMs = Math.max(state.lastScheduledAtMs ?? 0, run.scheduledAtMs);
  job.updatedAtMs = now;

  let alert: AppliedOutcome['alert'];
  if (outcome.status === 'error') {
    state.consecutiveErrors = (state.consecutiveErrors ?? 0) + 1;
    const plan = failureAlertPlan(job, settings);
    const last = state.lastFailureAlertAtMs;
    const cooling = last !== undefined && plan !== undefined && now - last < plan.cooldownMs;
    if (plan && state.consecutiveErrors >= plan.after && !cooling && job.delivery?.bestEffort !== true) {
      const text = `Cron job "${job.name || job.id}" failed ${state.consecutiveErrors} times\nLast error: ${(outcome.error?.trim() || 'unknown error').slice(0, 200)}`;
      alert = { text, target: plan.target };
      state.lastFailureAlertAtMs = now;
    }
  } else {
    state.consecutiveErrors = 0;
    delete state.lastFailureAlertAtMs;
  }

  if (job.schedule.kind === 'at') {
    if (outcome.status !== 'error') {
      if (job.deleteAfterRun === true && outcome.status === 'ok') return { deleteJob: true, ...(alert ? { alert } : {}) };
      job.enabled = false;
      delete state.nextRunAtMs;
    } else if (isTransient(outcome.error ?? '', outcome.errorReason, settings.retry.retryOn) && state.consecutiveErrors! <= settings.retry.maxAttempts) {
      const backoff = settings.retry.backoffMs;
      state.nextRunAtMs = now + backoff[Math.min(state.consecutiveErrors! - 1, backoff.length - 1)]!;
    } else {
      job.enabled = false;
      delete state.nextRunAtMs;
    }
    return { deleteJob: false, ...(alert ? { alert } : {}) };
  }

  let next: number | undefined;
  if (!job.enabled) next = undefined;
  else if (run.scheduledAtMs !== undefined) next = slotAfter(job, run.scheduledAtMs, now, zone);
  else next = state.nextRunAtMs ?? firstSlot(job, now, zone);
  if (next !== undefined && outcome.status === 'error') {
    const backoff = ERROR_BACKOFF_MS[Math.min(state.consecutiveErrors! - 1, ERROR_BACKOFF_MS.length - 1)]!;
    next = Math.max(next, now + backoff);
  }
  if (next === undefined) delete state.nextRunAtMs;
  else state.nextRunAtMs = next;
  return { deleteJob: false, ...(alert ? { alert } : {}) };
}
