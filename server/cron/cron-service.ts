// The cron service: jobs in memory, persisted through the job store; the scheduler's one timer;
// runs through the job runner, at most `maxConcurrentRuns` at once, the rest waiting in order.
// Reads (list, status, runs) never touch schedule state. A run's start is persisted before it
// begins and its end right after, so a restart knows exactly which slot ran.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { CronAddParams, CronEvent, CronListParams, CronListResult, CronRunLogEntry, CronRunResult, CronRunsParams, CronRunsResult, CronStatusResult, CronUpdateParams } from '../../contract/schemas/cron.js';
import type { CronJob } from '../../contract/schemas/cron-job.js';
import { GatewayError, notFound } from '../core/gateway-error.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import type { CronClock } from './cron-clock.js';
import { createJob, patchJob, type JobInputContext } from './cron-job-input.js';
import type { CronJobStore } from './cron-job-store.js';
import { applyOutcome, firstSlot } from './cron-outcome.js';
import { finishedEntry, type ActiveRun, type PendingRun } from './cron-run-entry.js';
import { filterRuns, listOrderKey, listPage, readRuns, selectJobs } from './cron-queries.js';
import { planRecovery } from './cron-recovery.js';
import type { CronRunLogStore } from './cron-run-log.js';
import type { CronAlertSender, CronJobRunner, CronRunOutcome, CronTrigger } from './cron-run-types.js';
import { CronScheduler } from './cron-scheduler.js';
import type { CronSettings } from './cron-settings.js';
import { SaveBatcher, storeUnavailable } from './cron-save-batcher.js';

export interface CronAgents {
  readonly defaultId: string;
  has(agentId: string): boolean;
}

export interface CronServiceDeps {
  readonly clock: CronClock;
  readonly store: CronJobStore;
  readonly runLogs: CronRunLogStore;
  readonly runner: CronJobRunner;
  readonly alerts: CronAlertSender;
  settings(): CronSettings;
  /** The gateway's time zone (written into cron schedules that name none). */
  zone(): string;
  publish(event: CronEvent): void;
  readonly logger: Pick<GatewayLogger, 'info' | 'warn' | 'error'>;
  /** Known agents, asked when a job names one. */
  agents(): Promise<CronAgents>;
  /** Prunes old isolated-run sessions (cron.sessionRetention). */
  readonly reaper?: { sweep(jobId: string, recentEntries: () => readonly CronRunLogEntry[]): void };
}

const jobNotFound = (id: string): GatewayError => notFound(`cron job not found: ${id}; cron.list shows the jobs`, 'JOB_NOT_FOUND');

export class CronService {
  private readonly jobs = new Map<string, CronJob>();
  private readonly scheduler: CronScheduler;
  private readonly saves: SaveBatcher;
  private readonly waiting: PendingRun[] = [];
  private readonly waitingIds = new Set<string>();
  private readonly active = new Map<string, ActiveRun>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Catch-up runs staggered after a restart: job id → trigger and slot for when its time comes. */
  private readonly deferred = new Map<string, { trigger: CronTrigger; scheduledAtMs?: number }>();
  private readonly abort = new AbortController();
  /** Bumped whenever a job is added, removed or changes what lists sort by; keys the cache below. */
  private version = 0;
  /** The last sorted cron.list selection (10,000 jobs sort in milliseconds, a page is read often). */
  private listCache: { key: string; version: number; jobs: CronJob[] } | undefined;
  private storeError: string | undefined;
  private started = false;
  private stopping = false;
  private manualRuns = 0;

  constructor(private readonly deps: CronServiceDeps) {
    this.scheduler = new CronScheduler(deps.clock, (ids) => this.onDue(ids));
    this.saves = new SaveBatcher(
      () => deps.store.save([...this.jobs.values()]),
      deps.store.location,
      (error) => deps.logger.error('cron: jobs.json not written', { error }),
    );
  }

