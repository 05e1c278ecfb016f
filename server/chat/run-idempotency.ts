// Idempotency keys of runs, scoped by session and owner: the same key sent again to the same
// session within the window returns the run it started (in flight or ended) and starts nothing;
// the same key on another session is another run. Kept in memory for lookups and in an
// IdempotencyStore, so a key outlives a restart (a run the old process never finished answers
// as interrupted rather than running twice).
import type { AgentRun } from './agent-run.js';
import { scopeId, type IdempotencyEntry, type IdempotencyScope, type IdempotencyStore } from './idempotency-store.js';
import type { AgentRunHandle, AgentRunResult } from './run-types.js';
import { SettledRun } from './settled-run.js';

export const IDEMPOTENCY_WINDOW_MS = 5 * 60_000;

const INTERRUPTED = 'the gateway restarted before this run finished; its reply is lost. Send the message again with a new idempotencyKey';

/** A run and when its key may be used again (Infinity while it runs). */
export interface KeyedRun {
  readonly run: AgentRunHandle;
  expiresAt: number;
}

/** The run under `id` unless it ended and its window has passed (then it is forgotten). */
export function liveRun(runs: Map<string, KeyedRun>, id: string, now: number): AgentRunHandle | undefined {
  const keyed = runs.get(id);
  if (!keyed) return undefined;
  if (keyed.run.result() !== undefined && keyed.expiresAt <= now) {
    runs.delete(id);
    return undefined;
  }
  return keyed.run;
}

/** Forgets every run that ended and whose window has passed. */
export function sweepRuns(runs: Map<string, KeyedRun>, now: number): void {
  for (const [id, keyed] of runs) if (keyed.run.result() !== undefined && keyed.expiresAt <= now) runs.delete(id);
}

export class RunIdempotency {
  private readonly keys = new Map<string, KeyedRun>();

  constructor(
    private readonly store: IdempotencyStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes over the keys a previous process left; returns their runs (for lookups by runId). */
  restore(): KeyedRun[] {
    const now = this.now();
    const restored: KeyedRun[] = [];
    for (const entry of this.store.load(now)) {
      let result = entry.result;
      let expiresAt = entry.expiresAt;
      if (!result || expiresAt === undefined) {
        result = interruptedResult(entry, now);
        expiresAt = now + IDEMPOTENCY_WINDOW_MS;
        this.store.finished(Object.assign({}, entry, { result, expiresAt }));
      }
      const keyed: KeyedRun = { run: new SettledRun(result, entry.acceptedAt), expiresAt };
      this.keys.set(scopeId(entry), keyed);
      restored.push(keyed);
    }
    return restored;
  }

  /** The run accepted under this key, while it runs and within its window after. */
  find(scope: IdempotencyScope): AgentRunHandle | undefined {
    return liveRun(this.keys, scopeId(scope), this.now());
  }

  /** Records a new run under its key (one store append now, one when it ends). */
  accept(scope: IdempotencyScope, run: AgentRun): void {
    const keyed: KeyedRun = { run, expiresAt: Number.POSITIVE_INFINITY };
    this.keys.set(scopeId(scope), keyed);
    const entry: IdempotencyEntry = {
      key: scope.key,
      sessionKey: scope.sessionKey,
      owner: scope.owner,
      runId: run.runId,
      agentId: run.agentId,
      sessionId: run.sessionId,
      model: run.model.ref,
      acceptedAt: run.acceptedAt,
    };
    this.store.accepted(entry);
    void run.done.then((result) => {
      keyed.expiresAt = this.now() + IDEMPOTENCY_WINDOW_MS;
      this.store.finished(Object.assign({}, entry, { result, expiresAt: keyed.expiresAt }));
    });
  }

  /** Forgets keys whose window has passed. */
  sweep(): void {
    sweepRuns(this.keys, this.now());
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

function interruptedResult(entry: IdempotencyEntry, now: number): AgentRunResult {
  return {
    runId: entry.runId,
    agentId: entry.agentId,
    sessionKey: entry.sessionKey,
    sessionId: entry.sessionId,
    status: 'error',
    text: '',
    stopReason: 'error',
    pendingToolCalls: [],
    usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, totalTokens: 0 },
    model: entry.model,
    error: { message: INTERRUPTED, kind: 'unknown' },
    startedAt: entry.acceptedAt,
    endedAt: now,
  };
}
