// What a start finds and does about it. A run whose start was persisted but whose end was not was
// interrupted: it is logged as such and run again for the same slot (unless its run-log line shows
// it did finish, just before the state write was lost). Slots that passed while the gateway was down
// follow each job's catchUp policy: `once` runs the newest missed slot once, `skip` logs the misses
// and moves on. Catch-up runs are bounded: a few start at once, the rest are staggered.
import type { CronRunLogEntry } from '../../contract/schemas/cron.js';
import type { CronJob } from '../../contract/schemas/cron-job.js';
import { firstSlot, slotContext } from './cron-outcome.js';
import type { CronTrigger } from './cron-run-types.js';
import { countSlotsBetween, latestSlotBetween, nextSlotAfter } from './cron-schedule.js';

export interface RecoveredRun {
  readonly jobId: string;
  readonly trigger: CronTrigger;
  readonly scheduledAtMs?: number;
  /** When to start it (now for reruns and the first catch-ups, later for staggered ones). */
  readonly dueAt: number;
}

export interface RecoveryPlan {
  readonly logEntries: CronRunLogEntry[];
  readonly runs: RecoveredRun[];
}

export interface RecoveryContext {
  readonly now: number;
  readonly zone: string;
  readonly maxPerRestart: number;
  readonly staggerMs: number;
  /** The newest run-log entries of a job (to see whether an interrupted run did finish). */
  recentEntries(jobId: string): readonly CronRunLogEntry[];
}

const MISSED_COUNT_CAP = 1000;

/** Mutates the jobs' state to what the plan does; the caller persists it, logs the entries and queues the runs. */
export function planRecovery(jobs: Iterable<CronJob>, ctx: RecoveryContext): RecoveryPlan {
  const logEntries: CronRunLogEntry[] = [];
  const reruns: RecoveredRun[] = [];
  const catchUps: { jobId: string; slot: number }[] = [];
  const { now, zone } = ctx;

  for (const job of jobs) {
    const state = job.state;
    if (state.runningAtMs !== undefined || state.runningRunId !== undefined) {
      const runId = state.runningRunId;
      const slot = state.runningScheduledAtMs;
      const startedAt = state.runningAtMs;
      delete state.runningAtMs;
      delete state.runningRunId;
      delete state.runningScheduledAtMs;
      const finished = runId !== undefined && ctx.recentEntries(job.id).some((e) => e.runId === runId && !e.interrupted);
      if (finished) {
        if (slot !== undefined) {
          state.lastScheduledAtMs = Math.max(state.lastScheduledAtMs ?? 0, slot);
          if (job.schedule.kind === 'at') {
            job.enabled = false;
            delete state.nextRunAtMs;
          } else state.nextRunAtMs = nextSlotAfter(job.schedule, slot, slotContext(job, zone));
        }
      } else {
        const entry: CronRunLogEntry = {
          ts: now,
          jobId: job.id,
          action: 'finished',
          status: 'error',
          error: 'interrupted: the gateway stopped during this run; it runs again',
          interrupted: true,
          jobName: job.name,
        };
        if (runId) entry.runId = runId;
        if (slot !== undefined) entry.scheduledAtMs = slot;
        if (startedAt !== undefined) entry.runAtMs = startedAt;
        logEntries.push(entry);
        if (job.enabled) {
          reruns.push(slot === undefined ? { jobId: job.id, trigger: 'restart', dueAt: now } : { jobId: job.id, trigger: 'restart', scheduledAtMs: slot, dueAt: now });
          continue;
        }
      }
    }
    if (!job.enabled) continue;
    if (state.nextRunAtMs === undefined) {
      // A job from another version without state: an `at` that never ran is due; others start from now.
      if (job.schedule.kind === 'at' && state.lastRunAtMs !== undefined) continue;
      const first = firstSlot(job, now, zone);
      if (first === undefined) continue;
      state.nextRunAtMs = first;
    }
    const missedFrom = state.nextRunAtMs;
    if (missedFrom > now) continue;
    const slotCtx = slotContext(job, zone);
    if (job.catchUp === 'skip') {
      const missed = countSlotsBetween(job.schedule, missedFrom - 1, now, slotCtx, MISSED_COUNT_CAP);
      logEntries.push({
        ts: now,
        jobId: job.id,
        action: 'finished',
        status: 'skipped',
        error: `missed ${missed >= MISSED_COUNT_CAP ? `${MISSED_COUNT_CAP}+` : missed} run(s) while the gateway was down (catchUp: skip)`,
        scheduledAtMs: missedFrom,
        trigger: 'catch-up',
        jobName: job.name,
      });
      const next = nextSlotAfter(job.schedule, now, slotCtx);
      if (next === undefined) {
        job.enabled = false;
        delete state.nextRunAtMs;
      } else state.nextRunAtMs = next;
      continue;
    }
    const slot = latestSlotBetween(job.schedule, missedFrom - 1, now, slotCtx) ?? missedFrom;
    state.nextRunAtMs = slot;
    catchUps.push({ jobId: job.id, slot });
  }

  catchUps.sort((a, b) => a.slot - b.slot);
  const runs = reruns.concat(
    catchUps.map(({ jobId, slot }, i) => ({
      jobId,
      trigger: 'catch-up' as const,
      scheduledAtMs: slot,
      dueAt: i < ctx.maxPerRestart ? now : now + (i - ctx.maxPerRestart + 1) * ctx.staggerMs,
    })),
  );
  return { logEntries, runs };
}