  /** Loads jobs, records interrupted and missed runs, and arms the timer. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const loaded = this.deps.store.load();
    if (loaded.error) {
      this.storeError = `${loaded.error}; fix or move the file and restart the gateway`;
      this.deps.logger.error('cron: jobs.json cannot be read; no job runs until it is fixed', { path: this.deps.store.location, reason: loaded.error });
      return;
    }
    for (const skipped of loaded.skipped) this.deps.logger.warn('cron: a stored job is not valid and is kept as it is', { index: skipped.index, reason: skipped.reason });
    for (const job of loaded.jobs) this.jobs.set(job.id, job);
    const settings = this.deps.settings();
    const plan = planRecovery(this.jobs.values(), {
      now: this.deps.clock.now(),
      zone: this.deps.zone(),
      maxPerRestart: settings.catchUp.maxPerRestart,
      staggerMs: settings.catchUp.staggerMs,
      recentEntries: (jobId) => this.deps.runLogs.read(jobId, 5),
    });
    for (const entry of plan.logEntries) this.deps.runLogs.append(entry);
    if (plan.logEntries.length > 0 || plan.runs.length > 0) this.saveQuietly();
    for (const run of plan.runs) {
      this.deferred.set(run.jobId, run.scheduledAtMs === undefined ? { trigger: run.trigger } : { trigger: run.trigger, scheduledAtMs: run.scheduledAtMs });
      this.scheduler.set(run.jobId, run.dueAt);
    }
    for (const job of this.jobs.values()) if (!this.deferred.has(job.id)) this.schedule(job);
    if (plan.runs.length > 0) this.deps.logger.info('cron: runs after restart', { reruns: plan.runs.filter((r) => r.trigger === 'restart').length, catchUps: plan.runs.filter((r) => r.trigger === 'catch-up').length });
    if (settings.enabled) this.scheduler.start();
  }

  /** Stops the timer and persists; runs still in progress stay marked, so the next start runs them again. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.scheduler.stop();
    this.abort.abort();
    if (!this.storeError && this.started) this.saveQuietly();
    await this.deps.runLogs.close();
  }

  /** Resolves when every run in progress has ended (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0 || this.waiting.length > 0 || this.active.size > 0) {
      await (this.inFlight.size > 0 ? Promise.race(this.inFlight) : new Promise((resolve) => setImmediate(resolve)));
    }
  }

  // ── reads ──────────────────────────────────────────────────────────────────────────────

  list(params: z.output<typeof CronListParams>): z.output<typeof CronListResult> {
    const key = listOrderKey(params);
    let selected: CronJob[];
    if (key !== undefined && this.listCache?.key === key && this.listCache.version === this.version) selected = this.listCache.jobs;
    else {
      selected = selectJobs(this.jobs.values(), params);
      if (key !== undefined) this.listCache = { key, version: this.version, jobs: selected };
    }
    const { items, ...rest } = listPage(selected, params);
    return { jobs: items, ...rest };
  }

  get(id: string): CronJob | undefined {
    return this.jobs.get(id);
  }

  status(): z.output<typeof CronStatusResult> {
    const result: z.output<typeof CronStatusResult> = {
      enabled: this.deps.settings().enabled && !this.storeError,
      storePath: this.deps.store.location,
      jobs: this.jobs.size,
      nextWakeAtMs: this.scheduler.nextDueAt() ?? null,
      running: this.active.size,
      queued: this.waiting.length,
    };
    if (this.storeError) result.storeError = this.storeError;
    return result;
  }

  runs(params: z.output<typeof CronRunsParams>): z.output<typeof CronRunsResult> {
    const jobId = params.jobId ?? params.id;
    const scope = params.scope ?? (jobId ? 'job' : 'all');
    if (scope === 'job' && !jobId) throw new GatewayError('INVALID_REQUEST', 'cron.runs with scope "job" needs id (or jobId)', { details: { code: 'INVALID_PARAMS' } });
    const entries = readRuns(this.deps.runLogs, scope === 'job' ? [jobId!] : this.deps.runLogs.jobIds(), this.deps.settings().runLogKeepLines, (id) => this.jobs.get(id)?.name);
    if (scope === 'job' && entries.length === 0 && !this.jobs.has(jobId!)) throw jobNotFound(jobId!);
    const { items, ...rest } = filterRuns(entries, params);
    return { entries: items, ...rest };
  }

  // ── changes ────────────────────────────────────────────────────────────────────────────

  async add(params: z.output<typeof CronAddParams>): Promise<CronJob> {
    this.assertWritable();
    const settings = this.deps.settings();
    if (this.jobs.size >= settings.maxJobs) {
      throw new GatewayError('CONFLICT', `there are ${this.jobs.size} cron jobs, the most cron.maxJobs allows; remove some or raise it`, { details: { code: 'CRON_JOB_LIMIT' } });
    }
    const ctx = await this.inputContext(params.agentId);
    const job = createJob(params, randomUUID(), ctx);
    const first = firstSlot(job, ctx.now, ctx.zone);
    if (first !== undefined) job.state.nextRunAtMs = first;
    this.putJob(job);
    try {
      await this.persist();
    } catch (error) {
      this.dropJob(job.id);
      throw error;
    }
    this.schedule(job);
    this.emit({ jobId: job.id, action: 'added', ...(first === undefined ? {} : { nextRunAtMs: first }) });
    return job;
  }

  async update(params: z.output<typeof CronUpdateParams>): Promise<CronJob> {
    this.assertWritable();
    const id = 'id' in params ? params.id : params.jobId;
    const current = this.jobs.get(id);
    if (!current) throw jobNotFound(id);
    const patch = params.patch;
    const ctx = await this.inputContext(patch.agentId ?? undefined);
    const next = patchJob(current, patch, ctx);
    const rescheduled = patch.schedule !== undefined || (patch.enabled === true && !current.enabled) || patch.enabled === false;
    if (rescheduled && patch.state?.nextRunAtMs === undefined) {
      const first = firstSlot(next, ctx.now, ctx.zone);
      if (first === undefined) delete next.state.nextRunAtMs;
      else next.state.nextRunAtMs = first;
    }
    // A run in progress keeps its bookkeeping whatever the patch says.
    const running = this.active.get(id);
    if (running) {
      next.state.runningAtMs = current.state.runningAtMs!;
      next.state.runningRunId = running.runId;
      if (running.scheduledAtMs !== undefined) next.state.runningScheduledAtMs = running.scheduledAtMs;
    }
    this.putJob(next);
    try {
      await this.persist();
    } catch (error) {
      if (this.jobs.get(id) === next) this.putJob(current);
      throw error;
    }
    this.deferred.delete(id);
    this.schedule(next);
    this.emit({ jobId: id, action: 'updated', ...(next.state.nextRunAtMs === undefined ? {} : { nextRunAtMs: next.state.nextRunAtMs }) });
    return next;
  }

  async remove(id: string): Promise<{ ok: boolean; removed: boolean }> {
    this.assertWritable();
    const job = this.jobs.get(id);
    if (!job) return { ok: true, removed: false };
    this.dropJob(id);
    try {
      await this.persist();
    } catch (error) {
      this.putJob(job);
      throw error;
    }
    this.forget(id);
    this.emit({ jobId: id, action: 'removed' });
    return { ok: true, removed: true };
  }

  /** cron.run: `force` runs now; `due` only when the job's slot has come. */
  run(id: string, mode: 'due' | 'force' = 'force'): z.output<typeof CronRunResult> {
    this.assertWritable();
    const job = this.jobs.get(id);
    if (!job) throw jobNotFound(id);
    if (this.active.has(id) || this.waitingIds.has(id)) return { ok: true, ran: false, reason: 'already-running' };
    const now = this.deps.clock.now();
    const slot = job.state.nextRunAtMs;
    if (mode === 'due') {
      if (!job.enabled || slot === undefined || slot > now) return { ok: true, ran: false, reason: 'not-due' };
      this.scheduler.set(id, undefined);
      this.deferred.delete(id);
      const runId = `cron:${id}:${slot}`;
      this.enqueue({ jobId: id, runId, trigger: 'schedule', scheduledAtMs: slot });
      return { ok: true, enqueued: true, runId };
    }
    const runId = `manual:${id}:${now}:${++this.manualRuns}`;
    this.enqueue({ jobId: id, runId, trigger: 'manual' });
    return { ok: true, enqueued: true, runId };
  }

