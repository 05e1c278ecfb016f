// Accepts runs: idempotency (same key on the same session within 5 minutes → same run, across
// restarts: run-idempotency.ts), one run at a time per session with a bounded queue behind it,
// abort by session, and lookups for agent.wait.
import { randomUUID } from 'node:crypto';
import { gatewayErrors } from '../core/error-constructors.js';
import { invalidParams } from '../core/gateway-error.js';
import type { ModelCatalog } from '../models/model-catalog.js';
import { normalizeAgentId, parseSessionKey } from '../sessions/session-key.js';
import { AgentRun } from './agent-run.js';
import type { IdempotencyStore } from './idempotency-store.js';
import { executeRun, type RunServices } from './run-executor.js';
import { endUnstarted, overloaded } from './run-overload.js';
import { RunAdmission, runAdmissionLimits } from './run-admission.js';
import { IDEMPOTENCY_WINDOW_MS, liveRun, RunIdempotency, sweepRuns, type KeyedRun } from './run-idempotency.js';
import type { AgentRunHandle, AgentRunRequest, StartRunOutcome } from './run-types.js';

export { IDEMPOTENCY_WINDOW_MS } from './run-idempotency.js';
export const MAX_QUEUED_PER_SESSION = 8;

interface Lane {
  active: AgentRun | undefined;
  /** Held by a session operation (compact, reset, delete): runs wait in the queue meanwhile. */
  locked: boolean;
  readonly queue: AgentRun[];
}

export class RunManager {
  /** Runs by runId: in flight, ended within the window, or restored from the idempotency store. */
  private readonly runs = new Map<string, KeyedRun>();
  private readonly lanes = new Map<string, Lane>();
  private readonly sweepTimer: NodeJS.Timeout;
  /** Runs executing at once across the gateway, and the line waiting for a slot. */
  private readonly admission: RunAdmission;
  private readonly keys: RunIdempotency;

  constructor(
    private readonly services: RunServices,
    private readonly models: ModelCatalog,
    idempotencyStore: IdempotencyStore,
  ) {
    this.admission = new RunAdmission(() => runAdmissionLimits(services.config().gateway?.limits));
    this.keys = new RunIdempotency(idempotencyStore);
    for (const keyed of this.keys.restore()) this.runs.set(keyed.run.runId, keyed);
    this.sweepTimer = setInterval(() => this.sweep(), 60_000);
    this.sweepTimer.unref?.();
  }

  start(request: AgentRunRequest): StartRunOutcome {
    const s = this.services;
    const fromKey = request.sessionKey ? parseSessionKey(s.sessions.canonical(request.sessionKey))?.agentId : undefined;
    const agentId = request.agentId ? normalizeAgentId(request.agentId) : (fromKey ?? s.agents.defaultId());
    s.agents.require(agentId);
    if (fromKey && fromKey !== agentId) {
      throw invalidParams(`sessionKey belongs to agent "${fromKey}", not "${agentId}"; drop agentId or use a key agent:${agentId}:…`);
    }
    const sessionKey = s.sessions.canonical(request.sessionKey ?? s.sessions.mainSessionKey(agentId));
    const key = request.idempotencyKey;
    const scope = key === undefined ? undefined : { key, sessionKey, owner: request.idempotencyOwner ?? '' };
    const existing = scope && this.keys.find(scope);
    if (existing) {
      if (request.toolEventRecipient) existing.addToolEventRecipient(request.toolEventRecipient);
      return { run: existing, reused: true };
    }
    const continuation = request.priorMessages?.[request.priorMessages.length - 1]?.role === 'tool';
    const hasMessage = typeof request.message === 'string' ? request.message.trim() !== '' : request.message.length > 0;
    if (!hasMessage && !request.attachments?.some((a) => a.content) && !continuation) {
      throw gatewayErrors.MESSAGE_REQUIRED();
    }
    if (!this.admission.canAccept()) throw overloaded(this.admission.runningCount, this.admission.waitingCount);
    const lane = this.lane(sessionKey);
    if ((lane.active || lane.locked) && lane.queue.length >= MAX_QUEUED_PER_SESSION) {
      throw gatewayErrors.QUEUE_FULL(
        { limit: MAX_QUEUED_PER_SESSION },
        { message: `session ${sessionKey} already has ${MAX_QUEUED_PER_SESSION} runs waiting; wait for them to finish or chat.abort them`, retryAfterMs: 1000 },
      );
    }
    const existingEntry = s.sessions.get(sessionKey);
    const model = this.models.resolve(request.model ?? existingEntry?.modelOverride, agentId);
    const { entry, created } = s.sessions.ensure(sessionKey, request.label ? { label: request.label } : {});
    if (created) s.sessionsChanged({ sessionKey, reason: 'create', ts: Date.now() });

    // The key becomes the runId (clients match events by it) unless another session's run holds that id.
    const runId = key !== undefined && this.get(key) === undefined ? key : randomUUID();
    const run = new AgentRun(runId, agentId, sessionKey, entry.sessionId, request, model, Date.now(), (error) =>
      s.logger.error('run listener failed', { runId, error: (error as Error).message }),
    );
    this.runs.set(runId, { run, expiresAt: Number.POSITIVE_INFINITY });
    if (scope) this.keys.accept(scope, run);
    if (request.toolEventRecipient) run.addToolEventRecipient(request.toolEventRecipient);
    if (request.signal) {
      const external = request.signal;
      const onAbort = (): void => void run.abortWith('client', 'the caller went away');
      if (external.aborted) onAbort();
      else {
        external.addEventListener('abort', onAbort, { once: true });
        void run.done.then(() => external.removeEventListener('abort', onAbort));
      }
    }
    run.signal.addEventListener('abort', () => this.dropQueued(run), { once: true });
    if (lane.active || lane.locked) lane.queue.push(run);
    else this.launch(lane, run);
    return { run, reused: false };
  }