  // ── runs ───────────────────────────────────────────────────────────────────────────────

  private onDue(ids: string[]): void {
    for (const id of ids) {
      const job = this.jobs.get(id);
      const deferred = this.deferred.get(id);
      this.deferred.delete(id);
      if (!job || !job.enabled || this.active.has(id) || this.waitingIds.has(id)) continue;
      const slot = deferred ? deferred.scheduledAtMs : job.state.nextRunAtMs;
      if (slot === undefined && !deferred) continue;
      const trigger = deferred?.trigger ?? 'schedule';
      const runId = trigger === 'restart' ? `cron:${id}:${slot ?? 'manual'}:rerun:${this.deps.clock.now()}` : `cron:${id}:${slot}`;
      this.enqueue(slot === undefined ? { jobId: id, runId, trigger } : { jobId: id, runId, trigger, scheduledAtMs: slot });
    }
  }

  private enqueue(run: PendingRun): void {
    this.waiting.push(run);
    this.waitingIds.add(run.jobId);
    this.pump();
  }

  /** Starts waiting runs while there is room: marks them running, persists that once, then runs them. */
  private pump(): void {
    if (this.stopping) return;
    const room = this.deps.settings().maxConcurrentRuns - this.active.size;
    if (room <= 0 || this.waiting.length === 0) return;
    const now = this.deps.clock.now();
    const starting: ActiveRun[] = [];
    for (const pending of this.waiting.splice(0, room)) {
      this.waitingIds.delete(pending.jobId);
      const job = this.jobs.get(pending.jobId);
      // Disabled jobs never fire; only an explicit cron.run (force) runs one.
      if (!job || (!job.enabled && pending.trigger !== 'manual')) continue;
      const run: ActiveRun = { ...pending, startedAtMs: now };
      job.state.runningAtMs = now;
      job.state.runningRunId = run.runId;
      if (run.scheduledAtMs === undefined) delete job.state.runningScheduledAtMs;
      else job.state.runningScheduledAtMs = run.scheduledAtMs;
      this.active.set(job.id, run);
      starting.push(run);
    }
    if (starting.length === 0) return;
    // The start markers are written in this turn's batch, not awaited: a crash before the write
    // lands leaves the slot due, so the restart runs it again all the same (as a catch-up).
    this.saveQuietly(true);
    const started: CronEvent[] = [];
    for (const run of starting) this.execute(run, started);
    for (const event of started) this.emit(event);
  }

  /** Starts one run; its `started` event is added to `started` (published once the whole batch runs). */
  private execute(run: ActiveRun, started: CronEvent[]): void {
    const job = this.jobs.get(run.jobId);
    if (!job || this.stopping) {
      this.active.delete(run.jobId);
      return;
    }
    const startedAt = this.deps.clock.now();
    const live: ActiveRun = { ...run, startedAtMs: startedAt };
    this.active.set(run.jobId, live);
    job.state.runningAtMs = startedAt;
    started.push({ jobId: job.id, action: 'started', runAtMs: startedAt, runId: run.runId, trigger: run.trigger, ...(run.scheduledAtMs === undefined ? {} : { scheduledAtMs: run.scheduledAtMs }) });
    // The job itself, not a copy: a cron.update replaces the object, and nothing the runner reads changes in place.
    const request = { job, runId: run.runId, trigger: run.trigger, startedAtMs: startedAt, signal: this.abort.signal };
    const task = this.deps.runner
      .run(run.scheduledAtMs === undefined ? request : { ...request, scheduledAtMs: run.scheduledAtMs })
      .catch((error: Error): CronRunOutcome => ({ status: 'error', error: error.message, deliveryStatus: 'not-delivered' }))
      .then((outcome) => this.finish(live, outcome));
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
  }