  /**
   * Runs `operation` with the session to itself: throws SESSION_BUSY when a run is active, and runs
   * sent meanwhile wait in the queue until it is done.
   */
  async exclusive<T>(sessionKey: string, operation: () => Promise<T>): Promise<T> {
    const lane = this.lane(sessionKey);
    if (lane.active || lane.locked) {
      throw gatewayErrors.SESSION_BUSY({ key: sessionKey });
    }
    lane.locked = true;
    try {
      return await operation();
    } finally {
      lane.locked = false;
      const upcoming = lane.queue.shift();
      if (upcoming) this.launch(lane, upcoming);
      else this.lanes.delete(sessionKey);
    }
  }

  get(runId: string): AgentRunHandle | undefined {
    return liveRun(this.runs, runId, Date.now());
  }

  /** Active and queued runs of a session (or of every session). */
  active(sessionKey?: string): AgentRun[] {
    const lanes = sessionKey === undefined ? [...this.lanes.values()] : [this.lanes.get(sessionKey)].filter((l): l is Lane => l !== undefined);
    return lanes.flatMap((l) => (l.active ? [l.active, ...l.queue] : [...l.queue]));
  }

  /** Aborts one run (checked against the session) or every run of the session; returns the aborted ids. */
  abort(sessionKey: string, runId?: string): string[] {
    if (runId !== undefined) {
      const run = this.get(runId);
      if (!run) return [];
      if (run.sessionKey !== sessionKey) {
        throw gatewayErrors.RUN_SESSION_MISMATCH({ runId, sessionKey });
      }
      return run.abort('aborted by chat.abort') ? [runId] : [];
    }
    return this.active(sessionKey).filter((r) => r.abort('aborted by chat.abort')).map((r) => r.runId);
  }

  /** Aborts everything and waits (bounded) for the runs to record their partial replies. */
  async shutdown(timeoutMs = 5000): Promise<void> {
    clearInterval(this.sweepTimer);
    const runs = this.active();
    for (const run of runs) run.abortWith('shutdown', 'the gateway is stopping');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(runs.map((r) => r.done)), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    await this.keys.close();
  }

  private lane(sessionKey: string): Lane {
    let lane = this.lanes.get(sessionKey);
    if (!lane) {
      lane = { active: undefined, locked: false, queue: [] };
      this.lanes.set(sessionKey, lane);
    }
    return lane;
  }

  /** The run holds its session from here; it executes once the gateway has a free run slot. */
  private launch(lane: Lane, run: AgentRun): void {
    lane.active = run;
    const execute = (): void =>
      void executeRun(run, this.services).then(
        () => {
          this.admission.leave();
          this.next(lane, run);
        },
        (error: unknown) => {
          this.services.logger.error('run executor threw', { runId: run.runId, error: String(error) });
          this.admission.leave();
          this.next(lane, run);
        },
      );
    this.admission.enter(run.signal, execute, (end) => {
      endUnstarted(run, this.services, end);
      this.next(lane, run);
    });
  }

  private next(lane: Lane, finished: AgentRun): void {
    const entry = this.runs.get(finished.runId);
    if (entry) entry.expiresAt = Date.now() + IDEMPOTENCY_WINDOW_MS;
    if (lane.active === finished) lane.active = undefined;
    if (lane.locked) return;
    const upcoming = lane.queue.shift();
    if (upcoming) this.launch(lane, upcoming);
    else if (!lane.active) this.lanes.delete(finished.sessionKey);
  }

  /** A queued run that is aborted never starts: it ends at once, announced as chat state aborted. */
  private dropQueued(run: AgentRun): void {
    if (run.status() !== 'queued') return;
    const lane = this.lanes.get(run.sessionKey);
    const index = lane?.queue.indexOf(run) ?? -1;
    if (index < 0) return;
    lane!.queue.splice(index, 1);
    endUnstarted(run, this.services, 'aborted');
    const now = Date.now();
    const entry = this.runs.get(run.runId);
    if (entry) entry.expiresAt = now + IDEMPOTENCY_WINDOW_MS;
  }

  private sweep(): void {
    this.keys.sweep();
    sweepRuns(this.runs, Date.now());
  }
}