  private finish(run: ActiveRun, outcome: CronRunOutcome): void {
    this.active.delete(run.jobId);
    // Stopping: the run was cut short, its start stays recorded, and the next start runs it again.
    if (this.stopping) return;
    const endedAt = this.deps.clock.now();
    const job = this.jobs.get(run.jobId);
    const settings = this.deps.settings();
    const applied = job ? applyOutcome(job, { ...run, endedAtMs: endedAt }, outcome, settings, this.deps.zone()) : { deleteJob: false };
    const entry = finishedEntry(run, outcome, endedAt, job, applied.deleteJob);
    this.deps.runLogs.append(entry);
    const { ts: _ts, action: _action, jobName: _name, ...event } = entry;
    this.emit({ ...event, action: 'finished' });
    if (job && applied.deleteJob) {
      this.dropJob(job.id);
      this.forget(job.id);
      this.emit({ jobId: job.id, action: 'removed' });
    } else if (job) this.schedule(job);
    else void this.deps.runLogs.retire(run.jobId).catch(() => {});
    this.saveQuietly(true);
    if (job?.sessionTarget === 'isolated' && outcome.sessionKey) this.deps.reaper?.sweep(job.id, () => this.deps.runLogs.read(job.id, this.deps.settings().runLogKeepLines));
    if (job && applied.alert) {
      this.deps.alerts.sendFailureAlert(job, applied.alert.text, applied.alert.target).catch((error: Error) =>
        this.deps.logger.warn('cron: failure alert not delivered', { jobId: job.id, error: error.message }),
      );
    }
    this.pump();
  }

  // ── helpers ────────────────────────────────────────────────────────────────────────────

  /** Puts the job in the timer at its next slot (or takes it out). */
  private schedule(job: CronJob): void {
    this.version++;
    const due = job.enabled && !this.active.has(job.id) && !this.waitingIds.has(job.id) ? job.state.nextRunAtMs : undefined;
    this.scheduler.set(job.id, due);
  }

  private putJob(job: CronJob): void {
    this.jobs.set(job.id, job);
    this.version++;
  }

  private dropJob(id: string): void {
    this.jobs.delete(id);
    this.version++;
  }

  private forget(id: string): void {
    this.version++;
    this.scheduler.set(id, undefined);
    this.deferred.delete(id);
    const index = this.waiting.findIndex((r) => r.jobId === id);
    if (index >= 0) this.waiting.splice(index, 1);
    this.waitingIds.delete(id);
    if (!this.active.has(id)) void this.deps.runLogs.retire(id).catch((error: Error) => this.deps.logger.warn('cron: run log not moved aside', { jobId: id, error: error.message }));
  }

  private async inputContext(agentId: string | null | undefined): Promise<JobInputContext> {
    const agents = await this.deps.agents();
    if (agentId && !agents.has(agentId.toLowerCase())) {
      throw new GatewayError('NOT_FOUND', `unknown agent "${agentId}"; agents.list shows the agents`, { details: { code: 'AGENT_NOT_FOUND', agentId } });
    }
    return { now: this.deps.clock.now(), zone: this.deps.zone(), defaultAgentId: agents.defaultId };
  }

  private assertWritable(): void {
    if (this.storeError) throw storeUnavailable(this.storeError);
  }

  private persist(): Promise<void> {
    return this.saves.persist();
  }

  private saveQuietly(batched = false): void {
    this.saves.saveQuietly(batched);
  }

  private emit(event: CronEvent): void {
    this.deps.publish(event);
  }
}
